#include "app/wslab-cli/ChatCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "app/wslab-cli/ClientOptions.h"
#include "app/wslab-cli/EventSink.h"
#include "app/wslab-cli/SignalWatcher.h"
#include "app/wslab-cli/StdinLines.h"
#include "core/chat/ChatClient.h"
#include "core/client/Client.h"

#include <QCoreApplication>

#include <cstdio>

namespace wslab::cli {

namespace {

using O = QCommandLineOption;

void printTo(FILE *stream, const QString &line)
{
    const QByteArray utf8 = line.toUtf8();
    std::fwrite(utf8.constData(), 1, size_t(utf8.size()), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

// Says each stdin line, prints what the room says. At the end of input it waits until the server has
// posted every line said (so a pipe's last message is not lost), then leaves with a normal close.
class ChatSession : public QObject
{
public:
    ChatSession(Client *client, ChatClient *chat)
        : m_client(client)
        , m_chat(chat)
        , m_stdin(new StdinLines(this))
    {
        connect(m_stdin, &StdinLines::linesRead, this, &ChatSession::sayLines);
        connect(chat, &ChatClient::messageAdded, this, [this](const ChatClient::Message &message) {
            printTo(stdout, message.nick + QStringLiteral(": ") + message.text);
            leaveWhenDone();
        });
        connect(chat, &ChatClient::joined, this, [](const QString &nick, bool resumed) {
            printTo(stderr, resumed ? QStringLiteral("* back in as %1; missed messages follow").arg(nick)
                                    : QStringLiteral("* joined as %1").arg(nick));
        });
        connect(chat, &ChatClient::membersChanged, this, &ChatSession::onMembers);
        connect(chat, &ChatClient::historyReset, this, [](const QString &reason) {
            printTo(stderr, QStringLiteral("* the server's history was reset (%1); what follows starts over").arg(reason));
        });
        connect(chat, &ChatClient::errorReceived, this, [](const QString &code, const QString &message) {
            printTo(stderr, QStringLiteral("wslab-cli: chat: the server refused: %1 (%2)").arg(message, code));
        });
        connect(client, &Client::stateChanged, this, &ChatSession::onState);
    }

    void terminate()
    {
        m_leaving = true;
        m_stdin->pause();
        if (m_client->state() == Client::State::Idle)
            QCoreApplication::exit(m_exitCode);
        else
            m_client->close(1001, QStringLiteral("client going away"));
    }

private:
    void sayLines()
    {
        std::deque<QByteArray> &lines = m_stdin->lines();
        while (!lines.empty()) {
            const QString text = QString::fromUtf8(lines.front());
            lines.pop_front();
            if (text.trimmed().isEmpty())
                continue; // an empty line is not a message
            QString error;
            if (!m_chat->say(text, &error)) {
                printTo(stderr, QStringLiteral("wslab-cli: chat: not sent: %1").arg(error));
                m_exitCode = 1;
            }
        }
        leaveWhenDone();
    }

    void leaveWhenDone()
    {
        if (!m_stdin->atEnd() || m_leaving || m_chat->pendingCount() > 0)
            return;
        m_leaving = true;
        if (m_client->state() == Client::State::Idle)
            QCoreApplication::exit(m_exitCode);
        else
            m_client->closeAfterDrain(1000, QStringLiteral("bye")); // what the room says meanwhile is still printed
    }

    void onMembers(const QStringList &members)
    {
        if (m_firstMembers) {
            printTo(stderr, QStringLiteral("* here: %1").arg(members.join(QStringLiteral(", "))));
            m_firstMembers = false;
        } else {
            for (const QString &nick : members) {
                if (!m_members.contains(nick))
                    printTo(stderr, QStringLiteral("* %1 joined").arg(nick));
            }
            for (const QString &nick : std::as_const(m_members)) {
                if (!members.contains(nick))
                    printTo(stderr, QStringLiteral("* %1 left").arg(nick));
            }
        }
        m_members = members;
    }

    void onState(Client::State state)
    {
        if (state != Client::State::Idle)
            return;
        if (!m_leaving) {
            // The client gave up (no reconnect, or its attempts ran out).
            printTo(stderr, QStringLiteral("wslab-cli: chat: %1").arg(whyClientEnded(*m_client)));
            m_exitCode = 1;
        }
        if (m_chat->pendingCount() > 0) {
            printTo(stderr, QStringLiteral("wslab-cli: chat: %1 messages were not confirmed by the server").arg(m_chat->pendingCount()));
            m_exitCode = 1;
        }
        QCoreApplication::exit(m_exitCode);
    }

    Client *m_client;
    ChatClient *m_chat;
    StdinLines *m_stdin;
    QStringList m_members;
    bool m_firstMembers = true;
    bool m_leaving = false;
    int m_exitCode = 0;
};

} // namespace

int runChat(const QStringList &arguments)
{
    CliArgs args(
        QStringLiteral("chat"),
        QStringLiteral(
            "Chat on a WsLab chat server (serve --mode chat): each stdin line is said, each message is printed as \"NICK: TEXT\"."));
    QCommandLineParser &p = args.parser();
    p.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("ws:// or wss:// address of the chat server"));
    p.addOption(O(QStringLiteral("nick"), QStringLiteral("Your nickname (required; the server adds a suffix if it is taken)."),
                  QStringLiteral("NAME")));
    p.addOptions(clientOptions());
    p.addOptions({
        O(QStringLiteral("log"), QStringLiteral("Append every event to this JSON Lines file."), QStringLiteral("FILE.jsonl")),
        O(QStringLiteral("verbose"), QStringLiteral("Print every event on stderr, frames included.")),
    });
    if (!args.parse(arguments))
        return 0;
    const QString nick = args.value(QStringLiteral("nick")).trimmed();
    if (nick.isEmpty())
        throw UsageError(QStringLiteral("chat: --nick NAME is required"));
    const ClientConfig config = clientConfigFrom(args, QStringLiteral("chat"));

    Client client(QStringLiteral("chat"));
    client.setConfig(config);
    EventSink sink;
    if (args.isSet(QStringLiteral("log")))
        sink.openLogFile(args.value(QStringLiteral("log")));
    // The chat itself is on stdout and stderr already; the connection's story is told only when asked.
    sink.setQuietKinds(args.isSet(QStringLiteral("verbose")), {EventKind::OutboxQueued, EventKind::Handshake, EventKind::Open});
    sink.watch(client.log());

    ChatClient chat(&client);
    ChatSession session(&client, &chat);
    SignalWatcher signalWatcher;
    QObject::connect(&signalWatcher, &SignalWatcher::terminationRequested, &session, [&session](int) { session.terminate(); });
    chat.join(nick);
    if (!client.open()) {
        std::fprintf(stderr, "wslab-cli: chat: %s\n", qPrintable(client.errorString()));
        return 2;
    }
    const int code = QCoreApplication::exec();
    sink.flush();
    return code;
}

} // namespace wslab::cli
