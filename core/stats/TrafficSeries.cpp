#include "core/stats/TrafficSeries.h"

#include "core/log/EventLog.h"

#include <algorithm>

namespace wslab {

namespace {

template <typename Records, typename TimeOf>
std::pair<qsizetype, qsizetype> indexesBetween(const Records &records, qint64 fromUs, qint64 toUs, TimeOf timeOf)
{
    const auto first = std::lower_bound(records.begin(), records.end(), fromUs, [&](const auto &r, qint64 t) { return timeOf(r) < t; });
    const auto last = std::upper_bound(first, records.end(), toUs, [&](qint64 t, const auto &r) { return t < timeOf(r); });
    return {qsizetype(first - records.begin()), qsizetype(last - records.begin())};
}

// Keeps the records sorted on time for the binary searches (a log's events may be stamped a little out of
// order: each is stamped when made) and only the newest kMaxSamples, so a flood of pings cannot grow the
// series past its bound inside the window.
template <typename Records, typename Record, typename TimeOf> void insertBounded(Records &records, Record record, TimeOf timeOf)
{
    if (records.empty() || timeOf(records.back()) <= timeOf(record))
        records.push_back(std::move(record));
    else
        records.insert(
            std::upper_bound(records.begin(), records.end(), timeOf(record), [&](qint64 t, const auto &r) { return t < timeOf(r); }),
            std::move(record));
    if (qsizetype(records.size()) > TrafficSeries::kMaxSamples)
        records.pop_front();
}

qint64 timeOfSample(const RttSample &s)
{
    return s.atUs;
}
qint64 timeOfRetry(const RetryRecord &r)
{
    return r.atUs;
}
qint64 timeOfOpen(qint64 at)
{
    return at;
}

} // namespace

qint64 TrafficSeries::secondOf(qint64 us)
{
    // Floor, not truncation: a time before the origin belongs to the second before it.
    return us >= 0 ? us / kBucketUs : -((-us + kBucketUs - 1) / kBucketUs);
}

bool TrafficSeries::readFrom(const EventLog &log)
{
    if (m_nextSeq < log.firstSeq()) {
        m_missed += log.firstSeq() - m_nextSeq;
        m_nextSeq = log.firstSeq();
    }
    const quint64 end = log.endSeq();
    if (m_nextSeq >= end)
        return false;
    for (; m_nextSeq < end; ++m_nextSeq)
        add(*log.bySeq(m_nextSeq));
    return true;
}

void TrafficSeries::add(const LogEvent &e)
{
    m_lastUs = std::max(m_lastUs, e.monoUs);
    switch (e.kind) {
    case EventKind::Text:
    case EventKind::Binary:
    case EventKind::Frame: {
        bool in = e.direction == Direction::In;
        if (e.kind == EventKind::Frame) {
            m_countsFrames = true;
            in = !e.frame.fromClient;
        } else if (e.direction == Direction::Local) {
            return;
        }
        const quint64 size = quint64(std::max<qint64>(0, e.size));
        (in ? m_totals.messagesIn : m_totals.messagesOut) += 1;
        (in ? m_totals.bytesIn : m_totals.bytesOut) += size;
        if (TrafficBucket *bucket = bucketFor(e.monoUs)) {
            (in ? bucket->messagesIn : bucket->messagesOut) += 1;
            (in ? bucket->bytesIn : bucket->bytesOut) += qint64(size);
        }
        return;
    }
    case EventKind::Ping:
        if (e.direction == Direction::Out)
            ++m_totals.pingsOut;
        return;
    case EventKind::Pong:
        if (e.direction != Direction::In)
            return;
        ++m_totals.pongsIn;
        if (e.rttUs < 0)
            return; // unsolicited: it answers no ping of ours
        m_totals.rtt.add(std::chrono::microseconds(e.rttUs));
        bucketFor(e.monoUs);
        if (e.monoUs >= m_firstSecond * kBucketUs)
            insertBounded(m_rtt, RttSample{e.monoUs, e.rttUs}, timeOfSample);
        return;
    case EventKind::RetryScheduled:
        ++m_totals.reconnects;
        bucketFor(e.monoUs);
        if (e.monoUs >= m_firstSecond * kBucketUs)
            insertBounded(m_retries, RetryRecord{e.monoUs, e.attempt, e.delayMs}, timeOfRetry);
        return;
    case EventKind::Open:
        bucketFor(e.monoUs);
        if (e.monoUs >= m_firstSecond * kBucketUs)
            insertBounded(m_opens, e.monoUs, timeOfOpen);
        return;
    default:
        return;
    }
}

// The bucket of `us`'s second, moving the window on when it is newer than any; nullptr when it is older
// than the window.
TrafficBucket *TrafficSeries::bucketFor(qint64 us)
{
    const qint64 second = secondOf(us);
    if (m_buckets.empty() || second - (m_firstSecond + bucketCount() - 1) > kWindowSeconds) {
        // The first event, or silence longer than the window: nothing held is still in it.
        m_buckets.assign(1, TrafficBucket{});
        m_firstSecond = second;
        dropBefore(second * kBucketUs);
        return &m_buckets.back();
    }
    if (second < m_firstSecond)
        return nullptr;
    while (second >= m_firstSecond + bucketCount())
        m_buckets.emplace_back();
    if (bucketCount() > kWindowSeconds) {
        m_buckets.erase(m_buckets.begin(), m_buckets.begin() + (bucketCount() - kWindowSeconds));
        m_firstSecond = second - kWindowSeconds + 1;
        dropBefore(m_firstSecond * kBucketUs);
    }
    return &m_buckets[size_t(second - m_firstSecond)];
}

void TrafficSeries::dropBefore(qint64 us)
{
    while (!m_rtt.empty() && m_rtt.front().atUs < us)
        m_rtt.pop_front();
    while (!m_retries.empty() && m_retries.front().atUs < us)
        m_retries.pop_front();
    while (!m_opens.empty() && m_opens.front() < us)
        m_opens.pop_front();
}

TrafficBucket TrafficSeries::bucketAt(qint64 second) const
{
    const qint64 index = second - m_firstSecond;
    return index >= 0 && index < bucketCount() ? m_buckets[size_t(index)] : TrafficBucket{};
}

std::pair<qsizetype, qsizetype> TrafficSeries::rttBetween(qint64 fromUs, qint64 toUs) const
{
    return indexesBetween(m_rtt, fromUs, toUs, timeOfSample);
}

std::pair<qsizetype, qsizetype> TrafficSeries::retriesBetween(qint64 fromUs, qint64 toUs) const
{
    return indexesBetween(m_retries, fromUs, toUs, timeOfRetry);
}

std::pair<qsizetype, qsizetype> TrafficSeries::opensBetween(qint64 fromUs, qint64 toUs) const
{
    return indexesBetween(m_opens, fromUs, toUs, timeOfOpen);
}

RttStats TrafficSeries::rttStatsBetween(qint64 fromUs, qint64 toUs) const
{
    RttStats stats;
    const auto [first, last] = rttBetween(fromUs, toUs);
    for (qsizetype i = first; i < last; ++i)
        stats.add(std::chrono::microseconds(m_rtt[size_t(i)].rttUs));
    return stats;
}

} // namespace wslab
