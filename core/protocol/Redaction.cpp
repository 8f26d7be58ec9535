#include "Redaction.h"

#include <QRegularExpression>

namespace wslab {

QString redactSecrets(const QString &text)
{
    static const QRegularExpression header(QStringLiteral("(?im)^((?:proxy-)?authorization|cookie)[ \\t]*:[^\\r\\n]*"));
    static const QRegularExpression query(QStringLiteral("(?i)([?&](?:access_)?token=)[^&\\s#]*"));
    QString out = text;
    out.replace(header, QStringLiteral("\\1: <redacted>"));
    out.replace(query, QStringLiteral("\\1<redacted>"));
    return out;
}

QByteArray redactSecrets(const QByteArray &text)
{
    // Request heads are Latin-1 on the wire; a round trip through Latin-1 keeps every byte.
    return redactSecrets(QString::fromLatin1(text)).toLatin1();
}

HttpRequest redactSecrets(const HttpRequest &request)
{
    HttpRequest out = request;
    out.target = redactSecrets(request.target);
    for (auto &[name, value] : out.headers) {
        const QByteArray lower = name.toLower();
        if (lower == "authorization" || lower == "proxy-authorization" || lower == "cookie")
            value = "<redacted>";
    }
    return out;
}

} // namespace wslab
