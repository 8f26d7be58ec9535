// Lesson files: parsing, the errors a teacher gets (with the JSON path of the fault), and the matching
// of a step's expected events against the endpoints' logs.
#include "core/lesson/Lesson.h"
#include "core/lesson/StepWatch.h"
#include "core/log/EventLog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace wslab;

namespace {

QJsonObject validLesson()
{
    return QJsonDocument::fromJson(R"({
        "version": 1,
        "title": "Close codes",
        "summary": "What each code means.",
        "steps": [
            {"title": "Start", "narration": "<p>A server.</p>", "do": {"action": "startServer", "mode": "echo", "maxMessageKiB": 1},
             "expect": [{"at": "server", "kind": "listening"}]},
            {"title": "Read", "narration": "Nothing to do."},
            {"title": "Close", "narration": "Bye.", "do": {"action": "disconnect", "client": 2, "code": 4000, "reason": "game over"},
             "expect": [{"at": "client 2", "kind": "close", "direction": "out", "closeCode": 4000, "count": 1},
                        {"at": "inspector", "kind": "frame", "opcode": 8, "fin": true}],
             "timeoutMs": 1500}
        ]})")
        .object();
}

QByteArray bytes(const QJsonObject &object)
{
    return QJsonDocument(object).toJson();
}

// The lesson with one value replaced at a path of object keys and array indexes.
QJsonObject with(QJsonObject lesson, const QStringList &path, const QJsonValue &value)
{
    std::function<QJsonValue(QJsonValue, qsizetype)> set = [&](QJsonValue node, qsizetype depth) -> QJsonValue {
        if (depth == path.size())
            return value;
        bool isIndex = false;
        const int index = path.at(depth).toInt(&isIndex);
        if (isIndex) {
            QJsonArray array = node.toArray();
            array[index] = set(array.at(index), depth + 1);
            return array;
        }
        QJsonObject object = node.toObject();
        const QJsonValue replaced = set(object.value(path.at(depth)), depth + 1);
        if (replaced.isUndefined())
            object.remove(path.at(depth));
        else
            object[path.at(depth)] = replaced;
        return object;
    };
    return set(lesson, 0).toObject();
}

LogEvent makeEvent(EventKind kind, Direction direction, int closeCode = 0)
{
    LogEvent e = LogEvent::make(kind, direction);
    e.closeCode = closeCode;
    return e;
}

} // namespace

class tst_Lesson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesAValidLesson();
    void refusesWithThePathOfTheFault_data();
    void refusesWithThePathOfTheFault();
    void endpointsByName();
    void expectationMatchesTheFieldsItNames();
    void describesWhatItWaitsFor();
    void watchCountsOnlyEventsAfterTheStepBegan();
    void watchReadsALogThatAppearsLater();
    void watchNeedsTheCount();
};

void tst_Lesson::parsesAValidLesson()
{
    Lesson lesson;
    QString error;
    QVERIFY2(parseLesson(bytes(validLesson()), &lesson, &error), qPrintable(error));
    QCOMPARE(lesson.version, kLessonFormatVersion);
    QCOMPARE(lesson.title, QStringLiteral("Close codes"));
    QCOMPARE(lesson.steps.size(), 3);
    const LessonStep &start = lesson.steps.at(0);
    QCOMPARE(start.action.name, QStringLiteral("startServer"));
    QCOMPARE(start.action.params.value(QStringLiteral("maxMessageKiB")).toInt(), 1);
    QVERIFY(!start.action.params.contains(QStringLiteral("action")));
    QCOMPARE(start.timeout, std::chrono::milliseconds(5000));
    QVERIFY(lesson.steps.at(1).action.isEmpty());
    QVERIFY(lesson.steps.at(1).expect.isEmpty());
    const LessonStep &close = lesson.steps.at(2);
    QCOMPARE(close.timeout, std::chrono::milliseconds(1500));
    QCOMPARE(close.expect.size(), 2);
    QCOMPARE(close.expect.at(0).at, (LessonEndpoint{LessonEndpoint::Role::Client, 2}));
    QCOMPARE(close.expect.at(0).kind, EventKind::Close);
    QCOMPARE(close.expect.at(0).direction, std::optional<Direction>(Direction::Out));
    QCOMPARE(close.expect.at(0).closeCode, 4000);
    QCOMPARE(close.expect.at(1).at.role, LessonEndpoint::Role::Inspector);
    QCOMPARE(close.expect.at(1).opcode, 8);
    QCOMPARE(close.expect.at(1).fin, std::optional<bool>(true));
}

void tst_Lesson::refusesWithThePathOfTheFault_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    const QJsonObject ok = validLesson();
    QTest::newRow("not json") << QByteArray("{\"version\": 1,") << QStringLiteral("not JSON");
    QTest::newRow("not an object") << QByteArray("[1]") << QStringLiteral("a lesson is a JSON object");
    QTest::newRow("no version") << bytes(with(ok, {QStringLiteral("version")}, QJsonValue::Undefined))
                                << QStringLiteral("version: missing field");
    QTest::newRow("future version") << bytes(with(ok, {QStringLiteral("version")}, 2)) << QStringLiteral("version: version 2 is not known");
    QTest::newRow("no title") << bytes(with(ok, {QStringLiteral("title")}, QJsonValue::Undefined))
                              << QStringLiteral("title: missing field");
    QTest::newRow("unknown top field") << bytes(with(ok, {QStringLiteral("author")}, QStringLiteral("me")))
                                       << QStringLiteral("author: unknown field");
    QTest::newRow("no steps") << bytes(with(ok, {QStringLiteral("steps")}, QJsonArray()))
                              << QStringLiteral("steps: must be a non-empty list");
    QTest::newRow("step without narration") << bytes(with(ok, {QStringLiteral("steps"), QStringLiteral("1"), QStringLiteral("narration")},
                                                          QJsonValue::Undefined))
                                            << QStringLiteral("steps[1].narration: missing field");
    QTest::newRow("unknown action")
        << bytes(with(ok, {QStringLiteral("steps"), QStringLiteral("0"), QStringLiteral("do"), QStringLiteral("action")},
                      QStringLiteral("jump")))
        << QStringLiteral("steps[0].do.action: unknown action \"jump\"");
    QTest::newRow("unknown parameter")
        << bytes(with(ok, {QStringLiteral("steps"), QStringLiteral("0"), QStringLiteral("do"), QStringLiteral("port")}, 8080))
        << QStringLiteral("steps[0].do.port: unknown field");
    QTest::newRow("bad choice") << bytes(with(ok,
                                              {QStringLiteral("steps"), QStringLiteral("0"), QStringLiteral("do"), QStringLiteral("mode")},
                                              QStringLiteral("loud")))
                                << QStringLiteral("steps[0].do.mode: must be one of echo, broadcast, silent");
    QTest::newRow("number out of range")
        << bytes(with(ok, {QStringLiteral("steps"), QStringLiteral("0"), QStringLiteral("do"), QStringLiteral("maxMessageKiB")}, 0))
        << QStringLiteral("steps[0].do.maxMessageKiB: must be between 1 and");
    QTest::newRow("not a whole number") << bytes(with(ok, {QStringLiteral("steps"), QStringLiteral("2"), QStringLiteral("timeoutMs")}, 1.5))
                                        << QStringLiteral("steps[2].timeoutMs: must be a whole number");
    QTest::newRow("close code only reported")
        << bytes(with(ok, {QStringLiteral("steps"), QStringLiteral("2"), QStringLiteral("do"), QStringLiteral("code")}, 1006))
        << QStringLiteral("steps[2].do.code: bad close code 1006");
    QTest::newRow("reason too long")
        << bytes(
               with(ok, {QStringLiteral("steps"), QStringLiteral("2"), QStringLiteral("do"), QStringLiteral("reason")}, QString(124, u'x')))
        << QStringLiteral("steps[2].do.reason:");
    QTest::newRow("kick needs a code") << bytes(with(ok, {QStringLiteral("steps"), QStringLiteral("0"), QStringLiteral("do")},
                                                     QJsonObject{{QStringLiteral("action"), QStringLiteral("kick")}}))
                                       << QStringLiteral("steps[0].do.code: missing field");
    QTest::newRow("send needs text or hex") << bytes(with(ok, {QStringLiteral("steps"), QStringLiteral("0"), QStringLiteral("do")},
                                                          QJsonObject{{QStringLiteral("action"), QStringLiteral("send")}}))
                                            << QStringLiteral("steps[0].do: give exactly one of \"text\" and \"hex\"");
    QTest::newRow("bad hex") << bytes(with(ok, {QStringLiteral("steps"), QStringLiteral("0"), QStringLiteral("do")},
                                           QJsonObject{{QStringLiteral("action"), QStringLiteral("send")},
                                                       {QStringLiteral("hex"), QStringLiteral("0g")}}))
                             << QStringLiteral("steps[0].do.hex: must be bytes in hex");
    QTest::newRow("send from the inspector") << bytes(with(ok, {QStringLiteral("steps"), QStringLiteral("0"), QStringLiteral("do")},
                                                           QJsonObject{{QStringLiteral("action"), QStringLiteral("send")},
                                                                       {QStringLiteral("from"), QStringLiteral("inspector")},
                                                                       {QStringLiteral("text"), QStringLiteral("x")}}))
                                             << QStringLiteral("steps[0].do.from: must be \"server\" or \"client N\"");
    QTest::newRow("unknown endpoint") << bytes(with(ok,
                                                    {QStringLiteral("steps"), QStringLiteral("2"), QStringLiteral("expect"),
                                                     QStringLiteral("0"), QStringLiteral("at")},
                                                    QStringLiteral("browser")))
                                      << QStringLiteral("steps[2].expect[0].at: must be");
    QTest::newRow("unknown kind") << bytes(with(ok,
                                                {QStringLiteral("steps"), QStringLiteral("2"), QStringLiteral("expect"),
                                                 QStringLiteral("1"), QStringLiteral("kind")},
                                                QStringLiteral("explosion")))
                                  << QStringLiteral("steps[2].expect[1].kind: unknown event kind \"explosion\"");
    QTest::newRow("bad expected code") << bytes(with(ok,
                                                     {QStringLiteral("steps"), QStringLiteral("2"), QStringLiteral("expect"),
                                                      QStringLiteral("0"), QStringLiteral("closeCode")},
                                                     999))
                                       << QStringLiteral("steps[2].expect[0].closeCode: must be between 1000 and 4999");
    QTest::newRow("opcode on a close") << bytes(with(ok,
                                                     {QStringLiteral("steps"), QStringLiteral("2"), QStringLiteral("expect"),
                                                      QStringLiteral("0"), QStringLiteral("opcode")},
                                                     8))
                                       << QStringLiteral("steps[2].expect[0]: \"opcode\" and \"fin\" apply only to kind \"frame\"");
    QTest::newRow("bad direction") << bytes(with(ok,
                                                 {QStringLiteral("steps"), QStringLiteral("2"), QStringLiteral("expect"),
                                                  QStringLiteral("0"), QStringLiteral("direction")},
                                                 QStringLiteral("up")))
                                   << QStringLiteral("steps[2].expect[0].direction: must be");
}

void tst_Lesson::refusesWithThePathOfTheFault()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    Lesson lesson;
    lesson.title = QStringLiteral("untouched");
    QString why;
    QVERIFY(!parseLesson(json, &lesson, &why));
    QVERIFY2(why.startsWith(error), qPrintable(why));
    QCOMPARE(lesson.title, QStringLiteral("untouched")); // a refused file changes nothing
}

void tst_Lesson::endpointsByName()
{
    LessonEndpoint endpoint;
    QVERIFY(LessonEndpoint::fromName(QStringLiteral("Client 12"), &endpoint));
    QCOMPARE(endpoint, (LessonEndpoint{LessonEndpoint::Role::Client, 12}));
    QCOMPARE(endpoint.name(), QStringLiteral("client 12"));
    QVERIFY(LessonEndpoint::fromName(QStringLiteral("server"), &endpoint));
    QCOMPARE(endpoint.role, LessonEndpoint::Role::Server);
    QVERIFY(LessonEndpoint::fromName(QStringLiteral("inspector"), &endpoint));
    QCOMPARE(endpoint.name(), QStringLiteral("inspector"));
    QVERIFY(!LessonEndpoint::fromName(QStringLiteral("client 0"), &endpoint));
    QVERIFY(!LessonEndpoint::fromName(QStringLiteral("client"), &endpoint));
    QVERIFY(!LessonEndpoint::fromName(QStringLiteral("peer 1"), &endpoint));
}

void tst_Lesson::expectationMatchesTheFieldsItNames()
{
    LessonExpectation close;
    close.kind = EventKind::Close;
    QVERIFY(close.matches(makeEvent(EventKind::Close, Direction::In, 1009)));
    QVERIFY(!close.matches(makeEvent(EventKind::Text, Direction::In)));
    close.closeCode = 1009;
    close.direction = Direction::In;
    QVERIFY(close.matches(makeEvent(EventKind::Close, Direction::In, 1009)));
    QVERIFY(!close.matches(makeEvent(EventKind::Close, Direction::In, 1000)));
    QVERIFY(!close.matches(makeEvent(EventKind::Close, Direction::Out, 1009)));

    LessonExpectation info;
    info.kind = EventKind::Info;
    info.detail = QStringLiteral("Slow Reader");
    LogEvent slow = makeEvent(EventKind::Info, Direction::Local);
    slow.detail = QStringLiteral("slow reader: 9000 bytes unsent");
    QVERIFY(info.matches(slow));
    slow.detail = QStringLiteral("rate limit");
    QVERIFY(!info.matches(slow));

    LessonExpectation continuation;
    continuation.kind = EventKind::Frame;
    continuation.opcode = 0;
    continuation.fin = false;
    LogEvent frame = makeEvent(EventKind::Frame, Direction::Out);
    frame.frame.opcode = 0;
    QVERIFY(continuation.matches(frame));
    frame.frame.fin = true;
    QVERIFY(!continuation.matches(frame));
    frame.frame.opcode = 1;
    frame.frame.fin = false;
    QVERIFY(!continuation.matches(frame));
}

void tst_Lesson::describesWhatItWaitsFor()
{
    LessonExpectation close;
    close.at = {LessonEndpoint::Role::Client, 1};
    close.kind = EventKind::Close;
    close.direction = Direction::In;
    close.closeCode = 1009;
    QCOMPARE(close.describe(), QStringLiteral("close 1009 Message Too Big received by client 1"));
    LessonExpectation frames;
    frames.at = {LessonEndpoint::Role::Inspector, 0};
    frames.kind = EventKind::Frame;
    frames.opcode = 0;
    frames.count = 2;
    QCOMPARE(frames.describe(), QStringLiteral("2 × frame with opcode 0x0 at inspector"));
}

void tst_Lesson::watchCountsOnlyEventsAfterTheStepBegan()
{
    EventLog server;
    server.append(makeEvent(EventKind::Close, Direction::Out, 1008)); // left by an earlier step
    LessonExpectation kicked;
    kicked.kind = EventKind::Close;
    kicked.closeCode = 1008;
    StepWatch watch;
    watch.begin({kicked}, [&server](const LessonEndpoint &) { return &server; });
    QVERIFY(!watch.update());
    QCOMPARE(watch.missing(), QStringList{kicked.describe()});
    server.append(makeEvent(EventKind::Close, Direction::Out, 1000));
    QVERIFY(!watch.update());
    server.append(makeEvent(EventKind::Close, Direction::Out, 1008));
    QVERIFY(watch.update());
    QVERIFY(watch.isMet());
    QVERIFY(watch.missing().isEmpty());
    QCOMPARE(watch.seen(0), 1);
}

void tst_Lesson::watchReadsALogThatAppearsLater()
{
    EventLog client2;
    const EventLog *present = nullptr;
    LessonExpectation open;
    open.at = {LessonEndpoint::Role::Client, 2};
    open.kind = EventKind::Open;
    StepWatch watch;
    watch.begin({open}, [&present](const LessonEndpoint &) { return present; });
    QVERIFY(!watch.update()); // no client 2 yet
    client2.append(makeEvent(EventKind::Open, Direction::Local)); // the step's action added it and it opened
    present = &client2;
    QVERIFY(watch.update());
}

void tst_Lesson::watchNeedsTheCount()
{
    EventLog relay;
    LessonExpectation fragments;
    fragments.at = {LessonEndpoint::Role::Inspector, 0};
    fragments.kind = EventKind::Frame;
    fragments.opcode = 0;
    fragments.count = 3;
    StepWatch watch;
    watch.begin({fragments}, [&relay](const LessonEndpoint &) { return &relay; });
    LogEvent frame = makeEvent(EventKind::Frame, Direction::Out);
    frame.frame.opcode = 0;
    relay.append(frame);
    relay.append(frame);
    QVERIFY(!watch.update());
    QCOMPARE(watch.seen(0), 2);
    relay.append(frame);
    QVERIFY(watch.update());
}

QTEST_GUILESS_MAIN(tst_Lesson)
#include "tst_Lesson.moc"
