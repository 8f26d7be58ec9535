#include "core/protocol/Handshake.h"

#include <QCryptographicHash>

namespace wslab {

namespace {

ProtocolViolation problem(const QString &text, const char *section)
{
    return {ProtocolViolation::Kind::Handshake, text, QString::fromUtf8(section), 0};
}

QList<QByteArray> tokens(const QByteArray &value)
{
    QList<QByteArray> out;
    for (const QByteArray &part : value.split(',')) {
        const QByteArray t = part.trimmed();
        if (!t.isEmpty())
            out.append(t);
    }
    return out;
}

} // namespace

Handshake::AcceptSteps Handshake::acceptSteps(QByteArrayView key)
{
    AcceptSteps steps;
    steps.key = key.toByteArray();
    steps.keyAndGuid = steps.key + Handshake::kGuid;
    steps.sha1 = QCryptographicHash::hash(steps.keyAndGuid, QCryptographicHash::Sha1);
    steps.accept = steps.sha1.toBase64();
    return steps;
}

Handshake::HeaderRole Handshake::headerRole(QByteArrayView name, bool inRequest)
{
    struct Entry
    {
        const char *name;
        bool inRequest;
        const char *role;
        const char *section;
    };
    static const Entry kRoles[] = {
        {"Host", true, "Which server (and port) the client means; one address may serve many sites.", "RFC 6455 §4.1, RFC 9110 §7.2"},
        {"Upgrade", true, "\"websocket\": the client asks to switch this HTTP connection to the WebSocket protocol.",
         "RFC 6455 §4.1, RFC 9110 §7.8"},
        {"Connection", true, "\"Upgrade\": the Upgrade header is meant for this hop, not to be passed on by a proxy.",
         "RFC 6455 §4.1, RFC 9110 §7.6.1"},
        {"Sec-WebSocket-Key", true,
         "16 random bytes in Base64. The server proves it speaks WebSocket by hashing it into Sec-WebSocket-Accept; it is not a secret.",
         "RFC 6455 §4.1, §1.3"},
        {"Sec-WebSocket-Version", true,
         "The protocol version the client speaks: 13 is RFC 6455; any other gets 426 and the versions the server has.",
         "RFC 6455 §4.1, §4.4"},
        {"Origin", true, "The site whose page opened the connection (browsers always send it): the server may refuse other sites (403).",
         "RFC 6455 §4.1, §10.2, RFC 6454"},
        {"Sec-WebSocket-Protocol", true, "Subprotocols the client can speak, in order of preference; the server picks one or none.",
         "RFC 6455 §4.1, §11.3.4"},
        {"Sec-WebSocket-Extensions", true, "Extensions the client offers, such as permessage-deflate compression.",
         "RFC 6455 §9.1, RFC 7692 §5"},
        {"Authorization", true, "Credentials; WsLab's server accepts \"Bearer TOKEN\" and never logs them.", "RFC 9110 §11.6.2, RFC 6750"},
        {"Cookie", true, "Cookies of the server's site, sent by browsers; a way to authenticate a WebSocket.", "RFC 6265 §5.4"},
        {"User-Agent", true, "The client's software, for the server's logs.", "RFC 9110 §10.1.5"},
        {"Upgrade", false, "\"websocket\": the server agrees to switch; from the next byte on, both sides speak frames.",
         "RFC 6455 §4.2.2, RFC 9110 §7.8"},
        {"Connection", false, "\"Upgrade\": as in the request.", "RFC 6455 §4.2.2"},
        {"Sec-WebSocket-Accept", false,
         "Base64(SHA-1(the request's key + the GUID)): proof that the server read the key and speaks WebSocket. The client fails the "
         "connection if it does not match.",
         "RFC 6455 §4.2.2, §4.1"},
        {"Sec-WebSocket-Protocol", false, "The one subprotocol the server chose from the client's list; absent when it chose none.",
         "RFC 6455 §4.2.2, §11.3.4"},
        {"Sec-WebSocket-Extensions", false, "The extensions the server accepted, with their parameters; only offered ones are allowed.",
         "RFC 6455 §9.1, RFC 7692 §5"},
        {"Server", false, "The server's software, for the client's logs.", "RFC 9110 §10.2.4"},
    };
    for (const Entry &entry : kRoles) {
        if (entry.inRequest == inRequest && name.compare(QByteArrayView(entry.name), Qt::CaseInsensitive) == 0)
            return {QString::fromUtf8(entry.role), QString::fromUtf8(entry.section)};
    }
    return {inRequest ? QStringLiteral("Not part of the WebSocket handshake: an application header the server may read.")
                      : QStringLiteral("Not part of the WebSocket handshake: an extra header of this server."),
            QStringLiteral("RFC 9110 §5")};
}

QList<ProtocolViolation> Handshake::checkRequest(const HttpRequest &request)
{
    QList<ProtocolViolation> out;
    if (request.method != "GET")
        out.append(problem(QStringLiteral("the upgrade request must use GET, not %1").arg(QString::fromLatin1(request.method)),
                           "RFC 6455 §4.2.1"));
    if (request.version != "HTTP/1.1")
        out.append(problem(QStringLiteral("the upgrade request must be HTTP/1.1, not %1").arg(QString::fromLatin1(request.version)),
                           "RFC 6455 §4.2.1"));
    if (!request.hasHeader("Host"))
        out.append(problem(QStringLiteral("the request has no Host header"), "RFC 6455 §4.2.1"));
    if (!request.headerHasToken("Upgrade", "websocket"))
        out.append(problem(QStringLiteral("the request's Upgrade header does not name websocket"), "RFC 6455 §4.2.1"));
    if (!request.headerHasToken("Connection", "upgrade"))
        out.append(problem(QStringLiteral("the request's Connection header does not list Upgrade"), "RFC 6455 §4.2.1"));
    const QByteArray key = request.header("Sec-WebSocket-Key");
    const auto decoded = QByteArray::fromBase64Encoding(key, QByteArray::AbortOnBase64DecodingErrors);
    if (key.isEmpty())
        out.append(problem(QStringLiteral("the request has no Sec-WebSocket-Key"), "RFC 6455 §4.2.1"));
    else if (!decoded || decoded.decoded.size() != 16 || key.size() != 24)
        out.append(problem(QStringLiteral("Sec-WebSocket-Key must be 16 bytes in Base64 (24 characters)"), "RFC 6455 §4.2.1"));
    if (request.header("Sec-WebSocket-Version") != "13")
        out.append(problem(QStringLiteral("Sec-WebSocket-Version must be 13"), "RFC 6455 §4.2.1"));
    return out;
}

Handshake Handshake::check(const HttpRequest &request, const HttpResponse &response)
{
    Handshake h;
    h.problems = checkRequest(request);
    h.key = request.header("Sec-WebSocket-Key");
    h.expectedAccept = acceptFor(h.key);
    h.accept = response.header("Sec-WebSocket-Accept");
    h.offeredSubprotocols = tokens(joinedHeaderValues(request.headers, "Sec-WebSocket-Protocol"));
    if (!parseExtensionHeader(joinedHeaderValues(request.headers, "Sec-WebSocket-Extensions"), &h.offeredExtensions))
        h.problems.append(problem(QStringLiteral("the request's Sec-WebSocket-Extensions is malformed"), "RFC 6455 §9.1"));

    if (response.statusCode != 101) {
        h.problems.append(problem(QStringLiteral("the server answered %1 %2, not 101 Switching Protocols")
                                      .arg(response.statusCode)
                                      .arg(QString::fromLatin1(response.reasonPhrase)),
                                  "RFC 6455 §4.1"));
        return h; // a refusal carries no handshake to check further
    }
    if (!response.headerHasToken("Upgrade", "websocket"))
        h.problems.append(problem(QStringLiteral("the response's Upgrade header does not name websocket"), "RFC 6455 §4.1"));
    if (!response.headerHasToken("Connection", "upgrade"))
        h.problems.append(problem(QStringLiteral("the response's Connection header does not list Upgrade"), "RFC 6455 §4.1"));
    if (!h.acceptMatches())
        h.problems.append(problem(h.accept.isEmpty() ? QStringLiteral("the response has no Sec-WebSocket-Accept")
                                                     : QStringLiteral("Sec-WebSocket-Accept is %1; the key gives %2")
                                                           .arg(QString::fromLatin1(h.accept), QString::fromLatin1(h.expectedAccept)),
                                  "RFC 6455 §4.1"));

    h.subprotocol = response.header("Sec-WebSocket-Protocol").trimmed();
    if (!h.subprotocol.isEmpty() && !h.offeredSubprotocols.contains(h.subprotocol))
        h.problems.append(problem(
            QStringLiteral("the server chose subprotocol %1, which the client did not offer").arg(QString::fromLatin1(h.subprotocol)),
            "RFC 6455 §4.1"));

    if (!parseExtensionHeader(response.joinedHeader("Sec-WebSocket-Extensions"), &h.extensions)) {
        h.problems.append(problem(QStringLiteral("the response's Sec-WebSocket-Extensions is malformed"), "RFC 6455 §9.1"));
        return h;
    }
    for (const WebSocketExtension &accepted : std::as_const(h.extensions)) {
        const WebSocketExtension *offer = nullptr;
        for (const WebSocketExtension &o : std::as_const(h.offeredExtensions)) {
            if (o.name.compare(accepted.name, Qt::CaseInsensitive) == 0) {
                offer = &o;
                break;
            }
        }
        const QString name = QString::fromLatin1(accepted.name);
        if (!offer) {
            h.problems.append(
                problem(QStringLiteral("the server accepted extension %1, which the client did not offer").arg(name), "RFC 6455 §4.1"));
            continue;
        }
        if (accepted.name.compare("permessage-deflate", Qt::CaseInsensitive) != 0)
            continue;
        if (h.deflate) {
            h.problems.append(problem(QStringLiteral("permessage-deflate is accepted twice"), "RFC 7692 §7"));
            continue;
        }
        PerMessageDeflateParams params;
        QString why;
        if (!PerMessageDeflateParams::fromResponse(accepted, &params, &why)) {
            h.problems.append(problem(why, "RFC 7692 §7.1"));
            continue;
        }
        // The server may only limit the client's window if the client said it can honour a limit.
        bool clientBitsOffered = false;
        for (const WebSocketExtension &o : std::as_const(h.offeredExtensions)) {
            if (o.name.compare("permessage-deflate", Qt::CaseInsensitive) == 0 && o.param("client_max_window_bits"))
                clientBitsOffered = true;
        }
        if (accepted.param("client_max_window_bits") && !clientBitsOffered) {
            h.problems.append(
                problem(QStringLiteral("the server set client_max_window_bits, which the client did not offer"), "RFC 7692 §7.1.2.2"));
            continue;
        }
        h.deflate = params;
    }
    return h;
}

} // namespace wslab
