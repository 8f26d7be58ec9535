// The live charts' series: per-second buckets, relay frames, round trips, retries and opens, read
// incrementally from a log that evicts, and bounded however long a session runs. Every event is made
// by hand with its own monoUs: no clock is read and nothing waits.
#include "core/log/EventLog.h"
#include "core/stats/TrafficModel.h"
#include "core/stats/TrafficSeries.h"

#include <QSignalSpy>
#include <QTest>

using wslab::Direction;
using wslab::EventKind;
using wslab::EventLog;
using wslab::LogEvent;
using wslab::TrafficBucket;
using wslab::TrafficSeries;

namespace {

constexpr qint64 kSecond = TrafficSeries::kBucketUs;

LogEvent madeEvent(EventKind kind, Direction direction, qint64 monoUs, qint64 size = 0)
{
    LogEvent e;
    e.kind = kind;
    e.direction = direction;
    e.monoUs = monoUs;
    e.size = size;
    return e;
}

LogEvent pong(qint64 monoUs, qint64 rttUs)
{
    LogEvent e = madeEvent(EventKind::Pong, Direction::In, monoUs);
    e.rttUs = rttUs;
    return e;
}

LogEvent retry(qint64 monoUs, int attempt, qint64 delayMs)
{
    LogEvent e = madeEvent(EventKind::RetryScheduled, Direction::Local, monoUs);
    e.attempt = attempt;
    e.delayMs = delayMs;
    return e;
}

LogEvent frame(qint64 monoUs, bool fromClient, qint64 size)
{
    // The relay's own directions: out from a client, in from the server.
    LogEvent e = madeEvent(EventKind::Frame, fromClient ? Direction::Out : Direction::In, monoUs, size);
    e.frame.fromClient = fromClient;
    return e;
}

qint64 sumIn(const TrafficSeries &series)
{
    qint64 n = 0;
    for (qsizetype i = 0; i < series.bucketCount(); ++i)
        n += series.bucket(i).messagesIn;
    return n;
}

} // namespace

class tst_TrafficSeries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bucketsHoldEachSecondsMessagesAndBytes();
    void relayFramesCountPerDirection();
    void roundTripsGiveMeanAndMax();
    void retriesAndOpensAreKeptInTimeOrder();
    void readsIncrementallyAndCountsDroppedEvents();
    void memoryStaysBoundedOverALongSession();
    void silenceLongerThanTheWindowStartsOver();
    void modelFollowsItsEndpoints();
};

void tst_TrafficSeries::bucketsHoldEachSecondsMessagesAndBytes()
{
    TrafficSeries series;
    series.add(madeEvent(EventKind::Text, Direction::In, 1 * kSecond + 200'000, 10));
    series.add(madeEvent(EventKind::Text, Direction::Out, 1 * kSecond + 900'000, 5));
    series.add(madeEvent(EventKind::Binary, Direction::Out, 1 * kSecond + 950'000, 7));
    series.add(madeEvent(EventKind::Binary, Direction::In, 3 * kSecond + 100'000, 100));
    // Not data: a ping, a handshake, and a state change say nothing about message rates.
    series.add(madeEvent(EventKind::Ping, Direction::Out, 3 * kSecond + 200'000, 4));
    series.add(madeEvent(EventKind::Handshake, Direction::Out, 3 * kSecond + 300'000, 200));
    series.add(madeEvent(EventKind::State, Direction::Local, 3 * kSecond + 400'000));

    QCOMPARE(series.firstSecond(), 1);
    QCOMPARE(series.bucketCount(), 3); // seconds 1, 2 (empty) and 3: contiguous
    const TrafficBucket one = series.bucketAt(1);
    QCOMPARE(one.messagesIn, 1u);
    QCOMPARE(one.messagesOut, 2u);
    QCOMPARE(one.bytesIn, 10);
    QCOMPARE(one.bytesOut, 12);
    QCOMPARE(series.bucketAt(2).messagesIn + series.bucketAt(2).messagesOut, 0u);
    QCOMPARE(series.bucketAt(3).messagesIn, 1u);
    QCOMPARE(series.bucketAt(3).bytesIn, 100);
    QCOMPARE(series.bucketAt(4).messagesIn, 0u); // beyond what is held: empty
    QCOMPARE(series.bucketAt(0).messagesIn, 0u);
    QCOMPARE(series.totals().messagesIn, 2u);
    QCOMPARE(series.totals().messagesOut, 2u);
    QCOMPARE(series.totals().bytesOut, 12u);
    QCOMPARE(series.totals().pingsOut, 1u);
    QVERIFY(!series.countsFrames());
    QCOMPARE(series.lastUs(), 3 * kSecond + 400'000);
    QCOMPARE(TrafficSeries::secondOf(-1), -1); // floor, not truncation
}

void tst_TrafficSeries::relayFramesCountPerDirection()
{
    TrafficSeries series;
    series.add(frame(kSecond, true, 11)); // a client's text towards the server
    series.add(frame(kSecond + 10, false, 11)); // the echo towards the client
    series.add(frame(kSecond + 20, true, 0)); // a ping: every frame counts, control frames too
    QVERIFY(series.countsFrames());
    QCOMPARE(series.bucketAt(1).messagesOut, 2u);
    QCOMPARE(series.bucketAt(1).messagesIn, 1u);
    QCOMPARE(series.bucketAt(1).bytesOut, 11);
    QCOMPARE(series.bucketAt(1).bytesIn, 11);
}

void tst_TrafficSeries::roundTripsGiveMeanAndMax()
{
    TrafficSeries series;
    series.add(pong(1 * kSecond, 1000));
    series.add(pong(2 * kSecond, 4000));
    series.add(pong(3 * kSecond, -1)); // unsolicited: answers no ping of ours, no round trip
    series.add(pong(4 * kSecond, 1000));
    series.add(madeEvent(EventKind::Pong, Direction::Out, 5 * kSecond)); // our answer to the peer's ping
    QCOMPARE(series.rttSamples().size(), size_t(3));
    QCOMPARE(series.totals().pongsIn, 4u);

    const wslab::RttStats all = series.rttStatsBetween(0, 10 * kSecond);
    QCOMPARE(all.samples, 3u);
    QCOMPARE(all.mean().count(), 2000);
    QCOMPARE(all.max.count(), 4000);
    // A span that leaves the slowest out: what a chart of that span shows.
    const wslab::RttStats later = series.rttStatsBetween(3 * kSecond, 10 * kSecond);
    QCOMPARE(later.samples, 1u);
    QCOMPARE(later.max.count(), 1000);
    QCOMPARE(series.rttBetween(2 * kSecond, 2 * kSecond), std::make_pair(qsizetype(1), qsizetype(2)));
    QCOMPARE(series.totals().rtt.samples, 3u);
    QCOMPARE(series.totals().rtt.max.count(), 4000);
}

void tst_TrafficSeries::retriesAndOpensAreKeptInTimeOrder()
{
    TrafficSeries series;
    series.add(madeEvent(EventKind::Open, Direction::Local, 1 * kSecond));
    series.add(retry(5 * kSecond, 1, 180));
    series.add(retry(5 * kSecond + 200'000, 2, 20)); // full jitter: a later delay may be shorter
    series.add(retry(5 * kSecond + 300'000, 3, 730));
    series.add(madeEvent(EventKind::Open, Direction::Local, 6 * kSecond + 100'000));
    // Stamped when made, appended a little later: still found in time order.
    series.add(retry(5 * kSecond + 100'000, 9, 1));

    QCOMPARE(series.totals().reconnects, 4u);
    QCOMPARE(series.retries().size(), size_t(4));
    for (size_t i = 1; i < series.retries().size(); ++i)
        QVERIFY(series.retries()[i - 1].atUs <= series.retries()[i].atUs);
    QCOMPARE(series.retries()[2].attempt, 2);
    QCOMPARE(series.retries()[2].delayMs, 20);
    QCOMPARE(series.opens().size(), size_t(2));
    const auto [first, last] = series.retriesBetween(5 * kSecond + 150'000, 6 * kSecond);
    QCOMPARE(last - first, 2);
    QCOMPARE(series.retries()[size_t(first)].attempt, 2);
    const auto [firstOpen, lastOpen] = series.opensBetween(6 * kSecond, 7 * kSecond);
    QCOMPARE(lastOpen - firstOpen, 1);
}

void tst_TrafficSeries::readsIncrementallyAndCountsDroppedEvents()
{
    EventLog log;
    log.setLimits({5, 1 << 20});
    TrafficSeries series;
    series.startAt(log.firstSeq());
    for (int i = 0; i < 3; ++i)
        log.append(madeEvent(EventKind::Text, Direction::Out, kSecond + i, 1));
    QVERIFY(series.readFrom(log));
    QCOMPARE(series.totals().messagesOut, 3u);
    QVERIFY(!series.readFrom(log)); // nothing new: nothing read twice
    QCOMPARE(series.totals().messagesOut, 3u);

    // More than the log holds between two reads: the evicted ones are counted, the rest read.
    const quint64 before = log.endSeq();
    for (int i = 0; i < 12; ++i)
        log.append(madeEvent(EventKind::Text, Direction::Out, 2 * kSecond + i, 1));
    QVERIFY(log.firstSeq() > before);
    QVERIFY(series.readFrom(log));
    QCOMPARE(series.missedCount(), log.firstSeq() - before);
    QCOMPARE(series.totals().messagesOut, 3u + quint64(log.size()));
    QCOMPARE(series.missedCount() + series.totals().messagesOut, quint64(3 + 12));
}

void tst_TrafficSeries::memoryStaysBoundedOverALongSession()
{
    TrafficSeries series;
    // Two hours: ten messages a second, a pong a second, a retry and an open a minute.
    const qint64 seconds = 2 * 60 * 60;
    for (qint64 s = 0; s < seconds; ++s) {
        for (int i = 0; i < 10; ++i)
            series.add(madeEvent(EventKind::Text, Direction::In, s * kSecond + i * 100'000, 3));
        series.add(pong(s * kSecond + 500'000, 800));
        if (s % 60 == 0) {
            series.add(retry(s * kSecond + 600'000, 1, 250));
            series.add(madeEvent(EventKind::Open, Direction::Local, s * kSecond + 900'000));
        }
    }
    QCOMPARE(series.bucketCount(), qsizetype(TrafficSeries::kWindowSeconds));
    QCOMPARE(series.firstSecond(), seconds - TrafficSeries::kWindowSeconds);
    QCOMPARE(sumIn(series), 10 * TrafficSeries::kWindowSeconds);
    QCOMPARE(qint64(series.rttSamples().size()), TrafficSeries::kWindowSeconds);
    QVERIFY(series.rttSamples().front().atUs >= series.firstSecond() * kSecond);
    QCOMPARE(qint64(series.retries().size()), TrafficSeries::kWindowSeconds / 60);
    QCOMPARE(series.totals().messagesIn, quint64(10 * seconds)); // the totals keep everything
    // An older event than the window: in the totals, in no bucket.
    series.add(madeEvent(EventKind::Text, Direction::In, kSecond, 3));
    QCOMPARE(sumIn(series), 10 * TrafficSeries::kWindowSeconds);
    QCOMPARE(series.totals().messagesIn, quint64(10 * seconds + 1));

    // A flood of pongs inside one second: the newest kMaxSamples are kept.
    const qint64 at = seconds * kSecond;
    for (qsizetype i = 0; i < 3 * TrafficSeries::kMaxSamples; ++i)
        series.add(pong(at + i, 10 + i));
    QCOMPARE(qsizetype(series.rttSamples().size()), TrafficSeries::kMaxSamples);
    QCOMPARE(series.rttSamples().back().rttUs, 10 + 3 * TrafficSeries::kMaxSamples - 1);
}

void tst_TrafficSeries::silenceLongerThanTheWindowStartsOver()
{
    TrafficSeries series;
    series.add(madeEvent(EventKind::Text, Direction::Out, kSecond, 1));
    series.add(pong(kSecond, 500));
    series.add(retry(kSecond, 1, 100));
    const qint64 later = 2 * TrafficSeries::kWindowSeconds;
    series.add(madeEvent(EventKind::Text, Direction::Out, later * kSecond, 1));
    QCOMPARE(series.firstSecond(), later);
    QCOMPARE(series.bucketCount(), 1);
    QVERIFY(series.rttSamples().empty());
    QVERIFY(series.retries().empty());
    QCOMPARE(series.totals().messagesOut, 2u);
}

void tst_TrafficSeries::modelFollowsItsEndpoints()
{
    wslab::TrafficModel model;
    EventLog server;
    EventLog client;
    server.append(madeEvent(EventKind::Text, Direction::In, kSecond, 1)); // held before: read at once
    model.setEndpoints({{QStringLiteral("server"), &server}, {QStringLiteral("client 1"), &client}});
    QCOMPARE(model.series(0).totals().messagesIn, 1u);

    QSignalSpy changed(&model, &wslab::TrafficModel::changed);
    for (int i = 0; i < 100; ++i)
        client.append(madeEvent(EventKind::Text, Direction::Out, 2 * kSecond + i, 1));
    QVERIFY(changed.wait(2000)); // one read for the whole burst, on the model's tick
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.seriesOf(&client)->totals().messagesOut, 100u);

    // A new endpoint beside them: the others keep their series, nothing is read twice.
    auto extra = std::make_unique<EventLog>();
    extra->append(madeEvent(EventKind::Binary, Direction::In, 3 * kSecond, 1));
    model.setEndpoints(
        {{QStringLiteral("server"), &server}, {QStringLiteral("client 1"), &client}, {QStringLiteral("client 2"), extra.get()}});
    QCOMPARE(model.seriesOf(&client)->totals().messagesOut, 100u);
    QCOMPARE(model.seriesOf(extra.get())->totals().messagesIn, 1u);
    // Its log goes: so does its endpoint.
    QSignalSpy endpointsChanged(&model, &wslab::TrafficModel::endpointsChanged);
    extra.reset();
    QCOMPARE(endpointsChanged.size(), 1);
    QCOMPARE(model.endpoints().size(), 2);

    // No endpoints: nothing is read.
    model.setEndpoints({});
    changed.clear();
    client.append(madeEvent(EventKind::Text, Direction::Out, 4 * kSecond, 1));
    model.refresh();
    QCOMPARE(changed.size(), 0);
    QVERIFY(!model.seriesOf(&client));
}

QTEST_GUILESS_MAIN(tst_TrafficSeries)
#include "tst_TrafficSeries.moc"
