#pragma once

#include "core/log/LogEvent.h"

#include <QObject>

#include <deque>

namespace wslab {

class LogBudget;

// A bounded ring of LogEvents for one endpoint. Past either bound the oldest events are evicted and
// counted, so memory stays bounded however long a session runs. Events are addressed by seq, which
// keeps increasing across evictions and clear(), so views can tell what they have already shown.
//
// The byte bound is on what the events really hold (bytesHeld: buffer capacities and per-event
// overhead), not on payload sizes: a buffer can be far larger than its contents (QString::toUtf8
// reserves three bytes per character, truncate keeps the capacity). Payloads that waste much are
// copied into right-sized buffers on the way in. In a LogBudget, the budget bounds the bytes instead.
class EventLog : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLog)
public:
    struct Limits
    {
        qsizetype maxEvents = 200000;
        qint64 maxBytes = 256ll * 1024 * 1024; // bytesHeld(); ignored while in a LogBudget
    };

    // A fixed cost per event (the LogEvent itself and its slot in the ring), and per heap buffer
    // (Qt's header and the allocator's), on top of the buffers' capacities.
    static constexpr qint64 kEventOverhead = qint64(sizeof(LogEvent)) + 16;
    static constexpr qint64 kBufferOverhead = 32;
    // A payload is copied into a right-sized buffer when its buffer has this much spare room or more.
    // Below it, the spare room is counted but not worth a copy per message.
    static constexpr qsizetype kSqueezeAbove = 64 * 1024;

    explicit EventLog(QObject *parent = nullptr);
    ~EventLog() override;

    void setLimits(Limits limits);
    Limits limits() const { return m_limits; }
    LogBudget *budget() const { return m_budget; }

    // Stamps seq and stores the event; emits appended.
    void append(LogEvent event);
    void clear();

    qsizetype size() const { return qsizetype(m_events.size()); }
    bool isEmpty() const { return m_events.empty(); }
    // seq of the oldest event held, and one past the newest.
    quint64 firstSeq() const { return m_nextSeq - quint64(m_events.size()); }
    quint64 endSeq() const { return m_nextSeq; }
    const LogEvent &at(qsizetype index) const { return m_events[size_t(index)]; }
    // nullptr when evicted or not yet appended.
    const LogEvent *bySeq(quint64 seq) const;

    quint64 evictedCount() const { return m_evicted; }
    // Sum of the payloads' sizes, as sent or received (cut to LogEvent::kMaxPayloadCopy).
    qint64 payloadBytes() const { return m_payloadBytes; }
    // Memory the events hold: what the byte bound applies to.
    qint64 bytesHeld() const { return m_bytes; }
    // What one event holds, by the rule above. A buffer shared with another event counts in both.
    static qint64 footprint(const LogEvent &event);

Q_SIGNALS:
    void appended(const wslab::LogEvent &event);
    void cleared();
    // Oldest events were evicted without an append to this log: new limits, or a shared LogBudget
    // making room for another log's events. Views drop their rows for them at their next update.
    void evicted();

private:
    friend class LogBudget;
    void evictOne();
    bool overOwnLimits() const;

    Limits m_limits;
    std::deque<LogEvent> m_events;
    LogBudget *m_budget = nullptr;
    quint64 m_nextSeq = 0;
    quint64 m_evicted = 0;
    qint64 m_payloadBytes = 0;
    qint64 m_bytes = 0;
};

} // namespace wslab
