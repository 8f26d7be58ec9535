#include "core/policy/ReconnectPolicy.h"

#include <QTest>

using namespace std::chrono_literals;
using Kind = wslab::DisconnectCause::Kind;

class tst_ReconnectPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void delayIsJitteredExponential_data();
    void delayIsJitteredExponential();
    void delayNeverBelowMinimum();
    void delayRespectsCapForHugeAttempts();
    void maxAttempts();
    void disabledNeverAllows();
    void retryableCloseCodes_data();
    void retryableCloseCodes();
    void retryableHttpStatus_data();
    void retryableHttpStatus();
    void retryableCauses_data();
    void retryableCauses();
};

void tst_ReconnectPolicy::defaults()
{
    const wslab::ReconnectPolicy p;
    QVERIFY(p.enabled);
    QCOMPARE(p.baseDelay, 1000ms);
    QCOMPARE(p.maxDelay, 30000ms);
    QCOMPARE(p.minDelay, 100ms);
    QCOMPARE(p.stableAfter, 5000ms);
    QCOMPARE(p.maxAttempts, 0);
}

void tst_ReconnectPolicy::delayIsJitteredExponential_data()
{
    QTest::addColumn<int>("attempt");
    QTest::addColumn<double>("random");
    QTest::addColumn<qint64>("expectedMs");

    // base 1000, cap 30000, min 100: ceiling = min(30000, 1000 * 2^(attempt-1)), delay = ceiling * random.
    QTest::newRow("1st, top of range") << 1 << 0.999 << qint64(999);
    QTest::newRow("1st, half") << 1 << 0.5 << qint64(500);
    QTest::newRow("2nd, half") << 2 << 0.5 << qint64(1000);
    QTest::newRow("3rd, quarter") << 3 << 0.25 << qint64(1000);
    QTest::newRow("5th, half") << 5 << 0.5 << qint64(8000);
    QTest::newRow("5th, top") << 5 << 0.999 << qint64(15984);
    QTest::newRow("6th, capped") << 6 << 0.999 << qint64(29970); // 32000 capped at 30000
    QTest::newRow("10th, capped, half") << 10 << 0.5 << qint64(15000);
    QTest::newRow("random below 0 clamps") << 4 << -3.0 << qint64(100);
    QTest::newRow("random above 1 clamps") << 4 << 7.0 << qint64(8000);
    QTest::newRow("attempt 0 treated as 1st") << 0 << 0.5 << qint64(500);
}

void tst_ReconnectPolicy::delayIsJitteredExponential()
{
    QFETCH(int, attempt);
    QFETCH(double, random);
    QFETCH(qint64, expectedMs);
    const wslab::ReconnectPolicy p;
    QCOMPARE(p.delayFor(attempt, random).count(), expectedMs);
}

void tst_ReconnectPolicy::delayNeverBelowMinimum()
{
    const wslab::ReconnectPolicy p;
    QCOMPARE(p.delayFor(1, 0.0), 100ms);
    QCOMPARE(p.delayFor(1, 0.09), 100ms); // 90 ms drawn, raised to the minimum
    QCOMPARE(p.delayFor(1, 0.11), 110ms);
    for (int attempt = 1; attempt <= 40; ++attempt)
        QVERIFY2(p.delayFor(attempt, 0.0) >= 100ms, qPrintable(QString::number(attempt)));

    wslab::ReconnectPolicy custom;
    custom.minDelay = 250ms;
    QCOMPARE(custom.delayFor(3, 0.0), 250ms);
    QCOMPARE(custom.delayFor(3, 0.1), 400ms);
}

void tst_ReconnectPolicy::delayRespectsCapForHugeAttempts()
{
    wslab::ReconnectPolicy p;
    p.baseDelay = 40ms;
    p.maxDelay = 500ms;
    for (int attempt : {5, 10, 63, 64, 1000, 1 << 30})
        QVERIFY2(p.delayFor(attempt, 0.999999) <= 500ms, qPrintable(QString::number(attempt)));
    QCOMPARE(p.delayFor(1 << 30, 0.5), 250ms);
    QCOMPARE(p.delayFor(4, 0.5), 160ms); // 40 * 8 = 320, half of it
}

void tst_ReconnectPolicy::maxAttempts()
{
    wslab::ReconnectPolicy p;
    QVERIFY(p.allowsAttempt(1));
    QVERIFY(p.allowsAttempt(100000)); // 0 means unlimited

    p.maxAttempts = 3;
    QVERIFY(p.allowsAttempt(1));
    QVERIFY(p.allowsAttempt(3));
    QVERIFY(!p.allowsAttempt(4));
}

void tst_ReconnectPolicy::disabledNeverAllows()
{
    wslab::ReconnectPolicy p;
    p.enabled = false;
    QVERIFY(!p.allowsAttempt(1));
    p.maxAttempts = 5;
    QVERIFY(!p.allowsAttempt(1));
}

void tst_ReconnectPolicy::retryableCloseCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<bool>("retryable");

    QTest::newRow("1000 normal, from the peer") << 1000 << false;
    QTest::newRow("1001 going away") << 1001 << true;
    QTest::newRow("1002 protocol error") << 1002 << false;
    QTest::newRow("1003 unsupported data") << 1003 << false;
    QTest::newRow("1006 abnormal") << 1006 << true;
    QTest::newRow("1007 invalid payload") << 1007 << false;
    QTest::newRow("1008 policy violation") << 1008 << false;
    QTest::newRow("1009 too big") << 1009 << false;
    QTest::newRow("1010 mandatory extension") << 1010 << false;
    QTest::newRow("1011 internal error") << 1011 << true;
    QTest::newRow("1012 service restart") << 1012 << true;
    QTest::newRow("1013 try again later") << 1013 << true;
    QTest::newRow("1014 bad gateway") << 1014 << true;
    QTest::newRow("3000 registered") << 3000 << false;
    QTest::newRow("4001 private") << 4001 << false;
}

void tst_ReconnectPolicy::retryableCloseCodes()
{
    QFETCH(int, code);
    QFETCH(bool, retryable);
    QCOMPARE(wslab::ReconnectPolicy::isRetryableCloseCode(code), retryable);
    QCOMPARE(wslab::ReconnectPolicy::isRetryable({Kind::PeerClose, code, 0}), retryable);
}

void tst_ReconnectPolicy::retryableHttpStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("retryable");

    for (int s : {400, 401, 403, 404, 405, 408, 426, 429, 431, 499})
        QTest::addRow("%d", s) << s << false;
    for (int s : {500, 502, 503, 504, 599})
        QTest::addRow("%d", s) << s << true;
    QTest::newRow("0 (no status)") << 0 << false;
    QTest::newRow("301 redirect") << 301 << false;
}

void tst_ReconnectPolicy::retryableHttpStatus()
{
    QFETCH(int, status);
    QFETCH(bool, retryable);
    QCOMPARE(wslab::ReconnectPolicy::isRetryableHttpStatus(status), retryable);
    QCOMPARE(wslab::ReconnectPolicy::isRetryable({Kind::HandshakeRefused, 0, status}), retryable);
}

void tst_ReconnectPolicy::retryableCauses_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("closeCode");
    QTest::addColumn<bool>("retryable");

    QTest::newRow("network error") << int(Kind::NetworkError) << 0 << true;
    QTest::newRow("connect timeout") << int(Kind::ConnectTimeout) << 0 << true;
    QTest::newRow("abnormal 1006") << int(Kind::Abnormal) << 1006 << true;
    QTest::newRow("heartbeat timeout") << int(Kind::HeartbeatTimeout) << 1006 << true;
    // The user's own close is final whatever code it carried.
    QTest::newRow("user close 1000") << int(Kind::UserClose) << 1000 << false;
    QTest::newRow("user close 1001") << int(Kind::UserClose) << 1001 << false;
    QTest::newRow("user close 1012") << int(Kind::UserClose) << 1012 << false;
}

void tst_ReconnectPolicy::retryableCauses()
{
    QFETCH(int, kind);
    QFETCH(int, closeCode);
    QFETCH(bool, retryable);
    QCOMPARE(wslab::ReconnectPolicy::isRetryable({Kind(kind), closeCode, 0}), retryable);
}

QTEST_GUILESS_MAIN(tst_ReconnectPolicy)
#include "tst_ReconnectPolicy.moc"
