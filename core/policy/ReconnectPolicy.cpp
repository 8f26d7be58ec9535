#include "core/policy/ReconnectPolicy.h"

#include <algorithm>
#include <cmath>

namespace wslab {

ReconnectPolicy::ms ReconnectPolicy::delayFor(int attempt, double unitRandom) const
{
    const double exponent = std::max(0, attempt - 1);
    // 2^62 ms is far past any cap; clamping the exponent keeps the arithmetic finite.
    const double ceiling = std::min(double(maxDelay.count()), double(baseDelay.count()) * std::exp2(std::min(exponent, 62.0)));
    const double unit = std::clamp(unitRandom, 0.0, 1.0);
    const auto drawn = ms(static_cast<long long>(ceiling * unit));
    return std::max(drawn, minDelay);
}

bool ReconnectPolicy::isRetryableCloseCode(int code)
{
    switch (code) {
    case 1001: // going away: a restart or redeploy
    case 1006: // dropped without a close frame
    case 1011: // server error, maybe transient
    case 1012: // service restart
    case 1013: // try again later
    case 1014: // bad gateway
        return true;
    default:
        return false;
    }
}

bool ReconnectPolicy::isRetryableHttpStatus(int status)
{
    return status >= 500 && status <= 599;
}

bool ReconnectPolicy::isRetryable(const DisconnectCause &cause)
{
    using K = DisconnectCause::Kind;
    switch (cause.kind) {
    case K::UserClose:
    case K::TlsError:
        return false;
    case K::PeerClose:
        return isRetryableCloseCode(cause.closeCode);
    case K::Abnormal:
    case K::HeartbeatTimeout:
    case K::NetworkError:
    case K::ConnectTimeout:
        return true;
    case K::HandshakeRefused:
        return isRetryableHttpStatus(cause.httpStatus);
    }
    return false;
}

} // namespace wslab
