#include "ui/inspect/HexView.h"

#include "ui/inspect/FieldTones.h"
#include "ui/style/TextScale.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

namespace wslab {

namespace {

QChar printable(quint8 b)
{
    return b >= 0x20 && b < 0x7f ? QChar::fromLatin1(char(b)) : QChar(u'.');
}

// Lines below 64 KiB are numbered with 4 hex digits, longer frames with 8.
int offsetDigits(qint64 size)
{
    return size > 0xFFFF ? 8 : 4;
}

} // namespace

HexView::HexView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setObjectName(QStringLiteral("inspectorHex"));
    setAccessibleName(tr("Frame bytes in hexadecimal"));
    TextScale::useMonospace(this);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
}

void HexView::setFrame(const FrameLayout &layout)
{
    m_layout = layout;
    m_highlight = {};
    verticalScrollBar()->setValue(0);
    updateScrollBars();
    viewport()->update();
}

void HexView::setHighlight(ByteRange range)
{
    m_highlight = range;
    // Bring the start of the field into view: a payload may begin below the first screen.
    const Metrics m = metrics();
    const qint64 line = range.offset / kBytesPerLine;
    const int visibleLines = std::max(1, viewport()->height() / m.lineHeight);
    QScrollBar *bar = verticalScrollBar();
    if (line < bar->value() || line >= bar->value() + visibleLines)
        bar->setValue(int(line));
    viewport()->update();
}

HexView::Metrics HexView::metrics() const
{
    const QFontMetrics fm(font());
    Metrics m;
    m.charWidth = fm.horizontalAdvance(u'0');
    m.lineHeight = fm.height() + 2;
    m.ascent = fm.ascent() + 1;
    m.hexX = m.charWidth * (offsetDigits(m_layout.wireBytes().size()) + 2);
    m.asciiX = m.hexX + m.charWidth * (kBytesPerLine * 3 + 2);
    return m;
}

QSize HexView::sizeHint() const
{
    const Metrics m = metrics();
    return {m.asciiX + m.charWidth * (kBytesPerLine + 3) + 2 * frameWidth() + verticalScrollBar()->sizeHint().width(), m.lineHeight * 8};
}

qint64 HexView::lineCount() const
{
    return (m_layout.wireBytes().size() + kBytesPerLine - 1) / kBytesPerLine;
}

void HexView::updateScrollBars()
{
    const Metrics m = metrics();
    const int visibleLines = std::max(1, viewport()->height() / m.lineHeight);
    verticalScrollBar()->setRange(0, int(std::max<qint64>(0, lineCount() - visibleLines)));
    verticalScrollBar()->setPageStep(visibleLines);
    const int contentWidth = m.asciiX + m.charWidth * (kBytesPerLine + 1);
    horizontalScrollBar()->setRange(0, std::max(0, contentWidth - viewport()->width()));
    horizontalScrollBar()->setPageStep(viewport()->width());
}

void HexView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void HexView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    const QPalette &pal = palette();
    p.fillRect(viewport()->rect(), pal.color(QPalette::Base));
    const QByteArray &bytes = m_layout.wireBytes();
    if (bytes.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(viewport()->rect().adjusted(8, 8, -8, -8), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                   tr("Select a frame to see its bytes as they travelled."));
        return;
    }
    const Metrics m = metrics();
    p.translate(-horizontalScrollBar()->value(), 0);
    const qint64 first = verticalScrollBar()->value();
    const qint64 last = std::min(lineCount(), first + viewport()->height() / m.lineHeight + 2);
    const int digits = offsetDigits(bytes.size());
    const QColor offsetColor = pal.color(QPalette::PlaceholderText);
    for (qint64 line = first; line < last; ++line) {
        const int y = int(line - first) * m.lineHeight;
        p.setPen(offsetColor);
        p.drawText(0, y + m.ascent, QString::number(line * kBytesPerLine, 16).rightJustified(digits, u'0'));
        for (int i = 0; i < kBytesPerLine; ++i) {
            const qint64 offset = line * kBytesPerLine + i;
            if (offset >= bytes.size())
                break;
            const auto b = quint8(bytes.at(offset));
            const FrameField *field = m_layout.fieldAtByte(offset);
            const QColor tone = field ? toneColor(toneFor(field->id), pal) : pal.color(QPalette::Text);
            const int x = m.hexX + m.charWidth * (i * 3 + (i >= 8 ? 1 : 0));
            const QRect hexCell(x - m.charWidth / 2, y, m.charWidth * 3, m.lineHeight);
            const QRect asciiCell(m.asciiX + m.charWidth * i, y, m.charWidth, m.lineHeight);
            const bool lit = offset >= m_highlight.offset && offset < m_highlight.offset + m_highlight.length;
            QColor ink = tone;
            if (lit) {
                p.fillRect(hexCell, pal.color(QPalette::Highlight));
                p.fillRect(asciiCell, pal.color(QPalette::Highlight));
                ink = pal.color(QPalette::HighlightedText);
            } else {
                // A faint wash of the field's colour shows where one field ends and the next begins.
                QColor wash = tone;
                wash.setAlpha(28);
                p.fillRect(hexCell, wash);
            }
            p.setPen(ink);
            p.drawText(x, y + m.ascent, QString::number(b, 16).rightJustified(2, u'0'));
            p.drawText(asciiCell.x(), y + m.ascent, QString(printable(b)));
        }
    }
}

qint64 HexView::byteAt(const QPoint &pos) const
{
    const Metrics m = metrics();
    const int x = pos.x() + horizontalScrollBar()->value();
    const qint64 line = verticalScrollBar()->value() + pos.y() / m.lineHeight;
    int column = -1;
    if (x >= m.asciiX) {
        column = (x - m.asciiX) / m.charWidth;
    } else if (x >= m.hexX - m.charWidth / 2) {
        int cell = (x - m.hexX + m.charWidth / 2) / m.charWidth;
        if (cell >= 8 * 3 + 1)
            cell -= 1; // the gap after the eighth byte
        column = cell / 3;
    }
    if (column < 0 || column >= kBytesPerLine)
        return -1;
    const qint64 offset = line * kBytesPerLine + column;
    return offset < m_layout.wireBytes().size() ? offset : -1;
}

void HexView::mousePressEvent(QMouseEvent *event)
{
    const qint64 offset = byteAt(event->position().toPoint());
    if (offset >= 0)
        Q_EMIT byteClicked(offset);
    QAbstractScrollArea::mousePressEvent(event);
}

bool HexView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const qint64 offset = byteAt(help->pos());
        const FrameField *field = offset >= 0 ? m_layout.fieldAtByte(offset) : nullptr;
        if (field)
            QToolTip::showText(help->globalPos(), tr("byte %1 · %2: %3").arg(offset).arg(field->name, field->value.left(80)), this);
        else
            QToolTip::hideText();
        return true;
    }
    if (event->type() == QEvent::FontChange)
        updateScrollBars();
    return QAbstractScrollArea::viewportEvent(event);
}

QString HexView::text() const
{
    const QByteArray &bytes = m_layout.wireBytes();
    QStringList lines;
    for (qint64 line = 0; line < lineCount(); ++line) {
        const QByteArray chunk = bytes.mid(line * kBytesPerLine, kBytesPerLine);
        QString ascii;
        for (char c : chunk)
            ascii += printable(quint8(c));
        lines << QString::number(line * kBytesPerLine, 16).rightJustified(offsetDigits(bytes.size()), u'0') + QStringLiteral("  ") +
                     QString::fromLatin1(chunk.toHex(' ')) + QStringLiteral("  |") + ascii + u'|';
    }
    return lines.join(u'\n');
}

} // namespace wslab
