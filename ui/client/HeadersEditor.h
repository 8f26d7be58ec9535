#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QWidget>

class QTableWidget;

namespace wslab {

// Extra HTTP headers for the upgrade request as a name/value table. A bad name or a value with a line
// break is refused here, with the row named, so it never reaches the request as a broken head.
class HeadersEditor : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadersEditor)
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    explicit HeadersEditor(QWidget *parent = nullptr);

    // Rows with both cells empty are skipped; false with error naming the first bad row.
    bool headers(Headers *out, QString *error) const;
    void setHeaders(const Headers &headers);
    // "Name: value" lines, the form kept in settings.
    QString toText() const;
    void setText(const QString &text);
    void addRow(const QString &name = {}, const QString &value = {});
    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table;
};

} // namespace wslab
