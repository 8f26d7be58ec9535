// Scenario files as a user writes them: what a good file becomes, how repeats unroll, and the one
// line naming the JSON path of each kind of fault.
#include "core/scenario/Scenario.h"

#include <QTest>

using namespace wslab;

namespace {

std::optional<Scenario> parse(const QByteArray &json, QString *error, const QUrl &url = {})
{
    return Scenario::fromJson(json, url, error);
}

} // namespace

class tst_Scenario : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void goodFileBecomesSteps()
    {
        QString error;
        const std::optional<Scenario> s =
            parse("{"
                  "\"version\": 1, \"name\": \"n\", \"url\": \"ws://127.0.0.1:9/base/\", \"timeout_ms\": 700,"
                  "\"steps\": ["
                  "{\"connect\": {\"url\": \"/other\", \"headers\": {\"X-Token\": \"t\"}, \"subprotocols\": [\"a\", \"b\"], \"origin\": "
                  "\"http://o\"}},"
                  "{\"connection\": \"bob\", \"name\": \"greet\", \"timeout_ms\": 90, \"connect\": \"ws://127.0.0.1:10/\"},"
                  "{\"send\": \"hi\"},"
                  "{\"send\": {\"json\": {\"b\": [1, \"x\"]}}},"
                  "{\"send\": {\"hex\": \"00ff\"}},"
                  "{\"send\": {\"base64\": \"AP8=\"}},"
                  "{\"expect\": {\"text\": \"hi\"}, \"skip_unmatched\": true},"
                  "{\"expect_close\": 1009},"
                  "{\"expect_close\": {\"code\": 4001, \"reason\": \"r\"}},"
                  "{\"wait\": 25},"
                  "{\"close\": {}},"
                  "{\"close\": {\"code\": 4000, \"reason\": \"bye\"}}"
                  "]}",
                  &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->name, QStringLiteral("n"));
        QCOMPARE(s->steps.size(), std::size_t(12));
        const ScenarioStep &connect = s->steps[0];
        QCOMPARE(connect.action, ScenarioStep::Action::Connect);
        QCOMPARE(connect.client.url.toString(), QStringLiteral("ws://127.0.0.1:9/other"));
        QCOMPARE(connect.client.headers.size(), 1);
        QCOMPARE(connect.client.headers.first().second, QByteArray("t"));
        QCOMPARE(connect.client.subprotocols, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(connect.client.origin, QStringLiteral("http://o"));
        QVERIFY(!connect.client.reconnect.enabled);
        QVERIFY(!connect.client.heartbeat.isEnabled());
        QCOMPARE(connect.timeout, std::chrono::milliseconds(700));
        QCOMPARE(connect.connection, QStringLiteral("main"));
        const ScenarioStep &bob = s->steps[1];
        QCOMPARE(bob.connection, QStringLiteral("bob"));
        QCOMPARE(bob.name, QStringLiteral("greet"));
        QCOMPARE(bob.timeout, std::chrono::milliseconds(90));
        QCOMPARE(bob.client.connectTimeout, std::chrono::milliseconds(90));
        QCOMPARE(bob.client.url.toString(), QStringLiteral("ws://127.0.0.1:10/"));
        QCOMPARE(s->steps[2].message.text, QStringLiteral("hi"));
        QCOMPARE(s->steps[3].message.text, QStringLiteral("{\"b\":[1,\"x\"]}"));
        QVERIFY(s->steps[4].message.binary);
        QCOMPARE(s->steps[4].message.data, QByteArray::fromHex("00ff"));
        QCOMPARE(s->steps[5].message.data, QByteArray::fromHex("00ff"));
        QVERIFY(s->steps[6].skipUnmatched);
        QVERIFY(s->steps[6].matcher->match(InboundMessage::fromText(QStringLiteral("hi"))).matched);
        QCOMPARE(s->steps[7].closeCode, 1009);
        QVERIFY(!s->steps[7].closeReason);
        QCOMPARE(s->steps[8].closeReason, QStringLiteral("r"));
        QCOMPARE(s->steps[9].wait, std::chrono::milliseconds(25));
        QVERIFY(!s->steps[10].closeCode);
        QCOMPARE(s->steps[11].closeCode, 4000);
        QCOMPARE(s->steps[11].path, QStringLiteral("/steps/11"));
    }

    void urlOverrideReplacesTheFilesUrl()
    {
        QString error;
        const QByteArray file = "{\"version\":1,\"url\":\"ws://127.0.0.1:9/\",\"steps\":[{\"connect\":{}},{\"connect\":{\"url\":\"/"
                                "p\"},\"connection\":\"b\"}]}";
        const std::optional<Scenario> s = parse(file, &error, QUrl(QStringLiteral("ws://127.0.0.1:4242/x")));
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->steps[0].client.url.toString(), QStringLiteral("ws://127.0.0.1:4242/x"));
        QCOMPARE(s->steps[1].client.url.toString(), QStringLiteral("ws://127.0.0.1:4242/p"));
    }

    void repeatsUnrollInRunningOrder()
    {
        QString error;
        const std::optional<Scenario> s =
            parse("{\"version\":1,\"url\":\"ws://127.0.0.1:9/\",\"steps\":["
                  "{\"connect\":{}},"
                  "{\"repeat\":{\"count\":2,\"steps\":[{\"send\":\"a\"},{\"repeat\":{\"count\":2,\"steps\":[{\"expect\":\"a\"}]}}]}},"
                  "{\"close\":{}}]}",
                  &error);
        QVERIFY2(s, qPrintable(error));
        const std::vector<PlannedStep> plan = planSteps(*s);
        QStringList seen;
        for (const PlannedStep &p : plan)
            seen << QStringLiteral("%1 %2 %3 [%4]").arg(p.number).arg(ScenarioStep::actionName(p.step->action), p.step->path, p.iteration);
        QCOMPARE(seen, (QStringList{
                           QStringLiteral("1 connect /steps/0 []"),
                           QStringLiteral("2 send /steps/1/repeat/steps/0 [1/2]"),
                           QStringLiteral("3 expect /steps/1/repeat/steps/1/repeat/steps/0 [1/2 1/2]"),
                           QStringLiteral("4 expect /steps/1/repeat/steps/1/repeat/steps/0 [1/2 2/2]"),
                           QStringLiteral("5 send /steps/1/repeat/steps/0 [2/2]"),
                           QStringLiteral("6 expect /steps/1/repeat/steps/1/repeat/steps/0 [2/2 1/2]"),
                           QStringLiteral("7 expect /steps/1/repeat/steps/1/repeat/steps/0 [2/2 2/2]"),
                           QStringLiteral("8 close /steps/2 []"),
                       }));
    }

    void faultsNameTheirPath_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("error");
        const QByteArray head = "{\"version\":1,\"url\":\"ws://127.0.0.1:9/\",\"steps\":";
        QTest::newRow("not json") << QByteArray("{\n\"version\": 1,\n\"steps\": [\n")
                                  << QStringLiteral("not JSON: unterminated array at line 4");
        QTest::newRow("array at the top") << QByteArray("[]") << QStringLiteral("/: expected an object with \"version\"");
        QTest::newRow("no version") << QByteArray("{\"steps\":[{\"wait\":1}]}")
                                    << QStringLiteral("/version: missing (this WsLab reads version 1)");
        QTest::newRow("future version") << QByteArray("{\"version\":2,\"steps\":[{\"wait\":1}]}")
                                        << QStringLiteral("/version: this WsLab reads version 1 only");
        QTest::newRow("unknown top key") << QByteArray("{\"version\":1,\"step\":[]}")
                                         << QStringLiteral(
                                                "/step: unknown key (expected version, name, description, url, timeout_ms, steps)");
        QTest::newRow("no steps") << QByteArray("{\"version\":1}")
                                  << QStringLiteral("/steps: expected a non-empty array of steps, got nothing");
        QTest::newRow("step not object") << head + "[{\"wait\":1}, 5]}" << QStringLiteral("/steps/1: expected a step object, got a number");
        QTest::newRow("two actions") << head + "[{\"connect\":{},\"send\":\"x\"}]}"
                                     << QStringLiteral("/steps/0: one action per step, got connect and send");
        QTest::newRow("no action") << head + "[{\"name\":\"x\"}]}"
                                   << QStringLiteral(
                                          "/steps/0: no action (one of connect, send, expect, expect_close, wait, repeat, close)");
        QTest::newRow("unknown step key") << head + "[{\"wait\":1,\"timeout\":3}]}"
                                          << QStringLiteral("/steps/0/timeout: unknown key (expected wait, name, connection, timeout_ms)");
        QTest::newRow("skip on send") << head + "[{\"send\":\"a\",\"skip_unmatched\":true}]}"
                                      << QStringLiteral(
                                             "/steps/0/skip_unmatched: unknown key (expected send, name, connection, timeout_ms)");
        QTest::newRow("zero timeout") << head + "[{\"wait\":1,\"timeout_ms\":0}]}"
                                      << QStringLiteral("/steps/0/timeout_ms: expected a whole number from 1 to 86400000, got 0");
        QTest::newRow("bad regex deep") << head + "[{\"repeat\":{\"count\":2,\"steps\":[{\"wait\":1},{\"expect\":{\"regex\":\"((\"}}]}}]}"
                                        << QStringLiteral(
                                               "/steps/0/repeat/steps/1/expect/regex: invalid regular expression: missing closing "
                                               "parenthesis at offset 2");
        QTest::newRow("connect without url") << QByteArray("{\"version\":1,\"steps\":[{\"connect\":{}}]}")
                                             << QStringLiteral("/steps/0/connect: no URL: give \"url\" here, in the scenario, or --url");
        QTest::newRow("relative url without base")
            << QByteArray("{\"version\":1,\"steps\":[{\"connect\":\"/chat\"}]}")
            << QStringLiteral("/steps/0/connect/url: a relative URL needs the scenario's \"url\" or --url");
        QTest::newRow("ftp url") << head + "[{\"connect\":\"ftp://127.0.0.1/\"}]}"
                                 << QStringLiteral("/steps/0/connect/url: unsupported scheme \"ftp\": use ws:// or wss:// (http:// and "
                                                   "https:// are taken as ws:// and wss://)");
        QTest::newRow("header not a string") << head + "[{\"connect\":{\"headers\":{\"X-A\":1}}}]}"
                                             << QStringLiteral("/steps/0/connect/headers/X-A: expected a string, got a number");
        QTest::newRow("send two kinds") << head + "[{\"send\":{\"text\":\"a\",\"hex\":\"00\"}}]}"
                                        << QStringLiteral(
                                               "/steps/0/send: expected a string, or an object with one of text, json, hex, base64");
        QTest::newRow("send bad hex") << head + "[{\"send\":{\"hex\":\"zz\"}}]}" << QStringLiteral("/steps/0/send/hex: not valid hex");
        QTest::newRow("send unknown kind") << head + "[{\"send\":{\"txt\":\"a\"}}]}"
                                           << QStringLiteral("/steps/0/send/txt: unknown key (expected text, json, hex or base64)");
        QTest::newRow("close code reserved") << head + "[{\"close\":1006}]}"
                                             << QStringLiteral(
                                                    "/steps/0/close: close code 1006 (Abnormal Closure) is reserved and must not be sent");
        QTest::newRow("expect_close code range")
            << head + "[{\"expect_close\":{\"code\":999}}]}"
            << QStringLiteral("/steps/0/expect_close/code: expected a whole number from 1000 to 4999, got 999");
        QTest::newRow("wait negative") << head + "[{\"wait\":-5}]}"
                                       << QStringLiteral("/steps/0/wait: expected a whole number from 0 to 86400000, got -5");
        QTest::newRow("repeat zero") << head + "[{\"repeat\":{\"count\":0,\"steps\":[{\"wait\":1}]}}]}"
                                     << QStringLiteral("/steps/0/repeat/count: expected a whole number from 1 to 100000, got 0");
        QTest::newRow("repeat empty") << head + "[{\"repeat\":{\"count\":2,\"steps\":[]}}]}"
                                      << QStringLiteral("/steps/0/repeat/steps: expected a non-empty array of steps, got an empty one");
        QTest::newRow("too many steps")
            << head + "[{\"repeat\":{\"count\":1000,\"steps\":[{\"repeat\":{\"count\":1000,\"steps\":[{\"wait\":0}]}}]}}]}"
            << QStringLiteral("/steps/0/repeat/steps/0/repeat/steps/0: the scenario would run more than 100000 steps");
    }
    void faultsNameTheirPath()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, error);
        QString got;
        QVERIFY(!parse(file, &got));
        QCOMPARE(got, error);
    }
};

QTEST_GUILESS_MAIN(tst_Scenario)
#include "tst_Scenario.moc"
