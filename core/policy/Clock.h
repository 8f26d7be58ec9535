#pragma once

#include <chrono>
#include <functional>
#include <memory>

namespace wslab {

// Monotonic time since an arbitrary origin. Every decision taken on elapsed time (the rate limit, the
// heartbeat, the idle and close timeouts, when a client's connection counts as stable) reads one, the
// way backoff jitter reads an injected random source: timers only say when to look, the clock decides,
// so tests drive a ManualClock and assert exact outcomes whatever the machine's load.
using Clock = std::function<std::chrono::nanoseconds()>;

// std::chrono::steady_clock: what every component uses unless given another clock.
inline Clock steadyClock()
{
    return [] { return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()); };
}

// A clock that moves only when advanced. Every Clock made by clock() shares its time and stays valid
// after the ManualClock is gone.
class ManualClock
{
public:
    Clock clock() const
    {
        return [now = m_now] { return *now; };
    }
    void advance(std::chrono::nanoseconds by) { *m_now += by; }
    std::chrono::nanoseconds now() const { return *m_now; }

private:
    std::shared_ptr<std::chrono::nanoseconds> m_now = std::make_shared<std::chrono::nanoseconds>(0);
};

} // namespace wslab
