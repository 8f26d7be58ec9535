#pragma once

#include "Clock.h"
#include "HeartbeatPolicy.h"
#include "stats/TrafficCounters.h"

#include <QByteArray>
#include <QObject>

#include <chrono>

class QTimer;
class QWebSocket;

namespace wslab {

// Drives a HeartbeatPolicy on one open QWebSocket, for the client and for each server-side peer alike.
// Keeps track of every ping it sent so each pong's RTT is measured from that ping, not from Qt's
// single shared timer. Any inbound data counts as proof of life, because a peer busy sending a large
// message may answer our ping late.
class HeartbeatMonitor : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeartbeatMonitor)
public:
    // OwnTimer: the monitor wakes itself when something falls due (the Client). CheckedByOwner: the
    // owner calls check() often enough, so the monitor carries no timer (the Server sweeps all its
    // peers with one timer; thousands of idle peers would otherwise hold thousands of timers).
    enum class Timing { OwnTimer, CheckedByOwner };

    explicit HeartbeatMonitor(QWebSocket *socket, QObject *parent = nullptr, Timing timing = Timing::OwnTimer);

    void setPolicy(const HeartbeatPolicy &policy);
    HeartbeatPolicy policy() const { return m_policy; }
    // Read for every heartbeat decision and every RTT; steadyClock() unless set. Set it before start().
    void setClock(Clock clock) { m_clock = std::move(clock); }

    // Called when the socket opens and closes.
    void start();
    void stop();

    // A ping asked for by the user; timed like heartbeat pings. Returns the payload sent.
    QByteArray sendPing(const QByteArray &payload = {});
    // Called by the owner for every inbound data frame.
    void noteInbound() { m_inboundSincePing = true; }
    // Does what the clock says is due: the next heartbeat ping, or the verdict on the ping awaited.
    // The monitor's timer (or its owner) calls it when something falls due; calling it at any other
    // time (a test that advanced a ManualClock) does only what is due then.
    void check() { check(m_clock()); }
    void check(std::chrono::nanoseconds now);

    const RttStats &rtt() const { return m_rtt; }

Q_SIGNALS:
    void pingSent(const QByteArray &payload);
    // matched: the pong answered a ping we sent (so rtt is meaningful); unsolicited pongs are allowed by RFC 6455.
    void pongReceived(std::chrono::microseconds rtt, const QByteArray &payload, bool matched);
    void timedOut();

private:
    void sendHeartbeatPing(std::chrono::nanoseconds now);
    // False when the peer was declared dead (timedOut emitted).
    bool judge(std::chrono::nanoseconds now);
    // The timer, for the next time something falls due.
    void arm(std::chrono::nanoseconds now);
    void onPong(quint64 qtElapsed, const QByteArray &payload);

    struct InFlight
    {
        QByteArray payload;
        std::chrono::nanoseconds sentAt{0};
    };

    QWebSocket *m_socket;
    HeartbeatPolicy m_policy;
    Clock m_clock = steadyClock();
    QTimer *m_timer = nullptr; // OwnTimer only
    bool m_running = false;
    std::chrono::nanoseconds m_nextPingAt{0};
    // While a heartbeat ping is awaited: when it is judged.
    std::chrono::nanoseconds m_deadlineAt{0};
    QList<InFlight> m_inFlight; // bounded: oldest dropped past kMaxInFlight
    quint64 m_sequence = 0;
    QByteArray m_awaitedPayload; // the heartbeat ping whose pong we wait for; empty when none
    bool m_inboundSincePing = false;
    quint64 m_bytesWritten = 0;
    quint64 m_bytesWrittenAtPing = 0;
    RttStats m_rtt;
};

} // namespace wslab
