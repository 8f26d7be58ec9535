#include "core/client/Outbox.h"

#include <QTest>

class tst_Outbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keepsOrder();
    void boundedByCount();
    void boundedByBytes();
    void refusalLeavesContentsAlone();
    void clear();
};

void tst_Outbox::keepsOrder()
{
    wslab::Outbox box;
    QVERIFY(box.isEmpty());
    QVERIFY(box.push({false, "one"}));
    QVERIFY(box.push({true, QByteArray("\x00\x01", 2)}));
    QVERIFY(box.push({false, "three"}));
    QCOMPARE(box.size(), 3);
    QCOMPARE(box.bytes(), 3 + 2 + 5);
    auto m = box.takeFirst();
    QCOMPARE(m.binary, false);
    QCOMPARE(m.data, QByteArray("one"));
    m = box.takeFirst();
    QCOMPARE(m.binary, true);
    QCOMPARE(m.data, QByteArray("\x00\x01", 2));
    QCOMPARE(box.bytes(), 5);
    QCOMPARE(box.takeFirst().data, QByteArray("three"));
    QVERIFY(box.isEmpty());
    QCOMPARE(box.bytes(), 0);
}

void tst_Outbox::boundedByCount()
{
    wslab::Outbox box;
    box.setLimits({3, 1 << 20});
    for (int i = 0; i < 3; ++i)
        QVERIFY(box.push({false, "x"}));
    QString error;
    QVERIFY(!box.push({false, "x"}, &error));
    QCOMPARE(error, QStringLiteral("outbox full: 3 messages already waiting (limit 3)"));
    QCOMPARE(box.size(), 3);
    box.takeFirst();
    QVERIFY(box.push({false, "y"})); // room again once one left
}

void tst_Outbox::boundedByBytes()
{
    wslab::Outbox box;
    box.setLimits({100, 10});
    QVERIFY(box.push({false, "123456"}));
    QVERIFY(box.push({false, "1234"})); // exactly at the bound is fine
    QString error;
    QVERIFY(!box.push({true, "1"}, &error));
    QCOMPARE(error, QStringLiteral("outbox full: 10 + 1 bytes would pass the limit of 10 bytes"));
    QVERIFY(!box.push({false, QByteArray(11, 'z')}, &error));
    QCOMPARE(box.bytes(), 10);
    QCOMPARE(box.size(), 2);
}

void tst_Outbox::refusalLeavesContentsAlone()
{
    wslab::Outbox box;
    box.setLimits({1, 100});
    QVERIFY(box.push({false, "kept"}));
    QVERIFY(!box.push({false, "refused"}));
    QCOMPARE(box.takeFirst().data, QByteArray("kept"));
    QVERIFY(box.isEmpty());
}

void tst_Outbox::clear()
{
    wslab::Outbox box;
    box.push({false, "a"});
    box.push({false, "bb"});
    box.clear();
    QVERIFY(box.isEmpty());
    QCOMPARE(box.bytes(), 0);
}

QTEST_GUILESS_MAIN(tst_Outbox)
#include "tst_Outbox.moc"
