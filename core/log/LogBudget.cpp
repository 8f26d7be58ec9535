#include "core/log/LogBudget.h"

#include "core/log/EventLog.h"

#include <QVarLengthArray>

namespace wslab {

LogBudget::LogBudget(QObject *parent)
    : QObject(parent)
{
}

LogBudget::~LogBudget()
{
    // Logs that outlive the budget fall back to their own limits.
    const QList<EventLog *> logs = m_logs;
    for (EventLog *log : logs)
        remove(log);
}

void LogBudget::setMaxBytes(qint64 maxBytes)
{
    m_maxBytes = std::max<qint64>(0, maxBytes);
    enforce(nullptr);
}

void LogBudget::add(EventLog *log)
{
    if (!log || log->m_budget == this)
        return;
    if (log->m_budget)
        log->m_budget->remove(log);
    log->m_budget = this;
    m_logs.append(log);
    m_bytes += log->bytesHeld();
    enforce(nullptr);
}

void LogBudget::remove(EventLog *log)
{
    if (!log || log->m_budget != this)
        return;
    m_logs.removeOne(log);
    m_bytes -= log->bytesHeld();
    log->m_budget = nullptr;
    // Its own byte bound applies again from its next append; nothing is evicted behind its back here.
}

void LogBudget::enforce(EventLog *appending)
{
    QVarLengthArray<EventLog *, 8> touched;
    while (m_bytes > m_maxBytes) {
        EventLog *largest = nullptr;
        for (EventLog *log : std::as_const(m_logs)) {
            const qsizetype keep = log == appending ? 1 : 0;
            if (log->size() > keep && (!largest || log->bytesHeld() > largest->bytesHeld()))
                largest = log;
        }
        if (!largest)
            break; // only the newest event is left, and it stays however large it is
        largest->evictOne();
        if (largest != appending && !touched.contains(largest))
            touched.append(largest);
    }
    for (EventLog *log : touched)
        Q_EMIT log->evicted();
}

} // namespace wslab
