#include "ui/recorded/RecordedLogs.h"

#include "core/client/WebSocketUrl.h"
#include "core/log/LogBudget.h"
#include "core/replay/Replayer.h"
#include "ui/log/LogModel.h"
#include "ui/log/LogView.h"
#include "ui/recorded/RecordedLogView.h"
#include "ui/recorded/ReplayDialog.h"
#include "ui/recorded/ReplayView.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QMainWindow>
#include <QMessageBox>

namespace wslab {

RecordedLogs::RecordedLogs(QMainWindow *window, LogBudget *budget, std::function<QString()> serverUrl)
    : QObject(window)
    , m_window(window)
    , m_budget(budget)
    , m_serverUrl(std::move(serverUrl))
{
}

RecordedLogView *RecordedLogs::open(const QString &path, QString *error)
{
    RecordedLogView *view = RecordedLogView::open(path, error);
    if (!view)
        return nullptr;
    m_budget->add(view->log());
    connect(view, &RecordedLogView::replayRequested, this, [this, view] { askForReplay(view); });
    addDock(view->fileName(), view, nullptr);
    return view;
}

void RecordedLogs::chooseAndOpen()
{
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open log"), {},
                                                      tr("Logs (*.jsonl *.har);;JSON Lines (*.jsonl);;HAR (*.har);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!open(path, &error))
        QMessageBox::warning(m_window, tr("Open log"), tr("The log was not opened: %1").arg(error));
}

void RecordedLogs::askForReplay(RecordedLogView *recorded)
{
    ReplayDialog dialog(recorded->connections(), m_serverUrl(), m_window);
    if (dialog.exec() == QDialog::Accepted)
        replay(recorded, dialog.connectionIndex(), dialog.url(), dialog.speed());
}

ReplayView *RecordedLogs::replay(RecordedLogView *recorded, int connectionIndex, const QString &url, double speed)
{
    const QString title = tr("replay of %1 to %2").arg(ReplayDialog::connectionName(connectionIndex), url);
    auto *replayer = new Replayer(QStringLiteral("replay"));
    m_budget->add(replayer->log());
    auto *view = new ReplayView(title, replayer);
    addDock(title, view, dockOf(recorded));
    connect(replayer, &Replayer::finished, this, [this, title](bool ok, const QString &reason) {
        Q_EMIT statusMessage(ok ? tr("%1: done").arg(title) : tr("%1 failed: %2").arg(title, reason));
    });
    QString urlError;
    ClientConfig config;
    config.url = webSocketUrlFromUserInput(url, &urlError);
    if (!urlError.isEmpty())
        replayer->refuse(urlError);
    else
        replayer->start(recorded->connections().value(connectionIndex), config, {speed});
    return view;
}

QDockWidget *RecordedLogs::addDock(const QString &title, QWidget *view, QDockWidget *beside)
{
    auto *dock = new QDockWidget(title, m_window);
    // saveState knows docks by name; these do not come back with the window, so any unique name will do.
    dock->setObjectName(QStringLiteral("recordedLogDock%1").arg(m_nextDock++));
    dock->setAttribute(Qt::WA_DeleteOnClose);
    dock->setWidget(view);
    view->setParent(dock);
    if (beside) {
        m_window->splitDockWidget(beside, dock, Qt::Horizontal);
    } else {
        m_window->addDockWidget(Qt::BottomDockWidgetArea, dock);
        // A second log opens as a tab of the first, not as another strip of the window.
        for (QDockWidget *other : std::as_const(m_docks)) {
            if (qobject_cast<RecordedLogView *>(other->widget()) && !other->isFloating()) {
                m_window->tabifyDockWidget(other, dock);
                break;
            }
        }
    }
    dock->show();
    dock->raise();
    m_docks.append(dock);
    connect(dock, &QObject::destroyed, this, [this, dock] {
        m_docks.removeOne(dock);
        Q_EMIT lanesChanged();
    });
    Q_EMIT lanesChanged();
    return dock;
}

QList<RecordedLogView *> RecordedLogs::recordedViews() const
{
    QList<RecordedLogView *> views;
    for (QDockWidget *dock : m_docks) {
        if (auto *view = qobject_cast<RecordedLogView *>(dock->widget()))
            views.append(view);
    }
    return views;
}

QList<ReplayView *> RecordedLogs::replayViews() const
{
    QList<ReplayView *> views;
    for (QDockWidget *dock : m_docks) {
        if (auto *view = qobject_cast<ReplayView *>(dock->widget()))
            views.append(view);
    }
    return views;
}

QDockWidget *RecordedLogs::dockOf(QWidget *view) const
{
    for (QDockWidget *dock : m_docks) {
        if (dock->widget() == view)
            return dock;
    }
    return nullptr;
}

QList<SequenceLane> RecordedLogs::lanes() const
{
    QList<SequenceLane> lanes;
    for (QDockWidget *dock : m_docks) {
        if (auto *recorded = qobject_cast<RecordedLogView *>(dock->widget()))
            lanes.append({dock->windowTitle(), recorded->log()});
        else if (auto *replay = qobject_cast<ReplayView *>(dock->widget()))
            lanes.append({dock->windowTitle(), replay->replayer()->log()});
    }
    return lanes;
}

bool RecordedLogs::selectEvent(const EventLog *log, quint64 seq)
{
    for (QDockWidget *dock : std::as_const(m_docks)) {
        LogView *view = nullptr;
        if (auto *recorded = qobject_cast<RecordedLogView *>(dock->widget()))
            view = recorded->logView();
        else if (auto *replay = qobject_cast<ReplayView *>(dock->widget()))
            view = replay->logView();
        if (view && view->model()->log() == log) {
            dock->show();
            dock->raise();
            view->selectSeq(seq);
            return true;
        }
    }
    return false;
}

} // namespace wslab
