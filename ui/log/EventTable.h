#pragma once

#include <QObject>

class QTableView;

namespace wslab {

class LogModel;

// What every table of events shares (the logs, the inspector's frames): whole rows chosen one at a
// time, no wrapping, no grid, alternating rows, the last column stretched, and uniform fixed row
// heights, so the view never measures 200,000 rows.
void setUpEventTable(QTableView *table);

// Follows a LogModel's new rows only while the user is at the bottom of the table: scrolling up stops
// it, scrolling back down resumes it.
class RowFollower : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RowFollower)
public:
    RowFollower(QTableView *table, LogModel *model);

    bool isFollowing() const { return m_follow; }
    // Scrolls to the newest row if following.
    void catchUp();

private:
    QTableView *m_table;
    bool m_follow = true;
};

} // namespace wslab
