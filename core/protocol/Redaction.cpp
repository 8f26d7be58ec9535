#include "core/protocol/Redaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace wslab {

namespace {

// Whether a JSON member's name says its value is a secret: compared without case, '-' and '_', by
// its ending, so "accessToken" and "refresh_token" are and "tokens" or "tokenizer" are not.
bool isSecretName(const QString &name)
{
    QString folded = name.toLower();
    folded.remove(u'-');
    folded.remove(u'_');
    static const QStringList endings{QStringLiteral("token"),      QStringLiteral("password"),      QStringLiteral("passwd"),
                                     QStringLiteral("secret"),     QStringLiteral("secretkey"),     QStringLiteral("privatekey"),
                                     QStringLiteral("apikey"),     QStringLiteral("authorization"), QStringLiteral("cookie"),
                                     QStringLiteral("credential"), QStringLiteral("credentials")};
    for (const QString &ending : endings) {
        if (folded.endsWith(ending))
            return true;
    }
    return false;
}

// Redacts in place; true when anything changed.
bool redactJson(QJsonValue &value)
{
    bool changed = false;
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            QJsonValue member = it.value();
            const bool secret = isSecretName(it.key()) && !member.isNull() && member != QJsonValue(QStringLiteral("<redacted>"));
            if (secret)
                member = QStringLiteral("<redacted>");
            if (secret || redactJson(member)) {
                it.value() = member;
                changed = true;
            }
        }
        if (changed)
            value = object;
    } else if (value.isArray()) {
        QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            QJsonValue item = array.at(i);
            if (redactJson(item)) {
                array[i] = item;
                changed = true;
            }
        }
        if (changed)
            value = array;
    }
    return changed;
}

} // namespace

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

QString redactSecretsInMessage(const QString &message)
{
    const QString text = redactSecrets(message);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || document.isNull())
        return text;
    QJsonValue value = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    if (!redactJson(value))
        return text;
    const QJsonDocument redacted = value.isObject() ? QJsonDocument(value.toObject()) : QJsonDocument(value.toArray());
    const bool indented = text.trimmed().contains(u'\n');
    return QString::fromUtf8(redacted.toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact)).trimmed();
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
