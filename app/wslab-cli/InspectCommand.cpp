#include "app/wslab-cli/InspectCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "app/wslab-cli/EventSink.h"
#include "app/wslab-cli/SignalWatcher.h"
#include "core/client/WebSocketUrl.h"
#include "core/inspect/Relay.h"
#include "core/protocol/CloseCode.h"

#include <QCoreApplication>

#include <cstdio>

namespace wslab::cli {

namespace {

using O = QCommandLineOption;

// "8080", "0.0.0.0:8080", "[::1]:0"
void parseListen(const QString &value, RelayConfig *config)
{
    QString host = config->host;
    QString port = value;
    const qsizetype colon = value.lastIndexOf(u':');
    if (colon >= 0) {
        host = value.left(colon);
        port = value.mid(colon + 1);
        if (host.startsWith(u'[') && host.endsWith(u']'))
            host = host.mid(1, host.size() - 2);
    }
    bool ok = false;
    const uint number = port.toUInt(&ok);
    if (!ok || number > 65535 || host.isEmpty())
        throw UsageError(QStringLiteral("inspect: --listen expects [HOST:]PORT with a port from 0 to 65535, got \"%1\"").arg(value));
    config->host = host;
    config->port = quint16(number);
}

// "3:4001" or "3:4001:going away": after 3 client messages, close 4001 with that reason.
void parseCloseAfter(const QString &value, RelayFaults *faults)
{
    const QStringList parts = value.split(u':');
    bool countOk = false;
    bool codeOk = false;
    const int count = parts.value(0).toInt(&countOk);
    const int code = parts.value(1).toInt(&codeOk);
    if (parts.size() < 2 || !countOk || !codeOk || count < 1)
        throw UsageError(QStringLiteral("inspect: --close-after expects N:CODE[:REASON] with N from 1, got \"%1\"").arg(value));
    const QString reason = parts.mid(2).join(u':');
    QString whyNot;
    if (!CloseCode::isSendableClose(code, reason, &whyNot))
        throw UsageError(QStringLiteral("inspect: --close-after: ") + whyNot);
    faults->closeAfterMessages = count;
    faults->closeCode = code;
    faults->closeReason = reason;
}

RelayConfig configFrom(const CliArgs &args)
{
    RelayConfig c;
    if (!args.isSet(QStringLiteral("listen")) || !args.isSet(QStringLiteral("target")))
        throw UsageError(QStringLiteral("inspect: needs --listen [HOST:]PORT and --target URL"));
    parseListen(args.value(QStringLiteral("listen")), &c);
    QString urlError;
    c.target = webSocketUrlFromUserInput(args.value(QStringLiteral("target")), &urlError);
    if (!urlError.isEmpty())
        throw UsageError(QStringLiteral("inspect: --target: ") + urlError);
    c.tls.certFile = args.value(QStringLiteral("tls-cert"));
    c.tls.keyFile = args.value(QStringLiteral("tls-key"));
    c.tls.caFile = args.value(QStringLiteral("ca"));
    c.tls.insecure = args.isSet(QStringLiteral("insecure"));
    const QString problem = c.validate();
    if (!problem.isEmpty())
        throw UsageError(QStringLiteral("inspect: ") + problem);
    return c;
}

RelayFaults faultsFrom(const CliArgs &args)
{
    RelayFaults f;
    f.latency = args.millis(QStringLiteral("latency"), f.latency);
    f.jitter = args.millis(QStringLiteral("jitter"), f.jitter);
    f.withholdPongsFromClient = f.withholdPongsFromServer = args.isSet(QStringLiteral("drop-pongs"));
    f.dropPercent = int(args.integer(QStringLiteral("drop"), f.dropPercent, 0, 100));
    if (args.isSet(QStringLiteral("close-after")))
        parseCloseAfter(args.value(QStringLiteral("close-after")), &f);
    const QString towards = args.value(QStringLiteral("close-towards"));
    if (towards == u"server")
        f.closeTowards = RelaySide::Server;
    else if (!towards.isEmpty() && towards != u"client")
        throw UsageError(QStringLiteral("inspect: --close-towards expects client or server, got \"%1\"").arg(towards));
    f.cutAfterMessages = int(args.integer(QStringLiteral("cut-after"), 0, 1, 1000000000));
    f.blackHoleAfter = args.millis(QStringLiteral("blackhole-after"), f.blackHoleAfter, 1);
    f.bandwidthFromClient = f.bandwidthFromServer = args.integer(QStringLiteral("bandwidth"), 0, 1, 1000000000000);
    f.sliceBytes = int(args.integer(QStringLiteral("slice"), 0, 1, 1000000000));
    f.fragmentCount = int(args.integer(QStringLiteral("fragment"), 0, 2, 1000000));
    f.corruptAfterMessages = int(args.integer(QStringLiteral("corrupt-after"), -1, 0, 1000000000));
    return f;
}

} // namespace

int runInspect(const QStringList &arguments)
{
    CliArgs args(QStringLiteral("inspect"),
                 QStringLiteral("Relay WebSocket connections to a target, print every frame both ways, and break the link on purpose."));
    QCommandLineParser &p = args.parser();
    p.addOptions({
        O(QStringLiteral("listen"),
          QStringLiteral("Where clients connect: [HOST:]PORT (host 127.0.0.1 unless given; port 0 picks a free one)."),
          QStringLiteral("[HOST:]PORT")),
        O(QStringLiteral("target"), QStringLiteral("The server each connection is relayed to: ws:// or wss:// URL."),
          QStringLiteral("URL")),
        O(QStringLiteral("tls-cert"),
          QStringLiteral("Accept wss:// with this PEM certificate (wslab-cli cert makes one); needs --tls-key."), QStringLiteral("FILE")),
        O(QStringLiteral("tls-key"), QStringLiteral("The PEM private key of --tls-cert."), QStringLiteral("FILE")),
        O(QStringLiteral("ca"), QStringLiteral("Trust this PEM CA (or self-signed certificate) for a wss:// target."),
          QStringLiteral("FILE")),
        O(QStringLiteral("insecure"), QStringLiteral("Do not verify a wss:// target's certificate (a warning is logged).")),
        O(QStringLiteral("latency"), QStringLiteral("Delay everything forwarded, both ways, by this many ms (order kept)."),
          QStringLiteral("MS")),
        O(QStringLiteral("jitter"), QStringLiteral("Add up to this many ms more, at random, to each delay."), QStringLiteral("MS")),
        O(QStringLiteral("drop-pongs"), QStringLiteral("Withhold pong frames both ways: the peers' keepalives fail.")),
        O(QStringLiteral("drop"), QStringLiteral("Drop this share of data messages, both ways, every fragment of them."),
          QStringLiteral("PERCENT")),
        O(QStringLiteral("close-after"),
          QStringLiteral("After N data messages from the client, inject a Close with CODE and REASON (see --close-towards)."),
          QStringLiteral("N:CODE[:REASON]")),
        O(QStringLiteral("close-towards"),
          QStringLiteral("Who gets the injected Close: client (as if the server closed; default) or server."), QStringLiteral("SIDE")),
        O(QStringLiteral("cut-after"), QStringLiteral("After N data messages from the client, reset both sides: the peers see 1006."),
          QStringLiteral("N")),
        O(QStringLiteral("blackhole-after"),
          QStringLiteral("This many ms after the upgrade, forward nothing more but keep TCP open: only heartbeats notice."),
          QStringLiteral("MS")),
        O(QStringLiteral("bandwidth"), QStringLiteral("Pace what is forwarded to at most this many bytes a second, each way (order kept)."),
          QStringLiteral("BYTES_PER_S")),
        O(QStringLiteral("slice"),
          QStringLiteral("Write at most this many bytes at a time, each way, each write on its own (1: byte by byte)."),
          QStringLiteral("BYTES")),
        O(QStringLiteral("fragment"),
          QStringLiteral("Re-send each unfragmented data message as K frames, each way (fewer when it is shorter)."), QStringLiteral("K")),
        O(QStringLiteral("corrupt-after"),
          QStringLiteral("After N data messages from the client (0: at once), change one byte of its next one, once: text becomes "
                         "invalid UTF-8 (the server closes with 1007), binary gets its bits flipped."),
          QStringLiteral("N")),
        O(QStringLiteral("log"), QStringLiteral("Append every event, one per frame, to this JSON Lines file (docs/log-format.md)."),
          QStringLiteral("FILE.jsonl")),
        O(QStringLiteral("verbose"), QStringLiteral("Also print each upgrade request and response in full on stderr.")),
    });
    if (!args.parse(arguments))
        return 0;
    if (!args.positional().isEmpty())
        throw UsageError(QStringLiteral("inspect: unexpected argument \"%1\"").arg(args.positional().first()));
    const RelayConfig config = configFrom(args);
    const RelayFaults faults = faultsFrom(args);
    const bool verbose = args.isSet(QStringLiteral("verbose"));

    Relay relay;
    relay.setConfig(config);
    relay.setFaults(faults);
    EventSink sink;
    if (args.isSet(QStringLiteral("log")))
        sink.openLogFile(args.value(QStringLiteral("log")));
    // Frames are what inspect is for: they are printed, unlike serve's quiet messages. The listening
    // line goes to stdout, in a fixed form for scripts.
    sink.setStderrFilter([](const LogEvent &e) { return e.kind != EventKind::Listening; });
    sink.watch(relay.log());
    if (verbose) {
        QObject::connect(relay.log(), &EventLog::appended, &sink, [](const LogEvent &e) {
            if (e.kind == EventKind::Handshake)
                std::fwrite(e.payload.constData(), 1, size_t(e.payload.size()), stderr);
        });
    }

    if (!relay.start()) {
        std::fprintf(stderr, "wslab-cli: inspect: %s\n", qPrintable(relay.errorString()));
        return 1;
    }
    std::fprintf(stdout, "listening on %s -> %s\n", qPrintable(relay.url().toString()), qPrintable(config.target.toString()));
    std::fflush(stdout);

    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &relay, [&](int) {
        relay.stop();
        QCoreApplication::quit();
    });
    const int code = QCoreApplication::exec();
    sink.flush();
    return code;
}

} // namespace wslab::cli
