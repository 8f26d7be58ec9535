#pragma once

#include "core/protocol/FrameLayout.h"

#include <QDialog>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace wslab {

struct LogEvent;

// RFC 6455 §5.2's picture of a frame, drawn as the RFC draws it (rows of 32 bits, one box per field)
// and filled with one real frame's bits, names and values; the payload's first bytes as boxes of 8.
// Painted with the widget's font, so it grows with the text size (presentation mode).
class BitDiagram : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BitDiagram)
public:
    static constexpr int kBitsPerRow = 32;
    static constexpr int kPayloadBytesDrawn = 8;

    explicit BitDiagram(const FrameLayout &layout, QWidget *parent = nullptr);

    // One box of the picture: a field, or a payload byte, or the part of one on a row.
    struct Box
    {
        qint64 bitOffset;
        qint64 bitCount;
        QString name;
        QString value;
        FrameField::Id id;
    };
    // Every box, split at row ends, in wire order (tests read them).
    const QList<Box> &boxes() const { return m_boxes; }
    // The bits drawn, as a string of 0s and 1s (header and the payload bytes drawn).
    QString bits() const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int cellWidth() const;
    int rowHeight() const;
    int rulerHeight() const;

    FrameLayout m_layout;
    QList<Box> m_boxes;
    qint64 m_bitsDrawn = 0;
};

// "Explain this frame" (issue 11): the frame's header in words, its bit diagram, and its payload
// unmasked byte by byte (masked byte XOR key byte i mod 4 = the byte sent) for the first 16 bytes.
class ExplainFrameDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExplainFrameDialog)
public:
    static constexpr int kUnmaskedBytes = 16;

    ExplainFrameDialog(const LogEvent &event, QWidget *parent = nullptr);

    BitDiagram *diagram() const { return m_diagram; }
    QTableWidget *unmaskingTable() const { return m_unmasking; }
    QString summary() const;

private:
    FrameLayout m_layout;
    QLabel *m_summary;
    BitDiagram *m_diagram;
    QTableWidget *m_unmasking;
};

} // namespace wslab
