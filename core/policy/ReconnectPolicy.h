#pragma once

#include <chrono>

namespace wslab {

// Why a connection ended or failed to open, as far as the retry decision cares.
struct DisconnectCause
{
    enum class Kind {
        UserClose, // close() or disconnect asked for by the user
        PeerClose, // a close frame arrived; closeCode holds its code
        Abnormal, // the TCP connection dropped without a close frame (1006)
        HeartbeatTimeout, // no pong in time: we aborted the connection (reported as 1006)
        NetworkError, // could not connect at all: refused, unreachable, DNS
        TlsError, // the server's certificate was not trusted: retrying cannot help
        ConnectTimeout, // our own connect timer ran out
        HandshakeRefused, // the server answered the upgrade with an HTTP status; httpStatus holds it
    };
    Kind kind = Kind::UserClose;
    int closeCode = 0;
    int httpStatus = 0;

    // The connection never opened (refused, unreachable, timed out, untrusted): the client's error
    // text is about the connection, not about a send.
    bool isFailureToOpen() const
    {
        return kind == Kind::NetworkError || kind == Kind::ConnectTimeout || kind == Kind::HandshakeRefused || kind == Kind::TlsError;
    }
};

// Exponential backoff with full jitter. A value type: the Client drives it with a QTimer and feeds it
// a uniform random number in [0, 1), so tests can pin the delays exactly.
struct ReconnectPolicy
{
    using ms = std::chrono::milliseconds;

    bool enabled = true;
    ms baseDelay{1000};
    ms maxDelay{30000};
    ms minDelay{100};
    // The attempt counter resets only after a connection stayed open this long, so a server that
    // accepts and then drops at once keeps being backed off from.
    ms stableAfter{5000};
    int maxAttempts = 0; // 0: unlimited

    // Delay before retry number `attempt` (1 for the first retry): uniform(0, min(cap, base * 2^(attempt-1))),
    // never below minDelay. `unitRandom` is in [0, 1).
    ms delayFor(int attempt, double unitRandom) const;

    // Whether retry number `attempt` (1-based) may still be made.
    bool allowsAttempt(int attempt) const { return enabled && (maxAttempts <= 0 || attempt <= maxAttempts); }

    // Whether this way of ending is worth a retry at all: transient failures yes, refusals no.
    static bool isRetryable(const DisconnectCause &cause);
    static bool isRetryableCloseCode(int code);
    static bool isRetryableHttpStatus(int status);
};

} // namespace wslab
