#include "app/wslab-cli/ConvertCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "core/har/Har.h"

#include <cstdio>

namespace wslab::cli {

int runConvert(const QStringList &arguments)
{
    CliArgs args(QStringLiteral("convert"),
                 QStringLiteral("Convert a log between JSON Lines (.jsonl, what --log writes) and HAR 1.2 with Chrome's WebSocket entries "
                                "(.har): each file's format is told by its extension. One HAR entry per connection."));
    QCommandLineParser &p = args.parser();
    p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("the log to read (.jsonl or .har)"));
    p.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("the file to write (.jsonl or .har); replaced if it exists"));
    p.addOption(QCommandLineOption(QStringLiteral("connection"),
                                   QStringLiteral("Keep only this connection, counted from 1 in file order (HAR: entry order)."),
                                   QStringLiteral("ID")));
    if (!args.parse(arguments))
        return 0;
    const QStringList positional = args.positional();
    if (positional.size() != 2)
        throw UsageError(QStringLiteral("convert: expects IN and OUT, got %1 arguments").arg(positional.size()));
    const QString &in = positional[0];
    const QString &out = positional[1];

    QList<LogEvent> events;
    QString error;
    if (!LogFile::read(in, &events, &error))
        throw UsageError(QStringLiteral("convert: ") + error);
    if (args.isSet(QStringLiteral("connection"))) {
        const QList<RecordedConnection> connections = splitConnections(events);
        if (connections.isEmpty())
            throw UsageError(QStringLiteral("convert: %1 holds no connection").arg(in));
        events = connections[args.integer(QStringLiteral("connection"), 1, 1, connections.size()) - 1].events;
    }
    if (!LogFile::write(out, events, &error))
        throw UsageError(QStringLiteral("convert: ") + error);
    std::printf("%s: %lld connections, %lld events\n", qPrintable(out), static_cast<long long>(splitConnections(events).size()),
                static_cast<long long>(events.size()));
    return 0;
}

} // namespace wslab::cli
