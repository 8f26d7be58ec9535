#include "core/inspect/RelayConfig.h"

namespace wslab {

QString RelayConfig::validate() const
{
    if (!target.isValid() || target.host().isEmpty())
        return QStringLiteral("the target needs a ws:// or wss:// URL with a host");
    if (target.scheme() != u"ws" && target.scheme() != u"wss")
        return QStringLiteral("the target must be a ws:// or wss:// URL, not %1://").arg(target.scheme());
    if (tls.certFile.isEmpty() != tls.keyFile.isEmpty())
        return QStringLiteral("TLS needs both a certificate and its key");
    if (target.scheme() == u"ws" && (!tls.caFile.isEmpty() || tls.insecure))
        return QStringLiteral("a CA file or insecure mode only applies to a wss:// target");
    if (!tls.caFile.isEmpty() && tls.insecure)
        return QStringLiteral("choose either a CA file or insecure mode, not both");
    return {};
}

} // namespace wslab
