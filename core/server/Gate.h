#pragma once

#include "protocol/HttpRequest.h"

#include <QHostAddress>
#include <QObject>

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
    struct Settings
    {
        HttpLimits httpLimits;
        std::chrono::milliseconds handshakeTimeout{10000};
        int maxConnections = 1000;
    };

    explicit Gate(QObject *parent = nullptr);

    void setSettings(const Settings &settings) { m_settings = settings; }
    // How many WebSocket connections are open now, for the connection cap.
    void setOpenConnectionCount(std::function<int()> count) { m_openConnections = std::move(count); }

    // Takes ownership of a freshly accepted socket.
    void admit(QTcpSocket *socket);
    // Drops every socket still waiting at the door.
    void abortAll();
    int waitingCount() const { return m_waiting; }

Q_SIGNALS:
    // The request passed; the receiver takes the socket (its request bytes still unread).
    void admitted(QTcpSocket *socket, const wslab::HttpRequest &request);
    // The request was answered with `status`; head is what the peer sent (cut at the limits).
    void refused(const QHostAddress &address, quint16 port, int status, const QString &why, const QByteArray &head);

private:
    void inspect(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, int status, const QString &why, const QByteArray &head,
                const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});
    void release(QTcpSocket *socket);

    Settings m_settings;
    std::function<int()> m_openConnections;
    int m_waiting = 0;
};

} // namespace wslab
