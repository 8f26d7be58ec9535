#include "core/settings/Setting.h"

namespace wslab {

QString settingUnitSymbol(SettingUnit unit)
{
    switch (unit) {
    case SettingUnit::Millis:
        return QStringLiteral("ms");
    case SettingUnit::Bytes:
        return QStringLiteral("bytes");
    case SettingUnit::MessagesPerSecond:
        return QStringLiteral("msg/s");
    case SettingUnit::Count:
    case SettingUnit::Port:
    case SettingUnit::Switch:
        break;
    }
    return {};
}

QString judgeSettingText(const QString &flag, SettingUnit unit, qint64 min, qint64 max, const QString &text, qint64 *value)
{
    bool ok = false;
    const qint64 v = text.trimmed().toLongLong(&ok);
    if (ok && v >= min && v <= max) {
        if (value)
            *value = v;
        return {};
    }
    const QString words = settingUnitSymbol(unit);
    return QStringLiteral("--%1 must be a whole number%2 from %3 to %4, got \"%5\"")
        .arg(flag, words.isEmpty() ? QString() : QStringLiteral(" of ") + words)
        .arg(min)
        .arg(max)
        .arg(text);
}

QString describeSettingValue(SettingUnit unit, qint64 value, const QString &zeroMeans)
{
    if (value == 0 && !zeroMeans.isEmpty())
        return QStringLiteral("0: ") + zeroMeans;
    if (unit == SettingUnit::Bytes && value > 0) {
        constexpr qint64 kKiB = 1024;
        if (value % (kKiB * kKiB) == 0)
            return QStringLiteral("%1 MiB").arg(value / (kKiB * kKiB));
        if (value % kKiB == 0)
            return QStringLiteral("%1 KiB").arg(value / kKiB);
    }
    if (unit == SettingUnit::Millis)
        return QStringLiteral("%1 ms").arg(value);
    return QString::number(value);
}

QString settingValueName(SettingUnit unit)
{
    switch (unit) {
    case SettingUnit::Millis:
        return QStringLiteral("MS");
    case SettingUnit::Bytes:
        return QStringLiteral("BYTES");
    case SettingUnit::Port:
        return QStringLiteral("PORT");
    case SettingUnit::MessagesPerSecond:
        return QStringLiteral("MSGS");
    case SettingUnit::Count:
    case SettingUnit::Switch:
        break;
    }
    return QStringLiteral("N");
}

} // namespace wslab
