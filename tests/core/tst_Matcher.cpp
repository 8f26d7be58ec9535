// The conditions scenarios and mock rules share: what matches, what does not and why, and which
// specs are refused with the JSON path of the fault.
#include "core/match/JsonPointer.h"
#include "core/match/Matcher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace wslab;

namespace {

QJsonValue json(const char *text)
{
    // Wrapped so a bare string or number can be written too.
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().at(0);
}

} // namespace

class tst_Matcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonPointer_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<bool>("found");
        QTest::addColumn<QString>("value");
        QTest::newRow("whole document") << QString() << true << QStringLiteral("{\"\":5,\"a\":[1,{\"b c\":2}],\"m~n\":4,\"x/y\":3}");
        QTest::newRow("member") << QStringLiteral("/a/0") << true << QStringLiteral("1");
        QTest::newRow("nested with space") << QStringLiteral("/a/1/b c") << true << QStringLiteral("2");
        QTest::newRow("escaped slash") << QStringLiteral("/x~1y") << true << QStringLiteral("3");
        QTest::newRow("escaped tilde") << QStringLiteral("/m~0n") << true << QStringLiteral("4");
        QTest::newRow("empty key") << QStringLiteral("/") << true << QStringLiteral("5");
        QTest::newRow("index past the end") << QStringLiteral("/a/2") << false << QString();
        QTest::newRow("leading zero index") << QStringLiteral("/a/01") << false << QString();
        QTest::newRow("dash index") << QStringLiteral("/a/-") << false << QString();
        QTest::newRow("into a number") << QStringLiteral("/a/0/b") << false << QString();
        QTest::newRow("missing member") << QStringLiteral("/nope") << false << QString();
        QTest::newRow("no leading slash") << QStringLiteral("a") << false << QString();
        QTest::newRow("bad escape") << QStringLiteral("/m~2n") << false << QString();
    }
    void jsonPointer()
    {
        QFETCH(QString, pointer);
        QFETCH(bool, found);
        QFETCH(QString, value);
        const QJsonValue root = json("{\"a\":[1,{\"b c\":2}],\"x/y\":3,\"m~n\":4,\"\":5}");
        QJsonValue got;
        QCOMPARE(resolveJsonPointer(root, pointer, &got), found);
        if (found)
            QCOMPARE(compactJson(got), value);
    }

    void matches_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("binary");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<bool>("matched");
        QTest::addColumn<QString>("mismatch");
        const auto text = [](const char *t) { return QByteArray(t); };
        QTest::newRow("bare string equal") << QStringLiteral("\"hello\"") << false << text("hello") << true << QString();
        QTest::newRow("bare string differs") << QStringLiteral("\"hello\"") << false << text("hello!") << false
                                             << QStringLiteral("expected text \"hello\"");
        QTest::newRow("text is not binary") << QStringLiteral("{\"text\":\"hi\"}") << true << text("hi") << false
                                            << QStringLiteral("expected a text message");
        QTest::newRow("contains") << QStringLiteral("{\"contains\":\"ll\"}") << false << text("hello") << true << QString();
        QTest::newRow("contains not") << QStringLiteral("{\"contains\":\"xx\"}") << false << text("hello") << false
                                      << QStringLiteral("expected it to contain \"xx\"");
        QTest::newRow("regex searches") << QStringLiteral("{\"regex\":\"l+o\"}") << false << text("hello") << true << QString();
        QTest::newRow("regex anchored misses") << QStringLiteral("{\"regex\":\"^l+o$\"}") << false << text("hello") << false
                                               << QStringLiteral("expected a match for regex ^l+o$");
        QTest::newRow("json equals") << QStringLiteral("{\"json\":{\"/type\":\"welcome\",\"/n\":2,\"/list/1\":true}}") << false
                                     << text("{\"type\":\"welcome\",\"n\":2.0,\"list\":[false,true]}") << true << QString();
        QTest::newRow("json value differs") << QStringLiteral("{\"json\":{\"/type\":\"welcome\"}}") << false << text("{\"type\":\"error\"}")
                                            << false << QStringLiteral("expected /type = \"welcome\", got \"error\"");
        QTest::newRow("json type differs") << QStringLiteral("{\"json\":{\"/n\":2}}") << false << text("{\"n\":\"2\"}") << false
                                           << QStringLiteral("expected /n = 2, got \"2\"");
        QTest::newRow("json missing") << QStringLiteral("{\"json\":{\"/type\":\"x\"}}") << false << text("{\"kind\":\"x\"}") << false
                                      << QStringLiteral("expected /type = \"x\", but /type is missing");
        QTest::newRow("json object value") << QStringLiteral("{\"json\":{\"/o\":{\"a\":[1]}}}") << false << text("{\"o\":{\"a\":[1]}}")
                                           << true << QString();
        QTest::newRow("not json") << QStringLiteral("{\"exists\":\"/a\"}") << false << text("plain words") << false
                                  << QStringLiteral("expected JSON (illegal value at offset 1)");
        QTest::newRow("exists null") << QStringLiteral("{\"exists\":[\"/a\",\"/b/0\"]}") << false << text("{\"a\":null,\"b\":[0]}") << true
                                     << QString();
        QTest::newRow("exists not") << QStringLiteral("{\"exists\":[\"/a\",\"/c\"]}") << false << text("{\"a\":1}") << false
                                    << QStringLiteral("expected /c to exist");
        QTest::newRow("all conditions") << QStringLiteral("{\"contains\":\"wel\",\"regex\":\"\\\"n\\\":\\\\d\",\"json\":{\"/n\":3}}")
                                        << false << text("{\"t\":\"welcome\",\"n\":3}") << true << QString();
        QTest::newRow("one condition of several fails")
            << QStringLiteral("{\"contains\":\"wel\",\"json\":{\"/n\":4}}") << false << text("{\"t\":\"welcome\",\"n\":3}") << false
            << QStringLiteral("expected /n = 4, got 3");
        QTest::newRow("hex") << QStringLiteral("{\"hex\":\"00 01 fe ff\"}") << true << QByteArray::fromHex("0001feff") << true << QString();
        QTest::newRow("hex other bytes") << QStringLiteral("{\"hex\":\"0001\"}") << true << QByteArray::fromHex("0002") << false
                                         << QStringLiteral("other bytes");
        QTest::newRow("base64") << QStringLiteral("{\"base64\":\"AAH+/w==\"}") << true << QByteArray::fromHex("0001feff") << true
                                << QString();
        QTest::newRow("binary wants binary") << QStringLiteral("{\"hex\":\"00\"}") << false << text("00") << false
                                             << QStringLiteral("expected a binary message");
    }
    void matches()
    {
        QFETCH(QString, spec);
        QFETCH(bool, binary);
        QFETCH(QByteArray, message);
        QFETCH(bool, matched);
        QFETCH(QString, mismatch);
        QString error;
        const std::optional<Matcher> m = Matcher::fromJson(json(spec.toUtf8().constData()), QStringLiteral("/m"), &error);
        QVERIFY2(m, qPrintable(error));
        const InboundMessage in = binary ? InboundMessage::fromBinary(message) : InboundMessage::fromText(QString::fromUtf8(message));
        const Matcher::Outcome outcome = m->match(in);
        QCOMPARE(outcome.matched, matched);
        QCOMPARE(outcome.mismatch, mismatch);
    }

    // A mock rule's reply template reads the regex groups and the parsed JSON of the message that matched.
    void regexCapturesAndJsonAreHandedOver()
    {
        QString error;
        const std::optional<Matcher> both =
            Matcher::fromJson(json("{\"regex\":\"\\\"order\\\":(\\\\d+)\",\"json\":{\"/ok\":true}}"), QString(), &error);
        QVERIFY2(both, qPrintable(error));
        const Matcher::Outcome outcome = both->match(InboundMessage::fromText(QStringLiteral("{\"order\":42,\"ok\":true}")));
        QVERIFY(outcome.matched);
        QCOMPARE(outcome.captures, (QStringList{QStringLiteral("\"order\":42"), QStringLiteral("42")}));
        QVERIFY(outcome.json.has_value());
        QCOMPARE(outcome.json->toObject().value(u"order").toInt(), 42);

        const std::optional<Matcher> regexOnly = Matcher::fromJson(json("{\"regex\":\"^order (\\\\d+) for (\\\\w+)\"}"), QString(), &error);
        QVERIFY2(regexOnly, qPrintable(error));
        const Matcher::Outcome captured = regexOnly->match(InboundMessage::fromText(QStringLiteral("order 42 for ann, today")));
        QVERIFY(captured.matched);
        QCOMPARE(captured.captures, (QStringList{QStringLiteral("order 42 for ann"), QStringLiteral("42"), QStringLiteral("ann")}));
        QVERIFY(!captured.json.has_value());
    }

    void badSpecsNameThePath_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("error");
        QTest::newRow("number") << QStringLiteral("3") << QStringLiteral("/e: expected a string or an object of conditions, got a number");
        QTest::newRow("empty object") << QStringLiteral("{}")
                                      << QStringLiteral("/e: no condition (text, contains, regex, json, exists, hex or base64)");
        QTest::newRow("unknown condition") << QStringLiteral("{\"txt\":\"a\"}")
                                           << QStringLiteral(
                                                  "/e/txt: unknown condition (text, contains, regex, json, exists, hex or base64)");
        QTest::newRow("text not a string") << QStringLiteral("{\"text\":1}") << QStringLiteral("/e/text: expected a string, got a number");
        QTest::newRow("bad regex") << QStringLiteral("{\"regex\":\"a(b\"}")
                                   << QStringLiteral("/e/regex: invalid regular expression: missing closing parenthesis at offset 3");
        QTest::newRow("json not object") << QStringLiteral("{\"json\":[\"/a\"]}")
                                         << QStringLiteral("/e/json: expected an object of {\"/pointer\": value}, got an array");
        QTest::newRow("json bad pointer") << QStringLiteral("{\"json\":{\"type\":\"x\"}}")
                                          << QStringLiteral("/e/json: \"type\" is not a JSON pointer (RFC 6901: \"/a/0/b\")");
        QTest::newRow("exists bad pointer in list")
            << QStringLiteral("{\"exists\":[\"/a\",\"b\"]}") << QStringLiteral("/e/exists/1: not a JSON pointer (RFC 6901: \"/a/0/b\")");
        QTest::newRow("bad hex") << QStringLiteral("{\"hex\":\"0g\"}") << QStringLiteral("/e/hex: not valid hex");
        QTest::newRow("odd hex") << QStringLiteral("{\"hex\":\"012\"}") << QStringLiteral("/e/hex: not valid hex");
        QTest::newRow("bad base64") << QStringLiteral("{\"base64\":\"A*==\"}") << QStringLiteral("/e/base64: not valid base64");
        QTest::newRow("binary with text") << QStringLiteral("{\"hex\":\"00\",\"contains\":\"a\"}")
                                          << QStringLiteral("/e: hex or base64 (a binary message) cannot be combined with text conditions");
    }
    void badSpecsNameThePath()
    {
        QFETCH(QString, spec);
        QFETCH(QString, error);
        QString got;
        QVERIFY(!Matcher::fromJson(json(spec.toUtf8().constData()), QStringLiteral("/e"), &got));
        QCOMPARE(got, error);
    }
};

QTEST_GUILESS_MAIN(tst_Matcher)
#include "tst_Matcher.moc"
