#pragma once

#include "core/sequence/SequenceModel.h"

#include <QObject>

#include <functional>

class QDockWidget;
class QMainWindow;

namespace wslab {

class LogBudget;
class RecordedLogView;
class ReplayView;

// File → Open log… and Replay to…: every log opened from a file, and every replay of one, each in a
// closable dock of the window (a replay beside the log it replays), their logs in the window's memory
// budget and their lanes for the sequence diagram.
class RecordedLogs : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecordedLogs)
public:
    // `serverUrl` gives the window's own server's URL while it runs, empty otherwise: where a replay
    // goes unless the user says otherwise.
    RecordedLogs(QMainWindow *window, LogBudget *budget, std::function<QString()> serverUrl);

    // Opens a log file in a new dock; on failure nothing opens and `error` names the file and the fault.
    RecordedLogView *open(const QString &path, QString *error);
    // The file dialog, then open(); a failure is told in a message box.
    void chooseAndOpen();
    // Replays connection `connectionIndex` of `recorded` to `url` at `speed` (0: no waiting), in a dock
    // beside it. A bad URL or a refused connection ends it with the reason in its log.
    ReplayView *replay(RecordedLogView *recorded, int connectionIndex, const QString &url, double speed);

    QList<RecordedLogView *> recordedViews() const;
    QList<ReplayView *> replayViews() const;
    QDockWidget *dockOf(QWidget *view) const;
    // One lane per open log and replay, named as its dock.
    QList<SequenceLane> lanes() const;
    // Shows the event with this seq if `log` is one of these; false when it is not.
    bool selectEvent(const EventLog *log, quint64 seq);

Q_SIGNALS:
    // A log or replay opened or closed.
    void lanesChanged();
    // One line for the window's status bar: a replay's end, above all when it failed.
    void statusMessage(const QString &text);

private:
    QDockWidget *addDock(const QString &title, QWidget *view, QDockWidget *beside);
    void askForReplay(RecordedLogView *recorded);

    QMainWindow *m_window;
    LogBudget *m_budget;
    std::function<QString()> m_serverUrl;
    QList<QDockWidget *> m_docks; // in opening order
    int m_nextDock = 1;
};

} // namespace wslab
