#include "ServerConfig.h"

#include <QHostAddress>

namespace wslab {

QString serverModeName(ServerMode mode)
{
    switch (mode) {
    case ServerMode::Echo: return QStringLiteral("echo");
    case ServerMode::Broadcast: return QStringLiteral("broadcast");
    case ServerMode::Silent: return QStringLiteral("silent");
    }
    return {};
}

bool serverModeFromName(const QString &name, ServerMode *mode)
{
    for (ServerMode m : {ServerMode::Echo, ServerMode::Broadcast, ServerMode::Silent}) {
        if (name == serverModeName(m)) {
            *mode = m;
            return true;
        }
    }
    return false;
}

QString ServerConfig::validate() const
{
    QHostAddress address;
    if (host != u"localhost" && !address.setAddress(host))
        return QStringLiteral("invalid host \"%1\": give an IP address such as 127.0.0.1 or 0.0.0.0").arg(host);
    if (maxConnections < 1)
        return QStringLiteral("max connections must be at least 1");
    if (maxMessageSize < 1)
        return QStringLiteral("max message size must be at least 1 byte");
    if (heartbeat.isEnabled() && heartbeat.pongTimeout.count() <= 0)
        return QStringLiteral("pong timeout must be positive when the heartbeat is on");
    if (idleTimeout.count() < 0 || handshakeTimeout.count() <= 0 || closeTimeout.count() <= 0)
        return QStringLiteral("timeouts must be positive");
    return {};
}

} // namespace wslab
