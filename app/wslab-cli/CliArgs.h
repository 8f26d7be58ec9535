#pragma once

#include <QCommandLineParser>
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

    qint64 integer(const QString &name, qint64 fallback, qint64 min, qint64 max) const;
    std::chrono::milliseconds millis(const QString &name, std::chrono::milliseconds fallback, qint64 min = 0) const;

private:
    QString m_command;
    QCommandLineParser m_parser;
};

} // namespace wslab::cli
