#include "app/wslab-cli/ServeCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "app/wslab-cli/EventSink.h"
#include "app/wslab-cli/SignalWatcher.h"
#include "core/chat/ChatRoom.h"
#include "core/discovery/Announcement.h"
#include "core/server/MockResponder.h"
#include "core/server/Server.h"

#include <QCoreApplication>
#include <QFile>

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
        throw UsageError(QStringLiteral("serve: --mode expects echo, broadcast, silent, chat or rules, got \"%1\"")
                             .arg(args.value(QStringLiteral("mode"))));
    if (args.isSet(QStringLiteral("rules"))) {
        if (args.isSet(QStringLiteral("mode")) && c.mode != ServerMode::Rules)
            throw UsageError(
                QStringLiteral("serve: --rules answers by rules; it cannot be combined with --mode %1").arg(serverModeName(c.mode)));
        c.mode = ServerMode::Rules;
    } else if (c.mode == ServerMode::Rules) {
        throw UsageError(QStringLiteral("serve: --mode rules needs --rules FILE.json"));
    }
    c.maxConnections = int(args.integer(QStringLiteral("max-connections"), c.maxConnections, 1, 1000000));
    c.maxMessageSize = args.integer(QStringLiteral("max-message-size"), c.maxMessageSize, 1, 1ll << 31);
    c.heartbeat.interval = args.millis(QStringLiteral("ping-interval"), c.heartbeat.interval);
    c.heartbeat.pongTimeout = args.millis(QStringLiteral("pong-timeout"), c.heartbeat.pongTimeout, 1);
    c.idleTimeout = args.millis(QStringLiteral("idle-timeout"), c.idleTimeout);
    c.subprotocols = args.values(QStringLiteral("subprotocol"));
    c.path = args.value(QStringLiteral("path"));
    c.token = args.value(QStringLiteral("token"));
    c.allowedOrigins = args.values(QStringLiteral("allowed-origin"));
    c.maxPerAddress = int(args.integer(QStringLiteral("max-per-address"), c.maxPerAddress, 1, 1000000));
    c.maxPendingHandshakes = int(args.integer(QStringLiteral("max-pending-handshakes"), c.maxPendingHandshakes, 1, 1000000));
    c.rateLimit = double(args.integer(QStringLiteral("rate-limit"), 0, 0, 1000000000));
    c.slowReaderLimit = args.integer(QStringLiteral("slow-reader-limit"), c.slowReaderLimit, 1, 1ll << 40);
    c.handshakeTimeout = args.millis(QStringLiteral("handshake-timeout"), c.handshakeTimeout, 1);
    c.closeTimeout = args.millis(QStringLiteral("close-timeout"), c.closeTimeout, 1);
    c.httpLimits.maxLineBytes = int(args.integer(QStringLiteral("max-header-line"), c.httpLimits.maxLineBytes, 64, 1 << 20));
    c.httpLimits.maxHeaders = int(args.integer(QStringLiteral("max-headers"), c.httpLimits.maxHeaders, 1, 10000));
    c.tlsCertFile = args.value(QStringLiteral("tls-cert"));
    c.tlsKeyFile = args.value(QStringLiteral("tls-key"));
    c.name = args.value(QStringLiteral("name"));
    if (c.name.size() > kMaxServerNameLength)
        throw UsageError(QStringLiteral("serve: --name is longer than %1 characters").arg(kMaxServerNameLength));
    c.announce = !args.isSet(QStringLiteral("no-announce"));
    const QString problem = c.validate();
    if (!problem.isEmpty())
        throw UsageError(QStringLiteral("serve: ") + problem);
    return c;
}

MockRules loadRules(const QString &file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        throw UsageError(QStringLiteral("serve: cannot read %1: %2").arg(file, in.errorString()));
    QString error;
    std::optional<MockRules> rules = MockRules::fromJson(in.readAll(), &error);
    if (!rules)
        throw UsageError(QStringLiteral("serve: %1: %2").arg(file, error));
    return std::move(*rules);
}

} // namespace

int runServe(const QStringList &arguments)
{
    CliArgs args(QStringLiteral("serve"), QStringLiteral("Host a WebSocket server and log what happens on it."));
    QCommandLineParser &p = args.parser();
    p.addOptions({
        O(QStringLiteral("host"), QStringLiteral("Address to listen on (default 127.0.0.1; 0.0.0.0 for the LAN)."), QStringLiteral("H")),
        O(QStringLiteral("port"), QStringLiteral("Port (default 8080; 0 picks a free one)."), QStringLiteral("P")),
        O(QStringLiteral("mode"),
          QStringLiteral("echo, broadcast, silent, chat or rules (default echo); chat speaks docs/chat-protocol.md, rules needs --rules."),
          QStringLiteral("mode")),
        O(QStringLiteral("rules"), QStringLiteral("Answer by the mock rules in this file (docs/mock-rules.md); implies --mode rules."),
          QStringLiteral("FILE.json")),
        O(QStringLiteral("history"), QStringLiteral("Chat mode: keep the history in this JSON Lines file, so a restart loses nothing."),
          QStringLiteral("FILE.jsonl")),
        O(QStringLiteral("history-size"), QStringLiteral("Chat mode: messages kept for joiners and resumes (default 500)."),
          QStringLiteral("N")),
        O(QStringLiteral("max-connections"), QStringLiteral("Open connections allowed; the next gets HTTP 503 (default 1000)."),
          QStringLiteral("N")),
        O(QStringLiteral("max-message-size"),
          QStringLiteral("Largest incoming message in bytes; larger ones get close 1009 (default 16 MiB)."), QStringLiteral("BYTES")),
        O(QStringLiteral("ping-interval"), QStringLiteral("Heartbeat ping interval in ms, 0 for none (default 20000)."),
          QStringLiteral("MS")),
        O(QStringLiteral("pong-timeout"),
          QStringLiteral("A peer that does not answer a ping within this many ms is dropped (default 20000)."), QStringLiteral("MS")),
        O(QStringLiteral("idle-timeout"), QStringLiteral("Close peers that send nothing for this many ms (default 0: off)."),
          QStringLiteral("MS")),
        O(QStringLiteral("subprotocol"),
          QStringLiteral("A subprotocol the server accepts (repeatable; the first one the client offers wins)."), QStringLiteral("P")),
        O(QStringLiteral("path"), QStringLiteral("Serve WebSockets only at this path, e.g. /chat; other paths get HTTP 404."),
          QStringLiteral("PATH")),
        O(QStringLiteral("token"), QStringLiteral("Require \"Authorization: Bearer T\" or ?token=T; otherwise HTTP 401. Never logged."),
          QStringLiteral("T")),
        O(QStringLiteral("allowed-origin"), QStringLiteral("Accept only this exact Origin (repeatable); others get HTTP 403."),
          QStringLiteral("ORIGIN")),
        O(QStringLiteral("max-per-address"),
          QStringLiteral("Open connections allowed from one address; the next gets HTTP 429 (default 64)."), QStringLiteral("N")),
        O(QStringLiteral("max-pending-handshakes"),
          QStringLiteral(
              "Connections that may be sending their upgrade request at once; past it new ones get HTTP 503 at once (default 256)."),
          QStringLiteral("N")),
        O(QStringLiteral("rate-limit"), QStringLiteral("Messages per second allowed per connection; over it: close 1008 (default 0: off)."),
          QStringLiteral("MSGS")),
        O(QStringLiteral("slow-reader-limit"),
          QStringLiteral("Unsent bytes a peer may hold before it is dropped with 1008 (default 8 MiB)."), QStringLiteral("BYTES")),
        O(QStringLiteral("handshake-timeout"),
          QStringLiteral("Time a client has to send its upgrade request, in ms; then HTTP 408 (default 10000)."), QStringLiteral("MS")),
        O(QStringLiteral("close-timeout"),
          QStringLiteral("Time a peer has to answer our close frame, in ms; then it is aborted (default 5000)."), QStringLiteral("MS")),
        O(QStringLiteral("max-header-line"),
          QStringLiteral("Longest request or header line in bytes; longer gets HTTP 414/431 (default 8192)."), QStringLiteral("BYTES")),
        O(QStringLiteral("max-headers"), QStringLiteral("Most header fields in a request; more gets HTTP 431 (default 100)."),
          QStringLiteral("N")),
        O(QStringLiteral("tls-cert"), QStringLiteral("Serve wss:// with this PEM certificate (chain); needs --tls-key."),
          QStringLiteral("FILE")),
        O(QStringLiteral("tls-key"), QStringLiteral("The PEM private key of --tls-cert."), QStringLiteral("FILE")),
        O(QStringLiteral("name"), QStringLiteral("The name LAN listeners show for this server (default: this machine's host name)."),
          QStringLiteral("NAME")),
        O(QStringLiteral("no-announce"),
          QStringLiteral("Do not announce the server on the LAN. Announced by default when --host is not loopback (docs/discovery.md).")),
        O(QStringLiteral("log"), QStringLiteral("Append every event to this JSON Lines file."), QStringLiteral("FILE.jsonl")),
        O(QStringLiteral("verbose"), QStringLiteral("Print every message, ping and pong on stderr, not only connection events.")),
    });
    if (!args.parse(arguments))
        return 0;
    if (!args.positional().isEmpty())
        throw UsageError(QStringLiteral("serve: unexpected argument \"%1\"").arg(args.positional().first()));
    const ServerConfig config = configFrom(args);
    const bool verbose = args.isSet(QStringLiteral("verbose"));
    if (config.mode != ServerMode::Chat && (args.isSet(QStringLiteral("history")) || args.isSet(QStringLiteral("history-size"))))
        throw UsageError(QStringLiteral("serve: --history and --history-size need --mode chat"));

    Server server;
    server.setConfig(config);
    MockResponder responder(&server);
    if (config.mode == ServerMode::Rules)
        responder.setRules(loadRules(args.value(QStringLiteral("rules"))));
    ChatRoom chat(&server);
    if (config.mode == ServerMode::Chat) {
        ChatRoom::Limits limits;
        limits.historySize = int(args.integer(QStringLiteral("history-size"), limits.historySize, 0, 1000000));
        chat.setLimits(limits);
        QString error;
        if (args.isSet(QStringLiteral("history")) && !chat.setHistoryFile(args.value(QStringLiteral("history")), &error)) {
            std::fprintf(stderr, "wslab-cli: serve: %s\n", qPrintable(error));
            return 1;
        }
    }
    EventSink sink;
    if (args.isSet(QStringLiteral("log")))
        sink.openLogFile(args.value(QStringLiteral("log")));
    // The listening line goes to stdout, in a fixed form for scripts.
    sink.setQuietKinds(verbose, {EventKind::Listening});
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
        // Asks every peer to leave with 1001; serve exits once each has answered with its own Close (what
        // it sends meanwhile is discarded) or been aborted after the close timeout.
        server.stop();
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
