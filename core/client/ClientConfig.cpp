#include "ClientConfig.h"

namespace wslab {

QString ClientConfig::validate() const
{
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("invalid URL \"%1\": expected ws://host[:port]/path or wss://...").arg(url.toString());
    if (url.scheme() != u"ws" && url.scheme() != u"wss")
        return QStringLiteral("unsupported scheme \"%1\": use ws:// or wss://").arg(url.scheme());
    for (const auto &[name, value] : headers) {
        if (name.isEmpty() || name.contains(':') || name.contains('\n') || name.contains('\r') || name.contains(' '))
            return QStringLiteral("invalid header name \"%1\"").arg(QString::fromLatin1(name));
        if (value.contains('\n') || value.contains('\r'))
            return QStringLiteral("header \"%1\" has a line break in its value").arg(QString::fromLatin1(name));
    }
    for (const QString &p : subprotocols) {
        if (p.isEmpty() || p.contains(u',') || p.contains(u' '))
            return QStringLiteral("invalid subprotocol \"%1\": a token without spaces or commas").arg(p);
    }
    if (!caFile.isEmpty() && url.scheme() != u"wss")
        return QStringLiteral("a CA file only makes sense with a wss:// URL");
    if (connectTimeout.count() <= 0)
        return QStringLiteral("connect timeout must be positive");
    if (reconnect.baseDelay.count() <= 0 || reconnect.maxDelay < reconnect.baseDelay)
        return QStringLiteral("reconnect delays must be positive and the cap at least the base delay");
    if (heartbeat.isEnabled() && heartbeat.pongTimeout.count() <= 0)
        return QStringLiteral("pong timeout must be positive when the heartbeat is on");
    return {};
}

} // namespace wslab
