#pragma once

#include "ui/log/LogModel.h"

namespace wslab {

// The relay's log as a frame table, Wireshark's packet list for WebSocket frames: time, which side sent
// it, the connection, FIN, RSV, opcode by name, MASK, payload length and a preview. It is a LogModel
// with other columns, so rows arrive the same batched way (≤ 30 Hz, one insert per flush, evicted rows
// removed). The relay's handshakes and notes (Info, Open, Error) are rows too, with their kind in the
// opcode column.
class FrameTableModel : public LogModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FrameTableModel)
public:
    enum Column {
        TimeColumn,
        FromColumn,
        ConnectionColumn,
        FinColumn,
        RsvColumn,
        OpcodeColumn,
        MaskColumn,
        LengthColumn,
        PreviewColumn,
        ColumnCount
    };

    explicit FrameTableModel(EventLog *log, QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QColor colorFor(const LogEvent &event);
};

} // namespace wslab
