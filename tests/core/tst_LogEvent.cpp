#include "core/log/LogEvent.h"

#include <QDateTime>
#include <QMetaEnum>
#include <QTest>

class tst_LogEvent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void makeStampsTime();
    void payloadCopyIsCapped();
    void smallPayloadIsKeptWhole();
    void explicitFullSize();
    void onlyMessagesCountAsTruncated();
    void namedFieldsStartAtNone();
    void kindNamesRoundTrip();
    void directionNamesRoundTrip();
};

void tst_LogEvent::makeStampsTime()
{
    const qint64 before = wslab::monotonicMicros();
    const auto e = wslab::LogEvent::make(wslab::EventKind::Ping, wslab::Direction::Out, "p");
    QVERIFY(e.monoUs >= before);
    QVERIFY(e.monoUs <= wslab::monotonicMicros());
    QVERIFY(qAbs(e.wallMs - QDateTime::currentMSecsSinceEpoch()) < 60000);
    QCOMPARE(e.kind, wslab::EventKind::Ping);
    QCOMPARE(e.direction, wslab::Direction::Out);
    QCOMPARE(e.peer, -1);
}

void tst_LogEvent::payloadCopyIsCapped()
{
    QCOMPARE(wslab::LogEvent::kMaxPayloadCopy, 64 * 1024);
    QByteArray big(200 * 1024, 'z');
    big[0] = 'A';
    const auto e = wslab::LogEvent::make(wslab::EventKind::Binary, wslab::Direction::In, big);
    QCOMPARE(e.payload.size(), 64 * 1024);
    QCOMPARE(e.size, 200 * 1024);
    QCOMPARE(e.payload, big.left(64 * 1024));
    QVERIFY(e.isTruncated());
}

void tst_LogEvent::smallPayloadIsKeptWhole()
{
    const QByteArray exact(64 * 1024, 'e');
    const auto e = wslab::LogEvent::make(wslab::EventKind::Text, wslab::Direction::Out, exact);
    QCOMPARE(e.payload, exact);
    QCOMPARE(e.size, 64 * 1024);
    QVERIFY(!e.isTruncated());
}

void tst_LogEvent::explicitFullSize()
{
    // A caller that kept only a prefix still reports the whole message's size.
    const auto e = wslab::LogEvent::make(wslab::EventKind::Text, wslab::Direction::In, "abc", 1000);
    QCOMPARE(e.size, 1000);
    QCOMPARE(e.payload, QByteArray("abc"));
    QVERIFY(e.isTruncated());
}

void tst_LogEvent::onlyMessagesCountAsTruncated()
{
    auto e = wslab::LogEvent::make(wslab::EventKind::Handshake, wslab::Direction::In, "GET /", 5000);
    QVERIFY(!e.isTruncated());
}

void tst_LogEvent::namedFieldsStartAtNone()
{
    // A kind leaves the fields it does not use at these values; JsonLines writes none of them then.
    const auto e = wslab::LogEvent::make(wslab::EventKind::Pong, wslab::Direction::In, "hb");
    QCOMPARE(e.size, 2);
    QCOMPARE(e.rttUs, -1); // unsolicited until a matched ping says otherwise; 0 µs is a real RTT
    QCOMPARE(e.socketError, -1); // 0 is QAbstractSocket::ConnectionRefusedError
    QCOMPARE(e.closeCode, 0);
    QCOMPARE(e.httpStatus, 0);
    QCOMPARE(e.attempt, 0);
    QCOMPARE(e.delayMs, 0);
    QCOMPARE(e.queued, 0);
    QCOMPARE(e.flushed, 0);
}

void tst_LogEvent::kindNamesRoundTrip()
{
    const QMetaEnum meta = QMetaEnum::fromType<wslab::EventKind>();
    QSet<QString> names;
    for (int i = 0; i < meta.keyCount(); ++i) {
        const auto kind = wslab::EventKind(meta.value(i));
        const QString name = wslab::kindName(kind);
        QVERIFY2(!names.contains(name), qPrintable(name)); // every kind has its own name
        names.insert(name);
        wslab::EventKind back = wslab::EventKind::Info;
        QVERIFY(wslab::kindFromName(name, &back));
        QCOMPARE(back, kind);
    }
    QCOMPARE(wslab::kindName(wslab::EventKind::RetryScheduled), QStringLiteral("retry"));
    wslab::EventKind unused;
    QVERIFY(!wslab::kindFromName(QStringLiteral("nonsense"), &unused));
}

void tst_LogEvent::directionNamesRoundTrip()
{
    for (auto d : {wslab::Direction::In, wslab::Direction::Out, wslab::Direction::Local}) {
        wslab::Direction back = wslab::Direction::Local;
        QVERIFY(wslab::directionFromName(wslab::directionName(d), &back));
        QCOMPARE(back, d);
    }
    QCOMPARE(wslab::directionName(wslab::Direction::In), QStringLiteral("in"));
    wslab::Direction unused;
    QVERIFY(!wslab::directionFromName(QStringLiteral("up"), &unused));
}

QTEST_GUILESS_MAIN(tst_LogEvent)
#include "tst_LogEvent.moc"
