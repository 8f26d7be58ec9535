#include "ui/inspect/FrameTableModel.h"

#include "core/log/EventFormat.h"
#include "core/protocol/Frame.h"
#include "core/protocol/FrameLayout.h"
#include "ui/style/LabColors.h"

#include <QLocale>

namespace wslab {

namespace {

QString framePreview(const LogEvent &e)
{
    const QString text = framePayloadPreview(e.frame, e.payload, 200);
    // A frame that broke a rule says which first: that is what the person is looking for.
    return e.detail.isEmpty() ? text : QStringLiteral("⚠ ") + e.detail + QStringLiteral(" · ") + text;
}

} // namespace

FrameTableModel::FrameTableModel(EventLog *log, QObject *parent)
    : LogModel(log, parent)
{
}

int FrameTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QColor FrameTableModel::colorFor(const LogEvent &e)
{
    if (e.kind != EventKind::Frame)
        return LogModel::colorFor(e.kind);
    if (!e.detail.isEmpty())
        return toneColor(Tone::Error);
    switch (e.frame.opcode) {
    case Opcode::Text:
        return toneColor(Tone::Text);
    case Opcode::Binary:
        return toneColor(Tone::Binary);
    case Opcode::Close:
        return toneColor(Tone::Closing);
    case Opcode::Continuation:
        return toneColor(Tone::Neutral);
    default:
        return toneColor(Tone::Muted);
    }
}

QVariant FrameTableModel::data(const QModelIndex &index, int role) const
{
    const LogEvent *e = eventAt(index.row());
    if (!e || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    const bool frame = e->kind == EventKind::Frame;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return EventFormat::timeOfDay(*e);
        case FromColumn:
            if (!frame)
                return EventFormat::arrow(e->direction);
            return e->frame.fromClient ? tr("client →") : tr("← server");
        case ConnectionColumn:
            return e->peer >= 0 ? QVariant(e->peer) : QVariant();
        case FinColumn:
            return frame ? QVariant(int(e->frame.fin)) : QVariant();
        case RsvColumn:
            return frame ? QVariant(QString::number(e->frame.rsv, 2).rightJustified(3, u'0')) : QVariant();
        case OpcodeColumn:
            return frame ? Opcode::name(e->frame.opcode) : kindName(e->kind);
        case MaskColumn:
            return frame ? QVariant(int(e->frame.masked)) : QVariant();
        case LengthColumn:
            return frame ? QLocale().toString(e->size) : QString();
        case PreviewColumn:
            return frame ? framePreview(*e) : (e->detail.isEmpty() ? EventFormat::summary(*e, 200) : e->detail);
        }
        return {};
    case Qt::ForegroundRole:
        return colorFor(*e);
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case ConnectionColumn:
        case FinColumn:
        case RsvColumn:
        case MaskColumn:
            return int(Qt::AlignCenter);
        case LengthColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (frame && index.column() == PreviewColumn && !e->detail.isEmpty())
            return e->detail;
        return {};
    default:
        // Kind, seq and search text mean the same whatever the columns.
        return LogModel::data(this->index(index.row(), LogModel::TimeColumn), role);
    }
}

QVariant FrameTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case TimeColumn:
            return tr("Time");
        case FromColumn:
            return tr("From");
        case ConnectionColumn:
            return tr("Conn");
        case FinColumn:
            return tr("FIN");
        case RsvColumn:
            return tr("RSV");
        case OpcodeColumn:
            return tr("Opcode");
        case MaskColumn:
            return tr("Mask");
        case LengthColumn:
            return tr("Length");
        case PreviewColumn:
            return tr("Payload");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case ConnectionColumn:
            return tr("which relayed connection: each client that connects to the inspector gets the next number");
        case FinColumn:
            return tr("1 on the last frame of a message; 0 means more fragments follow");
        case RsvColumn:
            return tr("RSV1 RSV2 RSV3: 0 unless an extension says otherwise (RSV1 marks a permessage-deflate message)");
        case MaskColumn:
            return tr("1 when the payload is masked: every frame a client sends must be, no frame a server sends may be");
        case LengthColumn:
            return tr("payload bytes of this frame");
        }
    }
    return {};
}

} // namespace wslab
