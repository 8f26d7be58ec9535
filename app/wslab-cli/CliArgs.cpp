#include "app/wslab-cli/CliArgs.h"

#include <cstdio>

namespace wslab::cli {

CliArgs::CliArgs(const QString &command, const QString &synopsis)
    : m_command(command)
{
    m_parser.setApplicationDescription(synopsis);
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addHelpOption();
}

bool CliArgs::parse(const QStringList &arguments)
{
    // Drop the subcommand so the parser sees "wslab-cli [options]".
    QStringList args = arguments;
    if (args.size() > 1)
        args.removeAt(1);
    if (!m_parser.parse(args))
        throw UsageError(m_command + QStringLiteral(": ") + m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(m_parser.helpText().replace(QStringLiteral("wslab-cli [options]"),
                                                          QStringLiteral("wslab-cli ") + m_command + QStringLiteral(" [options]"))),
                   stdout);
        return false;
    }
    return true;
}

qint64 CliArgs::integer(const QString &name, qint64 fallback, qint64 min, qint64 max, SettingUnit unit) const
{
    if (!m_parser.isSet(name))
        return fallback;
    qint64 v = 0;
    const QString problem = judgeSettingText(name, unit, min, max, m_parser.value(name), &v);
    if (!problem.isEmpty())
        throw UsageError(m_command + QStringLiteral(": ") + problem);
    return v;
}

std::chrono::milliseconds CliArgs::millis(const QString &name, std::chrono::milliseconds fallback, qint64 min) const
{
    return std::chrono::milliseconds(integer(name, fallback.count(), min, 24ll * 3600 * 1000, SettingUnit::Millis));
}

} // namespace wslab::cli
