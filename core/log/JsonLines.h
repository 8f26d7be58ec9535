#pragma once

#include "core/log/LogEvent.h"

#include <QJsonObject>
#include <QList>

class QIODevice;

namespace wslab {

class EventLog;

// One LogEvent per line as a JSON object, the schema in docs/log-format.md. Text payloads are stored
// as "text", anything else as "base64", so a round trip through a file gives back the same bytes.
namespace JsonLines {

// Written as "v" in every line rather than once in a header: wslab-cli appends to an existing --log
// file and people `cat` logs together, so one file can hold runs of several versions. A line
// without "v" is version 1, where "code" meant something else per kind and a retry's "size" was its delay.
// The version changes only when a field changes meaning; new fields and kinds keep it.
constexpr int kVersion = 2;

QJsonObject toJson(const LogEvent &event);
bool fromJson(const QJsonObject &object, LogEvent *event, QString *error = nullptr);
QByteArray toLine(const LogEvent &event); // with the trailing newline

bool write(const EventLog &log, QIODevice *device, QString *error = nullptr);
// Reads every line, of any version up to kVersion; stops at the first bad one and says which
// (1-based) in error.
bool read(QIODevice *device, QList<LogEvent> *events, QString *error = nullptr);

} // namespace JsonLines
} // namespace wslab
