#include "ui/settings/SettingFields.h"

#include <QCoreApplication>

#include <algorithm>

namespace wslab {

namespace {

QString suffixFor(SettingUnit unit, qint64 formScale)
{
    // The KiB fields keep the KiB the window has always shown and saved.
    if (unit == SettingUnit::Bytes && formScale == 1024)
        return QStringLiteral(" KiB");
    const QString symbol = settingUnitSymbol(unit);
    return symbol.isEmpty() ? QString() : u' ' + symbol;
}

} // namespace

QSpinBox *makeSettingSpinBox(SettingUnit unit, qint64 min, qint64 max, qint64 formScale, const QString &zeroMeans, const QString &toolTip,
                             qint64 defaultValue, const QString &objectName, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(objectName);
    // The form counts in whole units of formScale: the smallest it can show is the first one at or above min.
    constexpr qint64 kIntMax = std::numeric_limits<int>::max();
    box->setRange(int(std::min((min + formScale - 1) / formScale, kIntMax)), int(std::min(max / formScale, kIntMax)));
    box->setSuffix(suffixFor(unit, formScale));
    if (min == 0 && !zeroMeans.isEmpty())
        box->setSpecialValueText(zeroMeans);
    if (unit == SettingUnit::Millis)
        box->setSingleStep(100);
    box->setToolTip(toolTip);
    box->setValue(int((defaultValue + formScale - 1) / formScale));
    return box;
}

QString settingToolTip(const QString &help, const QString &flag, const QString &defaultText)
{
    return QCoreApplication::translate("SettingFields", "%1 (default %2; wslab-cli --%3)").arg(help, defaultText, flag);
}

} // namespace wslab
