#include "core/policy/HeartbeatMonitor.h"

#include <QTimer>
#include <QWebSocket>

namespace wslab {

namespace {
constexpr qsizetype kMaxInFlight = 16;
}

HeartbeatMonitor::HeartbeatMonitor(QWebSocket *socket, Events *events, Timing timing)
    : m_socket(socket)
    , m_events(events)
{
    if (timing == Timing::OwnTimer) {
        m_timer = std::make_unique<QTimer>();
        m_timer->setSingleShot(true);
        m_timer->setTimerType(Qt::PreciseTimer);
        // The timer is the context: the connection ends with it, and so with the monitor.
        QObject::connect(m_timer.get(), &QTimer::timeout, m_timer.get(), [this] { check(); });
    }
}

HeartbeatMonitor::~HeartbeatMonitor() = default;

void HeartbeatMonitor::setPolicy(const HeartbeatPolicy &policy)
{
    m_policy = policy;
    if (m_running) {
        stop();
        start();
    }
}

void HeartbeatMonitor::start()
{
    m_awaitedPayload.clear();
    m_inFlight.clear();
    m_inboundSincePing = false;
    if (!m_policy.isEnabled())
        return;
    m_running = true;
    const std::chrono::nanoseconds now = m_clock();
    m_nextPingAt = now + m_policy.interval;
    arm(now);
}

void HeartbeatMonitor::stop()
{
    m_running = false;
    if (m_timer)
        m_timer->stop();
    m_awaitedPayload.clear();
}

QByteArray HeartbeatMonitor::sendPing(const QByteArray &payload)
{
    const QByteArray sent = payload.left(125); // a control frame's payload is at most 125 bytes
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return sent;
    m_inFlight.append({sent, m_clock()});
    if (m_inFlight.size() > kMaxInFlight)
        m_inFlight.removeFirst();
    m_socket->ping(sent);
    m_events->heartbeatPingSent(sent);
    return sent;
}

void HeartbeatMonitor::check(std::chrono::nanoseconds now)
{
    if (!m_running)
        return;
    if (!m_awaitedPayload.isEmpty() && now >= m_deadlineAt && !judge(now))
        return;
    if (now >= m_nextPingAt) {
        // Pings keep their rhythm (start + k * interval) however late we look; a tick that finds a ping
        // still awaited sends none.
        m_nextPingAt += m_policy.interval * ((now - m_nextPingAt) / m_policy.interval + 1);
        if (m_awaitedPayload.isEmpty() && m_socket->state() == QAbstractSocket::ConnectedState)
            sendHeartbeatPing(now);
    }
    arm(now);
}

void HeartbeatMonitor::sendHeartbeatPing(std::chrono::nanoseconds now)
{
    m_awaitedPayload = "wslab-hb-" + QByteArray::number(++m_sequence);
    m_deadlineAt = now + m_policy.pongTimeout;
    m_inboundSincePing = false;
    noteDrainBaseline();
    sendPing(m_awaitedPayload);
}

bool HeartbeatMonitor::judge(std::chrono::nanoseconds now)
{
    if (m_inboundSincePing) {
        m_awaitedPayload.clear(); // data arrived since the ping: alive, just slow to answer
        return true;
    }
    // Some of what was queued before or since the ping has left the socket: our own backlog is still
    // draining ahead of the ping, so the peer is reading. Judge again after another timeout. (Frame
    // headers and the ping itself are not in the queued count, so this errs towards "not reading".)
    const qint64 drained = qint64(m_bytesQueued - m_bytesQueuedAtPing) - (m_socket->bytesToWrite() - m_unsentAtPing);
    if (drained > 0) {
        noteDrainBaseline();
        m_deadlineAt = now + m_policy.pongTimeout;
        return true;
    }
    stop();
    m_events->heartbeatTimedOut();
    return false;
}

void HeartbeatMonitor::noteDrainBaseline()
{
    m_bytesQueuedAtPing = m_bytesQueued;
    m_unsentAtPing = m_socket->bytesToWrite();
}

void HeartbeatMonitor::arm(std::chrono::nanoseconds now)
{
    if (!m_timer)
        return;
    std::chrono::nanoseconds due = m_nextPingAt;
    if (!m_awaitedPayload.isEmpty())
        due = std::min(due, m_deadlineAt);
    m_timer->start(std::chrono::ceil<std::chrono::milliseconds>(std::max(due - now, std::chrono::nanoseconds(0))));
}

void HeartbeatMonitor::notePong(const QByteArray &payload)
{
    m_inboundSincePing = true;
    const std::chrono::nanoseconds now = m_clock();
    std::chrono::microseconds rtt{0};
    bool matched = false;
    for (qsizetype i = 0; i < m_inFlight.size(); ++i) {
        if (m_inFlight.at(i).payload == payload) {
            rtt = std::chrono::duration_cast<std::chrono::microseconds>(now - m_inFlight.at(i).sentAt);
            m_inFlight.remove(0, i + 1); // pongs answer pings in order: older ones will not be answered
            if (m_inFlight.isEmpty())
                m_inFlight = {}; // between pings an idle peer holds no buffer (remove() keeps its capacity)
            matched = true;
            break;
        }
    }
    if (matched)
        m_rtt.add(rtt);
    if (!m_awaitedPayload.isEmpty() && payload == m_awaitedPayload) {
        m_awaitedPayload.clear();
        arm(now);
    }
    m_events->heartbeatPongReceived(rtt, payload, matched);
}

} // namespace wslab
