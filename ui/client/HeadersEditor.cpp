#include "ui/client/HeadersEditor.h"

#include "core/protocol/HttpGrammar.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace wslab {

namespace {

QString cell(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text().trimmed() : QString();
}

} // namespace

HeadersEditor::HeadersEditor(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, 2, this))
{
    setObjectName(QStringLiteral("clientHeaders"));
    m_table->setObjectName(QStringLiteral("clientHeadersTable"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setToolTip(tr("Extra HTTP headers sent with the upgrade request, e.g. Authorization: Bearer …"));
    m_table->setMaximumHeight(m_table->fontMetrics().lineSpacing() * 6 + 12);
    auto *add = new QToolButton(this);
    add->setObjectName(QStringLiteral("clientHeaderAdd"));
    add->setText(QStringLiteral("+"));
    add->setToolTip(tr("Add a header"));
    connect(add, &QToolButton::clicked, this, [this] {
        addRow();
        m_table->editItem(m_table->item(m_table->rowCount() - 1, 0));
    });
    auto *remove = new QToolButton(this);
    remove->setObjectName(QStringLiteral("clientHeaderRemove"));
    remove->setText(QStringLiteral("−"));
    remove->setToolTip(tr("Remove the selected header"));
    connect(remove, &QToolButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row >= 0)
            m_table->removeRow(row);
    });
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
}

void HeadersEditor::addRow(const QString &name, const QString &value)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(name));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
}

bool HeadersEditor::headers(Headers *out, QString *error) const
{
    out->clear();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString name = cell(m_table, row, 0);
        const QString value = cell(m_table, row, 1);
        if (name.isEmpty() && value.isEmpty())
            continue;
        const QByteArray nameBytes = name.toUtf8();
        const QByteArray valueBytes = value.toUtf8();
        if (const QString problem = HttpGrammar::headerProblem(nameBytes, valueBytes); !problem.isEmpty()) {
            *error = tr("Header %1: %2").arg(row + 1).arg(problem);
            return false;
        }
        out->append({nameBytes, valueBytes});
    }
    return true;
}

void HeadersEditor::setHeaders(const Headers &headers)
{
    m_table->setRowCount(0);
    for (const auto &[name, value] : headers)
        addRow(QString::fromLatin1(name), QString::fromUtf8(value));
}

QString HeadersEditor::toText() const
{
    QStringList lines;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString name = cell(m_table, row, 0);
        const QString value = cell(m_table, row, 1);
        if (!name.isEmpty() || !value.isEmpty())
            lines << name + QStringLiteral(": ") + value;
    }
    return lines.join(u'\n');
}

void HeadersEditor::setText(const QString &text)
{
    m_table->setRowCount(0);
    for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(u':');
        if (colon < 0)
            addRow(line.trimmed());
        else
            addRow(line.left(colon).trimmed(), line.mid(colon + 1).trimmed());
    }
}

} // namespace wslab
