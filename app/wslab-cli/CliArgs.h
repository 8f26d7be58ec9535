#pragma once

#include "core/settings/Setting.h"

#include <QCommandLineParser>
#include <QList>
#include <QString>

#include <chrono>
#include <stdexcept>

namespace wslab::cli {

// A bad command line: main() prints "wslab-cli: <what>" and exits with 2.
class UsageError : public std::runtime_error
{
public:
    explicit UsageError(const QString &what)
        : std::runtime_error(what.toStdString())
    {
    }
};

// Parses one subcommand's options; every value is checked and a bad one throws UsageError.
class CliArgs
{
public:
    CliArgs(const QString &command, const QString &synopsis);

    QCommandLineParser &parser() { return m_parser; }
    // Parses argv (starting with the program name and the subcommand); handles --help itself.
    // Returns false when help was printed and the command should exit 0.
    bool parse(const QStringList &arguments);

    bool isSet(const QString &name) const { return m_parser.isSet(name); }
    QString value(const QString &name) const { return m_parser.value(name); }
    QStringList values(const QString &name) const { return m_parser.values(name); }
    QStringList positional() const { return m_parser.positionalArguments(); }

    qint64 integer(const QString &name, qint64 fallback, qint64 min, qint64 max, SettingUnit unit = SettingUnit::Count) const;
    std::chrono::milliseconds millis(const QString &name, std::chrono::milliseconds fallback, qint64 min = 0) const;

    // Writes into `config` every setting of `table` given on the command line, each judged by the
    // table's rule (the window's too); a bad one throws UsageError.
    template <class Config> void readSettings(const QList<Setting<Config>> &table, Config *config) const
    {
        for (const Setting<Config> &s : table) {
            if (!m_parser.isSet(s.flag))
                continue;
            // A switch's flag turns it away from its default (--no-announce, --insecure).
            qint64 value = s.unit == SettingUnit::Switch ? qint64(!s.defaultValue()) : 0;
            if (s.unit != SettingUnit::Switch) {
                const QString problem = judgeSetting(s, m_parser.value(s.flag), &value);
                if (!problem.isEmpty())
                    throw UsageError(m_command + QStringLiteral(": ") + problem);
            }
            s.write(*config, value);
        }
    }

private:
    QString m_command;
    QCommandLineParser m_parser;
};

// The options of a settings table, with their help and defaults from it.
template <class Config> QList<QCommandLineOption> settingOptions(const QList<Setting<Config>> &table)
{
    QList<QCommandLineOption> options;
    for (const Setting<Config> &s : table) {
        if (s.unit == SettingUnit::Switch)
            options << QCommandLineOption(s.flag, settingHelp(s));
        else
            options << QCommandLineOption(s.flag, settingHelp(s), settingValueName(s.unit));
    }
    return options;
}

} // namespace wslab::cli
