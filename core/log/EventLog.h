#pragma once

#include "LogEvent.h"

#include <QObject>

#include <deque>

namespace wslab {

// A bounded ring of LogEvents for one endpoint. Past either bound the oldest events are evicted and
// counted, so memory stays bounded however long a session runs. Events are addressed by seq, which
// keeps increasing across evictions and clear(), so views can tell what they have already shown.
class EventLog : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLog)
public:
    struct Limits
    {
        qsizetype maxEvents = 200000;
        qint64 maxPayloadBytes = 256ll * 1024 * 1024;
    };

    explicit EventLog(QObject *parent = nullptr);

    void setLimits(Limits limits);
    Limits limits() const { return m_limits; }

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
    qint64 payloadBytes() const { return m_payloadBytes; }

Q_SIGNALS:
    void appended(const wslab::LogEvent &event);
    void cleared();

private:
    void evictOne();

    Limits m_limits;
    std::deque<LogEvent> m_events;
    quint64 m_nextSeq = 0;
    quint64 m_evicted = 0;
    qint64 m_payloadBytes = 0;
};

} // namespace wslab
