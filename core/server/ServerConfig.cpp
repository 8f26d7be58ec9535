#include "core/server/ServerConfig.h"

#include <QHostAddress>

namespace wslab {

QString serverModeName(ServerMode mode)
{
    switch (mode) {
    case ServerMode::Echo:
        return QStringLiteral("echo");
    case ServerMode::Broadcast:
        return QStringLiteral("broadcast");
    case ServerMode::Silent:
        return QStringLiteral("silent");
    case ServerMode::Chat:
        return QStringLiteral("chat");
    case ServerMode::Rules:
        return QStringLiteral("rules");
    }
    return {};
}

bool serverModeFromName(const QString &name, ServerMode *mode)
{
    for (ServerMode m : {ServerMode::Echo, ServerMode::Broadcast, ServerMode::Silent, ServerMode::Chat, ServerMode::Rules}) {
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
    if (!path.isEmpty() && !path.startsWith(u'/'))
        return QStringLiteral("path \"%1\" must start with /").arg(path);
    if (maxPerAddress < 1)
        return QStringLiteral("max connections per address must be at least 1");
    if (maxPendingHandshakes < 1)
        return QStringLiteral("max pending handshakes must be at least 1");
    if (rateLimit < 0)
        return QStringLiteral("rate limit must not be negative");
    if (slowReaderLimit < 1)
        return QStringLiteral("slow reader limit must be at least 1 byte");
    if (tlsCertFile.isEmpty() != tlsKeyFile.isEmpty())
        return QStringLiteral("TLS needs both a certificate and a key file");
    for (const QString &origin : allowedOrigins) {
        if (origin.isEmpty())
            return QStringLiteral("an allowed origin must not be empty");
    }
    return {};
}

} // namespace wslab
