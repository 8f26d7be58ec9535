#pragma once

// An echo server for checking load generators: a real Server in silent mode that echoes every message
// itself, except one (by its 1-based number in arrival order) whose first byte it changes.

#include "tests/support/WsLabTest.h"

namespace wslab::test {

class TamperingEcho
{
public:
    // alterMessage = 0 echoes everything exactly.
    explicit TamperingEcho(int alterMessage)
        : m_alter(alterMessage)
    {
        QObject::connect(&m_server, &Server::textReceived, &m_server, [this](int peerId, const QString &text) {
            QString echo = text;
            if (++m_seen == m_alter && !echo.isEmpty())
                echo[0] = echo.at(0) == u'X' ? u'Y' : u'X';
            m_server.sendText(peerId, echo);
        });
        QObject::connect(&m_server, &Server::binaryReceived, &m_server, [this](int peerId, const QByteArray &data) {
            QByteArray echo = data;
            if (++m_seen == m_alter && !echo.isEmpty())
                echo[0] = char(echo.at(0) ^ 0x01);
            m_server.sendBinary(peerId, echo);
        });
    }

    bool start() { return startServer(m_server, loopbackServerConfig(ServerMode::Silent)); }
    QUrl url() const { return loopbackUrl(m_server.port(), QStringLiteral("/")); }
    int seen() const { return m_seen; }

private:
    Server m_server;
    int m_alter;
    int m_seen = 0;
};

} // namespace wslab::test
