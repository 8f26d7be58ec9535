#include "core/log/EventLog.h"

#include "core/log/LogBudget.h"

namespace wslab {

namespace {

// Static data (a literal) holds no heap; its size still counts, which errs on the safe side.
qint64 bufferBytes(qsizetype size, qsizetype capacity, qsizetype unit)
{
    return qint64(std::max(size, capacity)) * unit + EventLog::kBufferOverhead;
}

} // namespace

EventLog::EventLog(QObject *parent)
    : QObject(parent)
{
}

EventLog::~EventLog()
{
    if (m_budget)
        m_budget->remove(this);
}

qint64 EventLog::footprint(const LogEvent &event)
{
    qint64 bytes = kEventOverhead;
    if (!event.payload.isNull())
        bytes += bufferBytes(event.payload.size(), event.payload.capacity(), 1);
    if (!event.detail.isNull())
        bytes += bufferBytes(event.detail.size(), event.detail.capacity(), 2);
    // The endpoint's name is one string shared by every event of an endpoint: not counted per event.
    return bytes;
}

void EventLog::setLimits(Limits limits)
{
    m_limits = limits;
    const quint64 before = m_evicted;
    while (!m_events.empty() && overOwnLimits())
        evictOne();
    if (m_evicted != before)
        Q_EMIT evicted();
}

bool EventLog::overOwnLimits() const
{
    return size() > m_limits.maxEvents || (!m_budget && m_bytes > m_limits.maxBytes);
}

void EventLog::append(LogEvent event)
{
    event.seq = m_nextSeq++;
    if (event.payload.capacity() - event.payload.size() >= kSqueezeAbove)
        event.payload = QByteArray(event.payload.constData(), event.payload.size());
    const qint64 bytes = footprint(event);
    m_payloadBytes += event.payload.size();
    m_bytes += bytes;
    if (m_budget)
        m_budget->m_bytes += bytes;
    m_events.push_back(std::move(event));
    while (m_events.size() > 1 && overOwnLimits())
        evictOne();
    if (m_budget)
        m_budget->enforce(this);
    Q_EMIT appended(m_events.back());
}

void EventLog::clear()
{
    if (m_budget)
        m_budget->m_bytes -= m_bytes;
    m_events.clear();
    m_payloadBytes = 0;
    m_bytes = 0;
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
    const LogEvent &oldest = m_events.front();
    const qint64 bytes = footprint(oldest);
    m_payloadBytes -= oldest.payload.size();
    m_bytes -= bytes;
    m_events.pop_front();
    ++m_evicted;
    if (m_budget) {
        m_budget->m_bytes -= bytes;
        ++m_budget->m_evicted;
    }
}

} // namespace wslab
