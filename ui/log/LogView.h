#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;
class QTimer;
class QToolButton;

namespace wslab {

class EventDetailView;
class EventLog;
class LogFilterProxy;
class LogModel;
class RowFollower;

// One endpoint's live log: a filter bar (kinds, debounced text), pause, clear, export to JSON Lines,
// the table, and the selected event in full below it. Autoscroll follows new rows only while the
// user is at the bottom; scrolling up stops it, scrolling back down resumes it.
class LogView : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogView)
public:
    explicit LogView(EventLog *log, QWidget *parent = nullptr);

    LogModel *model() const { return m_model; }
    LogFilterProxy *filter() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    EventDetailView *detail() const { return m_detail; }
    QSplitter *splitter() const { return m_splitter; }
    // Its controls in the order Tab visits them (the bar, the table, the detail pane).
    QList<QWidget *> focusOrder() const;
    // Rows the table shows now (after filtering).
    int visibleRowCount() const;
    bool isFollowing() const;

    // Selects the event with this seq and scrolls to it (as a click on its row would); false when the
    // log no longer holds it or the filter hides it.
    bool selectSeq(quint64 seq);

    // Without Clear, for a log that is a record (a file opened to be read) rather than a live endpoint's.
    void setClearable(bool clearable);

    // Writes the whole log to a JSON Lines file; false with a message in error.
    bool exportTo(const QString &path, QString *error) const;

private:
    void applyFilter();
    void onSelectionChanged();
    void updateStatus();
    void chooseExportFile();

    EventLog *m_log;
    LogModel *m_model;
    LogFilterProxy *m_proxy;
    QTableView *m_table;
    EventDetailView *m_detail;
    QSplitter *m_splitter;
    QLineEdit *m_filterText;
    QToolButton *m_kindButton;
    QToolButton *m_pause;
    QToolButton *m_clear;
    QLabel *m_status;
    QTimer *m_filterDebounce;
    RowFollower *m_follower;
};

} // namespace wslab
