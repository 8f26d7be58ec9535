#pragma once

#include "core/protocol/FrameLayout.h"

#include <QAbstractScrollArea>

namespace wslab {

// A frame's bytes as they travelled, 16 a line (offset, hex, ASCII), each header field's bytes in its
// own colour (FieldTones) and one range highlighted: the field chosen in the decoded tree. Painted by
// hand, only the lines in view, so a 64 KiB payload costs what one screen does.
class HexView : public QAbstractScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HexView)
public:
    static constexpr int kBytesPerLine = 16;

    explicit HexView(QWidget *parent = nullptr);

    void setFrame(const FrameLayout &layout); // an invalid layout clears
    const FrameLayout &frame() const { return m_layout; }
    void setHighlight(ByteRange range);
    ByteRange highlight() const { return m_highlight; }
    // The lines as text, as a screen reader or a test reads them: "0000  81 85 37 fa …  |..7.|".
    QString text() const;
    QSize sizeHint() const override;

Q_SIGNALS:
    // A byte was clicked: its offset in the frame.
    void byteClicked(qint64 offset);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool viewportEvent(QEvent *event) override;

private:
    struct Metrics
    {
        int charWidth;
        int lineHeight;
        int ascent;
        int hexX; // where the first hex digit starts
        int asciiX;
    };
    Metrics metrics() const;
    qint64 lineCount() const;
    void updateScrollBars();
    qint64 byteAt(const QPoint &pos) const;

    FrameLayout m_layout;
    ByteRange m_highlight;
};

} // namespace wslab
