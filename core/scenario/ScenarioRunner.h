#pragma once

#include "core/match/Matcher.h"
#include "core/scenario/Scenario.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <deque>
#include <map>
#include <vector>

namespace wslab {

class Client;

// Runs a Scenario's steps in order over one or more named Clients and tells how each went. It never
// sleeps: a waiting step (connect, expect, expect_close, close, wait) is judged again on every event of
// its connection, and one timer is its deadline. After the last step, or the first failure, every
// connection still open is closed and finished() is emitted.
class ScenarioRunner : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScenarioRunner)
public:
    enum class Status { Passed, Failed, NotRun };
    Q_ENUM(Status)

    struct StepResult
    {
        PlannedStep planned;
        Status status = Status::NotRun;
        QString message; // a failure: what was wanted and what arrived instead
        std::chrono::milliseconds duration{0};
    };

    explicit ScenarioRunner(const Scenario &scenario, QObject *parent = nullptr);
    ~ScenarioRunner() override;

    const Scenario &scenario() const { return m_scenario; }
    void start();
    bool isFinished() const { return m_finished; }
    bool passed() const;
    // One per planned step, in running order; NotRun until it ran.
    const std::vector<StepResult> &results() const { return m_results; }
    // The failed step, or nullptr.
    const StepResult *failure() const;
    std::chrono::milliseconds elapsed() const { return std::chrono::milliseconds(m_clock.elapsed()); }

Q_SIGNALS:
    void stepFinished(int index);
    void finished(bool passed);

private:
    struct Connection
    {
        Client *client = nullptr;
        std::deque<InboundMessage> inbox; // received and not yet taken by an expect
        bool opened = false; // since the last connect
        bool ended = false; // went back to Idle since the last connect
        int closeCode = 0; // 0 when it never opened
        QString closeReason;
        QString endedBecause; // the client's error, when there was one
    };

    void advance();
    void begin();
    // Starts the current step's deadline, then judges it on what has arrived so far.
    void waitForEvents(const ScenarioStep &step);
    // Judges the current step against what its connection holds now; passes or fails it if it can.
    void recheck();
    void onDeadline();
    void pass();
    void fail(const QString &why);
    void finishStep(Status status, const QString &message);
    void closeEverything();
    void finishIfAllClosed();
    Connection &connection(const QString &name);
    Connection *existing(const QString &name);
    const ScenarioStep &current() const { return *m_results[m_index].planned.step; }
    QString howItEnded(const Connection &c) const;

    Scenario m_scenario;
    std::vector<StepResult> m_results;
    std::map<QString, Connection> m_connections;
    std::size_t m_index = 0;
    bool m_waiting = false;
    bool m_advancing = false;
    bool m_closingDown = false;
    bool m_finished = false;
    int m_skipped = 0; // messages an expect with skip_unmatched passed over
    QTimer m_deadline;
    QElapsedTimer m_clock;
    QElapsedTimer m_stepClock;
};

} // namespace wslab
