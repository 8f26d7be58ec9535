#include "core/lesson/StepWatch.h"

#include "core/log/EventLog.h"

namespace wslab {

void StepWatch::begin(const QList<LessonExpectation> &expect, LogOf logOf)
{
    m_logOf = std::move(logOf);
    m_watches.clear();
    for (const LessonExpectation &expectation : expect) {
        Watch watch{expectation, m_logOf(expectation.at), 0, 0};
        if (watch.log)
            watch.nextSeq = watch.log->endSeq();
        m_watches.append(watch);
    }
}

bool StepWatch::update()
{
    for (Watch &watch : m_watches) {
        if (watch.seen >= watch.expectation.count)
            continue;
        const EventLog *log = m_logOf(watch.expectation.at);
        if (!log)
            continue;
        if (log != watch.log) {
            // Not there when the step began (or replaced since): everything it holds is new.
            watch.log = log;
            watch.nextSeq = log->firstSeq();
        }
        // Evicted events are skipped: a flood may push some out before they are read.
        for (quint64 seq = std::max(watch.nextSeq, log->firstSeq()); seq < log->endSeq(); ++seq) {
            if (watch.expectation.matches(*log->bySeq(seq)) && ++watch.seen >= watch.expectation.count)
                break;
        }
        watch.nextSeq = log->endSeq();
    }
    return isMet();
}

bool StepWatch::isMet() const
{
    return std::all_of(m_watches.begin(), m_watches.end(), [](const Watch &w) { return w.seen >= w.expectation.count; });
}

QStringList StepWatch::missing() const
{
    QStringList out;
    for (const Watch &watch : m_watches) {
        if (watch.seen < watch.expectation.count)
            out << watch.expectation.describe();
    }
    return out;
}

} // namespace wslab
