#pragma once

#include <QtGlobal>

#include <algorithm>
#include <chrono>

namespace wslab {

// Round-trip times of answered pings, measured by WsLab's own clock.
struct RttStats
{
    std::chrono::microseconds last{0};
    std::chrono::microseconds max{0};
    std::chrono::microseconds total{0};
    quint64 samples = 0;

    void add(std::chrono::microseconds rtt)
    {
        last = rtt;
        max = std::max(max, rtt);
        total += rtt;
        ++samples;
    }
    std::chrono::microseconds mean() const
    {
        return samples ? std::chrono::microseconds(total.count() / qint64(samples)) : std::chrono::microseconds(0);
    }
};

// What crossed one endpoint's connection(s), data messages only (control frames are counted apart).
struct TrafficCounters
{
    quint64 messagesIn = 0;
    quint64 messagesOut = 0;
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    quint64 pingsOut = 0;
    quint64 pongsIn = 0;
    quint64 reconnects = 0;
    RttStats rtt;
};

} // namespace wslab
