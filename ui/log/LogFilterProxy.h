#pragma once

#include "core/log/LogEvent.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace wslab {

// Keeps the rows whose kind is selected and whose one-line text contains the filter text
// (case-insensitive). The view only puts it between itself and the LogModel while a filter is set,
// so an unfiltered flood costs no proxy mapping at all.
class LogFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogFilterProxy)
public:
    explicit LogFilterProxy(QObject *parent = nullptr);

    void setKinds(const QSet<EventKind> &kinds); // empty: every kind
    QSet<EventKind> kinds() const { return m_kinds; }
    void setText(const QString &text);
    QString text() const { return m_text; }
    bool isActive() const { return !m_kinds.isEmpty() || !m_text.isEmpty(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QSet<EventKind> m_kinds;
    QString m_text;
};

} // namespace wslab
