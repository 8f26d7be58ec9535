#pragma once

#include <chrono>

namespace wslab {

// Ping every `interval`; a pong (or any other inbound data) must arrive within `pongTimeout` of the
// ping, or the peer is declared dead. An interval of zero turns the heartbeat off.
struct HeartbeatPolicy
{
    std::chrono::milliseconds interval{20000};
    std::chrono::milliseconds pongTimeout{20000};

    bool isEnabled() const { return interval.count() > 0; }
};

} // namespace wslab
