#include "ui/inspect/FieldTones.h"

#include <QCoreApplication>

namespace wslab {

Tone toneFor(FrameField::Id id)
{
    switch (id) {
    case FrameField::Id::Fin:
    case FrameField::Id::Rsv1:
    case FrameField::Id::Rsv2:
    case FrameField::Id::Rsv3:
    case FrameField::Id::Opcode:
        return Tone::FrameFlags;
    case FrameField::Id::Mask:
    case FrameField::Id::PayloadLength:
        return Tone::FrameLength;
    case FrameField::Id::ExtendedLength:
        return Tone::FrameExtendedLength;
    case FrameField::Id::MaskingKey:
        return Tone::FrameMaskKey;
    case FrameField::Id::Payload:
        return Tone::FramePayload;
    }
    return Tone::Neutral;
}

QList<FieldLegendEntry> fieldLegend()
{
    auto tr = [](const char *text) { return QCoreApplication::translate("wslab::HexView", text); };
    return {
        {Tone::FrameFlags, tr("FIN · RSV · opcode")},       {Tone::FrameLength, tr("MASK · length")},
        {Tone::FrameExtendedLength, tr("extended length")}, {Tone::FrameMaskKey, tr("masking key")},
        {Tone::FramePayload, tr("payload (masked)")},
    };
}

} // namespace wslab
