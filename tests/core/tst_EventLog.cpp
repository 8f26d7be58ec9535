#include "core/log/EventLog.h"

#include <QSignalSpy>
#include <QTest>

namespace {

wslab::LogEvent textEvent(const QByteArray &payload)
{
    return wslab::LogEvent::make(wslab::EventKind::Text, wslab::Direction::In, payload);
}

} // namespace

class tst_EventLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void appendStampsSeqAndEmits();
    void boundedByEventCount();
    void boundedByHeldBytes();
    void oversizedEventIsKeptAlone();
    void tighterLimitsEvictAtOnce();
    void spareCapacityIsCountedOrSqueezed();
    void boundIsOnCapacityNotSize();
    void cutMessageHoldsOnlyItsExcerpt();
    void detailIsCounted();
    void seqContinuesAcrossClear();
    void bySeq();
};

void tst_EventLog::appendStampsSeqAndEmits()
{
    wslab::EventLog log;
    QSignalSpy appended(&log, &wslab::EventLog::appended);
    for (int i = 0; i < 3; ++i)
        log.append(textEvent("m" + QByteArray::number(i)));
    QCOMPARE(log.size(), 3);
    QCOMPARE(appended.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(log.at(i).seq, quint64(i));
        QCOMPARE(appended.at(i).at(0).value<wslab::LogEvent>().seq, quint64(i));
        QCOMPARE(log.at(i).payload, "m" + QByteArray::number(i));
    }
    QCOMPARE(log.firstSeq(), quint64(0));
    QCOMPARE(log.endSeq(), quint64(3));
    QCOMPARE(log.payloadBytes(), 6);
    QCOMPARE(log.evictedCount(), quint64(0));
}

void tst_EventLog::boundedByEventCount()
{
    wslab::EventLog log;
    log.setLimits({5, 1 << 20});
    for (int i = 0; i < 12; ++i)
        log.append(textEvent(QByteArray::number(i)));
    QCOMPARE(log.size(), 5);
    QCOMPARE(log.evictedCount(), quint64(7));
    QCOMPARE(log.firstSeq(), quint64(7));
    QCOMPARE(log.endSeq(), quint64(12));
    // The newest five, in order, with seq continuous.
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(log.at(i).seq, quint64(7 + i));
        QCOMPARE(log.at(i).payload, QByteArray::number(7 + i));
    }
    QCOMPARE(log.payloadBytes(), 1 + 1 + 1 + 2 + 2); // "7" "8" "9" "10" "11"
}

void tst_EventLog::boundedByHeldBytes()
{
    const qint64 each = wslab::EventLog::footprint(textEvent(QByteArray(30, 'a')));
    wslab::EventLog log;
    log.setLimits({1000, 3 * each + each / 2});
    for (int i = 0; i < 10; ++i)
        log.append(textEvent(QByteArray(30, char('a' + i))));
    // Three and a half events' worth of bytes: three fit.
    QCOMPARE(log.size(), 3);
    QCOMPARE(log.bytesHeld(), 3 * each);
    QCOMPARE(log.payloadBytes(), 90);
    QCOMPARE(log.evictedCount(), quint64(7));
    QCOMPARE(log.at(0).payload, QByteArray(30, 'h'));
    QCOMPARE(log.at(2).payload, QByteArray(30, 'j'));
    QCOMPARE(log.at(2).seq, quint64(9));

    // An event without payload still costs its own size: with a quarter of the room left, one goes.
    log.append(wslab::LogEvent::make(wslab::EventKind::Info, wslab::Direction::Local));
    QVERIFY(wslab::EventLog::kEventOverhead > each / 2);
    QCOMPARE(log.size(), 3);
    QCOMPARE(log.evictedCount(), quint64(8));
    QCOMPARE(log.bytesHeld(), 2 * each + wslab::EventLog::kEventOverhead);
}

void tst_EventLog::oversizedEventIsKeptAlone()
{
    // One event bigger than the byte bound still shows (the newest is never dropped), alone.
    wslab::EventLog log;
    log.setLimits({1000, 400});
    log.append(textEvent("small"));
    log.append(textEvent(QByteArray(500, 'x')));
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.at(0).size, 500);
    QCOMPARE(log.evictedCount(), quint64(1));
    QCOMPARE(log.firstSeq(), quint64(1));
}

void tst_EventLog::tighterLimitsEvictAtOnce()
{
    wslab::EventLog log;
    QSignalSpy evicted(&log, &wslab::EventLog::evicted);
    for (int i = 0; i < 10; ++i)
        log.append(textEvent("0123456789"));
    QCOMPARE(evicted.size(), 0);
    log.setLimits({4, 1 << 20});
    QCOMPARE(log.size(), 4);
    QCOMPARE(log.evictedCount(), quint64(6));
    QCOMPARE(log.payloadBytes(), 40);
    QCOMPARE(evicted.size(), 1); // views learn of it without waiting for the next append
    const qint64 each = log.bytesHeld() / 4;
    log.setLimits({100, 2 * each + 1});
    QCOMPARE(log.size(), 2);
    QCOMPARE(log.evictedCount(), quint64(8));
    QCOMPARE(log.at(0).seq, quint64(8));
    QCOMPARE(evicted.size(), 2);
}

void tst_EventLog::spareCapacityIsCountedOrSqueezed()
{
    // A small message in a large buffer, as QByteArray::truncate or reserve leave it.
    QByteArray roomy;
    roomy.reserve(1 << 20);
    roomy.append("hello");
    QVERIFY(roomy.capacity() >= 1 << 20);
    wslab::LogEvent event = textEvent(roomy);
    wslab::EventLog log;
    log.append(event);
    // The log does not keep the megabyte alive for five bytes: it holds a right-sized copy.
    QCOMPARE(log.at(0).payload, QByteArray("hello"));
    QVERIFY2(log.at(0).payload.capacity() < 1024, QByteArray::number(log.at(0).payload.capacity()));
    QCOMPARE(log.payloadBytes(), 5);
    QCOMPARE(log.bytesHeld(), wslab::EventLog::footprint(log.at(0)));
    QVERIFY(log.bytesHeld() < 1024);

    // Less spare room than is worth a copy per message: kept as is, and all of it counted.
    QByteArray some;
    some.reserve(20000);
    some.append("world");
    log.append(textEvent(some));
    QVERIFY(log.at(1).payload.capacity() >= 20000);
    QVERIFY(log.bytesHeld() >= 20000);
    QCOMPARE(log.bytesHeld(), wslab::EventLog::footprint(log.at(0)) + wslab::EventLog::footprint(log.at(1)));
    QCOMPARE(log.payloadBytes(), 10);
}

void tst_EventLog::boundIsOnCapacityNotSize()
{
    // 100 five-byte messages, each in a 16 KiB buffer: under a 256 KiB bound, only what really fits stays.
    wslab::EventLog log;
    log.setLimits({1000, 256 * 1024});
    for (int i = 0; i < 100; ++i) {
        QByteArray data;
        data.reserve(16 * 1024);
        data.append("hello");
        log.append(textEvent(data));
    }
    QVERIFY2(log.bytesHeld() <= 256 * 1024, QByteArray::number(log.bytesHeld()));
    QVERIFY2(log.size() < 16, QByteArray::number(log.size()));
    QCOMPARE(log.evictedCount(), quint64(100 - log.size()));
    QCOMPARE(log.payloadBytes(), 5 * log.size());
}

void tst_EventLog::cutMessageHoldsOnlyItsExcerpt()
{
    // The lab window's case: a 1 MiB text received, turned into UTF-8 (three bytes reserved per
    // character) and cut to its first 64 KiB for the log.
    const QString text(1024 * 1024, u'a');
    wslab::EventLog log;
    log.append(textEvent(text.toUtf8()));
    QCOMPARE(log.at(0).size, 1024 * 1024);
    QCOMPARE(log.at(0).payload.size(), wslab::LogEvent::kMaxPayloadCopy);
    QVERIFY2(log.bytesHeld() < wslab::LogEvent::kMaxPayloadCopy + 4096, QByteArray::number(log.bytesHeld()));
}

void tst_EventLog::detailIsCounted()
{
    wslab::LogEvent event = wslab::LogEvent::make(wslab::EventKind::Error, wslab::Direction::Local);
    event.detail = QString(1000, u'e');
    wslab::EventLog log;
    log.append(event);
    QVERIFY(log.bytesHeld() >= wslab::EventLog::kEventOverhead + 2000);
    QCOMPARE(log.bytesHeld(), wslab::EventLog::footprint(event));
}

void tst_EventLog::seqContinuesAcrossClear()
{
    wslab::EventLog log;
    QSignalSpy cleared(&log, &wslab::EventLog::cleared);
    log.append(textEvent("a"));
    log.append(textEvent("b"));
    log.clear();
    QCOMPARE(cleared.size(), 1);
    QVERIFY(log.isEmpty());
    QCOMPARE(log.payloadBytes(), 0);
    QCOMPARE(log.bytesHeld(), 0);
    QCOMPARE(log.firstSeq(), quint64(2));
    log.append(textEvent("c"));
    QCOMPARE(log.at(0).seq, quint64(2));
    QCOMPARE(log.firstSeq(), quint64(2));
    QCOMPARE(log.endSeq(), quint64(3));
}

void tst_EventLog::bySeq()
{
    wslab::EventLog log;
    log.setLimits({3, 1 << 20});
    for (int i = 0; i < 5; ++i)
        log.append(textEvent(QByteArray::number(i)));
    QCOMPARE(log.bySeq(0), nullptr); // evicted
    QCOMPARE(log.bySeq(1), nullptr);
    QVERIFY(log.bySeq(2));
    QCOMPARE(log.bySeq(2)->payload, QByteArray("2"));
    QCOMPARE(log.bySeq(4)->payload, QByteArray("4"));
    QCOMPARE(log.bySeq(5), nullptr); // not yet appended
    log.clear();
    QCOMPARE(log.bySeq(4), nullptr);
}

QTEST_GUILESS_MAIN(tst_EventLog)
#include "tst_EventLog.moc"
