#include "app/wslab-cli/ServeCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "app/wslab-cli/EventSink.h"
#include "app/wslab-cli/SignalWatcher.h"
#include "core/chat/ChatRoom.h"
#include "core/discovery/Announcement.h"
#include "core/server/MockResponder.h"
#include "core/server/Server.h"
#include "core/settings/SettingsTable.h"

#include <QCoreApplication>
#include <QFile>

#include <cstdio>

namespace wslab::cli {

namespace {

using O = QCommandLineOption;

ServerConfig configFrom(const CliArgs &args)
{
    ServerConfig c;
    args.readSettings(serverSettings(), &c);
    if (args.isSet(QStringLiteral("host")))
        c.host = args.value(QStringLiteral("host"));
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
    c.subprotocols = args.values(QStringLiteral("subprotocol"));
    c.path = args.value(QStringLiteral("path"));
    c.token = args.value(QStringLiteral("token"));
    c.allowedOrigins = args.values(QStringLiteral("allowed-origin"));
    c.tlsCertFile = args.value(QStringLiteral("tls-cert"));
    c.tlsKeyFile = args.value(QStringLiteral("tls-key"));
    c.name = args.value(QStringLiteral("name"));
    if (c.name.size() > kMaxServerNameLength)
        throw UsageError(QStringLiteral("serve: --name is longer than %1 characters").arg(kMaxServerNameLength));
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
        O(QStringLiteral("mode"),
          QStringLiteral("echo, broadcast, silent, chat or rules (default echo); chat speaks docs/chat-protocol.md, rules needs --rules."),
          QStringLiteral("mode")),
        O(QStringLiteral("rules"), QStringLiteral("Answer by the mock rules in this file (docs/mock-rules.md); implies --mode rules."),
          QStringLiteral("FILE.json")),
        O(QStringLiteral("history"), QStringLiteral("Chat mode: keep the history in this JSON Lines file, so a restart loses nothing."),
          QStringLiteral("FILE.jsonl")),
        O(QStringLiteral("history-size"), QStringLiteral("Chat mode: messages kept for joiners and resumes (default 500)."),
          QStringLiteral("N")),
        O(QStringLiteral("subprotocol"),
          QStringLiteral("A subprotocol the server accepts (repeatable; the first one the client offers wins)."), QStringLiteral("P")),
        O(QStringLiteral("path"), QStringLiteral("Serve WebSockets only at this path, e.g. /chat; other paths get HTTP 404."),
          QStringLiteral("PATH")),
        O(QStringLiteral("token"), QStringLiteral("Require \"Authorization: Bearer T\" or ?token=T; otherwise HTTP 401. Never logged."),
          QStringLiteral("T")),
        O(QStringLiteral("allowed-origin"), QStringLiteral("Accept only this exact Origin (repeatable); others get HTTP 403."),
          QStringLiteral("ORIGIN")),
        O(QStringLiteral("tls-cert"), QStringLiteral("Serve wss:// with this PEM certificate (chain); needs --tls-key."),
          QStringLiteral("FILE")),
        O(QStringLiteral("tls-key"), QStringLiteral("The PEM private key of --tls-cert."), QStringLiteral("FILE")),
        O(QStringLiteral("name"), QStringLiteral("The name LAN listeners show for this server (default: this machine's host name)."),
          QStringLiteral("NAME")),
    });
    // The numeric limits and switches a server shares with the window: help, defaults and ranges from the table.
    p.addOptions(settingOptions(serverSettings()));
    p.addOptions({
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
