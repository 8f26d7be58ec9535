#include "ui/log/LogView.h"

#include "ui/style/TextScale.h"

#include "ui/keyboard/FocusChain.h"

#include "core/log/EventLog.h"
#include "core/log/JsonLines.h"
#include "ui/log/EventDetailView.h"
#include "ui/log/EventTable.h"
#include "ui/log/LogFilterProxy.h"
#include "ui/log/LogModel.h"

#include <QAction>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace wslab {

namespace {

struct KindGroup
{
    const char *label;
    QList<EventKind> kinds;
};

// The kinds a person filters by, in the order they think of them.
const QList<KindGroup> &kindGroups()
{
    static const QList<KindGroup> groups = {
        {QT_TRANSLATE_NOOP("wslab::LogView", "Text messages"), {EventKind::Text}},
        {QT_TRANSLATE_NOOP("wslab::LogView", "Binary messages"), {EventKind::Binary}},
        {QT_TRANSLATE_NOOP("wslab::LogView", "Ping / pong"), {EventKind::Ping, EventKind::Pong}},
        {QT_TRANSLATE_NOOP("wslab::LogView", "Open / close / handshake"),
         {EventKind::Open, EventKind::Close, EventKind::Handshake, EventKind::Listening, EventKind::Stopped}},
        {QT_TRANSLATE_NOOP("wslab::LogView", "Errors and refusals"), {EventKind::Error, EventKind::Refused, EventKind::HeartbeatTimeout}},
        {QT_TRANSLATE_NOOP("wslab::LogView", "State, retries, outbox"),
         {EventKind::State, EventKind::RetryScheduled, EventKind::OutboxQueued, EventKind::OutboxFlushed, EventKind::Info}},
    };
    return groups;
}

} // namespace

LogView::LogView(EventLog *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_model(new LogModel(log, this))
    , m_proxy(new LogFilterProxy(this))
    , m_table(new QTableView(this))
    , m_detail(new EventDetailView(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_filterText(new QLineEdit(this))
    , m_kindButton(new QToolButton(this))
    , m_pause(new QToolButton(this))
    , m_clear(new QToolButton(this))
    , m_status(new QLabel(this))
    , m_filterDebounce(new QTimer(this))
    , m_follower(new RowFollower(m_table, m_model))
{
    setObjectName(QStringLiteral("logView"));
    m_proxy->setSourceModel(m_model);

    m_filterText->setObjectName(QStringLiteral("logFilterText"));
    m_filterText->setPlaceholderText(tr("Filter…"));
    m_filterText->setClearButtonEnabled(true);
    m_filterText->setToolTip(tr("Show only events whose line contains this text (case-insensitive)"));
    m_filterText->setAccessibleName(tr("Filter the log"));
    m_filterDebounce->setSingleShot(true);
    m_filterDebounce->setInterval(200); // typing a word filters once, not once per letter
    connect(m_filterText, &QLineEdit::textChanged, m_filterDebounce, qOverload<>(&QTimer::start));
    connect(m_filterDebounce, &QTimer::timeout, this, &LogView::applyFilter);

    m_kindButton->setObjectName(QStringLiteral("logKindFilter"));
    m_kindButton->setText(tr("Kinds"));
    m_kindButton->setPopupMode(QToolButton::InstantPopup);
    m_kindButton->setToolTip(tr("Choose which kinds of events are shown"));
    auto *kindMenu = new QMenu(m_kindButton);
    for (const KindGroup &group : kindGroups()) {
        QAction *action = kindMenu->addAction(tr(group.label));
        action->setCheckable(true);
        action->setChecked(true);
        connect(action, &QAction::toggled, this, &LogView::applyFilter);
    }
    m_kindButton->setMenu(kindMenu);

    m_pause->setObjectName(QStringLiteral("logPause"));
    m_pause->setText(tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Freeze the view; events keep being recorded and appear on resume"));
    connect(m_pause, &QToolButton::toggled, this, [this](bool paused) {
        m_model->setPaused(paused);
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        updateStatus();
    });

    m_clear->setObjectName(QStringLiteral("logClear"));
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Forget every event recorded so far"));
    connect(m_clear, &QToolButton::clicked, m_log, &EventLog::clear);

    auto *exportButton = new QToolButton(this);
    exportButton->setObjectName(QStringLiteral("logExport"));
    exportButton->setText(tr("Export…"));
    exportButton->setToolTip(tr("Save every recorded event as JSON Lines, one object per line"));
    connect(exportButton, &QToolButton::clicked, this, &LogView::chooseExportFile);

    m_status->setObjectName(QStringLiteral("logStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_filterText, 1);
    bar->addWidget(m_kindButton);
    bar->addWidget(m_pause);
    bar->addWidget(m_clear);
    bar->addWidget(exportButton);

    m_table->setObjectName(QStringLiteral("logTable"));
    m_table->setAccessibleName(tr("Event log"));
    m_table->setModel(m_model);
    setUpEventTable(m_table);
    QHeaderView *rows = m_table->verticalHeader();
    // Sized from the font, and again whenever the text size changes (presentation mode): taller rows
    // (the padding grows with the text), and fixed columns as narrow as their usual content, so a log
    // in a narrow column still shows the message.
    TextScale::follow(m_table, [this, rows] {
        const QFontMetrics metrics = m_table->fontMetrics();
        rows->setDefaultSectionSize(TextScale::rowHeight(m_table));
        const int padding = 2 * metrics.horizontalAdvance(u'0');
        m_table->setColumnWidth(LogModel::TimeColumn, metrics.horizontalAdvance(QStringLiteral("88:88:88.888")) + padding);
        m_table->setColumnWidth(LogModel::DirectionColumn, metrics.horizontalAdvance(QStringLiteral("→ #88888")) + padding);
        m_table->setColumnWidth(LogModel::KindColumn, metrics.horizontalAdvance(QStringLiteral("handshake")) + padding);
        m_table->setColumnWidth(LogModel::SizeColumn, metrics.horizontalAdvance(QStringLiteral("888,888")) + padding);
    });

    connect(m_model, &LogModel::flushed, this, &LogView::updateStatus);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LogView::onSelectionChanged);

    m_splitter->setObjectName(QStringLiteral("logSplitter"));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_detail);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_splitter, 1);
    layout->addWidget(m_status);
    updateStatus();
}

QList<QWidget *> LogView::focusOrder() const
{
    const QList<QWidget *> bar{m_filterText, m_kindButton, m_pause, m_clear, findChild<QWidget *>(QStringLiteral("logExport")), m_table};
    return bar + tabStopsIn(m_detail);
}

void LogView::setClearable(bool clearable)
{
    m_clear->setVisible(clearable);
}

bool LogView::isFollowing() const
{
    return m_follower->isFollowing();
}

int LogView::visibleRowCount() const
{
    return m_table->model()->rowCount();
}

void LogView::applyFilter()
{
    QSet<EventKind> kinds;
    const QList<QAction *> actions = m_kindButton->menu()->actions();
    bool all = true;
    for (qsizetype i = 0; i < actions.size(); ++i) {
        if (actions.at(i)->isChecked()) {
            for (EventKind k : kindGroups().at(i).kinds)
                kinds.insert(k);
        } else {
            all = false;
        }
    }
    if (all)
        kinds.clear();
    else if (kinds.isEmpty())
        kinds.insert(EventKind(-1)); // nothing ticked: show nothing rather than everything
    m_kindButton->setText(all ? tr("Kinds") : tr("Kinds (filtered)"));
    m_proxy->setKinds(kinds);
    m_proxy->setText(m_filterText->text().trimmed());
    // The proxy only stands between view and model while it filters something.
    QAbstractItemModel *wanted = m_proxy->isActive() ? static_cast<QAbstractItemModel *>(m_proxy) : m_model;
    if (m_table->model() != wanted) {
        m_table->setModel(wanted);
        connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LogView::onSelectionChanged);
        m_detail->setEvent(nullptr);
    }
    m_follower->catchUp();
    updateStatus();
}

bool LogView::selectSeq(quint64 seq)
{
    if (!m_model->isPaused())
        m_model->flush(); // the event may have come since the last tick
    const int row = m_model->rowOfSeq(seq);
    if (row < 0)
        return false;
    QModelIndex index = m_model->index(row, LogModel::SummaryColumn);
    if (m_table->model() == m_proxy)
        index = m_proxy->mapFromSource(index);
    if (!index.isValid())
        return false;
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
    return true;
}

void LogView::onSelectionChanged()
{
    QModelIndex index = m_table->currentIndex();
    if (index.isValid() && index.model() == m_proxy)
        index = m_proxy->mapToSource(index);
    m_detail->setEvent(index.isValid() ? m_model->eventAt(index.row()) : nullptr);
}

void LogView::updateStatus()
{
    const QLocale locale;
    QString text = tr("%1 events").arg(locale.toString(m_model->rowCount()));
    if (m_proxy->isActive() && m_table->model() == m_proxy)
        text = tr("%1 of %2 events shown").arg(locale.toString(m_proxy->rowCount()), locale.toString(m_model->rowCount()));
    if (m_log->evictedCount() > 0)
        text += tr(" · %1 oldest dropped (log limit)").arg(locale.toString(m_log->evictedCount()));
    if (m_model->isPaused()) {
        text += tr(" · paused, %1 new waiting").arg(locale.toString(qint64(m_model->waitingCount())));
    }
    m_status->setText(text);
}

bool LogView::exportTo(const QString &path, QString *error) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return JsonLines::write(*m_log, &file, error);
}

void LogView::chooseExportFile()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export log"), QStringLiteral("wslab-log.jsonl"), tr("JSON Lines (*.jsonl);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportTo(path, &error))
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1: %2").arg(path, error));
}

} // namespace wslab
