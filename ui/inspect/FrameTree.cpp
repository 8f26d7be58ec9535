#include "ui/inspect/FrameTree.h"

#include "core/log/EventFormat.h"
#include "core/log/LogEvent.h"
#include "ui/inspect/FieldTones.h"

#include <QHeaderView>

namespace wslab {

namespace {

// Wireshark's bit picture of a field inside a header byte: "1... ....", ".000 ....", ".... 0001".
QString bitPicture(const FrameField &field)
{
    QString bits;
    const qint64 start = field.bitOffset % 8;
    for (int bit = 0; bit < 8; ++bit) {
        if (bit == 4)
            bits += u' ';
        if (bit < start || bit >= start + field.bitCount)
            bits += u'.';
        else
            bits += (field.number >> (field.bitCount - 1 - (bit - start))) & 1 ? u'1' : u'0';
    }
    return bits;
}

} // namespace

FrameTree::FrameTree(QWidget *parent)
    : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("inspectorTree"));
    setAccessibleName(tr("The selected frame, field by field"));
    setHeaderHidden(true);
    setColumnCount(1);
    setUniformRowHeights(true);
    connect(this, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        const int index = item ? item->data(0, kFieldRole).toInt() : -1;
        if (index >= 0 && index < m_layout.fields().size())
            Q_EMIT fieldChosen(m_layout.fields().at(index).bytes);
        else
            Q_EMIT fieldChosen({});
    });
}

void FrameTree::setEvent(const LogEvent *event, const FrameLayout &layout)
{
    const QSignalBlocker quiet(this);
    clear();
    m_layout = layout;
    if (!event)
        return;
    if (!layout.isValid()) {
        auto *top = new QTreeWidgetItem(this, {EventFormat::summary(*event, 200)});
        top->setData(0, kFieldRole, -1);
        const QString text = event->kind == EventKind::Handshake ? QString::fromUtf8(event->payload) : event->detail;
        for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts)) {
            auto *child = new QTreeWidgetItem(top, {line.trimmed()});
            child->setData(0, kFieldRole, -1);
        }
        expandAll();
        return;
    }
    const QString from = event->frame.fromClient ? tr("client → server") : tr("server → client");
    auto *top = new QTreeWidgetItem(this, {tr("WebSocket frame, %1, connection %2, %3 bytes on the wire")
                                               .arg(from)
                                               .arg(event->peer)
                                               .arg(layout.headerSize() + layout.payloadLength())});
    top->setData(0, kFieldRole, -1);
    if (!event->detail.isEmpty()) {
        auto *broken = new QTreeWidgetItem(top, {tr("⚠ %1").arg(event->detail)});
        broken->setData(0, kFieldRole, -1);
        broken->setForeground(0, toneColor(Tone::Error));
    }
    const QList<FrameField> &fields = layout.fields();
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const FrameField &f = fields.at(i);
        QString line = f.name + QStringLiteral(": ") + f.value;
        if (f.bitOffset < 16)
            line = bitPicture(f) + QStringLiteral(" = ") + line;
        auto *item = new QTreeWidgetItem(top, {line});
        item->setData(0, kFieldRole, int(i));
        item->setForeground(0, toneColor(toneFor(f.id)));
        item->setToolTip(0, tr("bytes %1–%2").arg(f.bytes.offset).arg(f.bytes.offset + std::max<qint64>(f.bytes.length, 1) - 1));
    }
    expandAll();
}

void FrameTree::selectByte(qint64 offset)
{
    const FrameField *field = m_layout.fieldAtByte(offset);
    if (!field)
        return;
    if (QTreeWidgetItem *item = itemFor(field->id))
        setCurrentItem(item);
}

QTreeWidgetItem *FrameTree::itemFor(FrameField::Id id) const
{
    if (topLevelItemCount() == 0)
        return nullptr;
    QTreeWidgetItem *top = topLevelItem(0);
    for (int i = 0; i < top->childCount(); ++i) {
        const int index = top->child(i)->data(0, kFieldRole).toInt();
        if (index >= 0 && index < m_layout.fields().size() && m_layout.fields().at(index).id == id)
            return top->child(i);
    }
    return nullptr;
}

} // namespace wslab
