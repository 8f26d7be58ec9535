#include "core/protocol/CloseCode.h"

#include <QTest>

class tst_CloseCode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void names_data();
    void names();
    void meaningsAreDistinctForRegisteredCodes();
    void describe();
    void isSendable_data();
    void isSendable();
    void refusalSaysWhy();
};

void tst_CloseCode::names_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("name");

    QTest::newRow("1000") << 1000 << QStringLiteral("Normal Closure");
    QTest::newRow("1001") << 1001 << QStringLiteral("Going Away");
    QTest::newRow("1002") << 1002 << QStringLiteral("Protocol Error");
    QTest::newRow("1003") << 1003 << QStringLiteral("Unsupported Data");
    QTest::newRow("1005") << 1005 << QStringLiteral("No Status Received");
    QTest::newRow("1006") << 1006 << QStringLiteral("Abnormal Closure");
    QTest::newRow("1007") << 1007 << QStringLiteral("Invalid Payload Data");
    QTest::newRow("1008") << 1008 << QStringLiteral("Policy Violation");
    QTest::newRow("1009") << 1009 << QStringLiteral("Message Too Big");
    QTest::newRow("1010") << 1010 << QStringLiteral("Mandatory Extension");
    QTest::newRow("1011") << 1011 << QStringLiteral("Internal Error");
    QTest::newRow("1012") << 1012 << QStringLiteral("Service Restart");
    QTest::newRow("1013") << 1013 << QStringLiteral("Try Again Later");
    QTest::newRow("1014") << 1014 << QStringLiteral("Bad Gateway");
    QTest::newRow("1015") << 1015 << QStringLiteral("TLS Handshake");
    QTest::newRow("1016 reserved range") << 1016 << QStringLiteral("Reserved");
    QTest::newRow("2999 reserved range") << 2999 << QStringLiteral("Reserved");
    QTest::newRow("3000") << 3000 << QStringLiteral("Registered (library/framework)");
    QTest::newRow("3999") << 3999 << QStringLiteral("Registered (library/framework)");
    QTest::newRow("4000") << 4000 << QStringLiteral("Private use");
    QTest::newRow("4999") << 4999 << QStringLiteral("Private use");
    QTest::newRow("999") << 999 << QStringLiteral("Invalid");
    QTest::newRow("5000") << 5000 << QStringLiteral("Invalid");
    QTest::newRow("0") << 0 << QStringLiteral("Invalid");
}

void tst_CloseCode::names()
{
    QFETCH(int, code);
    QFETCH(QString, name);
    QCOMPARE(wslab::CloseCode::name(code), name);
    QVERIFY(!wslab::CloseCode::meaning(code).isEmpty());
}

void tst_CloseCode::meaningsAreDistinctForRegisteredCodes()
{
    QSet<QString> seen;
    for (int code = 1000; code <= 1015; ++code) {
        const QString m = wslab::CloseCode::meaning(code);
        QVERIFY2(!seen.contains(m), qPrintable(QString::number(code)));
        seen.insert(m);
    }
    QVERIFY(wslab::CloseCode::meaning(1006).contains(QStringLiteral("without a close frame")));
    QVERIFY(wslab::CloseCode::meaning(4001).contains(QStringLiteral("private use")));
    QVERIFY(wslab::CloseCode::meaning(7).contains(QStringLiteral("1000-4999")));
}

void tst_CloseCode::describe()
{
    QCOMPARE(wslab::CloseCode::describe(1008), QStringLiteral("1008 Policy Violation"));
    QCOMPARE(wslab::CloseCode::describe(4001), QStringLiteral("4001 Private use"));
}

void tst_CloseCode::isSendable_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("sendable");

    for (int c : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4001, 4999})
        QTest::addRow("%d allowed", c) << c << true;
    for (int c : {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535, -1})
        QTest::addRow("%d refused", c) << c << false;
}

void tst_CloseCode::isSendable()
{
    QFETCH(int, code);
    QFETCH(bool, sendable);
    QString why = QStringLiteral("untouched");
    QCOMPARE(wslab::CloseCode::isSendable(code, &why), sendable);
    if (sendable)
        QCOMPARE(why, QStringLiteral("untouched"));
    else
        QVERIFY2(why.contains(QString::number(code)), qPrintable(why));
    QCOMPARE(wslab::CloseCode::isSendable(code), sendable); // no reason wanted: must not crash
}

void tst_CloseCode::refusalSaysWhy()
{
    QString why;
    QVERIFY(!wslab::CloseCode::isSendable(1006, &why));
    QCOMPARE(why, QStringLiteral("close code 1006 (Abnormal Closure) is reserved and must not be sent"));
    QVERIFY(!wslab::CloseCode::isSendable(5000, &why));
    QCOMPARE(why, QStringLiteral("close code 5000 is outside the sendable ranges 1000-1014 and 3000-4999"));
}

QTEST_GUILESS_MAIN(tst_CloseCode)
#include "tst_CloseCode.moc"
