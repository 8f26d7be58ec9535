#include "Gate.h"

#include <QTcpSocket>
#include <QTimer>

namespace wslab {

namespace {
// A refused peer gets this long to read our answer before the socket is aborted.
constexpr std::chrono::milliseconds kLingerAfterRefusal{2000};
constexpr const char *kWaitingProperty = "wslab_gate_waiting";
} // namespace

Gate::Gate(QObject *parent)
    : QObject(parent)
{
}

void Gate::admit(QTcpSocket *socket)
{
    socket->setParent(this);
    socket->setProperty(kWaitingProperty, true);
    ++m_waiting;
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        release(socket);
        socket->deleteLater();
    });
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, socket] {
        refuse(socket, 408, QStringLiteral("no complete upgrade request within %1 ms").arg(m_settings.handshakeTimeout.count()),
               socket->peek(m_settings.httpLimits.maxLineBytes));
    });
    timer->start(m_settings.handshakeTimeout);
    if (socket->bytesAvailable() > 0)
        inspect(socket);
}

void Gate::inspect(QTcpSocket *socket)
{
    if (!socket->property(kWaitingProperty).toBool())
        return;
    // Peek, never read: QWebSocketServer::handleConnection parses the same bytes again.
    const QByteArray received = socket->peek(socket->bytesAvailable());
    const HttpRequestParse parse = HttpRequestParse::parse(received, m_settings.httpLimits);
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
    const HttpRequest &request = parse.request;
    if (request.method != "GET") {
        refuse(socket, 405, QStringLiteral("method %1 is not allowed; a WebSocket upgrade is a GET").arg(QString::fromLatin1(request.method)),
               head, {{"Allow", "GET"}});
        return;
    }
    if (!request.isWebSocketUpgrade()) {
        refuse(socket, 426,
               QStringLiteral("this is a WebSocket endpoint: the request needs \"Upgrade: websocket\" and \"Connection: Upgrade\""),
               head, {{"Upgrade", "websocket"}, {"Sec-WebSocket-Version", "13"}});
        return;
    }
    if (request.header("Sec-WebSocket-Version") != "13") {
        refuse(socket, 426, QStringLiteral("unsupported Sec-WebSocket-Version \"%1\"; this server speaks 13")
                                .arg(QString::fromLatin1(request.header("Sec-WebSocket-Version"))),
               head, {{"Sec-WebSocket-Version", "13"}});
        return;
    }
    if (request.header("Sec-WebSocket-Key").isEmpty()) {
        refuse(socket, 400, QStringLiteral("missing Sec-WebSocket-Key"), head);
        return;
    }
    const int open = m_openConnections ? m_openConnections() : 0;
    if (open >= m_settings.maxConnections) {
        refuse(socket, 503, QStringLiteral("connection limit reached (%1 open, limit %2)").arg(open).arg(m_settings.maxConnections),
               head, {{"Retry-After", "5"}});
        return;
    }
    release(socket);
    socket->disconnect(this);
    qDeleteAll(socket->findChildren<QTimer *>(Qt::FindDirectChildrenOnly));
    socket->setParent(nullptr);
    Q_EMIT admitted(socket, request);
}

void Gate::refuse(QTcpSocket *socket, int status, const QString &why, const QByteArray &head,
                  const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    if (!socket->property(kWaitingProperty).toBool())
        return;
    release(socket);
    Q_EMIT refused(socket->peerAddress(), socket->peerPort(), status, why, head);
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    socket->write(httpRefusal(status, why.toUtf8(), extraHeaders));
    socket->disconnectFromHost();
    // A peer that never reads our answer must not keep the socket alive.
    QTimer::singleShot(kLingerAfterRefusal, socket, [socket] { socket->abort(); });
}

void Gate::release(QTcpSocket *socket)
{
    if (socket->property(kWaitingProperty).toBool()) {
        socket->setProperty(kWaitingProperty, false);
        --m_waiting;
    }
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
