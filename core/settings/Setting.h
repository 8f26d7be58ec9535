#pragma once

#include <QList>
#include <QString>

#include <functional>

namespace wslab {

// What a setting's number counts: it gives the CLI's value name, the window's suffix and the wording.
enum class SettingUnit {
    Count, // connections, headers, attempts
    Port,
    Millis,
    Bytes,
    MessagesPerSecond,
    Switch, // on or off; the CLI flag turns it away from its default
};

// One numeric or on/off setting that both wslab-cli and the window offer: the single place its
// settings key, flag, range and help live. The default is never written here: it is read from a
// default-constructed config, so ServerConfig/ClientConfig stay the one source of defaults.
template <class Config> struct Setting
{
    QString key; // the QSettings key the window has always used (kept, so saved settings still load)
    QString flag; // the wslab-cli flag, without "--"
    SettingUnit unit = SettingUnit::Count;
    qint64 min = 0;
    qint64 max = 0;
    QString help; // one line, for --help and the window's tooltip
    QString zeroMeans; // what 0 stands for ("off", "unlimited"), or empty when 0 is just a number
    // The window and its saved settings count in multiples of this (1024: KiB); the CLI counts units.
    qint64 formScale = 1;
    std::function<qint64(const Config &)> read;
    std::function<void(Config &, qint64)> write;

    qint64 defaultValue() const { return read(Config{}); }
};

// The entry of `table` with this settings key; nullptr when there is none.
template <class Config> const Setting<Config> *findSetting(const QList<Setting<Config>> &table, const QString &key)
{
    for (const Setting<Config> &s : table) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

// Empty when `text` is a whole number within [min, max]; otherwise the one-line complaint that
// wslab-cli and the window both show, naming the flag, e.g.
// `--port must be a whole number from 0 to 65535, got "x"`. `value` receives the number when it fits.
QString judgeSettingText(const QString &flag, SettingUnit unit, qint64 min, qint64 max, const QString &text, qint64 *value = nullptr);

template <class Config> QString judgeSetting(const Setting<Config> &s, const QString &text, qint64 *value = nullptr)
{
    return judgeSettingText(s.flag, s.unit, s.min, s.max, text, value);
}

template <class Config> QString judgeSetting(const Setting<Config> &s, qint64 value)
{
    return judgeSetting(s, QString::number(value));
}

// A value as help text says it: "16 MiB", "20000 ms", "0: off".
QString describeSettingValue(SettingUnit unit, qint64 value, const QString &zeroMeans = {});

// The --help line of a numeric setting: its help and default, e.g. "... (default 20000 ms)."
template <class Config> QString settingHelp(const Setting<Config> &s)
{
    if (s.unit == SettingUnit::Switch)
        return s.help;
    return s.help + QStringLiteral(" (default %1).").arg(describeSettingValue(s.unit, s.defaultValue(), s.zeroMeans));
}

// What the unit is written as after a number: "ms", "bytes", "msg/s"; empty for counts and ports.
QString settingUnitSymbol(SettingUnit unit);

// The CLI's name for the value a flag takes: MS, BYTES, N, PORT, MSGS.
QString settingValueName(SettingUnit unit);

} // namespace wslab
