#include "core/server/Gate.h"

#include "core/chat/ChatPage.h"
#include "core/protocol/Redaction.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

namespace wslab {

namespace {
// A refused peer gets this long to read our answer before the socket is aborted.
constexpr std::chrono::milliseconds kLingerAfterRefusal{2000};
} // namespace

Gate::Gate(QObject *parent)
    : QObject(parent)
{
}

void Gate::admit(QTcpSocket *socket)
{
    socket->setParent(this);
    if (m_waiting.size() >= m_config.maxPendingHandshakes) {
        turnAway(socket);
        return;
    }
    m_waiting.insert(socket);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, socket](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::RemoteHostClosedError || !m_waiting.contains(socket))
            return;
        release(socket); // a TLS failure reports more than one error: tell it once
        Q_EMIT dropped(socket->peerAddress(), socket->peerPort(), socket->errorString());
    });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        release(socket);
        socket->deleteLater();
    });
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, socket] {
        refuse(socket, 408, QStringLiteral("no complete upgrade request within %1 ms").arg(m_config.handshakeTimeout.count()),
               socket->peek(m_config.httpLimits.maxLineBytes));
    });
    timer->start(m_config.handshakeTimeout);
    if (socket->bytesAvailable() > 0)
        inspect(socket);
}

void Gate::inspect(QTcpSocket *socket)
{
    if (!m_waiting.contains(socket))
        return;
    // Peek, never read: QWebSocketServer::handleConnection parses the same bytes again.
    const QByteArray received = socket->peek(socket->bytesAvailable());
    const HttpRequestParse parse = HttpRequestParse::parse(received, m_config.httpLimits);
    const QByteArray head = received.left(parse.status == HttpRequestParse::Status::Complete ? parse.headBytes : 16 * 1024);
    switch (parse.status) {
    case HttpRequestParse::Status::Incomplete:
        return;
    case HttpRequestParse::Status::Error:
        refuse(socket, parse.errorStatus, QString::fromLatin1(parse.errorText), head);
        return;
    case HttpRequestParse::Status::Complete:
        break;
    }
    if (received.size() > parse.headBytes) {
        // RFC 6455 4.1: a client waits for our answer before it sends frames. Bytes already here would
        // be read by Qt before any size limit could be set on the new WebSocket.
        refuse(socket, 400, QStringLiteral("data sent before the handshake completed"), head);
        return;
    }
    if (isChatPageRequest(parse.request)) {
        servePage(socket, parse.request);
        return;
    }
    QString why;
    QList<QPair<QByteArray, QByteArray>> extraHeaders;
    if (const int status = check(parse.request, socket->peerAddress(), &why, &extraHeaders)) {
        refuse(socket, status, why, head, extraHeaders);
        return;
    }
    release(socket);
    socket->disconnect(this);
    qDeleteAll(socket->findChildren<QTimer *>(Qt::FindDirectChildrenOnly));
    socket->setParent(nullptr);
    Q_EMIT admitted(socket, parse.request, parse.headBytes);
}

namespace {

// Compares without leaking through timing how much of a guessed token was right.
bool sameSecret(QByteArrayView given, QByteArrayView expected)
{
    unsigned char diff = given.size() == expected.size() ? 0 : 1;
    for (qsizetype i = 0; i < given.size(); ++i)
        diff |= static_cast<unsigned char>(given[i] ^ expected[i % std::max<qsizetype>(1, expected.size())]);
    return diff == 0 && !expected.isEmpty();
}

} // namespace

int Gate::check(const HttpRequest &request, const QHostAddress &from, QString *why,
                QList<QPair<QByteArray, QByteArray>> *extraHeaders) const
{
    if (request.method != "GET") {
        *why = QStringLiteral("method %1 is not allowed; a WebSocket upgrade is a GET").arg(QString::fromLatin1(request.method));
        *extraHeaders = {{"Allow", "GET"}};
        return 405;
    }
    if (!m_config.path.isEmpty() && request.path() != m_config.path.toUtf8()) {
        *why = QStringLiteral("no WebSocket endpoint at %1 (this server serves %2)").arg(QString::fromUtf8(request.path()), m_config.path);
        return 404;
    }
    if (!request.isWebSocketUpgrade()) {
        *why = QStringLiteral("this is a WebSocket endpoint: the request needs \"Upgrade: websocket\" and \"Connection: Upgrade\"");
        *extraHeaders = {{"Upgrade", "websocket"}, {"Sec-WebSocket-Version", "13"}};
        return 426;
    }
    if (request.header("Sec-WebSocket-Version") != "13") {
        *why = QStringLiteral("unsupported Sec-WebSocket-Version \"%1\"; this server speaks 13")
                   .arg(QString::fromLatin1(request.header("Sec-WebSocket-Version")));
        *extraHeaders = {{"Sec-WebSocket-Version", "13"}};
        return 426;
    }
    if (request.header("Sec-WebSocket-Key").isEmpty()) {
        *why = QStringLiteral("missing Sec-WebSocket-Key");
        return 400;
    }
    if (!m_config.allowedOrigins.isEmpty()) {
        const QString origin = QString::fromUtf8(request.header("Origin"));
        if (!m_config.allowedOrigins.contains(origin)) {
            *why = origin.isEmpty() ? QStringLiteral("no Origin header; this server only accepts listed origins")
                                    : QStringLiteral("origin %1 is not on the allow-list").arg(origin);
            return 403;
        }
    }
    if (m_config.allowedOrigins.isEmpty() && m_config.mode == ServerMode::Chat && request.hasHeader("Origin")) {
        // A page on another site must not join the chat in its visitor's name: without a list, a browser
        // may connect only from the server's own page. Clients that send no Origin are not browsers.
        const QByteArray own = ChatPage::originOf(request.header("Host"), m_config.isTls());
        const QByteArray origin = request.header("Origin");
        if (own.isEmpty() || ChatPage::normalizedOrigin(origin) != own) {
            *why = QStringLiteral("origin %1 is not this server's own (%2); a chat server without --allowed-origin "
                                  "accepts browsers only from its own page")
                       .arg(QString::fromUtf8(origin), own.isEmpty() ? QStringLiteral("no usable Host header") : QString::fromUtf8(own));
            return 403;
        }
    }
    if (!m_config.token.isEmpty()) {
        const QByteArray expected = m_config.token.toUtf8();
        QByteArray given;
        const QByteArray authorization = request.header("Authorization");
        if (authorization.startsWith("Bearer "))
            given = authorization.mid(7).trimmed();
        else
            given = QUrlQuery(QString::fromUtf8(request.query())).queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).toUtf8();
        if (!sameSecret(given, expected)) {
            *why = given.isEmpty() ? QStringLiteral("missing token (send Authorization: Bearer <token> or ?token=<token>)")
                                   : QStringLiteral("wrong token");
            *extraHeaders = {{"WWW-Authenticate", "Bearer"}};
            return 401;
        }
    }
    const int open = m_openConnections ? m_openConnections() : 0;
    if (open >= m_config.maxConnections) {
        *why = QStringLiteral("connection limit reached: %1 open, limit %2 (raise it in the server's Settings > Connections, "
                              "or with serve --max-connections)")
                   .arg(open)
                   .arg(m_config.maxConnections);
        *extraHeaders = {{"Retry-After", "5"}};
        return 503;
    }
    const int fromHere = m_connectionsFrom ? m_connectionsFrom(from) : 0;
    if (fromHere >= m_config.maxPerAddress) {
        // A classroom demo from one machine meets this limit first: say which one and where it is set.
        *why = QStringLiteral("per-address limit reached: %1 connections open from %2, limit %3 (raise it in the "
                              "server's Settings > Connections > per address, or with serve --max-per-address)")
                   .arg(fromHere)
                   .arg(from.toString())
                   .arg(m_config.maxPerAddress);
        *extraHeaders = {{"Retry-After", "5"}};
        return 429;
    }
    return 0;
}

bool Gate::isChatPageRequest(const HttpRequest &request) const
{
    if (m_config.mode != ServerMode::Chat || request.method != "GET" || request.hasHeader("Upgrade"))
        return false;
    const QByteArray path = request.path();
    return path == "/" || (!m_config.path.isEmpty() && path == m_config.path.toUtf8());
}

void Gate::servePage(QTcpSocket *socket, const HttpRequest &request)
{
    release(socket);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    const QString socketPath = m_config.path.isEmpty() ? QStringLiteral("/") : m_config.path;
    socket->write(ChatPage::make(request.header("Host"), m_config.isTls(), socketPath).httpResponse());
    socket->disconnectFromHost();
    QTimer::singleShot(kLingerAfterRefusal, socket, [socket] { socket->abort(); });
}

void Gate::refuse(QTcpSocket *socket, int status, const QString &why, const QByteArray &head,
                  const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    if (!m_waiting.contains(socket))
        return;
    release(socket);
    Q_EMIT refused(socket->peerAddress(), socket->peerPort(), status, why, redactSecrets(head));
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    socket->write(httpRefusal(status, why.toUtf8(), extraHeaders));
    socket->disconnectFromHost();
    // A peer that never reads our answer must not keep the socket alive.
    QTimer::singleShot(kLingerAfterRefusal, socket, [socket] { socket->abort(); });
}

void Gate::turnAway(QTcpSocket *socket)
{
    // A slow flood (connections that never finish their request) is otherwise bounded only by the
    // handshake timeout. Each one past the cap costs a write and a close: nothing is read or parsed.
    const QString why = QStringLiteral("too many connections still sending their request (limit %1)").arg(m_config.maxPendingHandshakes);
    Q_EMIT refused(socket->peerAddress(), socket->peerPort(), 503, why, {});
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    if (qobject_cast<QSslSocket *>(socket)) {
        // No TLS session yet to carry an HTTP answer, and starting one is the cost being avoided.
        socket->abort();
        socket->deleteLater();
        return;
    }
    socket->write(httpRefusal(503, why.toUtf8(), {{"Retry-After", "5"}}));
    socket->disconnectFromHost();
    QTimer::singleShot(kLingerAfterRefusal, socket, [socket] { socket->abort(); });
}

void Gate::release(QTcpSocket *socket)
{
    // A set, not a property on the socket: a dynamic property would stay allocated on every admitted
    // socket for the whole life of its connection.
    m_waiting.remove(socket);
}

void Gate::abortAll()
{
    const auto sockets = findChildren<QTcpSocket *>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket *socket : sockets) {
        release(socket);
        socket->abort();
    }
}

} // namespace wslab
