#pragma once

#include <QList>
#include <QObject>

namespace wslab {

class EventLog;

// One memory budget shared by several EventLogs (every endpoint of the lab window), so the window's
// logs together stay within one bound however many endpoints it has. Logs join with add() and leave
// when destroyed; in a budget, a log is bounded in bytes by the budget instead of its own
// Limits::maxBytes (its event-count bound still applies).
//
// Over budget, the log holding the most bytes gives up its oldest event, until the total fits. So a
// flood is paid for by the endpoint that floods: a quiet endpoint's handshake and close stay visible,
// where dropping the oldest events across all logs would take exactly those first. Every eviction is
// counted by its own log (EventLog::evictedCount) and here (evictedCount).
class LogBudget : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogBudget)
public:
    static constexpr qint64 kDefaultMaxBytes = 512ll * 1024 * 1024;

    explicit LogBudget(QObject *parent = nullptr);
    ~LogBudget() override;

    // Lowering it evicts at once.
    void setMaxBytes(qint64 maxBytes);
    qint64 maxBytes() const { return m_maxBytes; }

    // The log keeps what it holds; it counts towards the budget from now on. A log is in one budget at most.
    void add(EventLog *log);
    void remove(EventLog *log);
    QList<EventLog *> logs() const { return m_logs; }

    // What the logs hold together (EventLog::bytesHeld), and events evicted from them while in this budget.
    qint64 bytesHeld() const { return m_bytes; }
    quint64 evictedCount() const { return m_evicted; }

private:
    friend class EventLog;
    // Evicts until the total fits; `appending` keeps its newest event, as an EventLog on its own does.
    void enforce(EventLog *appending);

    qint64 m_maxBytes = kDefaultMaxBytes;
    QList<EventLog *> m_logs;
    qint64 m_bytes = 0;
    quint64 m_evicted = 0;
};

} // namespace wslab
