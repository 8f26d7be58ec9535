#include "ui/recorded/ReplayView.h"

#include "core/replay/Replayer.h"
#include "ui/log/LogView.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace wslab {

ReplayView::ReplayView(const QString &title, Replayer *replayer, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
    , m_replayer(replayer)
    , m_view(new LogView(replayer->log(), this))
    , m_status(new QLabel(this))
    , m_stop(new QPushButton(tr("S&top"), this))
{
    setObjectName(QStringLiteral("replayView"));
    replayer->setParent(this);
    m_view->setClearable(false);
    m_status->setObjectName(QStringLiteral("replayStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    m_stop->setObjectName(QStringLiteral("replayStop"));
    m_stop->setToolTip(tr("End the replay now: the connection closes with 1001"));
    connect(m_stop, &QPushButton::clicked, replayer, &Replayer::stop);
    // Progress follows the log: every send and reply is an event in it.
    connect(replayer->log(), &EventLog::appended, this, &ReplayView::showProgress);
    connect(replayer, &Replayer::finished, this, &ReplayView::showFinished);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    bar->addWidget(m_stop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    showProgress();
}

QString ReplayView::statusText() const
{
    return m_status->text();
}

void ReplayView::showProgress()
{
    if (!m_replayer->isRunning())
        return;
    m_status->setText(tr("%1: %2…").arg(m_title, m_replayer->summary()));
}

void ReplayView::showFinished(bool ok, const QString &reason)
{
    m_stop->setEnabled(false);
    m_status->setText(ok ? tr("%1: done, %2").arg(m_title, m_replayer->summary())
                         : tr("%1: failed, %2 (%3)").arg(m_title, reason, m_replayer->summary()));
}

} // namespace wslab
