#pragma once

#include "policy/HeartbeatPolicy.h"
#include "protocol/HttpRequest.h"

#include <QString>
#include <QStringList>

#include <chrono>

namespace wslab {

// What the server does with a message it receives.
enum class ServerMode {
    Echo,      // send it back to its sender
    Broadcast, // send it to every other peer
    Silent,    // only log it; the server sends only when asked
};

QString serverModeName(ServerMode mode);
bool serverModeFromName(const QString &name, ServerMode *mode);

// Everything a Server needs; the GUI and wslab-cli fill the same struct.
struct ServerConfig
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8080; // 0 picks a free port
    ServerMode mode = ServerMode::Echo;
    int maxConnections = 1000;                      // the next upgrade gets HTTP 503
    qint64 maxMessageSize = 16ll * 1024 * 1024;    // a larger incoming message gets close 1009
    HeartbeatPolicy heartbeat;
    std::chrono::milliseconds idleTimeout{0};       // 0: off; else close a peer silent this long
    std::chrono::milliseconds handshakeTimeout{10000};
    std::chrono::milliseconds closeTimeout{5000};   // then the peer is aborted
    QStringList subprotocols;                       // the server picks the first the client offers
    HttpLimits httpLimits;

    QString validate() const;
};

} // namespace wslab
