#pragma once

#include "core/lesson/Lesson.h"
#include "core/lesson/StepWatch.h"

#include <QObject>
#include <QTimer>

#include <functional>

namespace wslab {

class ClientPanel;
class Composer;
class MainWindow;

// Runs a lesson in the lab window: performs each step's action through the panels' public API (the
// same calls the panels' own buttons make) and watches the endpoints' logs for the events the step
// expects. It never depends on a fixed port: the first Start in a lesson takes a free one, later ones
// take it again (so clients reconnect to the same address), and "${server}" in a URL or narration
// stands for it.
class LessonRunner : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LessonRunner)
public:
    enum class StepState {
        Pending, // not visited yet
        Watching, // current, its expected events not all seen
        Done, // every expected event seen (or nothing to see)
        Failed, // the action could not be done, or the events did not arrive in time
    };
    Q_ENUM(StepState)

    explicit LessonRunner(MainWindow *window, QObject *parent = nullptr);

    // Starts the lesson at its first step; the window is left as it is until "Do it".
    void setLesson(const Lesson &lesson);
    const Lesson &lesson() const { return m_lesson; }
    bool hasLesson() const { return !m_lesson.steps.isEmpty(); }
    int currentStep() const { return m_current; }
    void goTo(int step);
    bool next();
    bool back();
    // Performs the current step's action; false with problem() when it could not be done.
    bool doCurrentStep();
    StepState state(int step) const { return m_states.value(step, StepState::Pending); }
    // Whether "Do it" has performed the current step's action.
    bool actionDone() const { return m_actionDone; }
    // Why the current step failed: the action's refusal, or the events that did not arrive in time.
    QString problem() const { return m_problem; }
    // The current step's expectations still awaited, in words.
    QStringList awaited() const { return m_watch.missing(); }
    // The text with "${server}" replaced by the lesson's server address, once it has one.
    QString substitute(const QString &text) const;
    // ws://127.0.0.1:PORT of the lesson's server, empty before its first Start.
    QString serverUrl() const;

Q_SIGNALS:
    // The current step, a step's state or the problem changed.
    void changed();

private:
    void beginStep();
    void check();
    void timedOut();
    void setState(StepState state);
    bool perform(const LessonAction &action, QString *error);
    bool startServer(const QJsonObject &params, QString *error);
    bool connectClient(const QJsonObject &params, QString *error);
    bool disconnectClient(const QJsonObject &params, QString *error);
    bool send(const QJsonObject &params, QString *error);
    static bool composeAndSend(Composer *composer, bool binary, const QString &message);
    void sendAgain(Composer *composer, bool binary, const QString &message, int times, std::chrono::milliseconds interval,
                   const std::function<bool()> &connected);
    bool ping(const QJsonObject &params, QString *error);
    bool kick(const QJsonObject &params, QString *error);
    bool setInspectorFaults(const QJsonObject &params);
    bool show(const QJsonObject &params, QString *error);
    // Client N's panel (1-based, in the order the window shows them); added when `create` and missing.
    ClientPanel *clientPanel(int number, bool create) const;
    // The composer of "server" or "client N".
    Composer *composerOf(const QString &endpoint, QString *error) const;
    const EventLog *logOf(const LessonEndpoint &endpoint) const;

    MainWindow *m_window;
    Lesson m_lesson;
    QList<StepState> m_states;
    int m_current = 0;
    QString m_problem;
    bool m_actionDone = false;
    StepWatch m_watch;
    QTimer m_poll;
    QTimer m_deadline;
    quint16 m_serverPort = 0; // 0 until the lesson's first Start
    quint64 m_generation = 0; // a new lesson or step stops the sends an earlier one left going
};

} // namespace wslab
