#include "app/wslab-cli/ConnectCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "app/wslab-cli/ClientOptions.h"
#include "app/wslab-cli/EventSink.h"
#include "app/wslab-cli/SignalWatcher.h"
#include "app/wslab-cli/StdinLines.h"
#include "core/client/Client.h"

#include <QCoreApplication>

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
    Session(Client *client, bool binary)
        : m_client(client)
        , m_binary(binary)
        , m_stdin(new StdinLines(this))
        , m_lines(m_stdin->lines())
    {
        connect(m_stdin, &StdinLines::linesRead, this, &Session::pump);
        connect(client, &Client::opened, this, [this] {
            m_everOpened = true;
            pump();
        });
        connect(client, &Client::textReceived, this, [](const QString &, const QByteArray &utf8) { writeLine(utf8); });
        connect(client, &Client::binaryReceived, this, [](const QByteArray &data) { writeLine(data); });
        connect(client, &Client::stateChanged, this, &Session::onState);
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
            m_client->closeAfterDrain(1000, QStringLiteral("end of input")); // replies still on their way are waited for
    }

    void onState(Client::State state)
    {
        if (state != Client::State::Idle)
            return;
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
    StdinLines *m_stdin;
    std::deque<QByteArray> &m_lines;
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

    Session session(&client, args.isSet(QStringLiteral("binary")));
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
