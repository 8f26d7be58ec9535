#pragma once

#include "core/policy/Clock.h"
#include "core/policy/HeartbeatPolicy.h"
#include "core/stats/TrafficCounters.h"

#include <QByteArray>
#include <QList>

#include <chrono>
#include <memory>

class QTimer;
class QWebSocket;

namespace wslab {

// Drives a HeartbeatPolicy on one open QWebSocket, for the client and for each server-side peer alike.
// Keeps track of every ping it sent so each pong's RTT is measured from that ping, not from Qt's
// single shared timer. Any inbound data counts as proof of life, because a peer busy sending a large
// message may answer our ping late.
//
// Not a QObject, and it connects to nothing: its owner forwards what the socket reports (pongs, inbound
// frames) and what it sends, and hears back through Events. A server holds one per peer, and the signal
// connections both ways used to cost more memory than the monitor's own state. How much of our own
// output has drained is read from the socket's bytesToWrite() when a verdict is due, rather than heard
// from a bytesWritten connection on every socket.
class HeartbeatMonitor
{
    Q_DISABLE_COPY_MOVE(HeartbeatMonitor)
public:
    // What the monitor tells its owner.
    class Events
    {
    public:
        virtual void heartbeatPingSent(const QByteArray &payload) = 0;
        // matched: the pong answered a ping we sent (so rtt is meaningful); unsolicited pongs are allowed by RFC 6455.
        virtual void heartbeatPongReceived(std::chrono::microseconds rtt, const QByteArray &payload, bool matched) = 0;
        virtual void heartbeatTimedOut() = 0;

    protected:
        ~Events() = default;
    };

    // OwnTimer: the monitor wakes itself when something falls due (the Client). CheckedByOwner: the
    // owner calls check() often enough, so the monitor carries no timer (the Server sweeps all its
    // peers with one timer; thousands of idle peers would otherwise hold thousands of timers).
    enum class Timing { OwnTimer, CheckedByOwner };

    HeartbeatMonitor(QWebSocket *socket, Events *events, Timing timing = Timing::OwnTimer);
    ~HeartbeatMonitor();

    void setPolicy(const HeartbeatPolicy &policy);
    HeartbeatPolicy policy() const { return m_policy; }
    // Read for every heartbeat decision and every RTT; steadyClock() unless set. Set it before start().
    void setClock(Clock clock) { m_clock = std::move(clock); }
    const Clock &clock() const { return m_clock; }

    // Called when the socket opens and closes.
    void start();
    void stop();

    // A ping asked for by the user; timed like heartbeat pings. Returns the payload sent.
    QByteArray sendPing(const QByteArray &payload = {});
    // The owner forwards these from its socket: every inbound data frame, every pong.
    void noteInbound() { m_inboundSincePing = true; }
    void notePong(const QByteArray &payload);
    // The owner tells of every message it hands the socket (its payload size). Our own large sends delay
    // the ping behind them; while they still drain, the peer is reading and not to blame.
    void noteBytesQueued(qint64 bytes) { m_bytesQueued += quint64(bytes); }
    // Does what the clock says is due: the next heartbeat ping, or the verdict on the ping awaited.
    // The monitor's timer (or its owner) calls it when something falls due; calling it at any other
    // time (a test that advanced a ManualClock) does only what is due then.
    void check() { check(m_clock()); }
    void check(std::chrono::nanoseconds now);

    const RttStats &rtt() const { return m_rtt; }

private:
    void sendHeartbeatPing(std::chrono::nanoseconds now);
    // False when the peer was declared dead (heartbeatTimedOut told).
    bool judge(std::chrono::nanoseconds now);
    // Where draining is measured from: what was queued and what was still unsent, now.
    void noteDrainBaseline();
    // The timer, for the next time something falls due.
    void arm(std::chrono::nanoseconds now);

    struct InFlight
    {
        QByteArray payload;
        std::chrono::nanoseconds sentAt{0};
    };

    QWebSocket *m_socket;
    Events *m_events;
    HeartbeatPolicy m_policy;
    Clock m_clock = steadyClock();
    std::unique_ptr<QTimer> m_timer; // OwnTimer only
    bool m_running = false;
    std::chrono::nanoseconds m_nextPingAt{0};
    // While a heartbeat ping is awaited: when it is judged.
    std::chrono::nanoseconds m_deadlineAt{0};
    QList<InFlight> m_inFlight; // bounded: oldest dropped past kMaxInFlight
    quint64 m_sequence = 0;
    QByteArray m_awaitedPayload; // the heartbeat ping whose pong we wait for; empty when none
    bool m_inboundSincePing = false;
    // What the owner queued in all, and what the socket still held unsent, when the awaited ping was sent
    // (or last judged): the difference to now is what the peer has read since.
    quint64 m_bytesQueued = 0;
    quint64 m_bytesQueuedAtPing = 0;
    qint64 m_unsentAtPing = 0;
    RttStats m_rtt;
};

} // namespace wslab
