#pragma once

#include "core/log/LogEvent.h"

#include <QJsonObject>
#include <QList>

class QIODevice;

namespace wslab {

// One WebSocket connection as a log holds it: its endpoint's events from one handshake to the next.
struct RecordedConnection
{
    QString endpoint;
    int peer = -1;
    QList<LogEvent> events;

    QString url() const; // from the handshake, empty when the log has none
    QList<LogEvent> outgoingMessages() const; // text and binary messages this end sent, in order
};

// Splits a log into connections: per endpoint and peer, and a new one at every handshake (a client
// that reconnected made several). Events outside any connection (listening, stopped) are left out.
QList<RecordedConnection> splitConnections(const QList<LogEvent> &events);

// HAR 1.2 with Chrome's WebSocket extension (docs/log-format.md): one entry per connection, its
// handshake as request and response, `_resourceType: "websocket"` and its messages in
// `_webSocketMessages`, so Chrome's DevTools opens what WsLab writes and WsLab what Chrome writes.
namespace Har {

QJsonObject toHar(const QList<LogEvent> &events);
// Every WebSocket entry becomes handshake, open (when answered with 101) and message events; other
// entries (plain HTTP in a browser's HAR) are skipped. Refuses what is not HAR, saying where.
bool fromHar(const QJsonObject &har, QList<LogEvent> *events, QString *error = nullptr);

bool write(const QList<LogEvent> &events, QIODevice *device, QString *error = nullptr);
bool read(QIODevice *device, QList<LogEvent> *events, QString *error = nullptr);

} // namespace Har

// A log file by its extension: .har is HAR, anything else JSON Lines. The error names the file.
namespace LogFile {
bool isHar(const QString &path);
bool read(const QString &path, QList<LogEvent> *events, QString *error);
bool write(const QString &path, const QList<LogEvent> &events, QString *error);
} // namespace LogFile

} // namespace wslab
