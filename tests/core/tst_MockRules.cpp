// Mock rules: the file format's faults with their JSON path, reply templates, and a Server in rules
// mode answering real clients on 127.0.0.1 (first match wins, delay, close, broadcast, ignore).
#include "core/server/MockResponder.h"
#include "core/server/MockRules.h"
#include "tests/support/WsLabTest.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>

using namespace wslab;
using namespace wslab::test;

namespace {

MockRules rulesFrom(const QByteArray &rulesArray)
{
    QString error;
    std::optional<MockRules> rules = MockRules::fromJson("{\"version\":1,\"rules\":" + rulesArray + '}', &error);
    if (!rules)
        qFatal("test rules do not parse: %s", qPrintable(error));
    return std::move(*rules);
}

// Collects what one client receives, in order.
struct Received
{
    explicit Received(Client &client)
    {
        QObject::connect(&client, &Client::textReceived, &client, [this](const QString &text, const QByteArray &) { texts << text; });
    }
    QStringList texts;
};

} // namespace

class tst_MockRules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void templatesFillFromTheMatch_data()
    {
        QTest::addColumn<QString>("match");
        QTest::addColumn<QString>("reply");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("filled");
        QTest::newRow("groups") << QStringLiteral("{\"regex\":\"(\\\\w+)@(\\\\w+)\"}") << QStringLiteral("${2}:${1} (${0})")
                                << QStringLiteral("mail ann@lab now") << QStringLiteral("lab:ann (ann@lab)");
        QTest::newRow("json fields") << QStringLiteral("{\"exists\":\"/user\"}") << QStringLiteral("${/user/name} has ${/user/tags}")
                                     << QStringLiteral("{\"user\":{\"name\":\"ann\",\"tags\":[1,\"x\"]}}")
                                     << QStringLiteral("ann has [1,\"x\"]");
        QTest::newRow("json without a json condition") << QStringLiteral("{\"contains\":\"id\"}") << QStringLiteral("id=${/id}")
                                                       << QStringLiteral("{\"id\":42}") << QStringLiteral("id=42");
        QTest::newRow("missing field is empty") << QStringLiteral("{\"contains\":\"a\"}") << QStringLiteral("[${/nope}]")
                                                << QStringLiteral("{\"a\":1}") << QStringLiteral("[]");
        QTest::newRow("not json is empty") << QStringLiteral("{\"contains\":\"a\"}") << QStringLiteral("[${/a}]")
                                           << QStringLiteral("a plain") << QStringLiteral("[]");
        QTest::newRow("dollars") << QStringLiteral("\"x\"") << QStringLiteral("cost $$5, $ sign, $x") << QStringLiteral("x")
                                 << QStringLiteral("cost $5, $ sign, $x");
    }
    void templatesFillFromTheMatch()
    {
        QFETCH(QString, match);
        QFETCH(QString, reply);
        QFETCH(QString, message);
        QFETCH(QString, filled);
        const QJsonObject rule{{QStringLiteral("match"), QJsonDocument::fromJson("[" + match.toUtf8() + "]").array().at(0)},
                               {QStringLiteral("reply"), reply}};
        const MockRules rules = rulesFrom(QJsonDocument(QJsonArray{rule}).toJson());
        Matcher::Outcome outcome;
        const InboundMessage in = InboundMessage::fromText(message);
        const MockRule *hit = rules.firstMatch(in, &outcome);
        QVERIFY(hit);
        QCOMPARE(hit->reply->fill(in, outcome), filled);
    }

    void faultsNameTheirPath_data()
    {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("error");
        QTest::newRow("no version") << QByteArray("{\"rules\":[]}") << QStringLiteral("/version: missing (this WsLab reads version 1)");
        QTest::newRow("empty rules") << QByteArray("{\"version\":1,\"rules\":[]}")
                                     << QStringLiteral("/rules: expected a non-empty array of rules, got an empty one");
        QTest::newRow("no match") << QByteArray("{\"version\":1,\"rules\":[{\"reply\":\"x\"}]}")
                                  << QStringLiteral("/rules/0: no \"match\" (use {\"regex\": \"\"} to match every text message)");
        QTest::newRow("bad match")
            << QByteArray("{\"version\":1,\"rules\":[{\"match\":\"a\",\"reply\":\"x\"},{\"match\":{\"regex\":\"(\"},\"reply\":\"x\"}]}")
            << QStringLiteral("/rules/1/match/regex: invalid regular expression: missing closing parenthesis at offset 1");
        QTest::newRow("no action") << QByteArray("{\"version\":1,\"rules\":[{\"match\":\"a\"}]}")
                                   << QStringLiteral("/rules/0: no action (reply, broadcast, close or \"ignore\": true)");
        QTest::newRow("ignore and reply") << QByteArray("{\"version\":1,\"rules\":[{\"match\":\"a\",\"ignore\":true,\"reply\":\"x\"}]}")
                                          << QStringLiteral("/rules/0/ignore: an ignoring rule does nothing else");
        QTest::newRow("group past the regex") << QByteArray(
                                                     "{\"version\":1,\"rules\":[{\"match\":{\"regex\":\"(a)\"},\"reply\":\"${2}\"}]}")
                                              << QStringLiteral("/rules/0/reply: ${2}, but the regex has 1 groups");
        QTest::newRow("group without regex") << QByteArray("{\"version\":1,\"rules\":[{\"match\":\"a\",\"broadcast\":\"${1}\"}]}")
                                             << QStringLiteral("/rules/0/broadcast: ${1} needs a \"regex\" in the rule's match");
        QTest::newRow("unclosed placeholder")
            << QByteArray("{\"version\":1,\"rules\":[{\"match\":\"a\",\"reply\":\"x ${/a\"}]}")
            << QStringLiteral("/rules/0/reply: \"${\" at offset 2 is never closed with \"}\" (write $$ for a literal $)");
        QTest::newRow("bad placeholder") << QByteArray("{\"version\":1,\"rules\":[{\"match\":\"a\",\"reply\":\"${name}\"}]}")
                                         << QStringLiteral(
                                                "/rules/0/reply: ${name}: expected ${N} for a regex group or ${/pointer} for a JSON field");
        QTest::newRow("reserved close") << QByteArray("{\"version\":1,\"rules\":[{\"match\":\"a\",\"close\":1005}]}")
                                        << QStringLiteral(
                                               "/rules/0/close: close code 1005 (No Status Received) is reserved and must not be sent");
        QTest::newRow("unknown key")
            << QByteArray("{\"version\":1,\"rules\":[{\"match\":\"a\",\"replay\":\"x\"}]}")
            << QStringLiteral("/rules/0/replay: unknown key (expected name, match, reply, broadcast, close, delay_ms, ignore)");
        QTest::newRow("negative delay") << QByteArray("{\"version\":1,\"rules\":[{\"match\":\"a\",\"reply\":\"x\",\"delay_ms\":-1}]}")
                                        << QStringLiteral("/rules/0/delay_ms: expected a whole number from 0 to 86400000, got -1");
    }
    void faultsNameTheirPath()
    {
        QFETCH(QByteArray, file);
        QFETCH(QString, error);
        QString got;
        QVERIFY(!MockRules::fromJson(file, &got));
        QCOMPARE(got, error);
    }

    // The first matching rule acts, in file order; a message no rule matches gets nothing.
    void serverAnswersByTheFirstMatchingRule()
    {
        Server server;
        QVERIFY(startServer(server, loopbackServerConfig(ServerMode::Rules)));
        MockResponder responder(&server);
        responder.setRules(rulesFrom("[{\"match\":{\"contains\":\"secret\"},\"ignore\":true},"
                                     "{\"name\":\"order\",\"match\":{\"json\":{\"/type\":\"order\"}},\"reply\":\"ok ${/item}\"},"
                                     "{\"match\":{\"regex\":\"^echo (.*)\"},\"reply\":\"${1}\"},"
                                     "{\"match\":{\"regex\":\"\"},\"reply\":\"fallback\"}]"));
        Client client(QStringLiteral("c"));
        Received received(client);
        QVERIFY(openClient(client, fastClientConfig(server.url())));
        client.sendText(QStringLiteral("{\"type\":\"order\",\"item\":\"tea\"}"));
        client.sendText(QStringLiteral("echo secret words")); // the ignore rule comes first
        client.sendText(QStringLiteral("echo me"));
        client.sendText(QStringLiteral("anything"));
        QTRY_COMPARE(received.texts, (QStringList{QStringLiteral("ok tea"), QStringLiteral("me"), QStringLiteral("fallback")}));
        QVERIFY(hasEventWith(server.log(), EventKind::Info, QStringLiteral("rule /rules/1 \"order\": reply")));
        QVERIFY(hasEventWith(server.log(), EventKind::Info, QStringLiteral("rule /rules/0: ignore")));

        // In another mode the rules stay quiet and the server echoes as usual.
        server.setMode(ServerMode::Echo);
        client.sendText(QStringLiteral("echo plain"));
        QTRY_COMPARE(received.texts.size(), 4);
        QCOMPARE(received.texts.last(), QStringLiteral("echo plain"));
    }

    void delayedReplyThenClose()
    {
        Server server;
        QVERIFY(startServer(server, loopbackServerConfig(ServerMode::Rules)));
        MockResponder responder(&server);
        responder.setRules(rulesFrom("[{\"match\":\"slow\",\"reply\":\"late\",\"delay_ms\":200},"
                                     "{\"match\":\"fast\",\"reply\":\"early\"},"
                                     "{\"match\":\"bye\",\"reply\":\"ciao\",\"close\":{\"code\":4001,\"reason\":\"rule says bye\"}}]"));
        Client client(QStringLiteral("c"));
        Received received(client);
        QSignalSpy closed(&client, &Client::closed);
        QVERIFY(openClient(client, fastClientConfig(server.url())));
        QElapsedTimer clock;
        clock.start();
        client.sendText(QStringLiteral("slow"));
        client.sendText(QStringLiteral("fast"));
        QTRY_COMPARE(received.texts, (QStringList{QStringLiteral("early"), QStringLiteral("late")}));
        QVERIFY2(clock.elapsed() >= 200, qPrintable(QString::number(clock.elapsed())));
        client.sendText(QStringLiteral("bye"));
        QTRY_COMPARE(closed.size(), 1);
        QCOMPARE(received.texts.last(), QStringLiteral("ciao"));
        QCOMPARE(closed.first().at(0).toInt(), 4001);
        QCOMPARE(closed.first().at(1).toString(), QStringLiteral("rule says bye"));
    }

    void broadcastGoesToTheOthers()
    {
        Server server;
        QVERIFY(startServer(server, loopbackServerConfig(ServerMode::Rules)));
        MockResponder responder(&server);
        responder.setRules(rulesFrom("[{\"match\":{\"regex\":\"^say (.+)\"},\"broadcast\":\"${1}\",\"reply\":\"sent\"}]"));
        Client a(QStringLiteral("a"));
        Client b(QStringLiteral("b"));
        Client c(QStringLiteral("c"));
        Received atA(a);
        Received atB(b);
        Received atC(c);
        QVERIFY(openClient(a, fastClientConfig(server.url())));
        QVERIFY(openClient(b, fastClientConfig(server.url())));
        QVERIFY(openClient(c, fastClientConfig(server.url())));
        QTRY_COMPARE(server.peerCount(), 3);
        a.sendText(QStringLiteral("say hi all"));
        QTRY_COMPARE(atB.texts, QStringList{QStringLiteral("hi all")});
        QTRY_COMPARE(atC.texts, QStringList{QStringLiteral("hi all")});
        QTRY_COMPARE(atA.texts, QStringList{QStringLiteral("sent")});
    }
};

QTEST_GUILESS_MAIN(tst_MockRules)
#include "tst_MockRules.moc"
