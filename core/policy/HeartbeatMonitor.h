#pragma once

#include "HeartbeatPolicy.h"
#include "stats/TrafficCounters.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>

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
    explicit HeartbeatMonitor(QWebSocket *socket, QObject *parent = nullptr);

    void setPolicy(const HeartbeatPolicy &policy);
    HeartbeatPolicy policy() const { return m_policy; }

    // Called when the socket opens and closes.
    void start();
    void stop();

    // A ping asked for by the user; timed like heartbeat pings. Returns the payload sent.
    QByteArray sendPing(const QByteArray &payload = {});
    // Called by the owner for every inbound data frame.
    void noteInbound() { m_lastInboundNs = m_clock.nsecsElapsed(); }

    const RttStats &rtt() const { return m_rtt; }

Q_SIGNALS:
    void pingSent(const QByteArray &payload);
    // matched: the pong answered a ping we sent (so rtt is meaningful); unsolicited pongs are allowed by RFC 6455.
    void pongReceived(std::chrono::microseconds rtt, const QByteArray &payload, bool matched);
    void timedOut();

private:
    void onTick();
    void onDeadline();
    void onPong(quint64 qtElapsed, const QByteArray &payload);

    struct InFlight
    {
        QByteArray payload;
        qint64 sentNs = 0;
    };

    QWebSocket *m_socket;
    HeartbeatPolicy m_policy;
    QTimer m_tick;
    QTimer m_deadline;
    QElapsedTimer m_clock;
    QList<InFlight> m_inFlight; // bounded: oldest dropped past kMaxInFlight
    quint64 m_sequence = 0;
    QByteArray m_awaitedPayload; // the heartbeat ping whose pong we wait for; empty when none
    qint64 m_awaitedSinceNs = 0;
    qint64 m_lastInboundNs = -1;
    quint64 m_bytesWritten = 0;
    quint64 m_bytesWrittenAtPing = 0;
    RttStats m_rtt;
};

} // namespace wslab
