#pragma once

#include "core/log/EventLog.h"
#include "core/log/LogEvent.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace wslab {

// A table over one endpoint's bounded EventLog. Rows are not added per event: events are picked up
// by a flush at most ~30 times a second, with one beginInsertRows per flush and one beginRemoveRows
// for whatever the ring evicted meanwhile, so a flood of messages costs the view a few updates a
// second. Text is built only when a view asks for it (data()).
class LogModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogModel)
public:
    enum Column { TimeColumn, DirectionColumn, KindColumn, SizeColumn, SummaryColumn, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1, SeqRole, SearchTextRole };

    explicit LogModel(EventLog *log, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // nullptr when the row's event has been evicted since the last flush.
    const LogEvent *eventAt(int row) const;
    EventLog *log() const { return m_log; }
    // The row showing the event with this seq, -1 when it is not shown (evicted, or not flushed yet).
    int rowOfSeq(quint64 seq) const { return seq >= m_firstSeq && seq < m_endSeq ? int(seq - m_firstSeq) : -1; }

    // While paused, new events wait in the EventLog and appear on resume; evictions still apply.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Events recorded but not yet shown (while paused, or until the next flush).
    quint64 waitingCount() const { return m_log->endSeq() - m_endSeq; }
    // Brings the rows up to date now instead of at the next tick (tests and benchmarks).
    void flush();

    static constexpr int kFlushIntervalMs = 33;
    static QColor colorFor(EventKind kind);

Q_SIGNALS:
    // After each flush that changed rows: how many events are shown and evicted so far.
    void flushed();

private:
    void scheduleFlush();
    void onCleared();

    EventLog *m_log;
    quint64 m_firstSeq = 0; // seq of row 0
    quint64 m_endSeq = 0; // one past the seq of the last row
    bool m_paused = false;
    QTimer m_flushTimer;
};

} // namespace wslab
