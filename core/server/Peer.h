#pragma once

#include "core/policy/Clock.h"
#include "core/policy/HeartbeatMonitor.h"
#include "core/server/FrameGuard.h"
#include "core/server/ServerConfig.h"
#include "core/stats/TrafficCounters.h"

#include <QDateTime>
#include <QHostAddress>

class QWebSocket;

namespace wslab {

class EventLog;
struct LogEvent;

// One connected session on the server side: its socket, what it asked for in the upgrade request,
// its heartbeat and its counters. It logs its own events into the server's EventLog. Its limits in
// time (rate, idle, close and heartbeat timeouts) are judged on the clock it is given; it has no timer
// of its own: the Server calls checkTimers() on every peer from one timer.
//
// A server holds thousands of idle peers, so what a peer costs is counted: it is not a QObject (its
// few connections on the socket use the socket as their context), it talks to its Host, its
// HeartbeatMonitor and its FrameGuard by plain calls, not signal connections, and of its upgrade
// request it keeps the path; the whole request (secrets redacted) is in the log's handshake event.
//
// It owns its socket. Delete it from the event loop, never from inside one of the socket's signals
// (the Server deletes a finished peer with a queued call).
class Peer
    : private HeartbeatMonitor::Events
    , private FrameGuard::Events
{
    Q_DISABLE_COPY_MOVE(Peer)
public:
    // Whoever runs the peer (the Server) hears what it received, when its counters move and when it is gone.
    class Host
    {
    public:
        // utf8 is text.toUtf8(), already made for the counters and the log; pass it on to sendText.
        virtual void textFromPeer(Peer *peer, const QString &text, const QByteArray &utf8) = 0;
        virtual void binaryFromPeer(Peer *peer, const QByteArray &data) = 0;
        virtual void countersOfPeerChanged(Peer *peer) = 0;
        // The connection is gone; the host removes and deletes the peer.
        virtual void peerFinished(Peer *peer) = 0;

    protected:
        ~Host() = default;
    };

    // `path` is the upgrade request's path (no query). `guard` is the FrameGuard on the socket (or
    // null), see attachGuard().
    Peer(int id, QWebSocket *socket, const QByteArray &path, FrameGuard *guard, const ServerConfig &config, const QString &endpoint,
         EventLog *eventLog, Host *host, Clock clock = steadyClock());
    ~Peer();

    int id() const { return m_id; }
    QHostAddress address() const { return m_address; }
    quint16 port() const { return m_port; }
    // Starts the FrameGuard's checks on this peer's frames. Called once the peer is registered with
    // its host: a violation already waiting closes the peer at once.
    void attachGuard();
    QString path() const { return QString::fromUtf8(m_path); }
    QString subprotocol() const;
    QDateTime connectedAt() const { return m_connectedAt; }
    const TrafficCounters &counters() const { return m_counters; }
    // Connected and not closing: only then is anything sent.
    bool isOpen() const;
    // What was handed to the socket and has not left it yet, frame headers included.
    qint64 unsentBytes() const;

    void sendText(const QString &text);
    // The same, for a caller that already holds text.toUtf8() (an echo or a broadcast of what a peer
    // sent): the bytes are counted and logged as they are, not encoded again for every recipient.
    void sendText(const QString &text, const QByteArray &utf8);
    void sendBinary(const QByteArray &data);
    bool ping(const QByteArray &payload = {});
    // A close code the server chose (validated by the caller). The connection stays open until the
    // peer's own Close arrives (what it sends meanwhile is discarded), or is aborted after the close timeout.
    void close(int code, const QString &reason);
    // Drops the connection without a close handshake.
    void abort(const QString &why);
    // Acts on whatever the clock says is due: a heartbeat ping or verdict, the idle timeout, the close
    // timeout. The Server's sweep calls it; calling it at any other time (a test that advanced a
    // ManualClock) does only what is due then. Deadlines are met as late as the caller looks.
    void checkTimers() { checkTimers(now()); }
    void checkTimers(std::chrono::nanoseconds now);

private:
    void heartbeatPingSent(const QByteArray &payload) override;
    void heartbeatPongReceived(std::chrono::microseconds rtt, const QByteArray &payload, bool matched) override;
    void heartbeatTimedOut() override;
    void guardViolation(FrameGuard *guard, const QString &why) override;
    void guardDataFrameArrived() override { noteActivity(); }
    void guardCloseFrameArrived() override { m_clientSentClose = true; }
    void guardClosing() override { noteClosing(); }
    void guardGone(FrameGuard *) override { m_guard = nullptr; }
    void onDisconnected();
    // A close the server started (here, in the FrameGuard or in Qt) is under way.
    void noteClosing();
    // "; 37 messages discarded after close", or nothing.
    QString discardedSuffix() const;
    void onText(const QString &text);
    void onBinary(const QByteArray &data);
    void noteActivity();
    void checkIdle(std::chrono::nanoseconds now);
    // False when the peer was aborted for not answering our Close in time.
    bool checkClose(std::chrono::nanoseconds now);
    // False (and the peer is closed with 1008) when this message is over the rate limit.
    bool admitMessage();
    // Closes a peer that does not read what it is sent, before its backlog eats the server's memory.
    void checkBacklog(qint64 justQueued);
    void log(LogEvent event);
    // The clock the peer's limits are judged on (the heartbeat's: one copy per peer).
    std::chrono::nanoseconds now() const { return m_heartbeat.clock()(); }

    int m_id;
    QWebSocket *m_socket;
    QByteArray m_path;
    QString m_endpoint;
    EventLog *m_log;
    Host *m_host;
    HeartbeatMonitor m_heartbeat;
    FrameGuard *m_guard; // owned by the raw socket; nullptr without one, or once it is gone (guardGone)
    QHostAddress m_address;
    quint16 m_port = 0;
    QDateTime m_connectedAt;
    TrafficCounters m_counters;
    std::chrono::milliseconds m_idleTimeout{0};
    std::chrono::milliseconds m_closeTimeout{0};
    std::chrono::nanoseconds m_lastActivityAt{0};
    std::chrono::nanoseconds m_closingSince{0};
    bool m_closeFrameSeen = false;
    bool m_clientSentClose = false;
    bool m_serverClosing = false;
    bool m_closeTimed = false; // the close timeout runs from m_closingSince
    bool m_aborted = false;
    QString m_abortReason;
    bool m_finished = false;
    double m_rateLimit = 0;
    double m_tokens = 0;
    std::chrono::nanoseconds m_rateCheckedAt{0};
    qint64 m_slowReaderLimit = 0;
};

} // namespace wslab
