#include "core/client/ClientConfig.h"

#include "core/protocol/HttpGrammar.h"

namespace wslab {

QString ClientConfig::validate() const
{
    if (!url.isValid() || url.host().isEmpty())
        return QStringLiteral("invalid URL \"%1\": expected ws://host[:port]/path or wss://...").arg(url.toString());
    if (url.scheme() != u"ws" && url.scheme() != u"wss")
        return QStringLiteral("unsupported scheme \"%1\": use ws:// or wss://").arg(url.scheme());
    for (const auto &[name, value] : headers) {
        if (const QString problem = HttpGrammar::headerProblem(name, value); !problem.isEmpty())
            return problem;
    }
    for (const QString &p : subprotocols) {
        if (const QString problem = HttpGrammar::subprotocolProblem(p.toUtf8()); !problem.isEmpty())
            return problem;
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
