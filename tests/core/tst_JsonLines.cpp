#include "core/log/EventFormat.h"
#include "core/log/EventLog.h"
#include "core/log/JsonLines.h"

#include <QAbstractSocket>
#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <functional>

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

QJsonObject objectOf(const QByteArray &line)
{
    return QJsonDocument::fromJson(line).object();
}

// Reads lines that are not necessarily this version's; fails the test on a read error.
QList<wslab::LogEvent> readLines(const QByteArray &lines)
{
    QBuffer buffer;
    buffer.setData(lines);
    buffer.open(QIODevice::ReadOnly);
    QList<wslab::LogEvent> events;
    QString error;
    if (!wslab::JsonLines::read(&buffer, &events, &error))
        qWarning("read failed: %s", qPrintable(error));
    return events;
}

// The fields that say what an event means, as "name=value" for a readable QCOMPARE.
QString meaningOf(const wslab::LogEvent &e)
{
    return QStringLiteral("size=%1 closeCode=%2 httpStatus=%3 socketError=%4 attempt=%5 delayMs=%6 rttUs=%7 queued=%8 flushed=%9")
        .arg(e.size)
        .arg(e.closeCode)
        .arg(e.httpStatus)
        .arg(e.socketError)
        .arg(e.attempt)
        .arg(e.delayMs)
        .arg(e.rttUs)
        .arg(e.queued)
        .arg(e.flushed);
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
    void everyLineSaysItsVersion();
    void eachKindWritesItsNamedFields_data();
    void eachKindWritesItsNamedFields();
    void readsVersion1Lines_data();
    void readsVersion1Lines();
    void readsVersionsMixedInOneFile();
    void refusesANewerVersion_data();
    void refusesANewerVersion();
};

void tst_JsonLines::roundTripKeepsEveryField()
{
    wslab::EventLog log;
    wslab::LogEvent e = makeEvent(wslab::EventKind::Pong, wslab::Direction::In, "hb");
    e.peer = 7;
    e.rttUs = 1234;
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
    QCOMPARE(b.rttUs, 1234);
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
    e.closeCode = 4001;
    e.detail = QStringLiteral("kicked: ménage");
    log.append(e);
    const auto back = roundTrip(log);
    QCOMPARE(back.first().kind, wslab::EventKind::Close);
    QCOMPARE(back.first().closeCode, 4001);
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

void tst_JsonLines::everyLineSaysItsVersion()
{
    wslab::EventLog log;
    log.append(makeEvent(wslab::EventKind::Text, wslab::Direction::Out, "a"));
    log.append(makeEvent(wslab::EventKind::State, wslab::Direction::Local));
    QByteArray written;
    roundTrip(log, &written);
    const QList<QByteArray> lines = written.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    // In every line, so two files joined with cat still say what each line is.
    for (const QByteArray &line : lines)
        QCOMPARE(objectOf(line).value(u"v").toInteger(), wslab::JsonLines::kVersion);
    QCOMPARE(wslab::JsonLines::kVersion, 2);
}

void tst_JsonLines::eachKindWritesItsNamedFields_data()
{
    using wslab::Direction;
    using wslab::EventKind;
    QTest::addColumn<wslab::LogEvent>("event");
    QTest::addColumn<QByteArray>("fields"); // the named fields the line must carry, and no other
    QTest::addColumn<QString>("summary"); // how people read it (EventFormat), unchanged by the file

    auto event = [](EventKind kind, Direction dir, const QByteArray &payload = {}, qint64 fullSize = -1) {
        wslab::LogEvent e = wslab::LogEvent::make(kind, dir, payload, fullSize);
        e.endpoint = QStringLiteral("server");
        return e;
    };

    wslab::LogEvent close = event(EventKind::Close, Direction::In);
    close.closeCode = 1008;
    close.detail = QStringLiteral("too many messages");
    QTest::newRow("close") << close << QByteArray(R"({"close_code":1008,"close_name":"Policy Violation"})")
                           << QStringLiteral("close 1008 Policy Violation: too many messages");

    wslab::LogEvent dropped = event(EventKind::Close, Direction::Local);
    dropped.closeCode = 1006;
    QTest::newRow("close, dropped") << dropped << QByteArray(R"({"close_code":1006,"close_name":"Abnormal Closure"})")
                                    << QStringLiteral("close 1006 Abnormal Closure");

    wslab::LogEvent refused = event(EventKind::Refused, Direction::Out, "GET / HTTP/1.1\r\n");
    refused.httpStatus = 401;
    refused.detail = QStringLiteral("127.0.0.1:5000 refused with HTTP 401: missing or wrong token");
    QTest::newRow("refused") << refused << QByteArray(R"({"http_status":401})")
                             << QStringLiteral("refused: 127.0.0.1:5000 refused with HTTP 401: missing or wrong token");

    wslab::LogEvent socketError = event(EventKind::Error, Direction::Local);
    socketError.socketError = int(QAbstractSocket::SslHandshakeFailedError);
    socketError.detail = QStringLiteral("SSL handshake failed");
    QTest::newRow("error, socket") << socketError << QByteArray(R"({"socket_error":13})") << QStringLiteral("error: SSL handshake failed");

    wslab::LogEvent connectRefused = event(EventKind::Error, Direction::Local);
    connectRefused.socketError = int(QAbstractSocket::ConnectionRefusedError); // 0, and still written
    connectRefused.detail = QStringLiteral("Connection refused");
    QTest::newRow("error, socket 0") << connectRefused << QByteArray(R"({"socket_error":0})")
                                     << QStringLiteral("error: Connection refused");

    wslab::LogEvent handshake = event(EventKind::Error, Direction::Local);
    handshake.socketError = int(QAbstractSocket::ConnectionRefusedError);
    handshake.httpStatus = 401;
    handshake.detail = QStringLiteral("Unhandled http status code: 401 (Unauthorized)");
    QTest::newRow("error, refused handshake") << handshake << QByteArray(R"({"socket_error":0,"http_status":401})")
                                              << QStringLiteral("error: Unhandled http status code: 401 (Unauthorized)");

    wslab::LogEvent violation = event(EventKind::Error, Direction::Local);
    violation.closeCode = 1002;
    violation.detail = QStringLiteral("127.0.0.1:5000: unmasked frame");
    QTest::newRow("error, protocol") << violation << QByteArray(R"({"close_code":1002,"close_name":"Protocol Error"})")
                                     << QStringLiteral("error: 127.0.0.1:5000: unmasked frame");

    wslab::LogEvent timeout = event(EventKind::Error, Direction::Local);
    timeout.detail = QStringLiteral("connect timeout after 100 ms");
    QTest::newRow("error, plain") << timeout << QByteArray("{}") << QStringLiteral("error: connect timeout after 100 ms");

    wslab::LogEvent pong = event(EventKind::Pong, Direction::In, "hb");
    pong.rttUs = 812;
    QTest::newRow("pong") << pong << QByteArray(R"({"rtt_us":812})") << QStringLiteral("pong, RTT 0.812 ms");

    wslab::LogEvent fastPong = event(EventKind::Pong, Direction::In);
    fastPong.rttUs = 0;
    QTest::newRow("pong, 0 µs") << fastPong << QByteArray(R"({"rtt_us":0})") << QStringLiteral("pong, RTT 0.000 ms");

    QTest::newRow("pong, unsolicited") << event(EventKind::Pong, Direction::In) << QByteArray("{}") << QStringLiteral("pong (unsolicited)");

    wslab::LogEvent retry = event(EventKind::RetryScheduled, Direction::Local);
    retry.attempt = 3;
    retry.delayMs = 2400;
    retry.detail = QStringLiteral("retry 3 in 2400 ms");
    QTest::newRow("retry") << retry << QByteArray(R"({"attempt":3,"delay_ms":2400})") << QStringLiteral("retry 3 in 2400 ms");

    wslab::LogEvent queued = event(EventKind::OutboxQueued, Direction::Local, {}, 5);
    queued.queued = 2;
    QTest::newRow("queued") << queued << QByteArray(R"({"queued":2})") << QStringLiteral("queued (5 bytes), 2 waiting in the outbox");

    wslab::LogEvent flushed = event(EventKind::OutboxFlushed, Direction::Local);
    flushed.flushed = 3;
    QTest::newRow("flushed") << flushed << QByteArray(R"({"flushed":3})") << QStringLiteral("outbox flushed: 3 messages sent");

    wslab::LogEvent flushedOne = event(EventKind::OutboxFlushed, Direction::Local);
    flushedOne.flushed = 1;
    QTest::newRow("flushed, one") << flushedOne << QByteArray(R"({"flushed":1})") << QStringLiteral("outbox flushed: 1 message sent");

    QTest::newRow("text") << event(EventKind::Text, Direction::In, "hello") << QByteArray("{}") << QStringLiteral("text (5 bytes) hello");
}

void tst_JsonLines::eachKindWritesItsNamedFields()
{
    QFETCH(wslab::LogEvent, event);
    QFETCH(QByteArray, fields);
    QFETCH(QString, summary);
    const QByteArray line = wslab::JsonLines::toLine(event);
    const QJsonObject o = objectOf(line);
    QCOMPARE(o.value(u"kind").toString(), wslab::kindName(event.kind));
    QCOMPARE(o.value(u"size").toInteger(-1), event.size);
    const QJsonObject expected = objectOf(fields);
    for (auto it = expected.begin(); it != expected.end(); ++it)
        QVERIFY2(o.value(it.key()) == it.value(), qPrintable(it.key() + QStringLiteral(" in ") + QString::fromUtf8(line)));
    // Only the fields this kind gives a meaning to; version 1's "code" is gone.
    const char *const named[] = {"close_code", "close_name", "http_status", "socket_error", "attempt",
                                 "delay_ms",   "rtt_us",     "queued",      "flushed",      "code"};
    for (const char *name : named) {
        const QLatin1StringView key(name);
        if (!expected.contains(key))
            QVERIFY2(!o.contains(key), qPrintable(key + QStringLiteral(" in ") + QString::fromUtf8(line)));
    }
    wslab::LogEvent back;
    QString error;
    QVERIFY2(wslab::JsonLines::fromJson(o, &back, &error), qPrintable(error));
    QCOMPARE(meaningOf(back), meaningOf(event));
    QCOMPARE(wslab::EventFormat::summary(event), summary);
    QCOMPARE(wslab::EventFormat::summary(back), summary);
}

void tst_JsonLines::readsVersion1Lines_data()
{
    // Lines exactly as WsLab wrote them before "v" (keys sorted, as QJsonDocument writes them): one
    // "code" whose meaning depended on the kind, written only when not 0, and a retry's delay in "size".
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<wslab::LogEvent>("meaning"); // an event with the fields it must read as
    QTest::addColumn<QString>("summary");
    const auto with = [](const std::function<void(wslab::LogEvent &)> &set) {
        wslab::LogEvent e;
        set(e);
        return e;
    };
    const wslab::LogEvent none;

    QTest::newRow("close")
        << QByteArray(
               R"({"close_name":"Normal Closure","code":1000,"detail":"done","dir":"in","endpoint":"server","kind":"close","mono_us":1520331,"peer":1,"seq":4,"size":0,"wall_ms":1764619152331})")
        << with([](wslab::LogEvent &e) { e.closeCode = 1000; }) << QStringLiteral("close 1000 Normal Closure: done");
    QTest::newRow("refused")
        << QByteArray(
               R"({"base64":"R0VUIC8gSFRUUC8xLjENCg==","code":401,"detail":"127.0.0.1:40112 refused with HTTP 401: missing or wrong token","dir":"out","endpoint":"server","kind":"refused","mono_us":2210,"seq":1,"size":16,"wall_ms":1764619152331})")
        << with([](wslab::LogEvent &e) {
               e.size = 16;
               e.httpStatus = 401;
           })
        << QStringLiteral("refused: 127.0.0.1:40112 refused with HTTP 401: missing or wrong token");
    QTest::newRow("error, close code")
        << QByteArray(
               R"({"code":1002,"detail":"127.0.0.1:40112: unmasked frame","dir":"local","endpoint":"server","kind":"error","mono_us":2210,"seq":2,"size":0,"wall_ms":1764619152331})")
        << with([](wslab::LogEvent &e) { e.closeCode = 1002; }) << QStringLiteral("error: 127.0.0.1:40112: unmasked frame");
    QTest::newRow("error, socket error")
        << QByteArray(
               R"({"code":13,"detail":"SSL handshake failed","dir":"local","endpoint":"client 1","kind":"error","mono_us":2210,"seq":2,"size":0,"wall_ms":1764619152331})")
        << with([](wslab::LogEvent &e) { e.socketError = 13; }) << QStringLiteral("error: SSL handshake failed");
    QTest::newRow("error, no code")
        << QByteArray(
               R"({"detail":"Connection refused","dir":"local","endpoint":"client 1","kind":"error","mono_us":2210,"seq":2,"size":0,"wall_ms":1764619152331})")
        << none << QStringLiteral("error: Connection refused");
    QTest::newRow("pong")
        << QByteArray(
               R"({"base64":"aGI=","code":812,"dir":"in","endpoint":"client 1","kind":"pong","mono_us":2210,"seq":7,"size":2,"wall_ms":1764619152331})")
        << with([](wslab::LogEvent &e) {
               e.size = 2;
               e.rttUs = 812;
           })
        << QStringLiteral("pong, RTT 0.812 ms");
    QTest::newRow("pong, 0 µs")
        << QByteArray(R"({"dir":"in","endpoint":"client 1","kind":"pong","mono_us":2210,"seq":7,"size":0,"wall_ms":1764619152331})")
        << with([](wslab::LogEvent &e) { e.rttUs = 0; }) << QStringLiteral("pong, RTT 0.000 ms");
    QTest::newRow("pong, unsolicited")
        << QByteArray(
               R"({"code":-1,"dir":"in","endpoint":"client 1","kind":"pong","mono_us":2210,"seq":7,"size":0,"wall_ms":1764619152331})")
        << none << QStringLiteral("pong (unsolicited)");
    QTest::newRow("retry")
        << QByteArray(
               R"({"code":3,"detail":"retry 3 in 2400 ms","dir":"local","endpoint":"client 1","kind":"retry","mono_us":2210,"seq":9,"size":2400,"wall_ms":1764619152331})")
        << with([](wslab::LogEvent &e) {
               e.attempt = 3;
               e.delayMs = 2400;
           })
        << QStringLiteral("retry 3 in 2400 ms");
    QTest::newRow("queued")
        << QByteArray(
               R"({"code":2,"dir":"local","endpoint":"client 1","kind":"queued","mono_us":2210,"seq":3,"size":5,"wall_ms":1764619152331})")
        << with([](wslab::LogEvent &e) {
               e.size = 5;
               e.queued = 2;
           })
        << QStringLiteral("queued (5 bytes), 2 waiting in the outbox");
    QTest::newRow("flushed")
        << QByteArray(
               R"({"code":3,"dir":"local","endpoint":"client 1","kind":"flushed","mono_us":2210,"seq":12,"size":0,"wall_ms":1764619152331})")
        << with([](wslab::LogEvent &e) { e.flushed = 3; }) << QStringLiteral("outbox flushed: 3 messages sent");
    QTest::newRow("text")
        << QByteArray(
               R"({"dir":"in","endpoint":"client 1","kind":"text","mono_us":2210,"seq":5,"size":5,"text":"hello","wall_ms":1764619152331})")
        << with([](wslab::LogEvent &e) { e.size = 5; }) << QStringLiteral("text (5 bytes) hello");
}

void tst_JsonLines::readsVersion1Lines()
{
    QFETCH(QByteArray, line);
    QFETCH(wslab::LogEvent, meaning);
    QFETCH(QString, summary);
    const QList<wslab::LogEvent> events = readLines(line + '\n');
    QCOMPARE(events.size(), 1);
    QCOMPARE(meaningOf(events.first()), meaningOf(meaning));
    QCOMPARE(wslab::EventFormat::summary(events.first()), summary);
    // Written again, it is a line of this version with the same meaning.
    const QList<wslab::LogEvent> again = readLines(wslab::JsonLines::toLine(events.first()));
    QCOMPARE(again.size(), 1);
    QCOMPARE(meaningOf(again.first()), meaningOf(meaning));
    QCOMPARE(objectOf(wslab::JsonLines::toLine(events.first())).value(u"v").toInteger(), wslab::JsonLines::kVersion);
}

void tst_JsonLines::readsVersionsMixedInOneFile()
{
    // wslab-cli appends to an existing --log file: an old run's lines, then this version's.
    wslab::LogEvent retry = makeEvent(wslab::EventKind::RetryScheduled, wslab::Direction::Local);
    retry.attempt = 2;
    retry.delayMs = 700;
    const QByteArray old =
        R"({"code":2,"detail":"retry 2 in 700 ms","dir":"local","endpoint":"client 1","kind":"retry","mono_us":10,"seq":0,"size":700,"wall_ms":1764619152331})";
    const QList<wslab::LogEvent> events = readLines(old + '\n' + wslab::JsonLines::toLine(retry) + old + '\n');
    QCOMPARE(events.size(), 3);
    for (const wslab::LogEvent &e : events) {
        QCOMPARE(e.attempt, 2);
        QCOMPARE(e.delayMs, 700);
        QCOMPARE(e.size, 0);
    }
}

void tst_JsonLines::refusesANewerVersion_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("error");
    QTest::newRow("newer") << QByteArray(R"({"v":3,"kind":"text","dir":"in"})")
                           << QStringLiteral("line 2: schema version 3 is newer than this WsLab reads (up to 2)");
    QTest::newRow("zero") << QByteArray(R"({"v":0,"kind":"text","dir":"in"})")
                          << QStringLiteral("line 2: schema version \"0\" is not a version");
    QTest::newRow("a string") << QByteArray(R"({"v":"2","kind":"text","dir":"in"})")
                              << QStringLiteral("line 2: schema version \"2\" is not a version");
}

void tst_JsonLines::refusesANewerVersion()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, error);
    // A newer file may use a field in a way this reader would misread: it says so instead of guessing.
    QBuffer buffer;
    buffer.setData(wslab::JsonLines::toLine(makeEvent(wslab::EventKind::Text, wslab::Direction::In, "ok")) + line + '\n');
    buffer.open(QIODevice::ReadOnly);
    QList<wslab::LogEvent> events;
    QString why;
    QVERIFY(!wslab::JsonLines::read(&buffer, &events, &why));
    QCOMPARE(why, error);
    QCOMPARE(events.size(), 1);
}

QTEST_GUILESS_MAIN(tst_JsonLines)
#include "tst_JsonLines.moc"
