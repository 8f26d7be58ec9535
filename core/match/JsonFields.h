#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <chrono>

namespace wslab {

// Reading WsLab's JSON file formats (scenarios, mock rules) field by field. Each check throws a
// JsonFault naming the JSON path of what is wrong, so a parser is a list of one-line checks and the
// one place that loads a file turns the fault into its single error line.
struct JsonFault
{
    QString message; // "/steps/2/send: expected a string, got a number"
};

[[noreturn]] void throwJsonFault(const QString &path, const QString &what);
// Every key of `object` is one of `keys`: a typo is a fault, never silently ignored.
void allowOnlyKeys(const QJsonObject &object, const QString &path, const QStringList &keys);
QString requireString(const QJsonValue &value, const QString &path);
bool requireBool(const QJsonValue &value, const QString &path);
qint64 requireWhole(const QJsonValue &value, const QString &path, qint64 min, qint64 max);
// Milliseconds from `min` up to one day.
std::chrono::milliseconds requireMillis(const QJsonValue &value, const QString &path, qint64 min);
// The "version" member of a file's root object, which must be `version`.
void requireVersion(const QJsonObject &root, int version);
// The root object of a JSON file; a syntax error names its line.
QJsonObject parseJsonFile(const QByteArray &json);

} // namespace wslab
