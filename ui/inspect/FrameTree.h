#pragma once

#include "core/protocol/FrameLayout.h"

#include <QTreeWidget>

namespace wslab {

struct LogEvent;

// The selected event decoded as Wireshark draws it: for a frame one line per field, "1... .... = FIN: 1",
// "Opcode: 0x1 Text", "Masking key: 37 fa 21 3d", "Payload: Hello"; for the relay's other events (a
// handshake, a note) their lines. Choosing a field tells which bytes it occupies.
class FrameTree : public QTreeWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FrameTree)
public:
    static constexpr int kFieldRole = Qt::UserRole + 1; // index into FrameLayout::fields(), -1 for a heading

    explicit FrameTree(QWidget *parent = nullptr);

    void setEvent(const LogEvent *event, const FrameLayout &layout);
    // Selects the field holding this wire byte, as when it is clicked in the hex view.
    void selectByte(qint64 offset);
    // The item of a field, for tests: nullptr when the frame has none.
    QTreeWidgetItem *itemFor(FrameField::Id id) const;

Q_SIGNALS:
    void fieldChosen(wslab::ByteRange bytes);

private:
    FrameLayout m_layout;
};

} // namespace wslab
