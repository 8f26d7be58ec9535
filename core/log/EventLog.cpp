#include "EventLog.h"

namespace wslab {

EventLog::EventLog(QObject *parent)
    : QObject(parent)
{
}

void EventLog::setLimits(Limits limits)
{
    m_limits = limits;
    while (!m_events.empty() && (size() > m_limits.maxEvents || m_payloadBytes > m_limits.maxPayloadBytes))
        evictOne();
}

void EventLog::append(LogEvent event)
{
    event.seq = m_nextSeq++;
    m_payloadBytes += event.payload.size();
    m_events.push_back(std::move(event));
    while (m_events.size() > 1 && (size() > m_limits.maxEvents || m_payloadBytes > m_limits.maxPayloadBytes))
        evictOne();
    Q_EMIT appended(m_events.back());
}

void EventLog::clear()
{
    m_events.clear();
    m_payloadBytes = 0;
    Q_EMIT cleared();
}

const LogEvent *EventLog::bySeq(quint64 seq) const
{
    if (seq < firstSeq() || seq >= m_nextSeq)
        return nullptr;
    return &m_events[size_t(seq - firstSeq())];
}

void EventLog::evictOne()
{
    m_payloadBytes -= m_events.front().payload.size();
    m_events.pop_front();
    ++m_evicted;
}

} // namespace wslab
