#include "ServeCommand.h"

#include "CliArgs.h"
#include "EventSink.h"
#include "SignalWatcher.h"
#include "server/Server.h"

#include <QCoreApplication>

#include <cstdio>

namespace wslab::cli {

namespace {

using O = QCommandLineOption;

ServerConfig configFrom(const CliArgs &args)
{
    ServerConfig c;
    if (args.isSet(QStringLiteral("host")))
        c.host = args.value(QStringLiteral("host"));
    c.port = quint16(args.integer(QStringLiteral("port"), c.port, 0, 65535));
    if (args.isSet(QStringLiteral("mode")) && !serverModeFromName(args.value(QStringLiteral("mode")), &c.mode))
        throw UsageError(QStringLiteral("serve: --mode expects echo, broadcast or silent, got \"%1\"").arg(args.value(QStringLiteral("mode"))));
    c.maxConnections = int(args.integer(QStringLiteral("max-connections"), c.maxConnections, 1, 1000000));
    c.maxMessageSize = args.integer(QStringLiteral("max-message-size"), c.maxMessageSize, 1, 1ll << 31);
    c.heartbeat.interval = args.millis(QStringLiteral("ping-interval"), c.heartbeat.interval);
    c.heartbeat.pongTimeout = args.millis(QStringLiteral("pong-timeout"), c.heartbeat.pongTimeout, 1);
    c.idleTimeout = args.millis(QStringLiteral("idle-timeout"), c.idleTimeout);
    c.subprotocols = args.values(QStringLiteral("subprotocol"));
    const QString problem = c.validate();
    if (!problem.isEmpty())
        throw UsageError(QStringLiteral("serve: ") + problem);
    return c;
}

} // namespace

int runServe(const QStringList &arguments)
{
    CliArgs args(QStringLiteral("serve"), QStringLiteral("Host a WebSocket server and log what happens on it."));
    QCommandLineParser &p = args.parser();
    p.addOptions({
        O(QStringLiteral("host"), QStringLiteral("Address to listen on (default 127.0.0.1; 0.0.0.0 for the LAN)."), QStringLiteral("H")),
        O(QStringLiteral("port"), QStringLiteral("Port (default 8080; 0 picks a free one)."), QStringLiteral("P")),
        O(QStringLiteral("mode"), QStringLiteral("echo, broadcast or silent (default echo)."), QStringLiteral("mode")),
        O(QStringLiteral("max-connections"), QStringLiteral("Open connections allowed; the next gets HTTP 503 (default 1000)."), QStringLiteral("N")),
        O(QStringLiteral("max-message-size"), QStringLiteral("Largest incoming message in bytes; larger ones get close 1009 (default 16 MiB)."), QStringLiteral("BYTES")),
        O(QStringLiteral("ping-interval"), QStringLiteral("Heartbeat ping interval in ms, 0 for none (default 20000)."), QStringLiteral("MS")),
        O(QStringLiteral("pong-timeout"), QStringLiteral("A peer that does not answer a ping within this many ms is dropped (default 20000)."), QStringLiteral("MS")),
        O(QStringLiteral("idle-timeout"), QStringLiteral("Close peers that send nothing for this many ms (default 0: off)."), QStringLiteral("MS")),
        O(QStringLiteral("subprotocol"), QStringLiteral("A subprotocol the server accepts (repeatable; the first one the client offers wins)."), QStringLiteral("P")),
        O(QStringLiteral("log"), QStringLiteral("Append every event to this JSON Lines file."), QStringLiteral("FILE.jsonl")),
        O(QStringLiteral("verbose"), QStringLiteral("Print every message, ping and pong on stderr, not only connection events.")),
    });
    if (!args.parse(arguments))
        return 0;
    if (!args.positional().isEmpty())
        throw UsageError(QStringLiteral("serve: unexpected argument \"%1\"").arg(args.positional().first()));
    const ServerConfig config = configFrom(args);
    const bool verbose = args.isSet(QStringLiteral("verbose"));

    Server server;
    server.setConfig(config);
    EventSink sink;
    if (args.isSet(QStringLiteral("log")))
        sink.openLogFile(args.value(QStringLiteral("log")));
    sink.setStderrFilter([verbose](const LogEvent &e) {
        if (verbose)
            return true;
        switch (e.kind) {
        case EventKind::Text:
        case EventKind::Binary:
        case EventKind::Ping:
        case EventKind::Pong:
        case EventKind::State:
        case EventKind::Listening: // stdout says it, in a fixed form for scripts
            return false;
        default:
            return true;
        }
    });
    sink.watch(server.log());

    if (!server.start()) {
        std::fprintf(stderr, "wslab-cli: serve: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::fprintf(stdout, "listening on %s\n", qPrintable(server.url().toString()));
    std::fflush(stdout);

    bool stopping = false;
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &server, [&](int) {
        if (stopping)
            return;
        stopping = true;
        server.stop(); // asks every peer to leave with 1001; each is aborted if it does not answer
        if (server.peerCount() == 0)
            QCoreApplication::quit();
    });
    QObject::connect(&server, &Server::peerDisconnected, &server, [&](int) {
        if (stopping && server.peerCount() == 0)
            QCoreApplication::quit();
    });
    const int code = QCoreApplication::exec();
    sink.flush();
    return code;
}

} // namespace wslab::cli
