#include "core/protocol/CloseCode.h"

namespace wslab::CloseCode {

namespace {

struct Entry
{
    int code;
    const char *name;
    const char *meaning;
};

constexpr Entry kRegistered[] = {
    {1000, "Normal Closure", "The purpose of the connection has been fulfilled."},
    {1001, "Going Away", "The endpoint is going away: a server shutting down or a page being left."},
    {1002, "Protocol Error", "The endpoint received a frame that breaks the WebSocket protocol."},
    {1003, "Unsupported Data", "The endpoint received a type of data it cannot accept (e.g. binary only)."},
    {1004, "Reserved", "Reserved by RFC 6455; never sent."},
    {1005, "No Status Received", "The close frame carried no code (reported locally, never sent)."},
    {1006, "Abnormal Closure", "The connection dropped without a close frame (reported locally, never sent)."},
    {1007, "Invalid Payload Data", "A message's data did not match its type, e.g. a text message that is not UTF-8."},
    {1008, "Policy Violation", "A message broke the endpoint's policy; the generic refusal."},
    {1009, "Message Too Big", "A message was larger than the endpoint accepts."},
    {1010, "Mandatory Extension", "The client needed an extension the server did not agree to."},
    {1011, "Internal Error", "The server hit an unexpected condition and could not go on."},
    {1012, "Service Restart", "The server is restarting; reconnecting later should work."},
    {1013, "Try Again Later", "The server is overloaded; reconnect after a while."},
    {1014, "Bad Gateway", "A gateway or proxy got an invalid answer from the server behind it."},
    {1015, "TLS Handshake", "The TLS handshake failed (reported locally, never sent)."},
};

const Entry *find(int code)
{
    for (const Entry &e : kRegistered) {
        if (e.code == code)
            return &e;
    }
    return nullptr;
}

} // namespace

QString name(int code)
{
    if (const Entry *e = find(code))
        return QString::fromLatin1(e->name);
    if (code >= 1016 && code <= 2999)
        return QStringLiteral("Reserved");
    if (code >= 3000 && code <= 3999)
        return QStringLiteral("Registered (library/framework)");
    if (code >= 4000 && code <= 4999)
        return QStringLiteral("Private use");
    return QStringLiteral("Invalid");
}

QString meaning(int code)
{
    if (const Entry *e = find(code))
        return QString::fromLatin1(e->meaning);
    if (code >= 1016 && code <= 2999)
        return QStringLiteral("Reserved for future versions of the WebSocket protocol.");
    if (code >= 3000 && code <= 3999)
        return QStringLiteral("Registered with IANA for use by libraries, frameworks and applications.");
    if (code >= 4000 && code <= 4999)
        return QStringLiteral("For private use by agreement between the two applications.");
    return QStringLiteral("Not a valid close code (valid codes are 1000-4999).");
}

QString describe(int code)
{
    return QString::number(code) % u' ' % name(code);
}

bool isSendable(int code, QString *whyNot)
{
    auto refuse = [whyNot](QString why) {
        if (whyNot)
            *whyNot = std::move(why);
        return false;
    };
    if (code == 1004 || code == 1005 || code == 1006 || code == 1015)
        return refuse(QStringLiteral("close code %1 (%2) is reserved and must not be sent").arg(code).arg(name(code)));
    if (code >= 1000 && code <= 1014)
        return true;
    if (code >= 3000 && code <= 4999)
        return true;
    return refuse(QStringLiteral("close code %1 is outside the sendable ranges 1000-1014 and 3000-4999").arg(code));
}

bool isSendableClose(int code, const QString &reason, QString *whyNot)
{
    if (!isSendable(code, whyNot))
        return false;
    const qsizetype bytes = reason.toUtf8().size();
    if (bytes > kMaxReasonBytes) {
        if (whyNot)
            *whyNot = QStringLiteral("close reason is %1 bytes of UTF-8; at most %2 fit in a close frame").arg(bytes).arg(kMaxReasonBytes);
        return false;
    }
    return true;
}

} // namespace wslab::CloseCode
