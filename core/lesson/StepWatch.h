#pragma once

#include "core/lesson/Lesson.h"

#include <functional>

namespace wslab {

class EventLog;

// Watches the endpoints' logs for one step's expected events. Only events appended after begin()
// count, so what an earlier step (or an earlier lesson) left in the logs never ticks a step. Reading
// is incremental by seq; a log that appears later (a client the step adds) is read from its start.
class StepWatch
{
public:
    // The log of an endpoint, or nullptr while it has none (no such client yet).
    using LogOf = std::function<const EventLog *(const LessonEndpoint &)>;

    void begin(const QList<LessonExpectation> &expect, LogOf logOf);
    // Reads what arrived since the last call; true once every expectation has its count.
    bool update();
    bool isMet() const;
    int seen(qsizetype expectation) const { return m_watches.at(expectation).seen; }
    // The expectations not met yet, in words, for the message a timeout shows.
    QStringList missing() const;

private:
    struct Watch
    {
        LessonExpectation expectation;
        const EventLog *log = nullptr;
        quint64 nextSeq = 0;
        int seen = 0;
    };
    QList<Watch> m_watches;
    LogOf m_logOf;
};

} // namespace wslab
