#include "HeartbeatMonitor.h"

#include <QWebSocket>

namespace wslab {

namespace {
constexpr qsizetype kMaxInFlight = 16;
}

HeartbeatMonitor::HeartbeatMonitor(QWebSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
{
    m_clock.start();
    m_deadline.setSingleShot(true);
    connect(&m_tick, &QTimer::timeout, this, &HeartbeatMonitor::onTick);
    connect(&m_deadline, &QTimer::timeout, this, &HeartbeatMonitor::onDeadline);
    connect(m_socket, &QWebSocket::pong, this, &HeartbeatMonitor::onPong);
    // Our own large sends delay the ping behind them; while bytes still drain, the peer is not to blame.
    connect(m_socket, &QWebSocket::bytesWritten, this, [this](qint64 bytes) { m_bytesWritten += bytes; });
    m_deadline.setTimerType(Qt::PreciseTimer);
}

void HeartbeatMonitor::setPolicy(const HeartbeatPolicy &policy)
{
    m_policy = policy;
    if (m_tick.isActive()) {
        stop();
        start();
    }
}

void HeartbeatMonitor::start()
{
    m_awaitedPayload.clear();
    m_inFlight.clear();
    m_lastInboundNs = m_clock.nsecsElapsed();
    if (!m_policy.isEnabled())
        return;
    m_tick.start(m_policy.interval);
}

void HeartbeatMonitor::stop()
{
    m_tick.stop();
    m_deadline.stop();
    m_awaitedPayload.clear();
}

QByteArray HeartbeatMonitor::sendPing(const QByteArray &payload)
{
    const QByteArray sent = payload.left(125); // a control frame's payload is at most 125 bytes
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return sent;
    m_inFlight.append({sent, m_clock.nsecsElapsed()});
    if (m_inFlight.size() > kMaxInFlight)
        m_inFlight.removeFirst();
    m_socket->ping(sent);
    Q_EMIT pingSent(sent);
    return sent;
}

void HeartbeatMonitor::onTick()
{
    if (!m_awaitedPayload.isEmpty() || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_awaitedPayload = "wslab-hb-" + QByteArray::number(++m_sequence);
    m_awaitedSinceNs = m_clock.nsecsElapsed();
    m_bytesWrittenAtPing = m_bytesWritten;
    sendPing(m_awaitedPayload);
    m_deadline.start(m_policy.pongTimeout);
}

void HeartbeatMonitor::onDeadline()
{
    if (m_awaitedPayload.isEmpty())
        return;
    if (m_lastInboundNs >= m_awaitedSinceNs) {
        m_awaitedPayload.clear(); // data arrived since the ping: alive, just slow to answer
        return;
    }
    // More went out than the ping frame itself (at most 2 + 4 + 125 bytes): our own backlog is still
    // draining ahead of the ping, so the peer is reading. Judge again after another timeout.
    constexpr quint64 kLargestPingFrame = 131;
    if (m_bytesWritten - m_bytesWrittenAtPing > kLargestPingFrame) {
        m_bytesWrittenAtPing = m_bytesWritten;
        m_deadline.start(m_policy.pongTimeout);
        return;
    }
    stop();
    Q_EMIT timedOut();
}

void HeartbeatMonitor::onPong(quint64, const QByteArray &payload)
{
    m_lastInboundNs = m_clock.nsecsElapsed();
    std::chrono::microseconds rtt{0};
    bool matched = false;
    for (qsizetype i = 0; i < m_inFlight.size(); ++i) {
        if (m_inFlight.at(i).payload == payload) {
            rtt = std::chrono::microseconds((m_lastInboundNs - m_inFlight.at(i).sentNs) / 1000);
            m_inFlight.remove(0, i + 1); // pongs answer pings in order: older ones will not be answered
            matched = true;
            break;
        }
    }
    if (matched)
        m_rtt.add(rtt);
    if (payload == m_awaitedPayload) {
        m_awaitedPayload.clear();
        m_deadline.stop();
    }
    Q_EMIT pongReceived(rtt, payload, matched);
}

} // namespace wslab
