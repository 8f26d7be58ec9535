#include "ui/log/LogModel.h"

#include "core/log/EventFormat.h"
#include "core/log/EventLog.h"
#include "core/protocol/CloseCode.h"
#include "ui/style/LabColors.h"

#include <QColor>
#include <QLocale>

namespace wslab {

namespace {

// The Event column says only what the time, direction, kind and size columns do not, so a narrow
// column still shows the message itself.
QString preview(const LogEvent &e)
{
    constexpr int kChars = 200;
    switch (e.kind) {
    case EventKind::Text:
        return EventFormat::textPreview(e.payload, kChars);
    case EventKind::Binary:
        return EventFormat::hexPreview(e.payload, kChars / 3);
    case EventKind::Ping:
        return EventFormat::textPreview(e.payload, kChars);
    case EventKind::Pong: {
        QString s = e.rttUs >= 0 ? LogModel::tr("RTT %1 ms").arg(double(e.rttUs) / 1000.0, 0, 'f', 3) : LogModel::tr("unsolicited");
        if (!e.payload.isEmpty())
            s += QStringLiteral(" · ") + EventFormat::textPreview(e.payload, kChars);
        return s;
    }
    case EventKind::Close:
        return e.detail.isEmpty() ? CloseCode::describe(e.closeCode) : CloseCode::describe(e.closeCode) + QStringLiteral(" — ") + e.detail;
    case EventKind::OutboxQueued:
    case EventKind::OutboxFlushed:
        return EventFormat::summary(e, kChars);
    default:
        return e.detail.isEmpty() ? EventFormat::summary(e, kChars) : e.detail;
    }
}

} // namespace

LogModel::LogModel(EventLog *log, QObject *parent)
    : QAbstractTableModel(parent)
    , m_log(log)
    , m_firstSeq(log->firstSeq())
    , m_endSeq(log->firstSeq())
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(kFlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &LogModel::flush);
    connect(m_log, &EventLog::appended, this, &LogModel::scheduleFlush);
    // A shared LogBudget can evict from this log while another one floods: those rows go at the next flush too.
    connect(m_log, &EventLog::evicted, this, &LogModel::scheduleFlush);
    connect(m_log, &EventLog::cleared, this, &LogModel::onCleared);
    flush();
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_endSeq - m_firstSeq);
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const LogEvent *LogModel::eventAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    return m_log->bySeq(m_firstSeq + quint64(row));
}

QColor LogModel::colorFor(EventKind kind)
{
    switch (kind) {
    case EventKind::Text:
        return toneColor(Tone::Text);
    case EventKind::Binary:
        return toneColor(Tone::Binary);
    case EventKind::Ping:
    case EventKind::Pong:
    case EventKind::Frame:
        return toneColor(Tone::Muted);
    case EventKind::Open:
    case EventKind::Listening:
        return toneColor(Tone::Success);
    case EventKind::Close:
    case EventKind::Stopped:
        return toneColor(Tone::Closing);
    case EventKind::Error:
    case EventKind::Refused:
    case EventKind::HeartbeatTimeout:
        return toneColor(Tone::Error);
    case EventKind::RetryScheduled:
    case EventKind::OutboxQueued:
    case EventKind::OutboxFlushed:
        return toneColor(Tone::Waiting);
    case EventKind::Handshake:
    case EventKind::State:
    case EventKind::Info:
        return toneColor(Tone::Neutral);
    }
    return {};
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    const LogEvent *e = eventAt(index.row());
    if (!e || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return EventFormat::timeOfDay(*e);
        case DirectionColumn:
            return e->peer >= 0 ? QString(EventFormat::arrow(e->direction) + QStringLiteral(" #") + QString::number(e->peer))
                                : EventFormat::arrow(e->direction);
        case KindColumn:
            return kindName(e->kind);
        case SizeColumn:
            return (e->kind == EventKind::Text || e->kind == EventKind::Binary || e->kind == EventKind::Ping || e->kind == EventKind::Pong)
                       ? QLocale().toString(e->size)
                       : QString();
        case SummaryColumn:
            return preview(*e);
        }
        return {};
    case Qt::ForegroundRole:
        return colorFor(e->kind);
    case Qt::TextAlignmentRole:
        return index.column() == SizeColumn ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case Qt::ToolTipRole:
        if (index.column() == SummaryColumn && e->kind == EventKind::Close)
            return QString(CloseCode::describe(e->closeCode) + QStringLiteral(": ") + CloseCode::meaning(e->closeCode));
        if (index.column() == DirectionColumn)
            return e->direction == Direction::In    ? tr("received from the peer")
                   : e->direction == Direction::Out ? tr("sent to the peer")
                                                    : tr("happened locally");
        return {};
    case KindRole:
        return int(e->kind);
    case SeqRole:
        return e->seq;
    case SearchTextRole:
        return EventFormat::summary(*e, 1000);
    default:
        return {};
    }
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case TimeColumn:
            return tr("Time");
        case DirectionColumn:
            return tr("Dir");
        case KindColumn:
            return tr("Kind");
        case SizeColumn:
            return tr("Size");
        case SummaryColumn:
            return tr("Event");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case DirectionColumn:
            return tr("→ sent, ← received, · local; #n is the server's peer id");
        case KindColumn:
            return tr("text and binary are data messages (opcodes 0x1 and 0x2); ping, pong and close are control frames");
        case SizeColumn:
            return tr("payload bytes of the whole message");
        }
    }
    return {};
}

void LogModel::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        flush();
}

void LogModel::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void LogModel::flush()
{
    bool changed = false;
    // Rows whose events the ring has evicted go first, so no row ever points at a missing event.
    const quint64 logFirst = m_log->firstSeq();
    if (logFirst > m_firstSeq) {
        const quint64 removeEnd = std::min(logFirst, m_endSeq);
        if (removeEnd > m_firstSeq) {
            beginRemoveRows({}, 0, int(removeEnd - m_firstSeq) - 1);
            m_firstSeq = removeEnd;
            endRemoveRows();
            changed = true;
        }
        if (m_firstSeq < logFirst) // everything shown was evicted, and more: start after the gap
            m_firstSeq = m_endSeq = logFirst;
    }
    if (!m_paused && m_log->endSeq() > m_endSeq) {
        const int first = rowCount();
        beginInsertRows({}, first, first + int(m_log->endSeq() - m_endSeq) - 1);
        m_endSeq = m_log->endSeq();
        endInsertRows();
        changed = true;
    }
    if (changed)
        Q_EMIT flushed();
    else if (m_paused && m_log->endSeq() > m_endSeq)
        Q_EMIT flushed(); // the status line counts what waits
}

void LogModel::onCleared()
{
    beginResetModel();
    m_firstSeq = m_endSeq = m_log->endSeq();
    endResetModel();
    Q_EMIT flushed();
}

} // namespace wslab
