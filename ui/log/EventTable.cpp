#include "ui/log/EventTable.h"

#include "ui/log/LogModel.h"

#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

namespace wslab {

void setUpEventTable(QTableView *table)
{
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setWordWrap(false);
    table->setShowGrid(false);
    table->setAlternatingRowColors(true);
    table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    QHeaderView *rows = table->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->hide();
    QHeaderView *columns = table->horizontalHeader();
    columns->setStretchLastSection(true);
    columns->setSectionResizeMode(QHeaderView::Interactive);
}

RowFollower::RowFollower(QTableView *table, LogModel *model)
    : QObject(table)
    , m_table(table)
{
    QScrollBar *scroll = table->verticalScrollBar();
    connect(scroll, &QScrollBar::valueChanged, this, [this, scroll](int value) { m_follow = value >= scroll->maximum() - 1; });
    connect(model, &LogModel::flushed, this, &RowFollower::catchUp);
}

void RowFollower::catchUp()
{
    if (m_follow)
        m_table->scrollToBottom();
}

} // namespace wslab
