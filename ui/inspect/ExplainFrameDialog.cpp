#include "ui/inspect/ExplainFrameDialog.h"

#include "core/log/LogEvent.h"
#include "ui/inspect/FieldTones.h"
#include "ui/style/TextScale.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QScreen>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

namespace wslab {

namespace {

// The names the RFC's picture uses, short enough for a box of one bit.
QString boxName(FrameField::Id id)
{
    switch (id) {
    case FrameField::Id::Fin:
        return QStringLiteral("FIN");
    case FrameField::Id::Rsv1:
        return QStringLiteral("RSV1");
    case FrameField::Id::Rsv2:
        return QStringLiteral("RSV2");
    case FrameField::Id::Rsv3:
        return QStringLiteral("RSV3");
    case FrameField::Id::Opcode:
        return QStringLiteral("opcode");
    case FrameField::Id::Mask:
        return QStringLiteral("MASK");
    case FrameField::Id::PayloadLength:
        return QStringLiteral("Payload len");
    case FrameField::Id::ExtendedLength:
        return QStringLiteral("Extended payload length");
    case FrameField::Id::MaskingKey:
        return QStringLiteral("Masking-key");
    case FrameField::Id::Payload:
        return QStringLiteral("Payload Data");
    }
    return {};
}

// What a one-bit box says when its name does not fit: the RFC writes R, S, V down the box instead.
QString tinyName(FrameField::Id id)
{
    switch (id) {
    case FrameField::Id::Rsv1:
        return QStringLiteral("R1");
    case FrameField::Id::Rsv2:
        return QStringLiteral("R2");
    case FrameField::Id::Rsv3:
        return QStringLiteral("R3");
    case FrameField::Id::Mask:
        return QStringLiteral("M");
    default:
        return {};
    }
}

QString hex2(quint8 b)
{
    return QStringLiteral("0x") + QString::number(b, 16).rightJustified(2, u'0');
}

QString binary8(quint8 b)
{
    const QString bits = QString::number(b, 2).rightJustified(8, u'0');
    return bits.left(4) + u' ' + bits.mid(4);
}

} // namespace

BitDiagram::BitDiagram(const FrameLayout &layout, QWidget *parent)
    : QWidget(parent)
    , m_layout(layout)
{
    setObjectName(QStringLiteral("explainBitDiagram"));
    setAccessibleName(tr("The frame's bits as RFC 6455 §5.2 draws them"));
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    const QByteArray &wire = layout.wireBytes();
    // Each field, and then each payload byte drawn, cut where a row of 32 bits ends.
    auto addSplit = [this, &wire](qint64 bitOffset, qint64 bitCount, const QString &name, const QString &wholeValue, FrameField::Id id) {
        qint64 at = bitOffset;
        const qint64 end = bitOffset + bitCount;
        while (at < end) {
            const qint64 rowEnd = (at / kBitsPerRow + 1) * kBitsPerRow;
            const qint64 count = std::min(end, rowEnd) - at;
            QString value = wholeValue;
            // A field of whole bytes cut over two rows shows on each row the bytes it holds there.
            if (count != bitCount && at % 8 == 0 && count % 8 == 0)
                value = QString::fromLatin1(wire.mid(at / 8, count / 8).toHex(' '));
            const bool continued = at != bitOffset;
            m_boxes.append({at, count, continued ? name + tr(" (continued)") : name, value, id});
            at += count;
        }
    };
    for (const FrameField &f : layout.fields()) {
        if (f.id == FrameField::Id::Payload)
            continue;
        QString value = f.value;
        if (f.id == FrameField::Id::Opcode)
            value = QStringLiteral("%1 %2").arg(f.value.section(u' ', 0, 0), f.value.section(u' ', 1));
        else if (f.id == FrameField::Id::PayloadLength)
            value = QString::number(f.number);
        addSplit(f.bitOffset, f.bitCount, boxName(f.id), value, f.id);
    }
    const qint64 payloadBytes = std::min<qint64>(kPayloadBytesDrawn, wire.size() - layout.headerSize());
    for (qint64 i = 0; i < payloadBytes; ++i)
        addSplit((layout.headerSize() + i) * 8, 8, tr("payload[%1]").arg(i), hex2(quint8(wire.at(layout.headerSize() + i))),
                 FrameField::Id::Payload);
    m_bitsDrawn = (layout.headerSize() + payloadBytes) * 8;
    // The scroll area around it does not resize it: a new text size must.
    TextScale::follow(this, [this] {
        updateGeometry();
        resize(sizeHint());
    });
}

QString BitDiagram::bits() const
{
    QString out;
    const QByteArray &wire = m_layout.wireBytes();
    for (qint64 bit = 0; bit < m_bitsDrawn; ++bit)
        out += (quint8(wire.at(bit / 8)) >> (7 - bit % 8)) & 1 ? u'1' : u'0';
    return out;
}

int BitDiagram::cellWidth() const
{
    return fontMetrics().horizontalAdvance(QStringLiteral("000")) + 4;
}

int BitDiagram::rowHeight() const
{
    return fontMetrics().height() * 3 + 10;
}

int BitDiagram::rulerHeight() const
{
    return fontMetrics().height() * 2 + 4;
}

QSize BitDiagram::sizeHint() const
{
    const qint64 rows = (m_bitsDrawn + kBitsPerRow - 1) / kBitsPerRow;
    const bool more = m_layout.payloadLength() > kPayloadBytesDrawn;
    return {kBitsPerRow * cellWidth() + 2 * 8, rulerHeight() + int(rows) * rowHeight() + (more ? fontMetrics().height() * 2 : 0) + 12};
}

void BitDiagram::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette &pal = palette();
    const QFontMetrics fm = fontMetrics();
    const int cw = cellWidth();
    const int rh = rowHeight();
    const int left = 8;
    const int top = rulerHeight() + 4;
    const QString bitString = bits();

    // The ruler as the RFC writes it: tens over units, 0 to 31.
    p.setPen(pal.color(QPalette::PlaceholderText));
    for (int bit = 0; bit < kBitsPerRow; ++bit) {
        const QRect cell(left + bit * cw, 0, cw, fm.height());
        if (bit % 10 == 0)
            p.drawText(cell, Qt::AlignCenter, QString::number(bit / 10));
        p.drawText(cell.translated(0, fm.height()), Qt::AlignCenter, QString::number(bit % 10));
    }

    for (const Box &box : m_boxes) {
        const int row = int(box.bitOffset / kBitsPerRow);
        const int column = int(box.bitOffset % kBitsPerRow);
        const QRect rect(left + column * cw, top + row * rh, int(box.bitCount) * cw, rh);
        const QColor tone = toneColor(toneFor(box.id), pal);
        QColor wash = tone;
        wash.setAlpha(28);
        p.fillRect(rect, wash);
        p.setPen(QPen(pal.color(QPalette::Text), 1));
        p.drawRect(rect.adjusted(0, 0, -1, -1));
        // Line 1: the bits, one per cell. Lines 2 and 3: the field's name and value, cut to the box.
        p.setPen(tone);
        const int line = fm.height();
        for (qint64 i = 0; i < box.bitCount; ++i) {
            const QRect cell(rect.x() + int(i) * cw, rect.y() + 3, cw, line);
            p.drawText(cell, Qt::AlignCenter, QString(bitString.at(box.bitOffset + i)));
        }
        p.setPen(pal.color(QPalette::Text));
        const QRect nameRect(rect.x() + 2, rect.y() + 3 + line, rect.width() - 4, line);
        const QString name = fm.horizontalAdvance(box.name) > nameRect.width() && !tinyName(box.id).isEmpty() ? tinyName(box.id) : box.name;
        p.drawText(nameRect, Qt::AlignCenter, fm.elidedText(name, Qt::ElideRight, nameRect.width()));
        QFont bold = font();
        bold.setBold(true);
        p.setFont(bold);
        p.setPen(tone);
        const QRect valueRect(rect.x() + 2, rect.y() + 3 + 2 * line, rect.width() - 4, line);
        p.drawText(valueRect, Qt::AlignCenter, QFontMetrics(bold).elidedText(box.value, Qt::ElideRight, valueRect.width()));
        p.setFont(font());
    }
    if (m_layout.payloadLength() > kPayloadBytesDrawn) {
        const int rows = int((m_bitsDrawn + kBitsPerRow - 1) / kBitsPerRow);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRect(left, top + rows * rh + 4, kBitsPerRow * cw, fm.height() * 2), Qt::AlignLeft | Qt::AlignTop,
                   tr("… Payload Data continues: %1 bytes in all").arg(m_layout.payloadLength()));
    }
}

ExplainFrameDialog::ExplainFrameDialog(const LogEvent &event, QWidget *parent)
    : QDialog(parent)
    , m_layout(FrameLayout::fromEvent(event))
    , m_summary(new QLabel(this))
    , m_diagram(new BitDiagram(m_layout, this))
    , m_unmasking(new QTableWidget(this))
{
    setObjectName(QStringLiteral("explainFrame"));
    setWindowTitle(tr("Explain this frame"));
    m_summary->setObjectName(QStringLiteral("explainSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(summary());

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_diagram);
    scroll->setWidgetResizable(false);
    scroll->setAlignment(Qt::AlignHCenter);

    auto *unmaskTitle = new QLabel(this);
    unmaskTitle->setWordWrap(true);
    const QList<UnmaskStep> steps = m_layout.unmasking(kUnmaskedBytes);
    if (m_layout.isMasked()) {
        unmaskTitle->setText(tr("<b>Unmasking</b> (RFC 6455 §5.3): byte <i>i</i> of the payload XOR key byte <i>i</i> mod 4 gives the "
                                "byte the client meant. The first %n byte(s):",
                                nullptr, int(steps.size())));
    } else {
        unmaskTitle->setText(tr("<b>Not masked</b>: %1, so the payload travels as it is. The first %n byte(s):", nullptr, int(steps.size()))
                                 .arg(event.frame.fromClient
                                          ? tr("a client must mask every frame (RFC 6455 §5.1) — this one broke the rule")
                                          : tr("a server never masks its frames (RFC 6455 §5.1)")));
    }
    m_unmasking->setObjectName(QStringLiteral("explainUnmasking"));
    m_unmasking->setColumnCount(5);
    m_unmasking->setHorizontalHeaderLabels({tr("i"), tr("Masked byte"), tr("Key byte [i mod 4]"), tr("Masked XOR key"), tr("Character")});
    m_unmasking->setRowCount(int(steps.size()));
    for (int row = 0; row < steps.size(); ++row) {
        const UnmaskStep &s = steps.at(row);
        const QStringList cells{QString::number(s.index), hex2(s.masked) + QStringLiteral("  ") + binary8(s.masked),
                                QStringLiteral("key[%1] = ").arg(s.keyIndex) + hex2(s.keyByte),
                                hex2(s.unmasked) + QStringLiteral("  ") + binary8(s.unmasked),
                                s.character == u" " ? tr("␣ (space)") : s.character};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            if (column == 1)
                item->setForeground(toneColor(Tone::FramePayload));
            if (column == 2)
                item->setForeground(toneColor(Tone::FrameMaskKey));
            m_unmasking->setItem(row, column, item);
        }
    }
    m_unmasking->verticalHeader()->hide();
    m_unmasking->horizontalHeader()->setStretchLastSection(true);
    m_unmasking->setEditTriggers(QAbstractItemView::NoEditTriggers);
    TextScale::useMonospace(m_unmasking);
    TextScale::follow(m_unmasking, [this] {
        m_unmasking->verticalHeader()->setDefaultSectionSize(TextScale::rowHeight(m_unmasking));
        m_unmasking->resizeColumnsToContents();
    });

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    // The diagram takes the height it needs (up to half a screen); the unmasking table the rest.
    scroll->setMinimumHeight(std::min(m_diagram->sizeHint().height() + 2 * scroll->frameWidth() + 4, 520));
    layout->addWidget(scroll);
    layout->addWidget(unmaskTitle);
    layout->addWidget(m_unmasking, 1);
    layout->addWidget(buttons);
    // Wide enough for the whole diagram where the screen allows, so a class sees every row of 32 bits.
    const QRect screenArea = screen() ? screen()->availableGeometry() : QRect(0, 0, 1400, 800);
    resize(std::min(screenArea.width() - 40, m_diagram->sizeHint().width() + 60), std::min(screenArea.height() - 40, 800));
}

QString ExplainFrameDialog::summary() const
{
    if (!m_layout.isValid())
        return tr("Only frames can be explained.");
    auto number = [this](FrameField::Id id) { return m_layout.field(id) ? m_layout.field(id)->number : 0; };
    QString text =
        tr("FIN=%1, RSV=%2%3%4, opcode=%5 (%6), MASK=%7, payload length %8")
            .arg(number(FrameField::Id::Fin))
            .arg(number(FrameField::Id::Rsv1))
            .arg(number(FrameField::Id::Rsv2))
            .arg(number(FrameField::Id::Rsv3))
            .arg(QString::number(number(FrameField::Id::Opcode), 2).rightJustified(4, u'0'), m_layout.field(FrameField::Id::Opcode)->value)
            .arg(number(FrameField::Id::Mask))
            .arg(m_layout.payloadLength());
    if (const FrameField *key = m_layout.field(FrameField::Id::MaskingKey))
        text += tr(", masking key %1").arg(key->value);
    return text + tr(". Header: %n byte(s).", nullptr, m_layout.headerSize());
}

} // namespace wslab
