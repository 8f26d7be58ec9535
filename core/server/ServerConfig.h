#pragma once

#include "core/policy/HeartbeatPolicy.h"
#include "core/protocol/HttpRequest.h"

#include <QString>
#include <QStringList>

#include <chrono>

namespace wslab {

// What the server does with a message it receives.
enum class ServerMode {
    Echo, // send it back to its sender
    Broadcast, // send it to every other peer
    Silent, // only log it; the server sends only when asked
    Chat, // a chat room (core/chat, docs/chat-protocol.md) answers; the server relays nothing itself
    Rules, // mock rules (MockResponder, docs/mock-rules.md) answer; the server relays nothing itself
};

QString serverModeName(ServerMode mode);
bool serverModeFromName(const QString &name, ServerMode *mode);

// Everything a Server needs; the GUI and wslab-cli fill the same struct.
struct ServerConfig
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8080; // 0 picks a free port
    ServerMode mode = ServerMode::Echo;
    int maxConnections = 1000; // the next upgrade gets HTTP 503
    qint64 maxMessageSize = 16ll * 1024 * 1024; // a larger incoming message gets close 1009
    HeartbeatPolicy heartbeat;
    std::chrono::milliseconds idleTimeout{0}; // 0: off; else close a peer silent this long
    std::chrono::milliseconds handshakeTimeout{10000};
    std::chrono::milliseconds closeTimeout{5000}; // then the peer is aborted
    QStringList subprotocols; // the server picks the first the client offers
    HttpLimits httpLimits;

    // The Gate's checks before the upgrade (see docs/security.md).
    QString path; // empty: any path; else other paths get 404
    QString token; // empty: off; else "Authorization: Bearer T" or ?token=T, else 401
    QStringList allowedOrigins; // empty: any; else exact Origin match, else 403
    int maxPerAddress = 64; // open connections from one client address, else 429
    int maxPendingHandshakes = 256; // sockets still sending their request; past it: 503 at once

    // After the upgrade.
    double rateLimit = 0; // messages per second per peer, 0: off; over it: close 1008
    qint64 slowReaderLimit = 8ll * 1024 * 1024; // unsent bytes a peer may hold before it is dropped with 1008

    // wss: both set serves TLS with this PEM certificate (chain) and key.
    QString tlsCertFile;
    QString tlsKeyFile;

    // LAN discovery (core/discovery, docs/discovery.md).
    QString name; // what listeners show; empty: this machine's host name
    bool announce = true; // beacon while bound to a LAN address; loopback never announces

    bool isTls() const { return !tlsCertFile.isEmpty() || !tlsKeyFile.isEmpty(); }

    QString validate() const;
};

} // namespace wslab
