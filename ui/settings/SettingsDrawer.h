#pragma once

#include <QString>

class QScrollArea;
class QToolButton;
class QWidget;

namespace wslab {

// A panel's settings form behind its "Settings" button, the same in the server and the client panel:
// the checkable button (its objectName is what tests and lessons press) and the form in a scroll area
// the button shows and hides. The scroll area squeezes the open form instead of growing the window
// off screen, and is never taller than the form.
struct SettingsDrawer
{
    QToolButton *toggle;
    QScrollArea *area;
};

SettingsDrawer makeSettingsDrawer(QWidget *panel, QWidget *form, const QString &objectName, const QString &toolTip);

} // namespace wslab
