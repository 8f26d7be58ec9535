#pragma once

#include "core/protocol/HttpRequest.h"
#include "core/server/ServerConfig.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>

#include <chrono>
#include <functional>

class QTcpSocket;

namespace wslab {

// The server's front door. It reads the HTTP upgrade request itself, with limits, and either answers
// with a real HTTP refusal (so a browser, curl or a student sees the status and why) or hands the
// untouched socket on for the WebSocket handshake. Nothing is consumed: the request stays buffered.
class Gate : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Gate)
public:
    explicit Gate(QObject *parent = nullptr);

    // Limits, path, token, origins and caps all come from the server's config.
    void setConfig(const ServerConfig &config) { m_config = config; }
    // How many WebSocket connections are open now, in all and from one address, for the caps.
    void setConnectionCounters(std::function<int()> total, std::function<int(const QHostAddress &)> fromAddress)
    {
        m_openConnections = std::move(total);
        m_connectionsFrom = std::move(fromAddress);
    }

    // Takes ownership of a freshly accepted socket. Past maxPendingHandshakes sockets waiting for
    // their request, the new one is answered 503 and closed at once, without reading it.
    void admit(QTcpSocket *socket);
    // Drops every socket still waiting at the door.
    void abortAll();

Q_SIGNALS:
    // The request passed; the receiver takes the socket (its request bytes still unread).
    // headBytes: the size of the request head, which is all the socket holds.
    void admitted(QTcpSocket *socket, const wslab::HttpRequest &request, int headBytes);
    // The request was answered with `status`; head is what the peer sent (cut at the limits, secrets redacted).
    void refused(const QHostAddress &address, quint16 port, int status, const QString &why, const QByteArray &head);
    // The connection failed before a request could be answered, e.g. a failed TLS handshake.
    void dropped(const QHostAddress &address, quint16 port, const QString &why);

private:
    void inspect(QTcpSocket *socket);
    void turnAway(QTcpSocket *socket);
    // In chat mode a plain GET of / (or of the configured path) gets the chat page (core/chat/ChatPage).
    bool isChatPageRequest(const HttpRequest &request) const;
    void servePage(QTcpSocket *socket, const HttpRequest &request);
    void refuse(QTcpSocket *socket, int status, const QString &why, const QByteArray &head,
                const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});
    void release(QTcpSocket *socket);

    // The first problem with a complete request, as the status and why; status 0 when it may pass.
    int check(const HttpRequest &request, const QHostAddress &from, QString *why, QList<QPair<QByteArray, QByteArray>> *extraHeaders) const;

    ServerConfig m_config;
    std::function<int()> m_openConnections;
    std::function<int(const QHostAddress &)> m_connectionsFrom;
    QSet<QObject *> m_waiting; // sockets still sending their upgrade request
};

} // namespace wslab
