#pragma once

#include "core/inspect/RelayConfig.h"
#include "core/protocol/FrameDecoder.h"
#include "core/protocol/HttpRequest.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>
#include <memory>

class QSslSocket;
class QTcpSocket;

namespace wslab {

class EventLog;
class Relay;
struct Handshake;
struct LogEvent;

// One client relayed to the target: two sockets, and a Pipe for each direction that parses the HTTP
// head, decodes frames, applies the relay's faults and forwards. Memory is bounded per connection:
// a pipe stops reading while more than kMaxInFlight bytes wait to be written (delayed or unsent), and
// holds back at most the frame it is in the middle of. While the relay is paused, whole frames wait here
// (both directions, in arrival order) until stepped on or resumed; reading stops once kMaxInFlight
// bytes are held.
class RelayConnection : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RelayConnection)
public:
    static constexpr qint64 kMaxInFlight = 1024 * 1024;

    RelayConnection(int id, QTcpSocket *client, Relay *relay);
    ~RelayConnection() override;

    int id() const { return m_id; }
    // Connects to the target; the client's bytes are read once it is connected.
    void start();
    void injectClose(RelaySide towards, int code, const QString &reason);
    void cut(const QString &why);
    // One-shot: one payload byte of the next data message from this side is changed.
    void corruptNextMessage(RelaySide from);

    // Frames held while the relay is paused: how many, the arrival number of the oldest (Relay::step
    // picks the oldest across connections), forward the oldest one, or all of them in order.
    int heldFrameCount() const { return int(m_paused.size()); }
    quint64 oldestHeldArrival() const { return m_paused.empty() ? 0 : m_paused.front().arrival; }
    void stepHeldFrame();
    void releaseHeldFrames();

Q_SIGNALS:
    void opened(int id);
    void finished(int id);
    void heldFramesChanged();

private:
    struct Delayed
    {
        qint64 dueMs;
        QByteArray bytes;
        qsizetype written = 0; // bandwidth and slicing write a chunk in parts
    };
    // One direction: bytes read from `source`, written to `sink`.
    struct Pipe
    {
        RelaySide from;
        QTcpSocket *source = nullptr;
        QTcpSocket *sink = nullptr;
        QByteArray head; // the HTTP head so far, until it is complete
        bool headDone = false;
        std::unique_ptr<FrameDecoder> decoder; // made when the 101 is seen; never for a refused upgrade
        QByteArray earlyFrames; // client bytes after the request, forwarded before the 101 came back
        // Frame bytes held back until their frame is judged, from stream position heldStart on;
        // everything before forwardedUpTo has been forwarded (or swallowed).
        QByteArray held;
        qint64 heldStart = 0;
        qint64 received = 0;
        qint64 forwardedUpTo = 0;
        QList<Frame> frames; // reused between reads
        bool droppingMessage = false;
        quint8 messageOpcode = 0; // of the data message in progress
        qint64 messageOffset = 0; // its payload bytes in the frames before this one
        bool corruptNext = false; // one-shot, armed by corruptNextMessage
        bool corruptingMessage = false; // the message in progress gets a corrupted byte
        bool closedByInjection = false; // a Close was injected into this direction: swallow the rest
        QByteArray pendingInjection; // waits for a frame boundary
        bool forwardedEndsFrame = true; // what was forwarded so far ends with a whole frame
        int dataMessages = 0;
        std::deque<Delayed> delayed;
        qint64 delayedBytes = 0;
        qint64 lastDueMs = 0;
        qint64 nextPacedWriteNs = 0; // bandwidth: no write before this, on m_clock
        qint64 pausedBytes = 0; // of the frames from this side held while paused
        QTimer timer;
        bool sourceEnded = false;
        bool sinkClosed = false;
        bool lowDelay = false; // TCP_NODELAY on the sink, so slices leave as separate segments
        bool announcedDelay = false;
        qint64 announcedBandwidth = 0;
        int announcedSlice = 0;
    };
    // A whole frame (or an injected Close) held while the relay is paused.
    struct PausedFrame
    {
        quint64 arrival;
        Pipe *pipe;
        QByteArray bytes;
        QString what; // "a text frame from the client"
    };

    QTcpSocket *clientSocket() const { return m_toServer.source; }
    QTcpSocket *serverSocket() const { return m_toServer.sink; }
    Pipe &pipeFrom(RelaySide side) { return side == RelaySide::Client ? m_toServer : m_toClient; }

    void onTargetReady();
    void onSourceReadable(Pipe &pipe);
    void onSourceEnded(Pipe &pipe);
    void process(Pipe &pipe, QByteArray chunk);
    void parseHead(Pipe &pipe, QByteArray chunk);
    void giveUpOnHead(Pipe &pipe, const QString &what);
    void startFrames(const Handshake &handshake);
    bool wantsFrames(const Pipe &pipe) const;
    void processFrames(Pipe &pipe, const QByteArray &chunk);
    bool swallows(Pipe &pipe, const Frame &frame);
    QByteArray rewrite(Pipe &pipe, const Frame &frame, QByteArray bytes);
    void corrupt(Pipe &pipe, const Frame &frame, QByteArray *bytes, QByteArray *payload);
    QByteArray refragment(Pipe &pipe, const Frame &frame, const QByteArray &payload, const QList<qsizetype> &sizes);
    void holdOrSend(Pipe &pipe, QByteArray bytes, const QString &what);
    MaskKey freshMask();
    void afterClientMessage();
    void injectIfAtBoundary(Pipe &pipe);
    void send(Pipe &pipe, QByteArray bytes);
    void writeQueued(Pipe &pipe);
    void announceByteFaults(Pipe &pipe);
    void afterOutput(Pipe &pipe);
    void closeSink(Pipe &pipe);
    // The target could not be reached or trusted: the client hears 502 with the reason, once.
    void answerBadGateway();
    void finishIfDone();
    bool blackHoled() const;

    void logFrame(const Pipe &pipe, const Frame &frame);
    void logInfo(const QString &text);
    void logEvent(LogEvent event);

    int m_id;
    Relay *m_relay;
    EventLog *m_log;
    Pipe m_toServer; // from the client
    Pipe m_toClient; // from the server
    HttpRequest m_request;
    bool m_requestSeen = false;
    QElapsedTimer m_clock;
    QTimer m_blackHoleTimer;
    bool m_targetReady = false;
    bool m_blackHoleStarted = false;
    bool m_blackHoleLogged = false;
    bool m_cut = false;
    bool m_closeAfterDone = false;
    bool m_corruptAfterDone = false;
    std::deque<PausedFrame> m_paused;
    bool m_finished = false;
    bool m_answeredBadGateway = false;
};

} // namespace wslab
