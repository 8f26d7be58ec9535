#include "app/wslab-cli/ReplayCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "app/wslab-cli/ClientOptions.h"
#include "app/wslab-cli/EventSink.h"
#include "app/wslab-cli/SignalWatcher.h"
#include "core/client/Client.h"
#include "core/client/WebSocketUrl.h"
#include "core/har/Har.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace wslab::cli {

namespace {

using O = QCommandLineOption;

// Sends each recorded message when its moment comes: a QTimer deadline measured from the open, so a
// slow send never pushes the ones after it later and the whole replay keeps the recording's pace.
class Replayer : public QObject
{
public:
    Replayer(Client *client, QList<LogEvent> messages, double speed, std::chrono::milliseconds linger)
        : m_client(client)
        , m_messages(std::move(messages))
        , m_speed(speed)
        , m_linger(linger)
    {
        m_sendTimer.setSingleShot(true);
        m_sendTimer.setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5 % early
        m_lingerTimer.setSingleShot(true);
        connect(&m_sendTimer, &QTimer::timeout, this, &Replayer::sendDue);
        connect(&m_lingerTimer, &QTimer::timeout, this, [this] { m_client->close(1000, QStringLiteral("end of replay")); });
        connect(client, &Client::opened, this, [this] {
            m_sinceOpen.start();
            scheduleNext();
        });
        connect(client, &Client::textReceived, this, [this](const QString &, const QByteArray &utf8) { onReply(utf8); });
        connect(client, &Client::binaryReceived, this, &Replayer::onReply);
        connect(client, &Client::pongReceived, this, [this](const QByteArray &payload) {
            if (payload != kDrainPing)
                return;
            m_pongSeen = true;
            m_sincePong.start();
            m_lingerTimer.start(m_linger);
        });
        connect(client, &Client::stateChanged, this, &Replayer::onState);
    }

    void terminate()
    {
        m_sendTimer.stop();
        if (m_client->state() == Client::State::Idle)
            finish();
        else
            m_client->close(1001, QStringLiteral("client going away"));
    }

private:
    // When message i is due, in ms after the open: its gap from the first, divided by the speed.
    qint64 dueMs(qsizetype i) const
    {
        if (m_speed <= 0)
            return 0;
        return std::llround(double(m_messages[i].wallMs - m_messages.first().wallMs) / m_speed);
    }

    void scheduleNext()
    {
        if (m_next == m_messages.size()) {
            // As connect does: the pong to a ping after the last message proves all reached the
            // server; replies still under way get the linger time after it.
            m_client->ping(kDrainPing);
            m_lingerTimer.start(m_client->config().heartbeat.pongTimeout);
            return;
        }
        // A QTimer takes an int of ms: a longer gap is waited for in steps, sendDue checking each time.
        const qint64 remaining = dueMs(m_next) - m_sinceOpen.elapsed();
        m_sendTimer.start(int(std::clamp<qint64>(remaining, 0, std::numeric_limits<int>::max())));
    }

    void sendDue()
    {
        if (m_sinceOpen.elapsed() < dueMs(m_next)) {
            scheduleNext();
            return;
        }
        // Once the connection is going down a send would only wait in the outbox: not sent.
        if (m_client->state() != Client::State::Open)
            return;
        const LogEvent &message = m_messages[m_next];
        const bool sent = message.kind == EventKind::Text ? m_client->sendText(QString::fromUtf8(message.payload), message.payload)
                                                          : m_client->sendBinary(message.payload);
        if (!sent)
            return; // the connection is going down; onState reports it
        ++m_next;
        scheduleNext();
    }

    void onReply(const QByteArray &data)
    {
        ++m_replies;
        std::fwrite(data.constData(), 1, size_t(data.size()), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
        if (m_pongSeen && m_sincePong.elapsed() < kLingerCap * m_linger.count())
            m_lingerTimer.start(m_linger);
    }

    void onState(Client::State state)
    {
        if (state != Client::State::Idle)
            return;
        m_sendTimer.stop();
        m_lingerTimer.stop();
        std::fprintf(stderr, "wslab-cli: replay: %lld of %lld messages sent, %d replies\n", static_cast<long long>(m_next),
                     static_cast<long long>(m_messages.size()), m_replies);
        if (m_next < m_messages.size()) {
            std::fprintf(stderr, "wslab-cli: replay: %s\n", qPrintable(whyClientEnded(*m_client)));
            m_exitCode = 1;
        }
        finish();
    }

    void finish() { QCoreApplication::exit(m_exitCode); }

    Client *m_client;
    QList<LogEvent> m_messages;
    double m_speed;
    std::chrono::milliseconds m_linger;
    qsizetype m_next = 0;
    int m_replies = 0;
    QElapsedTimer m_sinceOpen;
    QTimer m_sendTimer;
    QTimer m_lingerTimer;
    QElapsedTimer m_sincePong;
    bool m_pongSeen = false;
    int m_exitCode = 0;
    inline static const QByteArray kDrainPing = QByteArrayLiteral("wslab-replay-drain");
    static constexpr int kLingerCap = 10;
};

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
        O(QStringLiteral("linger"),
          QStringLiteral("After the last message, wait until no reply arrived for this many ms before closing (default 300)."),
          QStringLiteral("MS")),
        O(QStringLiteral("log"), QStringLiteral("Append every event to this JSON Lines file."), QStringLiteral("FILE.jsonl")),
        O(QStringLiteral("verbose"), QStringLiteral("Print every event on stderr, messages and pings included.")),
    });
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
    const auto linger = args.millis(QStringLiteral("linger"), std::chrono::milliseconds(300));
    const RecordedConnection recorded = chooseConnection(positional.first(), args);

    ClientConfig config;
    config.url = url;
    config.reconnect.enabled = false; // a replay is one connection, compared with one recording
    Client client(QStringLiteral("replay"));
    client.setConfig(config);
    EventSink sink;
    if (args.isSet(QStringLiteral("log")))
        sink.openLogFile(args.value(QStringLiteral("log")));
    sink.setQuietKinds(args.isSet(QStringLiteral("verbose")), {EventKind::OutboxQueued, EventKind::Handshake});
    sink.watch(client.log());

    const QList<LogEvent> messages = recorded.outgoingMessages();
    const auto truncated = std::count_if(messages.cbegin(), messages.cend(), [](const LogEvent &e) { return e.isTruncated(); });
    if (truncated > 0)
        std::fprintf(stderr,
                     "wslab-cli: replay: notice: %lld messages were logged only in part (the first 64 KiB); they are sent as logged\n",
                     static_cast<long long>(truncated));
    Replayer replayer(&client, messages, speed, linger);
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &replayer, [&replayer](int) { replayer.terminate(); });
    if (!client.open()) {
        std::fprintf(stderr, "wslab-cli: replay: %s\n", qPrintable(client.errorString()));
        return 2;
    }
    const int code = QCoreApplication::exec();
    sink.flush();
    return code;
}

} // namespace wslab::cli
