#include "core/match/JsonFields.h"

#include "core/match/Matcher.h"

#include <QJsonDocument>

namespace wslab {

void throwJsonFault(const QString &path, const QString &what)
{
    throw JsonFault{(path.isEmpty() ? QStringLiteral("/") : path) + QStringLiteral(": ") + what};
}

void allowOnlyKeys(const QJsonObject &object, const QString &path, const QStringList &keys)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!keys.contains(it.key()))
            throwJsonFault(path + u'/' + it.key(), QStringLiteral("unknown key (expected %1)").arg(keys.join(QStringLiteral(", "))));
    }
}

QString requireString(const QJsonValue &value, const QString &path)
{
    if (!value.isString())
        throwJsonFault(path, QStringLiteral("expected a string, got ") + jsonTypeName(value));
    return value.toString();
}

bool requireBool(const QJsonValue &value, const QString &path)
{
    if (!value.isBool())
        throwJsonFault(path, QStringLiteral("expected true or false, got ") + jsonTypeName(value));
    return value.toBool();
}

qint64 requireWhole(const QJsonValue &value, const QString &path, qint64 min, qint64 max)
{
    const double d = value.toDouble();
    if (!value.isDouble() || d != double(qint64(d)) || d < double(min) || d > double(max))
        throwJsonFault(path, QStringLiteral("expected a whole number from %1 to %2, got %3").arg(min).arg(max).arg(compactJson(value)));
    return qint64(d);
}

std::chrono::milliseconds requireMillis(const QJsonValue &value, const QString &path, qint64 min)
{
    return std::chrono::milliseconds(requireWhole(value, path, min, 24ll * 3600 * 1000));
}

void requireVersion(const QJsonObject &root, int version)
{
    if (!root.contains(u"version"))
        throwJsonFault(QStringLiteral("/version"), QStringLiteral("missing (this WsLab reads version %1)").arg(version));
    if (requireWhole(root.value(u"version"), QStringLiteral("/version"), 1, 1000) != version)
        throwJsonFault(QStringLiteral("/version"), QStringLiteral("this WsLab reads version %1 only").arg(version));
}

QJsonObject parseJsonFile(const QByteArray &json)
{
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        throw JsonFault{
            QStringLiteral("not JSON: %1 at line %2").arg(parseError.errorString()).arg(json.left(parseError.offset).count('\n') + 1)};
    if (!document.isObject())
        throwJsonFault(QString(), QStringLiteral("expected an object with \"version\""));
    return document.object();
}

} // namespace wslab
