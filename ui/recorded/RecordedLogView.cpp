#include "ui/recorded/RecordedLogView.h"

#include "core/log/EventLog.h"
#include "ui/log/LogView.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace wslab {

RecordedLogView *RecordedLogView::open(const QString &path, QString *error, QWidget *parent)
{
    QList<LogEvent> events;
    if (!LogFile::read(path, &events, error))
        return nullptr;
    if (events.isEmpty()) {
        *error = tr("%1 holds no event").arg(path);
        return nullptr;
    }
    const qint64 latest =
        std::max_element(events.cbegin(), events.cend(), [](const LogEvent &a, const LogEvent &b) { return a.monoUs < b.monoUs; })->monoUs;
    const qint64 shift = monotonicMicros() - latest;
    for (LogEvent &e : events)
        e.monoUs += shift;
    return new RecordedLogView(QFileInfo(path).fileName(), events, parent);
}

RecordedLogView::RecordedLogView(const QString &fileName, const QList<LogEvent> &events, QWidget *parent)
    : QWidget(parent)
    , m_fileName(fileName)
    , m_log(new EventLog(this))
    , m_connections(splitConnections(events))
    , m_view(nullptr)
{
    setObjectName(QStringLiteral("recordedLogView"));
    // A recording is kept whole however long: the window's shared budget still bounds its bytes.
    m_log->setLimits({std::max<qsizetype>(EventLog::Limits{}.maxEvents, events.size()), EventLog::Limits{}.maxBytes});
    for (const LogEvent &e : events)
        m_log->append(e);
    m_view = new LogView(m_log, this);
    m_view->setClearable(false);

    const auto replayable = std::count_if(m_connections.cbegin(), m_connections.cend(),
                                          [](const RecordedConnection &c) { return !c.outgoingMessages().isEmpty(); });
    auto *summary =
        new QLabel(tr("%1 · connections: %2, of which %3 sent messages").arg(fileName).arg(m_connections.size()).arg(replayable), this);
    summary->setObjectName(QStringLiteral("recordedSummary"));
    auto *replay = new QPushButton(tr("&Replay to…"), this);
    replay->setObjectName(QStringLiteral("replayTo"));
    replay->setEnabled(replayable > 0);
    replay->setToolTip(replayable > 0 ? tr("Send one recorded connection's messages again to a server, with the recorded gaps or "
                                           "faster, and show the new replies beside these")
                                      : tr("No connection in this file sent a message"));
    connect(replay, &QPushButton::clicked, this, &RecordedLogView::replayRequested);

    auto *bar = new QHBoxLayout;
    bar->addWidget(summary, 1);
    bar->addWidget(replay);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
}

} // namespace wslab
