#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace wslab {

Q_NAMESPACE

// Every observable thing is one LogEvent; the GUI, the CLI and the JSON Lines export all read these.
enum class EventKind {
    Listening, // server bound; detail holds the URL
    Stopped, // server stopped listening
    Handshake, // an upgrade request arrived (server) or was sent (client); payload holds its head
    Refused, // the server refused an upgrade; httpStatus, payload the request head
    Open, // the WebSocket is open
    Text, // a text message
    Binary, // a binary message
    Ping,
    Pong, // rttUs when it answered our ping
    Close, // closeCode and detail (reason); direction tells who sent it, Local for abnormal
    Error, // detail holds the error text; socketError, closeCode or httpStatus when known
    State, // detail holds the new state's name
    RetryScheduled, // attempt and delayMs
    HeartbeatTimeout, // no pong in time; the connection is aborted
    OutboxQueued, // a send while not open; queued, size the message's
    OutboxFlushed, // flushed: messages sent from the outbox on open
    Info, // anything else worth a line
    Frame, // one RFC 6455 frame seen by the inspecting relay; frame holds its header, payload the unmasked payload
};
Q_ENUM_NS(EventKind)

enum class Direction { In, Out, Local };
Q_ENUM_NS(Direction)

QString kindName(EventKind kind); // "text", "retry"
bool kindFromName(const QString &name, EventKind *kind);
QString directionName(Direction dir); // "in", "out", "local"
bool directionFromName(const QString &name, Direction *dir);

// Microseconds since the process started, monotonic; shared by every endpoint so logs interleave.
qint64 monotonicMicros();

struct LogEvent
{
    static constexpr qsizetype kMaxPayloadCopy = 64 * 1024;

    quint64 seq = 0; // assigned by the EventLog; increases by one per event
    qint64 monoUs = 0; // monotonicMicros() when it happened
    qint64 wallMs = 0; // milliseconds since the Unix epoch, for people
    QString endpoint; // "server", "client 1"
    int peer = -1; // server-side peer id, -1 when none
    Direction direction = Direction::Local;
    EventKind kind = EventKind::Info;
    qint64 size = 0; // full size of the payload (message, frame, ping/pong, request head); 0 without one
    // One field per meaning, each used by the kinds named; the others keep their defaults, so a
    // reader never has to know which kind lends a shared field which meaning.
    int closeCode = 0; // Close: the code (1006 when the link dropped); Error: the close it leads to, 0 if none
    int httpStatus = 0; // Refused: the status answered; Error: the status of a refused handshake, 0 if none
    int socketError = -1; // Error: the QAbstractSocket::SocketError a socket reported, -1 if none
    int attempt = 0; // RetryScheduled: which retry, from 1
    int queued = 0; // OutboxQueued: messages waiting, this one included
    int flushed = 0; // OutboxFlushed: messages sent from the outbox
    qint64 delayMs = 0; // RetryScheduled: how long until that retry
    qint64 rttUs = -1; // Pong: round trip in microseconds when it answered our ping, -1 when unsolicited
    // Frame: the header fields as decoded. rsv packs RSV1-3 as 4, 2, 1; maskKey is the 4 key bytes in
    // wire order, most significant first.
    struct FrameHeader
    {
        bool fromClient = false;
        bool fin = false;
        bool masked = false;
        quint8 rsv = 0;
        quint8 opcode = 0;
        quint8 headerSize = 0;
        quint32 maskKey = 0;
    } frame;
    QString detail; // reason, error text, state name, URL ... by kind; Frame: the rule it broke, if any
    QByteArray payload; // first kMaxPayloadCopy bytes of the data

    bool isTruncated() const
    {
        return payload.size() < size && (kind == EventKind::Text || kind == EventKind::Binary || kind == EventKind::Frame);
    }

    // Stamps time now and keeps at most kMaxPayloadCopy bytes of data.
    static LogEvent make(EventKind kind, Direction direction, QByteArray data = {}, qint64 fullSize = -1);
};

} // namespace wslab

Q_DECLARE_METATYPE(wslab::LogEvent)
