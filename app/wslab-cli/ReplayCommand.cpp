#include "app/wslab-cli/ReplayCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "app/wslab-cli/ClientOptions.h"
#include "app/wslab-cli/EventSink.h"
#include "app/wslab-cli/SignalWatcher.h"
#include "core/client/WebSocketUrl.h"
#include "core/har/Har.h"
#include "core/replay/Replayer.h"
#include "core/settings/SettingsTable.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace wslab::cli {

namespace {

using O = QCommandLineOption;

// "max" or 0: no waiting; otherwise how many times faster than recorded.
double speedFrom(const CliArgs &args)
{
    if (!args.isSet(QStringLiteral("speed")))
        return 1.0;
    const QString value = args.value(QStringLiteral("speed"));
    if (value == u"max")
        return 0.0;
    bool ok = false;
    const double speed = value.toDouble(&ok);
    if (!ok || !std::isfinite(speed) || speed < 0)
        throw UsageError(
            QStringLiteral("replay: --speed expects a number of times faster (0 or \"max\": no waiting), got \"%1\"").arg(value));
    return speed;
}

RecordedConnection chooseConnection(const QString &file, const CliArgs &args)
{
    QList<LogEvent> events;
    QString error;
    if (!LogFile::read(file, &events, &error))
        throw UsageError(QStringLiteral("replay: ") + error);
    const QList<RecordedConnection> connections = splitConnections(events);
    if (connections.isEmpty())
        throw UsageError(QStringLiteral("replay: %1 holds no connection").arg(file));
    if (args.isSet(QStringLiteral("connection"))) {
        const qint64 id = args.integer(QStringLiteral("connection"), 1, 1, connections.size());
        const RecordedConnection &chosen = connections[id - 1];
        if (chosen.outgoingMessages().isEmpty())
            throw UsageError(QStringLiteral("replay: connection %1 in %2 sent no message").arg(id).arg(file));
        return chosen;
    }
    for (const RecordedConnection &c : connections)
        if (!c.outgoingMessages().isEmpty())
            return c;
    throw UsageError(QStringLiteral("replay: no connection in %1 sent a message").arg(file));
}

} // namespace

int runReplay(const QStringList &arguments)
{
    CliArgs args(
        QStringLiteral("replay"),
        QStringLiteral("Send a recorded connection's outgoing messages (a JSON Lines log from connect --log, or a HAR) to URL with "
                       "the recorded gaps, and print each reply as one line. Exit 0 when every message was sent, 1 when the "
                       "connection failed first, 2 for a bad file or bad flags."));
    QCommandLineParser &p = args.parser();
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("the recording (.jsonl or .har)"));
    p.addOptions({
        O(QStringLiteral("url"), QStringLiteral("Where to send the messages (ws:// or wss://); required."), QStringLiteral("URL")),
        O(QStringLiteral("connection"),
          QStringLiteral("Which connection of the file, counted from 1 in file order (HAR: entry order); default the first that "
                         "sent a message."),
          QStringLiteral("ID")),
        O(QStringLiteral("speed"), QStringLiteral("Divide the recorded gaps by N (default 1); 0 or \"max\" sends without waiting."),
          QStringLiteral("N")),
        O(QStringLiteral("log"), QStringLiteral("Append every event to this JSON Lines file."), QStringLiteral("FILE.jsonl")),
        O(QStringLiteral("verbose"), QStringLiteral("Print every event on stderr, messages and pings included.")),
    });
    p.addOptions(handshakeOptions());
    // The wait for the last replies is connect's --linger: the same help, default and range check.
    const QList<Setting<ClientConfig>> lingerSetting{*findSetting(clientSettings(), QStringLiteral("closeLinger"))};
    p.addOptions(settingOptions(lingerSetting));
    if (!args.parse(arguments))
        return 0;
    const QStringList positional = args.positional();
    if (positional.size() != 1)
        throw UsageError(positional.isEmpty() ? QStringLiteral("replay: missing FILE")
                                              : QStringLiteral("replay: one recording expected, got %1 arguments").arg(positional.size()));
    if (!args.isSet(QStringLiteral("url")))
        throw UsageError(QStringLiteral("replay: --url is required"));
    QString urlError;
    const QUrl url = webSocketUrlFromUserInput(args.value(QStringLiteral("url")), &urlError);
    if (!urlError.isEmpty())
        throw UsageError(QStringLiteral("replay: --url: ") + urlError);
    const double speed = speedFrom(args);
    const RecordedConnection recorded = chooseConnection(positional.first(), args);

    ClientConfig config;
    config.url = url;
    applyHandshakeOptions(args, QStringLiteral("replay"), &config);
    args.readSettings(lingerSetting, &config);
    if (const QString problem = config.validate(); !problem.isEmpty())
        throw UsageError(QStringLiteral("replay: ") + problem);
    Replayer replayer(QStringLiteral("replay"));
    EventSink sink;
    if (args.isSet(QStringLiteral("log")))
        sink.openLogFile(args.value(QStringLiteral("log")));
    sink.setQuietKinds(args.isSet(QStringLiteral("verbose")), {EventKind::OutboxQueued, EventKind::Handshake});
    sink.watch(replayer.log());

    const QList<LogEvent> messages = recorded.outgoingMessages();
    const auto truncated = std::count_if(messages.cbegin(), messages.cend(), [](const LogEvent &e) { return e.isTruncated(); });
    if (truncated > 0)
        std::fprintf(stderr,
                     "wslab-cli: replay: notice: %lld messages were logged only in part (the first 64 KiB); they are sent as logged\n",
                     static_cast<long long>(truncated));
    QObject::connect(&replayer, &Replayer::replyReceived, &replayer, [](const QByteArray &data) {
        std::fwrite(data.constData(), 1, size_t(data.size()), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
    });
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &replayer, [&replayer](int) { replayer.stop(); });
    if (!replayer.start(recorded, config, {speed})) {
        std::fprintf(stderr, "wslab-cli: replay: %s\n", qPrintable(replayer.errorString()));
        return 2;
    }
    QObject::connect(&replayer, &Replayer::finished, &replayer, [&replayer](bool ok, const QString &reason) {
        std::fprintf(stderr, "wslab-cli: replay: %s\n", qPrintable(replayer.summary()));
        if (!ok)
            std::fprintf(stderr, "wslab-cli: replay: %s\n", qPrintable(reason));
        QCoreApplication::exit(ok ? 0 : 1);
    });
    const int code = QCoreApplication::exec();
    sink.flush();
    return code;
}

} // namespace wslab::cli
