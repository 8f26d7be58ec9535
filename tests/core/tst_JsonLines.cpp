#include "log/EventLog.h"
#include "log/JsonLines.h"

#include <QBuffer>
#include <QTest>

namespace {

wslab::LogEvent makeEvent(wslab::EventKind kind, wslab::Direction dir, const QByteArray &payload = {})
{
    wslab::LogEvent e = wslab::LogEvent::make(kind, dir, payload);
    e.endpoint = QStringLiteral("client 1");
    return e;
}

// Writes the log to a buffer and reads it back.
QList<wslab::LogEvent> roundTrip(const wslab::EventLog &log, QByteArray *written = nullptr)
{
    QBuffer buffer;
    buffer.open(QIODevice::ReadWrite);
    QString error;
    if (!wslab::JsonLines::write(log, &buffer, &error))
        qFatal("write failed: %s", qPrintable(error));
    if (written)
        *written = buffer.data();
    buffer.seek(0);
    QList<wslab::LogEvent> events;
    if (!wslab::JsonLines::read(&buffer, &events, &error))
        qFatal("read failed: %s", qPrintable(error));
    return events;
}

} // namespace

class tst_JsonLines : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripKeepsEveryField();
    void textStaysReadable();
    void binaryWithNonUtf8Bytes();
    void closeWithCodeAndDetail();
    void truncatedPayloadKeepsFullSize();
    void oneLinePerEvent();
    void blankLinesAreSkipped();
    void badLineReportsItsNumber_data();
    void badLineReportsItsNumber();
};

void tst_JsonLines::roundTripKeepsEveryField()
{
    wslab::EventLog log;
    wslab::LogEvent e = makeEvent(wslab::EventKind::Pong, wslab::Direction::In, "hb");
    e.peer = 7;
    e.code = 1234;
    e.detail = QStringLiteral("détail ✓");
    log.append(e);
    const auto back = roundTrip(log);
    QCOMPARE(back.size(), 1);
    const wslab::LogEvent &b = back.first();
    const wslab::LogEvent &a = log.at(0);
    QCOMPARE(b.seq, a.seq);
    QCOMPARE(b.monoUs, a.monoUs);
    QCOMPARE(b.wallMs, a.wallMs);
    QCOMPARE(b.endpoint, a.endpoint);
    QCOMPARE(b.peer, 7);
    QCOMPARE(b.direction, wslab::Direction::In);
    QCOMPARE(b.kind, wslab::EventKind::Pong);
    QCOMPARE(b.size, 2);
    QCOMPARE(b.code, 1234);
    QCOMPARE(b.detail, QStringLiteral("détail ✓"));
    QCOMPARE(b.payload, QByteArray("hb"));
}

void tst_JsonLines::textStaysReadable()
{
    wslab::EventLog log;
    const QByteArray utf8 = QStringLiteral("héllo \"wörld\"\n€").toUtf8();
    log.append(makeEvent(wslab::EventKind::Text, wslab::Direction::Out, utf8));
    QByteArray written;
    const auto back = roundTrip(log, &written);
    QCOMPARE(back.first().payload, utf8);
    QCOMPARE(back.first().peer, -1);
    QVERIFY(written.contains("\"text\":"));
    QVERIFY(!written.contains("\"base64\""));
}

void tst_JsonLines::binaryWithNonUtf8Bytes()
{
    wslab::EventLog log;
    QByteArray bytes;
    for (int i = 0; i < 256; ++i)
        bytes.append(char(i));
    bytes.append("\xff\xfe\xc3\x28", 4); // invalid UTF-8 sequences on purpose
    log.append(makeEvent(wslab::EventKind::Binary, wslab::Direction::In, bytes));
    QByteArray written;
    const auto back = roundTrip(log, &written);
    QCOMPARE(back.size(), 1);
    QCOMPARE(back.first().kind, wslab::EventKind::Binary);
    QCOMPARE(back.first().payload, bytes);
    QCOMPARE(back.first().size, bytes.size());
    QVERIFY(written.contains("\"base64\":"));
}

void tst_JsonLines::closeWithCodeAndDetail()
{
    wslab::EventLog log;
    wslab::LogEvent e = makeEvent(wslab::EventKind::Close, wslab::Direction::In);
    e.code = 4001;
    e.detail = QStringLiteral("kicked: ménage");
    log.append(e);
    const auto back = roundTrip(log);
    QCOMPARE(back.first().kind, wslab::EventKind::Close);
    QCOMPARE(back.first().code, 4001);
    QCOMPARE(back.first().detail, QStringLiteral("kicked: ménage"));
    QVERIFY(back.first().payload.isEmpty());
}

void tst_JsonLines::truncatedPayloadKeepsFullSize()
{
    wslab::EventLog log;
    log.append(makeEvent(wslab::EventKind::Binary, wslab::Direction::In, QByteArray(100 * 1024, '\x80')));
    QByteArray written;
    const auto back = roundTrip(log, &written);
    QCOMPARE(back.first().size, 100 * 1024);
    QCOMPARE(back.first().payload.size(), 64 * 1024);
    QVERIFY(back.first().isTruncated());
    QVERIFY(written.contains("\"truncated\":true"));
}

void tst_JsonLines::oneLinePerEvent()
{
    wslab::EventLog log;
    log.append(makeEvent(wslab::EventKind::Text, wslab::Direction::Out, "a\nb\r\nc"));
    log.append(makeEvent(wslab::EventKind::State, wslab::Direction::Local));
    log.append(makeEvent(wslab::EventKind::RetryScheduled, wslab::Direction::Local));
    QByteArray written;
    const auto back = roundTrip(log, &written);
    QCOMPARE(written.count('\n'), 3);
    QVERIFY(written.endsWith('\n'));
    QCOMPARE(back.size(), 3);
    QCOMPARE(back.at(0).payload, QByteArray("a\nb\r\nc"));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(back.at(i).seq, quint64(i));
    QCOMPARE(wslab::JsonLines::toLine(log.at(1)), written.split('\n').at(1) + '\n');
}

void tst_JsonLines::blankLinesAreSkipped()
{
    QBuffer buffer;
    buffer.setData("\n" + wslab::JsonLines::toLine(makeEvent(wslab::EventKind::Info, wslab::Direction::Local)) + "\n  \n");
    buffer.open(QIODevice::ReadOnly);
    QList<wslab::LogEvent> events;
    QString error;
    QVERIFY2(wslab::JsonLines::read(&buffer, &events, &error), qPrintable(error));
    QCOMPARE(events.size(), 1);
}

void tst_JsonLines::badLineReportsItsNumber_data()
{
    QTest::addColumn<QByteArray>("badLine");
    QTest::addColumn<QString>("errorStart");
    QTest::newRow("not JSON") << QByteArray("{oops") << QStringLiteral("line 3: ");
    QTest::newRow("an array") << QByteArray("[1,2]") << QStringLiteral("line 3: not a JSON object");
    QTest::newRow("unknown kind") << QByteArray(R"({"kind":"teleport","dir":"in"})") << QStringLiteral("line 3: unknown kind \"teleport\"");
    QTest::newRow("unknown direction") << QByteArray(R"({"kind":"text","dir":"sideways"})")
                                       << QStringLiteral("line 3: unknown direction \"sideways\"");
}

void tst_JsonLines::badLineReportsItsNumber()
{
    QFETCH(QByteArray, badLine);
    QFETCH(QString, errorStart);
    const QByteArray good = wslab::JsonLines::toLine(makeEvent(wslab::EventKind::Text, wslab::Direction::In, "ok"));
    QBuffer buffer;
    buffer.setData(good + good + badLine + '\n' + good);
    buffer.open(QIODevice::ReadOnly);
    QList<wslab::LogEvent> events;
    QString error;
    QVERIFY(!wslab::JsonLines::read(&buffer, &events, &error));
    QVERIFY2(error.startsWith(errorStart), qPrintable(error));
    QCOMPARE(events.size(), 2); // the good lines before it were read
}

QTEST_GUILESS_MAIN(tst_JsonLines)
#include "tst_JsonLines.moc"
