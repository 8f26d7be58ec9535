#include "app/wslab-cli/ConnectCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "app/wslab-cli/ClientOptions.h"
#include "app/wslab-cli/EventSink.h"
#include "app/wslab-cli/SignalWatcher.h"
#include "app/wslab-cli/StdinLines.h"
#include "core/client/Client.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>
#include <deque>

namespace wslab::cli {

namespace {

using O = QCommandLineOption;

// Feeds stdin lines to the client. When the Outbox is full it stops reading stdin until the
// connection opens again, so a long paste or a pipe is slowed down, never cut.
class Session : public QObject
{
public:
    Session(Client *client, bool binary, std::chrono::milliseconds linger)
        : m_client(client)
        , m_binary(binary)
        , m_linger(linger)
        , m_stdin(new StdinLines(this))
        , m_lines(m_stdin->lines())
    {
        connect(m_stdin, &StdinLines::linesRead, this, &Session::pump);
        connect(client, &Client::opened, this, [this] {
            m_everOpened = true;
            pump();
        });
        connect(client, &Client::textReceived, this, [this](const QString &, const QByteArray &utf8) {
            writeLine(utf8);
            extendLinger();
        });
        connect(client, &Client::binaryReceived, this, [this](const QByteArray &data) {
            writeLine(data);
            extendLinger();
        });
        connect(client, &Client::stateChanged, this, &Session::onState);
        connect(client, &Client::pongReceived, this, [this](const QByteArray &payload) {
            if (m_draining && payload == kDrainPing) {
                m_pongSeen = true;
                m_sincePong.start();
                m_drainTimer.start(m_linger);
            }
        });
        m_drainTimer.setSingleShot(true);
        connect(&m_drainTimer, &QTimer::timeout, this, &Session::closeNow);
    }

    void terminate()
    {
        m_terminating = true;
        m_stdin->pause();
        if (m_client->state() == Client::State::Idle)
            finish();
        else
            m_client->close(1001, QStringLiteral("client going away"));
    }

private:
    static void writeLine(const QByteArray &data)
    {
        std::fwrite(data.constData(), 1, size_t(data.size()), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
    }

    // A line is decoded once; when it is valid UTF-8 its bytes are what the log and counters get.
    bool sendLine(const QByteArray &line)
    {
        const QString text = QString::fromUtf8(line);
        return line.isValidUtf8() ? m_client->sendText(text, line) : m_client->sendText(text);
    }

    void pump()
    {
        while (!m_lines.empty()) {
            const QByteArray &line = m_lines.front();
            // Asked first rather than refused: input outrunning the connection (a pipe before the
            // first open) is expected, reading resumes by itself and no line is dropped.
            QString full;
            if (!m_client->canAccept(line.size(), &full)) {
                if (!m_warnedFull)
                    std::fprintf(stderr, "wslab-cli: connect: notice: input paused until the connection %s (%s); no line is lost\n",
                                 m_everOpened ? "is back" : "opens", qPrintable(full));
                m_warnedFull = true;
                m_stdin->pause();
                return;
            }
            const bool accepted = m_binary ? m_client->sendBinary(line) : sendLine(line);
            if (!accepted) {
                m_stdin->pause();
                return;
            }
            m_lines.pop_front();
        }
        m_warnedFull = false;
        if (!m_terminating)
            m_stdin->resume();
        if (m_stdin->atEnd() && m_client->state() == Client::State::Open && m_client->outboxSize() == 0)
            drainThenClose();
    }

    // Qt closes the TCP connection as soon as it sends a close frame, so replies still in flight would
    // be lost. The pong to a ping sent after the last message proves every message reached the server;
    // servers that answer from a separate task (python-websockets does) may send replies just after
    // it, so the close waits until the link has been quiet for the linger time after the pong. A server
    // that never goes quiet (a busy broadcast) is closed after kLingerCap lingers all the same; see
    // README's known limits for what that server then sees.
    void drainThenClose()
    {
        if (m_draining)
            return;
        m_draining = true;
        m_pongSeen = false;
        m_client->ping(kDrainPing);
        m_drainTimer.start(m_client->config().heartbeat.pongTimeout);
    }

    void extendLinger()
    {
        if (m_draining && m_pongSeen && m_sincePong.elapsed() < kLingerCap * m_linger.count())
            m_drainTimer.start(m_linger);
    }

    void closeNow()
    {
        m_drainTimer.stop();
        m_client->close(1000, QStringLiteral("end of input"));
    }

    void onState(Client::State state)
    {
        if (state != Client::State::Idle) {
            if (state != Client::State::Open)
                m_draining = false; // a new connection must be drained anew
            return;
        }
        const DisconnectCause cause = m_client->lastCause();
        const bool clean = m_terminating || cause.kind == DisconnectCause::Kind::UserClose ||
                           (cause.kind == DisconnectCause::Kind::PeerClose && cause.closeCode == 1000);
        if (!clean) {
            std::fprintf(stderr, "wslab-cli: connect: %s\n", qPrintable(whyClientEnded(*m_client)));
            m_exitCode = 1;
        }
        const qsizetype unsent = m_client->outboxSize() + qsizetype(m_lines.size());
        if (unsent > 0) {
            std::fprintf(stderr, "wslab-cli: connect: %lld messages were not sent\n", static_cast<long long>(unsent));
            m_exitCode = 1;
        }
        finish();
    }

    void finish() { QCoreApplication::exit(m_exitCode); }

    Client *m_client;
    bool m_binary;
    std::chrono::milliseconds m_linger;
    StdinLines *m_stdin;
    std::deque<QByteArray> &m_lines;
    inline static const QByteArray kDrainPing = QByteArrayLiteral("wslab-drain");
    QTimer m_drainTimer;
    bool m_draining = false;
    bool m_pongSeen = false;
    QElapsedTimer m_sincePong;
    static constexpr int kLingerCap = 10;
    bool m_terminating = false;
    bool m_warnedFull = false;
    bool m_everOpened = false;
    int m_exitCode = 0;
};

} // namespace

int runConnect(const QStringList &arguments)
{
    CliArgs args(
        QStringLiteral("connect"),
        QStringLiteral(
            "Connect to a WebSocket server: each stdin line is sent as one message, each message received is printed as one line."));
    QCommandLineParser &p = args.parser();
    p.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("ws:// or wss:// address"));
    p.addOptions(clientOptions());
    p.addOptions({
        O(QStringLiteral("linger"),
          QStringLiteral("At end of input, wait until no reply arrived for this many ms before closing (default 300); a server that never "
                         "goes quiet is closed after ten times that."),
          QStringLiteral("MS")),
        O(QStringLiteral("binary"), QStringLiteral("Send each line as a binary message instead of text.")),
        O(QStringLiteral("log"), QStringLiteral("Append every event to this JSON Lines file."), QStringLiteral("FILE.jsonl")),
        O(QStringLiteral("verbose"), QStringLiteral("Print every event on stderr, messages and pings included.")),
    });
    if (!args.parse(arguments))
        return 0;
    const ClientConfig config = clientConfigFrom(args, QStringLiteral("connect"));
    const bool verbose = args.isSet(QStringLiteral("verbose"));

    Client client(QStringLiteral("client"));
    client.setConfig(config);
    EventSink sink;
    if (args.isSet(QStringLiteral("log")))
        sink.openLogFile(args.value(QStringLiteral("log")));
    sink.setQuietKinds(verbose, {EventKind::OutboxQueued, EventKind::Handshake});
    sink.watch(client.log());

    Session session(&client, args.isSet(QStringLiteral("binary")), args.millis(QStringLiteral("linger"), std::chrono::milliseconds(300)));
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &session, [&session](int) { session.terminate(); });
    if (!client.open()) {
        std::fprintf(stderr, "wslab-cli: connect: %s\n", qPrintable(client.errorString()));
        return 2;
    }
    const int code = QCoreApplication::exec();
    sink.flush();
    return code;
}

} // namespace wslab::cli
