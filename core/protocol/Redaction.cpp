#include "core/protocol/Redaction.h"

#include <QRegularExpression>

namespace wslab {

QString redactSecrets(const QString &text)
{
    static const QRegularExpression header(QStringLiteral("(?im)^((?:proxy-)?authorization|cookie)[ \\t]*:[^\\r\\n]*"));
    static const QRegularExpression parameter(QStringLiteral("[?&]([^=&#\\s]*)=([^&\\s#]*)"));
    QString headers = text;
    headers.replace(header, QStringLiteral("\\1: <redacted>"));
    // Names are compared percent-decoded, as the Gate's QUrlQuery does: "to%6Ben=" is the token too.
    QString out;
    qsizetype copied = 0;
    QRegularExpressionMatchIterator it = parameter.globalMatch(headers);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        const QByteArray name = QByteArray::fromPercentEncoding(m.captured(1).toLatin1()).toLower();
        if (name != "token" && name != "access_token")
            continue;
        out += QStringView(headers).sliced(copied, m.capturedStart(2) - copied) + QStringLiteral("<redacted>");
        copied = m.capturedEnd(2);
    }
    return out + QStringView(headers).sliced(copied);
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
