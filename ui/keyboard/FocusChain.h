#pragma once

#include <QList>

class QWidget;

namespace wslab {

// Makes Tab visit the widgets in this order (Shift+Tab the reverse). Widgets are created in whatever
// order their owners need, which is rarely the order a person reads a panel in: top to bottom, then
// left to right. Null entries are skipped, so optional controls can be listed unconditionally, and so
// are widgets inside another listed one (a combo's line edit, a spin box's editor).
void chainFocus(const QList<QWidget *> &order);
// Every widget below root that Tab can reach, in the order they were made.
QList<QWidget *> tabStopsIn(const QWidget *root);

} // namespace wslab
