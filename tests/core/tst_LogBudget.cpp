// One memory budget for every endpoint's log: the total stays under it, the log that holds the most
// pays for the room, and every eviction is counted where views and the status bar read it.

#include "core/log/EventLog.h"
#include "core/log/LogBudget.h"

#include <QSignalSpy>
#include <QTest>

#include <memory>

using wslab::EventLog;
using wslab::LogBudget;
using wslab::LogEvent;

namespace {

LogEvent textEvent(const QByteArray &payload)
{
    return LogEvent::make(wslab::EventKind::Text, wslab::Direction::In, payload);
}

LogEvent kilobytes(int n, char fill = 'x')
{
    return textEvent(QByteArray(n * 1024, fill));
}

} // namespace

class tst_LogBudget : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void totalIsTheSumOfItsLogs();
    void floodingLogPaysQuietLogKeepsItsHistory();
    void largestLogEvictsEvenWhenAnotherAppends();
    void budgetReplacesEachLogsByteBound();
    void loweringTheBudgetEvictsAtOnce();
    void logsLeaveOnDestructionAndFallBackWhenTheBudgetGoes();
};

void tst_LogBudget::totalIsTheSumOfItsLogs()
{
    LogBudget budget;
    EventLog a, b;
    a.append(kilobytes(3));
    budget.add(&a); // what a log already holds counts from the moment it joins
    budget.add(&b);
    budget.add(&b); // twice is once
    QCOMPARE(budget.logs().size(), 2);
    b.append(kilobytes(5));
    b.append(kilobytes(1));
    QCOMPARE(budget.bytesHeld(), a.bytesHeld() + b.bytesHeld());
    QVERIFY(budget.bytesHeld() >= 9 * 1024);
    b.clear();
    QCOMPARE(budget.bytesHeld(), a.bytesHeld());
    budget.remove(&a);
    QCOMPARE(budget.bytesHeld(), 0);
    QCOMPARE(budget.logs(), QList<EventLog *>{&b});
    QCOMPARE(budget.evictedCount(), quint64(0));
}

void tst_LogBudget::floodingLogPaysQuietLogKeepsItsHistory()
{
    LogBudget budget;
    budget.setMaxBytes(1024 * 1024);
    EventLog quiet, flood;
    budget.add(&quiet);
    budget.add(&flood);
    QSignalSpy quietEvicted(&quiet, &EventLog::evicted);
    for (int i = 0; i < 3; ++i)
        quiet.append(kilobytes(10, 'q'));
    for (int i = 0; i < 200; ++i) {
        flood.append(kilobytes(16, 'f'));
        QVERIFY(budget.bytesHeld() <= budget.maxBytes());
    }
    // The quiet endpoint's first events (its handshake, say) are still there; the flood evicted its own.
    QCOMPARE(quiet.size(), 3);
    QCOMPARE(quiet.evictedCount(), quint64(0));
    QCOMPARE(quietEvicted.size(), 0);
    QVERIFY(flood.evictedCount() > 100);
    QCOMPARE(flood.endSeq(), quint64(200));
    QCOMPARE(flood.firstSeq(), flood.evictedCount()); // the oldest went, in order
    QCOMPARE(budget.evictedCount(), flood.evictedCount());
    QCOMPARE(budget.bytesHeld(), quiet.bytesHeld() + flood.bytesHeld());
    // Nearly all the room is used: the budget is a bound, not a reason to throw away more.
    QVERIFY(budget.bytesHeld() > budget.maxBytes() - EventLog::footprint(kilobytes(16)));
}

void tst_LogBudget::largestLogEvictsEvenWhenAnotherAppends()
{
    LogBudget budget;
    budget.setMaxBytes(512 * 1024);
    EventLog big, small;
    budget.add(&big);
    budget.add(&small);
    for (int i = 0; i < 7; ++i)
        big.append(kilobytes(64, 'b'));
    QCOMPARE(big.evictedCount(), quint64(0));
    QSignalSpy bigEvicted(&big, &EventLog::evicted);
    QSignalSpy bigAppended(&big, &EventLog::appended);
    QSignalSpy smallAppended(&small, &EventLog::appended);
    // small's appends push the total over: big holds the most, so big gives up its oldest, and says so
    // (it appended nothing, so without the signal its view would not know).
    for (int i = 0; i < 10; ++i)
        small.append(kilobytes(16, 's'));
    QVERIFY(budget.bytesHeld() <= budget.maxBytes());
    QCOMPARE(small.size(), 10);
    QCOMPARE(small.evictedCount(), quint64(0));
    QVERIFY(big.evictedCount() >= 2);
    QCOMPARE(big.firstSeq(), big.evictedCount());
    QCOMPARE(bigEvicted.size(), int(big.evictedCount()));
    QCOMPARE(bigAppended.size(), 0);
    QCOMPARE(smallAppended.size(), 10);
    QCOMPARE(budget.evictedCount(), big.evictedCount());
}

void tst_LogBudget::budgetReplacesEachLogsByteBound()
{
    EventLog log;
    log.setLimits({5, 1024}); // a tiny byte bound of its own
    LogBudget budget;
    budget.setMaxBytes(1024 * 1024);
    budget.add(&log);
    for (int i = 0; i < 4; ++i)
        log.append(kilobytes(8));
    // In the budget its own byte bound no longer applies; its event count still does.
    QCOMPARE(log.size(), 4);
    for (int i = 0; i < 4; ++i)
        log.append(kilobytes(8));
    QCOMPARE(log.size(), 5);
    QCOMPARE(log.evictedCount(), quint64(3));
    QCOMPARE(budget.evictedCount(), quint64(3));
}

void tst_LogBudget::loweringTheBudgetEvictsAtOnce()
{
    LogBudget budget;
    EventLog a, b;
    budget.add(&a);
    budget.add(&b);
    for (int i = 0; i < 10; ++i) {
        a.append(kilobytes(4, 'a'));
        b.append(kilobytes(2, 'b'));
    }
    QSignalSpy aEvicted(&a, &EventLog::evicted);
    QSignalSpy bEvicted(&b, &EventLog::evicted);
    const qint64 each = EventLog::footprint(kilobytes(4));
    budget.setMaxBytes(5 * each);
    QVERIFY(budget.bytesHeld() <= 5 * each);
    QCOMPARE(budget.bytesHeld(), a.bytesHeld() + b.bytesHeld());
    QCOMPARE(budget.evictedCount(), a.evictedCount() + b.evictedCount());
    // Each log gives up until they hold about the same: a first (it held twice as much), then both.
    QVERIFY(a.evictedCount() > b.evictedCount());
    QVERIFY(b.evictedCount() > 0);
    QCOMPARE(aEvicted.size(), 1);
    QCOMPARE(bEvicted.size(), 1);
    budget.setMaxBytes(0);
    QVERIFY(a.isEmpty());
    QVERIFY(b.isEmpty());
    QCOMPARE(budget.bytesHeld(), 0);
    QCOMPARE(budget.evictedCount(), quint64(20));
}

void tst_LogBudget::logsLeaveOnDestructionAndFallBackWhenTheBudgetGoes()
{
    auto budget = std::make_unique<LogBudget>();
    EventLog stays;
    budget->add(&stays);
    stays.append(kilobytes(1));
    {
        EventLog goes;
        budget->add(&goes);
        goes.append(kilobytes(7));
        QCOMPARE(budget->logs().size(), 2);
    }
    QCOMPARE(budget->logs(), QList<EventLog *>{&stays});
    QCOMPARE(budget->bytesHeld(), stays.bytesHeld());
    budget.reset();
    QCOMPARE(stays.budget(), nullptr);
    // Alone again, its own byte bound applies.
    stays.setLimits({1000, 3 * 1024});
    for (int i = 0; i < 5; ++i)
        stays.append(kilobytes(1));
    QVERIFY(stays.bytesHeld() <= 3 * 1024);
}

QTEST_GUILESS_MAIN(tst_LogBudget)
#include "tst_LogBudget.moc"
