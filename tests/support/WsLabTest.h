#pragma once

// Shared helpers for the core tests: loopback configs, event-log queries and hand-rolled HTTP peers
// that misbehave in ways a real WebSocket library would not.

#include "core/client/Client.h"
#include "core/log/EventLog.h"
#include "core/server/Peer.h"
#include "core/server/Server.h"

#include <QCryptographicHash>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QUrl>
#include <QWebSocket>

#include <algorithm>
#include <functional>

namespace wslab::test {

using namespace std::chrono_literals;

// A server config bound to loopback on a free port, echoing, with no heartbeat unless a test asks.
inline ServerConfig loopbackServerConfig(ServerMode mode = ServerMode::Echo)
{
    ServerConfig config;
    config.host = QStringLiteral("127.0.0.1");
    config.port = 0;
    config.mode = mode;
    config.heartbeat.interval = 0ms;
    return config;
}

// A client config for `url` with fast, exact reconnects: a fixed minimum delay so retries do not slow the suite.
inline ClientConfig fastClientConfig(const QUrl &url)
{
    ClientConfig config;
    config.url = url;
    config.heartbeat.interval = 0ms;
    config.connectTimeout = 5000ms;
    config.closeTimeout = 1000ms;
    config.reconnect.baseDelay = 20ms;
    config.reconnect.maxDelay = 200ms;
    config.reconnect.minDelay = 10ms;
    return config;
}

inline QUrl loopbackUrl(quint16 port, const QString &path = {})
{
    QUrl url;
    url.setScheme(QStringLiteral("ws"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port);
    url.setPath(path);
    return url;
}

// A loopback port that was free a moment ago and nothing listens on now: a connect there is refused.
// 0 when no port could be bound at all.
inline quint16 closedPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort(); // closed again as probe goes
}

// Starts `server` with `config` on loopback; false (with the reason printed) when it cannot listen.
inline bool startServer(Server &server, const ServerConfig &config = loopbackServerConfig())
{
    server.setConfig(config);
    if (server.start())
        return true;
    qWarning("server did not start: %s", qPrintable(server.errorString()));
    return false;
}

// Opens `client` with `config` and waits until it is Open.
inline bool openClient(Client &client, const ClientConfig &config, int timeoutMs = 5000)
{
    client.setConfig(config);
    if (!client.open())
        return false;
    return QTest::qWaitFor([&client] { return client.state() == Client::State::Open; }, timeoutMs);
}

// The server-side Peer of an open client, found by the client's local port.
inline Peer *peerOf(const Server &server, const Client &client)
{
    const quint16 port = client.socket()->localPort();
    for (Peer *p : server.peers()) {
        if (p->port() == port)
            return p;
    }
    return nullptr;
}

inline QList<LogEvent> eventsOfKind(const EventLog *log, EventKind kind)
{
    QList<LogEvent> out;
    for (qsizetype i = 0; i < log->size(); ++i) {
        if (log->at(i).kind == kind)
            out.append(log->at(i));
    }
    return out;
}

// Whether an event of this kind has `part` in its detail.
inline bool hasEventWith(const EventLog *log, EventKind kind, const QString &part)
{
    const QList<LogEvent> events = eventsOfKind(log, kind);
    return std::any_of(events.begin(), events.end(), [&](const LogEvent &e) { return e.detail.contains(part); });
}

// The Frame events an inspecting relay logged from one side with one opcode, oldest first.
inline QList<LogEvent> framesFrom(const EventLog *log, bool fromClient, quint8 opcode)
{
    QList<LogEvent> out;
    for (const LogEvent &e : eventsOfKind(log, EventKind::Frame)) {
        if (e.frame.fromClient == fromClient && e.frame.opcode == opcode)
            out << e;
    }
    return out;
}

inline int countOfKind(const EventLog *log, EventKind kind)
{
    return int(eventsOfKind(log, kind).size());
}

// RFC 6455 §4.2.2: base64(SHA-1(key + GUID)).
inline QByteArray acceptKeyFor(const QByteArray &key)
{
    return QCryptographicHash::hash(QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1).toBase64();
}

inline QByteArray upgradeRequest(quint16 port, const QByteArray &path = "/", const QByteArray &key = "dGhlIHNhbXBsZSBub25jZQ==")
{
    return "GET " + path +
           " HTTP/1.1\r\n"
           "Host: 127.0.0.1:" +
           QByteArray::number(port) +
           "\r\n"
           "Upgrade: websocket\r\n"
           "Connection: Upgrade\r\n"
           "Sec-WebSocket-Key: " +
           key +
           "\r\n"
           "Sec-WebSocket-Version: 13\r\n\r\n";
}

// The value of `name` in an HTTP head, compared case-insensitively; empty when absent.
inline QByteArray headerValue(const QByteArray &head, const QByteArray &name)
{
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

// A QTcpServer on loopback that speaks just enough HTTP by hand: it reads each upgrade request and
// answers with `status`. For 101 it completes the handshake correctly and then never says another
// word (no pongs, no close); for anything else it sends the refusal and closes.
class HandRolledServer
{
public:
    // status 0: read the request and never answer at all.
    explicit HandRolledServer(int status, const QByteArray &reason = {})
        : m_status(status)
        , m_reason(reason)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++m_connections;
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { answer(socket); });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url() const { return loopbackUrl(m_server.serverPort()); }
    int connections() const { return m_connections; }
    int answered() const { return m_answered; }

private:
    void answer(QTcpSocket *socket)
    {
        if (socket->property("answered").toBool())
            return; // after the handshake everything the client sends is ignored on purpose
        const QByteArray head = socket->peek(socket->bytesAvailable());
        if (!head.contains("\r\n\r\n"))
            return;
        socket->read(head.indexOf("\r\n\r\n") + 4);
        socket->setProperty("answered", true);
        if (m_status == 0)
            return;
        ++m_answered;
        if (m_status == 101) {
            socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: " +
                          acceptKeyFor(headerValue(head, "Sec-WebSocket-Key")) + "\r\n\r\n");
            return;
        }
        const QByteArray body = "refused by hand\n";
        socket->write("HTTP/1.1 " + QByteArray::number(m_status) + ' ' + m_reason +
                      "\r\nContent-Type: text/plain\r\n"
                      "Content-Length: " +
                      QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    int m_status;
    QByteArray m_reason;
    int m_connections = 0;
    int m_answered = 0;
};

// Types the tests read back out of QSignalSpy arguments.
inline void registerMetaTypes()
{
    qRegisterMetaType<Client::State>();
    qRegisterMetaType<std::chrono::milliseconds>();
}

// A fixed uniform random number for backoff jitter, so delays are exact.
inline std::function<double()> fixedRandom(double value)
{
    return [value] { return value; };
}

} // namespace wslab::test
