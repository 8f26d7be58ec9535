#include "ui/log/LogFilterProxy.h"

#include "ui/log/LogModel.h"

namespace wslab {

LogFilterProxy::LogFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

void LogFilterProxy::setKinds(const QSet<EventKind> &kinds)
{
    if (kinds == m_kinds)
        return;
    m_kinds = kinds;
    invalidateRowsFilter();
}

void LogFilterProxy::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

bool LogFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_kinds.isEmpty() && !m_kinds.contains(EventKind(index.data(LogModel::KindRole).toInt())))
        return false;
    if (!m_text.isEmpty() && !index.data(LogModel::SearchTextRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}

} // namespace wslab
