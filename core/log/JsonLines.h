#pragma once

#include "LogEvent.h"

#include <QJsonObject>
#include <QList>

class QIODevice;

namespace wslab {

class EventLog;

// One LogEvent per line as a JSON object. Text payloads are stored as "text", anything else as
// "base64", so a round trip through a file gives back the same bytes.
namespace JsonLines {

QJsonObject toJson(const LogEvent &event);
bool fromJson(const QJsonObject &object, LogEvent *event, QString *error = nullptr);
QByteArray toLine(const LogEvent &event); // with the trailing newline

bool write(const EventLog &log, QIODevice *device, QString *error = nullptr);
// Reads every line; stops at the first bad one and says which (1-based) in error.
bool read(QIODevice *device, QList<LogEvent> *events, QString *error = nullptr);

} // namespace JsonLines
} // namespace wslab
