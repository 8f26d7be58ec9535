#pragma once

#include "core/protocol/FrameLayout.h"
#include "ui/style/LabColors.h"

#include <QList>
#include <QString>

namespace wslab {

// The colour of a frame field wherever the inspector draws it (hex view, legend, bit diagram): one tone
// per header byte group, so the eye can follow a field from one view to the other.
Tone toneFor(FrameField::Id id);

struct FieldLegendEntry
{
    Tone tone;
    QString label;
};
// The legend under the hex view, in wire order.
QList<FieldLegendEntry> fieldLegend();

} // namespace wslab
