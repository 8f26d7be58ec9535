#include "app/wslab-cli/BenchCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "app/wslab-cli/SignalWatcher.h"
#include "core/bench/LoadGenerator.h"

#include <QCoreApplication>

#include <cstdio>

namespace wslab::cli {

int runBench(const QStringList &arguments)
{
    CliArgs args(QStringLiteral("bench"),
                 QStringLiteral("Load an echo server: every message is stamped, checked when it comes back and its round trip timed."));
    QCommandLineParser &p = args.parser();
    using O = QCommandLineOption;
    p.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("ws:// or wss:// address of an echo server"));
    p.addOptions({
        O(QStringLiteral("connections"), QStringLiteral("Connections to open (default 1)."), QStringLiteral("N")),
        O(QStringLiteral("messages"), QStringLiteral("Messages to send in all (default 10000)."), QStringLiteral("M")),
        O(QStringLiteral("duration"), QStringLiteral("Send for this many seconds instead of a message count."), QStringLiteral("S")),
        O(QStringLiteral("size"), QStringLiteral("Bytes per message (default 64, at least 24)."), QStringLiteral("BYTES")),
        O(QStringLiteral("binary"), QStringLiteral("Send binary messages instead of text.")),
        O(QStringLiteral("window"), QStringLiteral("Messages in flight per connection (default 1)."), QStringLiteral("W")),
        O(QStringLiteral("rate"), QStringLiteral("Pace to this many messages per second in all (default: as fast as the window allows)."),
          QStringLiteral("MSGS_PER_S")),
        O(QStringLiteral("json"), QStringLiteral("Print one JSON object instead of a table.")),
    });
    if (!args.parse(arguments))
        return 0;
    const QStringList positional = args.positional();
    if (positional.size() != 1)
        throw UsageError(QStringLiteral("bench: one URL expected (e.g. ws://127.0.0.1:8080/)"));
    if (args.isSet(QStringLiteral("messages")) && args.isSet(QStringLiteral("duration")))
        throw UsageError(QStringLiteral("bench: give --messages or --duration, not both"));

    LoadGenerator::Config config;
    config.url = QUrl(positional.first(), QUrl::StrictMode);
    config.connections = int(args.integer(QStringLiteral("connections"), 1, 1, 100000));
    config.messages = args.integer(QStringLiteral("messages"), 10000, 1, 1ll << 40);
    config.duration = std::chrono::milliseconds(args.integer(QStringLiteral("duration"), 0, 1, 24 * 3600) * 1000);
    config.size = int(args.integer(QStringLiteral("size"), 64, 24, 1 << 30));
    config.binary = args.isSet(QStringLiteral("binary"));
    config.window = int(args.integer(QStringLiteral("window"), 1, 1, 1000000));
    config.rate = double(args.integer(QStringLiteral("rate"), 0, 1, 100000000));
    // Many connections take longer to open on a loaded machine.
    config.connectTimeout = std::chrono::milliseconds(10000 + config.connections * 2);
    const QString problem = config.validate();
    if (!problem.isEmpty())
        throw UsageError(QStringLiteral("bench: ") + problem);

    LoadGenerator generator(config);
    QObject::connect(&generator, &LoadGenerator::finished, &generator, [] { QCoreApplication::quit(); });
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &generator, [] { QCoreApplication::exit(130); });
    generator.start();
    const int code = QCoreApplication::exec();
    const LoadGenerator::Report &r = generator.report();
    if (args.isSet(QStringLiteral("json")))
        std::printf("%s\n", r.toJson().constData());
    else
        std::fputs(qPrintable(r.toText()), stdout);
    if (code != 0)
        return code;
    return (r.errors > 0 || r.mismatches > 0 || r.received == 0) ? 1 : 0;
}

} // namespace wslab::cli
