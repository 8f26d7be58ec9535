#include "log/EventLog.h"

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
    void boundedByPayloadBytes();
    void oversizedEventIsKeptAlone();
    void tighterLimitsEvictAtOnce();
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

void tst_EventLog::boundedByPayloadBytes()
{
    wslab::EventLog log;
    log.setLimits({1000, 100});
    for (int i = 0; i < 10; ++i)
        log.append(textEvent(QByteArray(30, char('a' + i))));
    // 30-byte payloads under a 100-byte bound: only three fit.
    QCOMPARE(log.size(), 3);
    QCOMPARE(log.payloadBytes(), 90);
    QCOMPARE(log.evictedCount(), quint64(7));
    QCOMPARE(log.at(0).payload, QByteArray(30, 'h'));
    QCOMPARE(log.at(2).payload, QByteArray(30, 'j'));
    QCOMPARE(log.at(2).seq, quint64(9));

    // Events without payload cost nothing against the byte bound.
    log.append(wslab::LogEvent::make(wslab::EventKind::Info, wslab::Direction::Local));
    QCOMPARE(log.size(), 4);
    QCOMPARE(log.evictedCount(), quint64(7));
}

void tst_EventLog::oversizedEventIsKeptAlone()
{
    // One event bigger than the byte bound still shows (the newest is never dropped), alone.
    wslab::EventLog log;
    log.setLimits({1000, 100});
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
    for (int i = 0; i < 10; ++i)
        log.append(textEvent("0123456789"));
    log.setLimits({4, 1 << 20});
    QCOMPARE(log.size(), 4);
    QCOMPARE(log.evictedCount(), quint64(6));
    QCOMPARE(log.payloadBytes(), 40);
    log.setLimits({100, 25});
    QCOMPARE(log.size(), 2);
    QCOMPARE(log.evictedCount(), quint64(8));
    QCOMPARE(log.at(0).seq, quint64(8));
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
