#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace wslab {

Q_NAMESPACE

// Every observable thing is one LogEvent; the GUI, the CLI and the JSON Lines export all read these.
enum class EventKind {
    Listening,        // server bound; detail holds the URL
    Stopped,          // server stopped listening
    Handshake,        // an upgrade request arrived (server) or was sent (client); payload holds its head
    Refused,          // the server refused an upgrade; code holds the HTTP status, payload the request head
    Open,             // the WebSocket is open
    Text,             // a text message
    Binary,           // a binary message
    Ping,
    Pong,             // code: RTT in microseconds when it answered our ping, -1 otherwise
    Close,            // code and detail (reason); direction tells who sent it, Local for abnormal
    Error,            // detail holds the error text
    State,            // detail holds the new state's name
    RetryScheduled,   // code: attempt number, size: delay in ms
    HeartbeatTimeout, // no pong in time; the connection is aborted
    OutboxQueued,     // a send while not open; code: messages now waiting
    OutboxFlushed,    // code: messages sent from the outbox on open
    Info,             // anything else worth a line
};
Q_ENUM_NS(EventKind)

enum class Direction { In, Out, Local };
Q_ENUM_NS(Direction)

QString kindName(EventKind kind);        // "text", "retry"
bool kindFromName(const QString &name, EventKind *kind);
QString directionName(Direction dir);    // "in", "out", "local"
bool directionFromName(const QString &name, Direction *dir);

// Microseconds since the process started, monotonic; shared by every endpoint so logs interleave.
qint64 monotonicMicros();

struct LogEvent
{
    static constexpr qsizetype kMaxPayloadCopy = 64 * 1024;

    quint64 seq = 0;       // assigned by the EventLog; increases by one per event
    qint64 monoUs = 0;     // monotonicMicros() when it happened
    qint64 wallMs = 0;     // milliseconds since the Unix epoch, for people
    QString endpoint;      // "server", "client 1"
    int peer = -1;         // server-side peer id, -1 when none
    Direction direction = Direction::Local;
    EventKind kind = EventKind::Info;
    qint64 size = 0;       // full size of the message or frame payload
    int code = 0;          // close code, HTTP status, attempt number ... by kind
    QString detail;        // reason, error text, state name, URL ... by kind
    QByteArray payload;    // first kMaxPayloadCopy bytes of the data

    bool isTruncated() const { return payload.size() < size && (kind == EventKind::Text || kind == EventKind::Binary); }

    // Stamps time now and keeps at most kMaxPayloadCopy bytes of data.
    static LogEvent make(EventKind kind, Direction direction, QByteArray data = {}, qint64 fullSize = -1);
};

} // namespace wslab

Q_DECLARE_METATYPE(wslab::LogEvent)
