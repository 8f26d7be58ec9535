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

qint64 CliArgs::integer(const QString &name, qint64 fallback, qint64 min, qint64 max) const
{
    if (!m_parser.isSet(name))
        return fallback;
    bool ok = false;
    const qint64 v = m_parser.value(name).toLongLong(&ok);
    if (!ok || v < min || v > max)
        throw UsageError(QStringLiteral("%1: --%2 expects a whole number from %3 to %4, got \"%5\"")
                             .arg(m_command, name)
                             .arg(min)
                             .arg(max)
                             .arg(m_parser.value(name)));
    return v;
}

std::chrono::milliseconds CliArgs::millis(const QString &name, std::chrono::milliseconds fallback, qint64 min) const
{
    return std::chrono::milliseconds(integer(name, fallback.count(), min, 24ll * 3600 * 1000));
}

} // namespace wslab::cli
