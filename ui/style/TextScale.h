#pragma once

#include <QFont>

#include <functional>

class QWidget;

namespace wslab {

// The size of every text in the window, as a percentage of the platform's: View → Bigger text
// (Ctrl+=), Smaller text (Ctrl+-), Normal size (Ctrl+0), and Presentation mode. One application font
// carries it to every widget; the few panes that set a font of their own (the monospace ones) take it
// through useMonospace().
namespace TextScale {

inline constexpr int kNormal = 100;
inline constexpr int kPresentation = 175; // the least presentation mode starts from
inline constexpr int kSmallest = 80;
inline constexpr int kLargest = 300;

int percent();
// Scales the application font from the platform's size, remembered at the first call.
void apply(int percent);
// The next size up (+1) or down (-1) from `percent`, within kSmallest..kLargest.
int step(int percent, int direction);
// The height of a table row for `view`'s font: its text and a padding that grows with the scale, so
// presentation mode has taller rows.
int rowHeight(const QWidget *view);
// The platform's fixed-pitch font at the current scale.
QFont monospaceFont();
// Calls `adjust` now and each time the font of `widget`, which follows the application's, changes
// (Qt delivers the new application font to widgets with an event, after apply() returns).
void follow(QWidget *widget, std::function<void()> adjust);
// The monospace font on `widget`, now and at every change of scale.
void useMonospace(QWidget *widget);

} // namespace TextScale

} // namespace wslab
