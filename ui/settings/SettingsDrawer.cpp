#include "ui/settings/SettingsDrawer.h"

#include <QScrollArea>
#include <QToolButton>

namespace wslab {

SettingsDrawer makeSettingsDrawer(QWidget *panel, QWidget *form, const QString &objectName, const QString &toolTip)
{
    auto *toggle = new QToolButton(panel);
    toggle->setObjectName(objectName);
    toggle->setText(QToolButton::tr("Settings"));
    toggle->setCheckable(true);
    toggle->setToolTip(toolTip);
    auto *area = new QScrollArea(panel);
    area->setWidget(form);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setMaximumHeight(form->sizeHint().height() + 4);
    area->hide();
    QObject::connect(toggle, &QToolButton::toggled, area, &QWidget::setVisible);
    return {toggle, area};
}

} // namespace wslab
