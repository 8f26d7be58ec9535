// Mock rules: the file format's faults with their JSON path, reply templates, and a Server in rules
// mode answering real clients on 127.0.0.1 (first match wins, delay, close, broadcast, ignore).
#include "core/match/JsonPointer.h"
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

// What the rule {match, reply} alone answers the text `message` (nullopt: it does not match), by
// MockRules::answer as the server uses it; *isJson whether its reply is a JSON template.
std::optional<QString> replyOfRule(const QString &match, const QString &reply, const QString &message, bool *isJson = nullptr)
{
    const QJsonObject rule{{QStringLiteral("match"), QJsonDocument::fromJson("[" + match.toUtf8() + "]").array().at(0)},
                           {QStringLiteral("reply"), reply}};
    const MockRules rules = rulesFrom(QJsonDocument(QJsonArray{rule}).toJson());
    if (isJson)
        *isJson = rules.rules.at(0).reply->isJson();
    const std::optional<MockAnswer> answer = rules.answer(InboundMessage::fromText(message));
    return answer ? answer->reply : std::nullopt;
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
        QTest::newRow("missing field is empty") << QStringLiteral("{\"contains\":\"a\"}") << QStringLiteral("(${/nope})")
                                                << QStringLiteral("{\"a\":1}") << QStringLiteral("()");
        QTest::newRow("not json is empty") << QStringLiteral("{\"contains\":\"a\"}") << QStringLiteral("(${/a})")
                                           << QStringLiteral("a plain") << QStringLiteral("()");
        QTest::newRow("dollars") << QStringLiteral("\"x\"") << QStringLiteral("cost $$5, $ sign, $x") << QStringLiteral("x")
                                 << QStringLiteral("cost $5, $ sign, $x");
    }
    void templatesFillFromTheMatch()
    {
        QFETCH(QString, match);
        QFETCH(QString, reply);
        QFETCH(QString, message);
        QFETCH(QString, filled);
        QCOMPARE(replyOfRule(match, reply, message).value_or(QStringLiteral("(no match)")), filled);
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

    // Every kind of rule the parser reads is written back so that it reads the same again: what the
    // window's rules editor saves is what `serve --rules` loads.
    void toJsonRoundTrips_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("message");
        QTest::newRow("bare text") << QStringLiteral("{\"match\":\"bye\",\"reply\":\"see you\"}") << QStringLiteral("bye");
        QTest::newRow("contains") << QStringLiteral("{\"match\":{\"contains\":\"tea\"},\"reply\":\"kettle on\"}")
                                  << QStringLiteral("green tea please");
        QTest::newRow("regex and groups") << QStringLiteral("{\"name\":\"greeting\",\"match\":{\"regex\":\"^hello (\\\\w+)$\"},"
                                                            "\"reply\":\"hi ${1} ($$${0})\"}")
                                          << QStringLiteral("hello ann");
        QTest::newRow("pointer equals") << QStringLiteral("{\"match\":{\"json\":{\"/type\":\"ping\",\"/n\":[1,{\"a\":null}]}},"
                                                          "\"reply\":\"{\\\"type\\\":\\\"pong\\\",\\\"id\\\":${/id}}\"}")
                                        << QStringLiteral("{\"type\":\"ping\",\"n\":[1,{\"a\":null}],\"id\":7}");
        QTest::newRow("pointer exists") << QStringLiteral("{\"match\":{\"exists\":\"/item\"},\"broadcast\":\"${/item}\"}")
                                        << QStringLiteral("{\"item\":\"tea\"}");
        QTest::newRow("several pointers exist")
            << QStringLiteral("{\"match\":{\"exists\":[\"/a\",\"/b/0\"]},\"reply\":\"both\",\"close\":4000}")
            << QStringLiteral("{\"a\":1,\"b\":[2]}");
        QTest::newRow("hex") << QStringLiteral("{\"match\":{\"hex\":\"01 02 ff\"},\"reply\":\"bytes\"}") << QString();
        QTest::newRow("base64") << QStringLiteral("{\"match\":{\"base64\":\"AQL/\"},\"reply\":\"bytes\"}") << QString();
        QTest::newRow("conditions together")
            << QStringLiteral("{\"match\":{\"json\":{\"/type\":\"order\"},\"exists\":\"/item\",\"contains\":\"tea\",\"regex\":\"(o)rder\"},"
                              "\"reply\":\"${1}\",\"broadcast\":\"order ${/item}\",\"close\":{\"code\":4001,\"reason\":\"served\"},"
                              "\"delay_ms\":25}")
            << QStringLiteral("{\"type\":\"order\",\"item\":\"tea\"}");
        QTest::newRow("ignore") << QStringLiteral("{\"name\":\"quiet\",\"match\":{\"contains\":\"secret\"},\"ignore\":true}")
                                << QStringLiteral("a secret");
    }
    void toJsonRoundTrips()
    {
        QFETCH(QString, rule);
        QFETCH(QString, message);
        const MockRules first = rulesFrom('[' + rule.toUtf8() + ']');
        QString error;
        const std::optional<MockRules> again = MockRules::fromJson(first.toJson(), &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->toJson(), first.toJson());
        // Nothing the file said is lost: every key it had is written back.
        const QJsonObject written = first.rules.at(0).toJson();
        const QJsonObject read = QJsonDocument::fromJson(rule.toUtf8()).object();
        for (auto it = read.constBegin(); it != read.constEnd(); ++it)
            QVERIFY2(written.contains(it.key()), qPrintable(it.key()));
        QCOMPARE(written.value(u"match").toObject().keys().size(),
                 read.value(u"match").isObject() ? read.value(u"match").toObject().keys().size() : 1);

        // The rule read again judges and answers a message the same.
        const MockRule &before = first.rules.at(0);
        const MockRule &after = again->rules.at(0);
        const InboundMessage in =
            message.isEmpty() ? InboundMessage::fromBinary(QByteArray::fromHex("0102ff")) : InboundMessage::fromText(message);
        Matcher::Outcome was;
        Matcher::Outcome is;
        QVERIFY(first.firstMatch(in, &was));
        QVERIFY(again->firstMatch(in, &is));
        QCOMPARE(is.captures, was.captures);
        QCOMPARE(after.match.describe(), before.match.describe());
        QCOMPARE(after.actionSummary(), before.actionSummary());
        QCOMPARE(after.name, before.name);
        QCOMPARE(after.closeReason, before.closeReason);
        QCOMPARE(after.reply.has_value(), before.reply.has_value());
        if (before.reply)
            QCOMPARE(after.reply->fill(in, is), before.reply->fill(in, was));
        QCOMPARE(after.broadcast.has_value(), before.broadcast.has_value());
        if (before.broadcast)
            QCOMPARE(after.broadcast->fill(in, is), before.broadcast->fill(in, was));
        QVERIFY(!again->firstMatch(InboundMessage::fromText(QStringLiteral("nothing like it")), &is));
    }

    void toJsonKeepsTheDescription()
    {
        QString error;
        const std::optional<MockRules> rules =
            MockRules::fromJson("{\"version\":1,\"description\":\"a pretend API\",\"rules\":[{\"match\":\"a\",\"reply\":\"b\"}]}", &error);
        QVERIFY2(rules, qPrintable(error));
        const std::optional<MockRules> again = MockRules::fromJson(rules->toJson(), &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->description, QStringLiteral("a pretend API"));
        QVERIFY(!MockRules::fromJson("{\"version\":1,\"description\":3,\"rules\":[{\"match\":\"a\",\"reply\":\"b\"}]}", &error));
        QCOMPARE(error, QStringLiteral("/description: expected a string, got a number"));
    }

    // A JSON template's replies stay JSON whatever the message holds: values inside a string are
    // escaped, values outside one are JSON values. Each reply is parsed back and its fields compared
    // with what the message held.
    void jsonTemplatesEscapeWhatTheyInsert_data()
    {
        QTest::addColumn<QString>("match");
        QTest::addColumn<QString>("replyTemplate");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QJsonValue>("expected");
        const QString quoteAndBackslash = QStringLiteral("say \"hi\" \\ there\n");
        QTest::newRow("group in a string") << QStringLiteral("{\"regex\":\"^say ([\\\\s\\\\S]*)\"}")
                                           << QStringLiteral("{\"said\":\"${1}\"}") << quoteAndBackslash << QStringLiteral("/said")
                                           << QJsonValue(quoteAndBackslash.mid(4));
        QTest::newRow("field in a string") << QStringLiteral("{\"exists\":\"/name\"}") << QStringLiteral("{\"hello\":\"dear ${/name}!\"}")
                                           << QStringLiteral("{\"name\":\"a\\\"b\\\\c\"}") << QStringLiteral("/hello")
                                           << QJsonValue(QStringLiteral("dear a\"b\\c!"));
        QTest::newRow("object field in a string")
            << QStringLiteral("{\"exists\":\"/o\"}") << QStringLiteral("[\"${/o}\"]") << QStringLiteral("{\"o\":{\"k\":\"v\"}}")
            << QStringLiteral("/0") << QJsonValue(QStringLiteral("{\"k\":\"v\"}"));
        QTest::newRow("string field as a value")
            << QStringLiteral("{\"exists\":\"/id\"}") << QStringLiteral("{\"id\":${/id}}") << QStringLiteral("{\"id\":\"x\\\"1\"}")
            << QStringLiteral("/id") << QJsonValue(QStringLiteral("x\"1"));
        QTest::newRow("number field as a value") << QStringLiteral("{\"exists\":\"/id\"}") << QStringLiteral("{\"id\":${/id}}")
                                                 << QStringLiteral("{\"id\":42}") << QStringLiteral("/id") << QJsonValue(42);
        QTest::newRow("missing field as a value")
            << QStringLiteral("{\"contains\":\"{\"}") << QStringLiteral("{\"id\":${/id}}") << QStringLiteral("{\"other\":1}")
            << QStringLiteral("/id") << QJsonValue(QJsonValue::Null);
        QTest::newRow("number group as a value") << QStringLiteral("{\"regex\":\"^n=(.*)$\"}") << QStringLiteral("{\"n\":${1}}")
                                                 << QStringLiteral("n=12.5") << QStringLiteral("/n") << QJsonValue(12.5);
        QTest::newRow("text group as a value") << QStringLiteral("{\"regex\":\"^n=(.*)$\"}") << QStringLiteral("{\"n\":${1}}")
                                               << QStringLiteral("n=1, \"2\"") << QStringLiteral("/n")
                                               << QJsonValue(QStringLiteral("1, \"2\""));
    }
    void jsonTemplatesEscapeWhatTheyInsert()
    {
        QFETCH(QString, match);
        QFETCH(QString, replyTemplate);
        QFETCH(QString, message);
        QFETCH(QString, pointer);
        QFETCH(QJsonValue, expected);
        bool isJson = false;
        const std::optional<QString> reply = replyOfRule(match, replyTemplate, message, &isJson);
        QVERIFY(isJson);
        QVERIFY(reply);
        const QString filled = *reply;
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(filled.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(filled + u' ' + error.errorString()));
        QJsonValue found;
        const QJsonValue root = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());
        QVERIFY(resolveJsonPointer(root, pointer, &found));
        QCOMPARE(found, expected);
    }

    // Text that is not JSON gets the values as they are, quotes and all.
    void otherTemplatesInsertAsTheyAre()
    {
        bool isJson = true;
        const std::optional<QString> reply = replyOfRule(QStringLiteral("{\"regex\":\"^say (.*)\"}"), QStringLiteral("you said \"${1}\" {"),
                                                         QStringLiteral("say a \"b\" \\c"), &isJson);
        QVERIFY(!isJson);
        QCOMPARE(reply.value_or(QString()), QStringLiteral("you said \"a \"b\" \\c\" {"));
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
