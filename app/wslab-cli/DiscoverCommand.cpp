#include "app/wslab-cli/DiscoverCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "app/wslab-cli/SignalWatcher.h"
#include "core/discovery/Discovery.h"

#include <QCoreApplication>
#include <QSet>
#include <QTimer>

#include <cstdio>

namespace wslab::cli {

int runDiscover(const QStringList &arguments)
{
    CliArgs args(QStringLiteral("discover"),
                 QStringLiteral("List the WsLab servers announcing themselves on this LAN, one line each: URL, name, mode."));
    QCommandLineParser &p = args.parser();
    p.addOption(
        QCommandLineOption(QStringLiteral("timeout"), QStringLiteral("Listen for this many seconds (default 3)."), QStringLiteral("S")));
    if (!args.parse(arguments))
        return 0;
    if (!args.positional().isEmpty())
        throw UsageError(QStringLiteral("discover: unexpected argument \"%1\"").arg(args.positional().first()));
    const auto timeout = std::chrono::seconds(args.integer(QStringLiteral("timeout"), 3, 1, 3600));

    Discovery discovery;
    if (!discovery.start()) {
        std::fprintf(stderr, "wslab-cli: discover: %s\n", qPrintable(discovery.errorString()));
        return 1;
    }
    // Each server once, as soon as it is heard, so a script can act on the first line.
    QSet<QString> printed;
    QObject::connect(&discovery, &Discovery::serverAdded, &discovery, [&printed](const Announcement &server) {
        const QString url = server.url.toString();
        if (printed.contains(url))
            return;
        printed.insert(url);
        std::printf("%s  %s  %s\n", qPrintable(url), qPrintable(server.name), qPrintable(server.mode));
        std::fflush(stdout);
    });
    QTimer::singleShot(timeout, &discovery, [] { QCoreApplication::quit(); });
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &discovery, [] { QCoreApplication::quit(); });
    QCoreApplication::exec();
    // Like grep: 1 tells a script that nothing was found.
    return printed.isEmpty() ? 1 : 0;
}

} // namespace wslab::cli
