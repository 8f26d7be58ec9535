#include "core/session/SessionFile.h"

#include <QDataStream>
#include <QFile>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <map>

namespace wslab::SessionFile {

namespace {

const QString kFormatKey = QStringLiteral("format");
const QString kVersionKey = QStringLiteral("version");
const QString kSavedByKey = QStringLiteral("savedBy");
const QString kValueKey = QStringLiteral("@value");
const QString kBase64Key = QStringLiteral("base64");
const QString kVariantKey = QStringLiteral("qvariant");
const QString kSizeKey = QStringLiteral("size");
// Fixed, so a file's "qvariant" bytes read the same in every later Qt.
constexpr QDataStream::Version kStreamVersion = QDataStream::Qt_6_0;

// The flat map as a tree of groups, so each group becomes one JSON object.
struct Node
{
    QVariant value;
    bool hasValue = false;
    std::map<QString, Node> children;
};

QString base64Of(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toBase64());
}

QJsonValue valueToJson(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::UnknownType:
        return QJsonValue(QJsonValue::Null);
    case QMetaType::Bool:
        return value.toBool();
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::LongLong:
        return value.toLongLong();
    case QMetaType::Float:
    case QMetaType::Double:
        return value.toDouble();
    case QMetaType::QString:
        return value.toString();
    case QMetaType::QStringList:
        return QJsonArray::fromStringList(value.toStringList());
    case QMetaType::QByteArray:
        return QJsonObject{{kBase64Key, base64Of(value.toByteArray())}};
    default: {
        // Rare types (a QSize, a QColor) still round-trip, unreadable but whole.
        QByteArray bytes;
        QDataStream out(&bytes, QIODevice::WriteOnly);
        out.setVersion(kStreamVersion);
        out << value;
        return QJsonObject{{kVariantKey, base64Of(bytes)}};
    }
    }
}

// How QSettings writes an array: "size" and groups "1".."size", nothing else.
bool isArray(const Node &node, int *size)
{
    const auto sizeNode = node.children.find(kSizeKey);
    if (node.hasValue || sizeNode == node.children.end() || !sizeNode->second.children.empty())
        return false;
    bool ok = false;
    *size = sizeNode->second.value.toInt(&ok);
    if (!ok || *size < 0)
        return false;
    for (const auto &[name, child] : node.children) {
        if (name == kSizeKey)
            continue;
        const int index = name.toInt(&ok);
        if (!ok || index < 1 || index > *size || child.hasValue || QString::number(index) != name)
            return false;
    }
    return true;
}

QJsonValue nodeToJson(const Node &node);

QJsonObject groupToObject(const Node &node)
{
    QJsonObject object;
    for (const auto &[name, child] : node.children)
        object.insert(name, nodeToJson(child));
    if (node.hasValue)
        object.insert(kValueKey, valueToJson(node.value));
    return object;
}

QJsonValue nodeToJson(const Node &node)
{
    if (node.children.empty())
        return valueToJson(node.value);
    int size = 0;
    if (!isArray(node, &size))
        return groupToObject(node);
    QJsonArray array;
    for (int i = 1; i <= size; ++i) {
        const auto element = node.children.find(QString::number(i));
        array.append(element == node.children.end() ? QJsonObject() : groupToObject(element->second));
    }
    return array;
}

bool fail(QString *error, const QString &path, const QString &what)
{
    *error = QStringLiteral("%1: %2").arg(path, what);
    return false;
}

// The path of a key as the file spells it, for messages: clients[2].url.
QString member(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

bool typedValue(const QJsonObject &object, const QString &path, QVariant *value, QString *error)
{
    const QString key = object.begin().key();
    const QJsonValue text = object.begin().value();
    if (!text.isString())
        return fail(error, member(path, key), QStringLiteral("must be a Base64 string"));
    const auto decoded = QByteArray::fromBase64Encoding(text.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return fail(error, member(path, key), QStringLiteral("is not valid Base64"));
    if (key == kBase64Key) {
        *value = *decoded;
        return true;
    }
    QDataStream in(*decoded);
    in.setVersion(kStreamVersion);
    in >> *value;
    if (in.status() != QDataStream::Ok)
        return fail(error, member(path, key), QStringLiteral("does not hold a value"));
    return true;
}

bool isTyped(const QJsonObject &object)
{
    return object.size() == 1 && (object.contains(kBase64Key) || object.contains(kVariantKey));
}

bool objectToMap(const QJsonObject &object, const QString &prefix, const QString &path, QSettings::SettingsMap *map, QString *error);

bool valueToMap(const QJsonValue &value, const QString &key, const QString &path, QSettings::SettingsMap *map, QString *error)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        if (!isTyped(object))
            return objectToMap(object, key + u'/', path, map, error);
        QVariant typed;
        if (!typedValue(object, path, &typed, error))
            return false;
        map->insert(key, typed);
        return true;
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        bool strings = !array.isEmpty();
        bool objects = true;
        for (const QJsonValue &element : array) {
            strings = strings && element.isString();
            objects = objects && element.isObject();
        }
        if (strings) {
            QStringList list;
            for (const QJsonValue &element : array)
                list.append(element.toString());
            map->insert(key, list);
            return true;
        }
        if (!objects)
            return fail(error, path, QStringLiteral("an array must hold only strings or only objects"));
        map->insert(key + u'/' + kSizeKey, int(array.size()));
        for (int i = 0; i < array.size(); ++i) {
            if (!objectToMap(array.at(i).toObject(), key + u'/' + QString::number(i + 1) + u'/', path + QStringLiteral("[%1]").arg(i), map,
                             error))
                return false;
        }
        return true;
    }
    // Whole numbers come back as qlonglong, the rest as double, text as QString, null as no value.
    map->insert(key, value.isNull() ? QVariant() : value.toVariant());
    return true;
}

bool objectToMap(const QJsonObject &object, const QString &prefix, const QString &path, QSettings::SettingsMap *map, QString *error)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == kValueKey) {
            if (prefix.isEmpty())
                return fail(error, kValueKey, QStringLiteral("belongs inside a group"));
            if (!valueToMap(it.value(), prefix.chopped(1), member(path, it.key()), map, error))
                return false;
            continue;
        }
        if (it.key().isEmpty() || it.key().contains(u'/'))
            return fail(error, member(path, it.key()), QStringLiteral("a key must be a non-empty name without '/'"));
        if (!valueToMap(it.value(), prefix + it.key(), member(path, it.key()), map, error))
            return false;
    }
    return true;
}

bool readDevice(QIODevice &device, QSettings::SettingsMap &map)
{
    QString ignored;
    return fromJson(device.readAll(), &map, &ignored);
}

bool writeDevice(QIODevice &device, const QSettings::SettingsMap &map)
{
    return device.write(toJson(map)) >= 0;
}

} // namespace

QSettings::Format format()
{
    static const QSettings::Format registered = QSettings::registerFormat(QString::fromLatin1(kExtension), readDevice, writeDevice);
    return registered;
}

bool fromJson(const QByteArray &json, QSettings::SettingsMap *settings, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not a WsLab session: not JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset);
        return false;
    }
    if (!document.isObject()) {
        *error = QStringLiteral("not a WsLab session: the file holds no JSON object");
        return false;
    }
    QJsonObject root = document.object();
    const QString formatName = QString::fromLatin1(kFormatName);
    const QJsonValue formatField = root.value(kFormatKey);
    if (formatField.toString() != formatName) {
        *error = formatField.isUndefined() ? QStringLiteral("not a WsLab session: it has no \"format\": \"%1\"").arg(formatName)
                 : formatField.isString()
                     ? QStringLiteral("not a WsLab session: its format is \"%1\", not \"%2\"").arg(formatField.toString(), formatName)
                     : QStringLiteral("not a WsLab session: its \"format\" is not \"%1\"").arg(formatName);
        return false;
    }
    const QJsonValue versionField = root.value(kVersionKey);
    const double version = versionField.toDouble(-1);
    if (!versionField.isDouble() || version < 1 || version != double(qint64(version))) {
        *error = QStringLiteral("not a WsLab session: \"version\" must be a whole number from 1");
        return false;
    }
    if (version > kVersion) {
        *error = QStringLiteral("written by a newer WsLab (%1, session version %2); this one opens versions up to %3")
                     .arg(root.value(kSavedByKey).toString(QStringLiteral("unknown")))
                     .arg(qint64(version))
                     .arg(kVersion);
        return false;
    }
    root.remove(kFormatKey);
    root.remove(kVersionKey);
    root.remove(kSavedByKey);
    settings->clear();
    return objectToMap(root, QString(), QString(), settings, error);
}

QByteArray toJson(const QSettings::SettingsMap &settings)
{
    Node root;
    for (auto it = settings.begin(); it != settings.end(); ++it) {
        Node *node = &root;
        const QStringList parts = it.key().split(u'/', Qt::SkipEmptyParts);
        for (const QString &part : parts)
            node = &node->children[part];
        node->value = it.value();
        node->hasValue = true;
    }
    // The header first, where a person opening the file looks; QJsonObject would sort it in.
    QByteArray out = "{\n    \"format\": \"" + QByteArray(kFormatName) + "\",\n";
    out += "    \"version\": " + QByteArray::number(kVersion) + ",\n";
    out += "    \"savedBy\": \"WsLab " WSLAB_VERSION "\",\n";
    const QByteArray body = QJsonDocument(groupToObject(root)).toJson(QJsonDocument::Indented);
    // body is "{\n    …\n}\n", or "{\n}\n" when there are no settings.
    if (body.size() <= 4)
        out.chop(2);
    out += body.size() <= 4 ? QByteArray("\n}\n") : body.mid(2);
    return out;
}

QString check(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
    QSettings::SettingsMap ignored;
    QString error;
    if (!fromJson(file.readAll(), &ignored, &error))
        return error;
    return {};
}

} // namespace wslab::SessionFile
