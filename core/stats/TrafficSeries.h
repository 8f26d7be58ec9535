#pragma once

#include "core/stats/TrafficCounters.h"

#include <QtGlobal>

#include <deque>
#include <utility>

namespace wslab {

class EventLog;
struct LogEvent;

// One second of one endpoint's data traffic.
struct TrafficBucket
{
    quint32 messagesIn = 0;
    quint32 messagesOut = 0;
    qint64 bytesIn = 0; // payload bytes, as the log counts them (LogEvent::size)
    qint64 bytesOut = 0;
};

// A pong that answered one of the endpoint's pings.
struct RttSample
{
    qint64 atUs = 0; // monoUs of the pong
    qint64 rttUs = 0;
};

// A reconnect the endpoint scheduled: after delayMs it tries again.
struct RetryRecord
{
    qint64 atUs = 0; // monoUs when it was scheduled
    int attempt = 0;
    qint64 delayMs = 0;
};

// What the live charts draw for one endpoint, read from its EventLog as it grows: per-second buckets of
// messages and bytes in and out, every measured round trip, every reconnect scheduled and every open.
//
// Data messages are the Text and Binary events. An inspecting relay logs frames instead (one Frame event
// per RFC 6455 frame, control frames and continuations included): each counts as one message, "out"
// for a frame from a client towards the server and "in" for one towards a client, as the relay's own
// log has it, and its bytes are the frame's payload.
//
// Memory stays bounded however long a session runs: only the last kWindowSeconds before the newest event
// are kept (buckets are contiguous seconds, so a second's bucket is found by subtraction), and at most
// kMaxSamples round trips, retries and opens each. Time is the events' own monoUs: no clock is read,
// so the same events always give the same series.
class TrafficSeries
{
public:
    static constexpr qint64 kBucketUs = 1000 * 1000;
    static constexpr qint64 kWindowSeconds = 5 * 60;
    static constexpr qsizetype kMaxSamples = 4096;

    // Starts reading a log at `seq` (its firstSeq() to take what it holds now, endSeq() for only what comes).
    void startAt(quint64 seq) { m_nextSeq = seq; }
    // Takes the events `log` appended since the last call; those evicted before they were read are counted
    // in missedCount(). Returns whether anything was read.
    bool readFrom(const EventLog &log);
    // Takes one event, in time order with the others (a log's order).
    void add(const LogEvent &event);

    // The second (monoUs / kBucketUs) of bucket 0, and the buckets from there, contiguous.
    qint64 firstSecond() const { return m_firstSecond; }
    qsizetype bucketCount() const { return qsizetype(m_buckets.size()); }
    const TrafficBucket &bucket(qsizetype index) const { return m_buckets[size_t(index)]; }
    // The bucket of one second; empty outside what is held.
    TrafficBucket bucketAt(qint64 second) const;
    static qint64 secondOf(qint64 us);

    const std::deque<RttSample> &rttSamples() const { return m_rtt; }
    const std::deque<RetryRecord> &retries() const { return m_retries; }
    const std::deque<qint64> &opens() const { return m_opens; }
    // Indexes [first, last) of the samples, retries or opens in [fromUs, toUs].
    std::pair<qsizetype, qsizetype> rttBetween(qint64 fromUs, qint64 toUs) const;
    std::pair<qsizetype, qsizetype> retriesBetween(qint64 fromUs, qint64 toUs) const;
    std::pair<qsizetype, qsizetype> opensBetween(qint64 fromUs, qint64 toUs) const;
    // Mean and max of the round trips in [fromUs, toUs]: what a chart of that span shows.
    RttStats rttStatsBetween(qint64 fromUs, qint64 toUs) const;

    // Everything read since reading began, whatever the window has dropped since (rtt: every sample).
    const TrafficCounters &totals() const { return m_totals; }
    quint64 missedCount() const { return m_missed; }
    // The newest event's time; 0 before any.
    qint64 lastUs() const { return m_lastUs; }
    // Whether the events were a relay's frames, so "in" and "out" mean towards a client and towards the server.
    bool countsFrames() const { return m_countsFrames; }

private:
    TrafficBucket *bucketFor(qint64 us);
    void dropBefore(qint64 us);

    std::deque<TrafficBucket> m_buckets;
    qint64 m_firstSecond = 0;
    std::deque<RttSample> m_rtt;
    std::deque<RetryRecord> m_retries;
    std::deque<qint64> m_opens;
    TrafficCounters m_totals;
    quint64 m_nextSeq = 0;
    quint64 m_missed = 0;
    qint64 m_lastUs = 0;
    bool m_countsFrames = false;
};

} // namespace wslab
