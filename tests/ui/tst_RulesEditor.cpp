// The server panel's mock rules table: rules typed into the cells answer real clients on 127.0.0.1
// (reply, broadcast, close), a bad row is red with the core parser's message and refuses Start, Save then
// Load and the panel's settings give the same rules back, and Try it answers without a network.
#include "core/client/Client.h"
#include "core/server/Server.h"
#include "ui/server/RulesEditor.h"
#include "ui/server/RulesTableModel.h"
#include "ui/server/ServerPanel.h"
#include "ui/style/LabColors.h"

#include "tests/support/ChildProcess.h"
#include "tests/support/WsLabTest.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace wslab;
using namespace wslab::test;

namespace {

using Col = RulesTableModel::Column;
using Kind = RuleRow::MatchKind;

// Types one cell as a user's edit does: through the model's setData.
void type(RulesEditor &editor, int row, Col column, const QVariant &value)
{
    RulesTableModel *model = editor.model();
    const int role = column == Col::Ignore ? Qt::CheckStateRole : Qt::EditRole;
    QVERIFY(model->setData(model->index(row, column), value, role));
}

// Adds a rule below the last one and fills its cells; the Add button's new rule echoes, so the
// reply cell is always written.
int addRule(RulesEditor &editor, Kind kind, const QString &pattern, const QString &reply, const QString &extra = {},
            Col extraColumn = Col::Broadcast)
{
    editor.selectRow(editor.model()->rowCount() - 1);
    editor.addRule();
    const int row = editor.model()->rowCount() - 1;
    type(editor, row, Col::Match, int(kind));
    type(editor, row, Col::Pattern, pattern);
    type(editor, row, Col::Reply, reply);
    if (!extra.isEmpty())
        type(editor, row, extraColumn, extra);
    return row;
}

// The rules of the tests below, as a user would type them.
void typeApiRules(RulesEditor &editor)
{
    const int ping = addRule(editor, Kind::PointerEquals, QStringLiteral("/type"), QStringLiteral("{\"type\":\"pong\",\"id\":${/id}}"),
                             QStringLiteral("ping"), Col::Value);
    type(editor, ping, Col::Name, QStringLiteral("ping"));
    addRule(editor, Kind::Regex, QStringLiteral("^hello (\\w+)$"), QStringLiteral("hi ${1}"));
    addRule(editor, Kind::Regex, QStringLiteral("^say (.+)"), QStringLiteral("said"), QStringLiteral("${1}"), Col::Broadcast);
    addRule(editor, Kind::Text, QStringLiteral("bye"), QStringLiteral("see you"), QStringLiteral("4000 bye now"), Col::Close);
    const int quiet = addRule(editor, Kind::Contains, QStringLiteral("secret"), QString());
    type(editor, quiet, Col::Ignore, Qt::Checked);
}

struct Received
{
    explicit Received(Client &client)
    {
        QObject::connect(&client, &Client::textReceived, &client, [this](const QString &text, const QByteArray &) { texts << text; });
    }
    QStringList texts;
};

} // namespace

class tst_RulesEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { registerMetaTypes(); }

    void rulesModeShowsTheRulesButton()
    {
        ServerPanel panel;
        panel.show();
        auto *mode = panel.findChild<QComboBox *>(QStringLiteral("serverMode"));
        auto *button = panel.findChild<QPushButton *>(QStringLiteral("serverShowRules"));
        QVERIFY(mode && button);
        QVERIFY(mode->findData(int(ServerMode::Rules)) >= 0);
        QVERIFY(!button->isVisible());
        panel.setMode(ServerMode::Rules);
        QVERIFY(button->isVisible());
        button->click();
        QTRY_VERIFY(panel.rulesEditor()->isVisible());
        QVERIFY(panel.rulesEditor()->isWindow());
        panel.setMode(ServerMode::Echo);
        QVERIFY(!button->isVisible());
    }

    // Rules typed into the table answer real clients: a templated reply, a broadcast to the other
    // peer, an ignored message, and a close with the rule's code and reason.
    void tableRulesAnswerClients()
    {
        ServerPanel panel;
        RulesEditor &editor = *panel.rulesEditor();
        QAbstractItemModelTester tester(editor.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        typeApiRules(editor);
        QCOMPARE(editor.model()->rowCount(), 5);
        QCOMPARE(editor.model()->firstBadRow(), -1);
        panel.setHost(QStringLiteral("127.0.0.1"));
        panel.setPort(0);
        panel.setMode(ServerMode::Rules);
        QVERIFY2(panel.start(), qPrintable(panel.statusText()));

        Client a(QStringLiteral("a"));
        Client b(QStringLiteral("b"));
        Received atA(a);
        Received atB(b);
        QSignalSpy closed(&a, &Client::closed);
        QVERIFY(openClient(a, fastClientConfig(panel.server()->url())));
        QVERIFY(openClient(b, fastClientConfig(panel.server()->url())));
        QTRY_COMPARE(panel.server()->peerCount(), 2);
        a.sendText(QStringLiteral("{\"type\":\"ping\",\"id\":7}"));
        a.sendText(QStringLiteral("a secret")); // ignored: no answer
        a.sendText(QStringLiteral("hello ann"));
        a.sendText(QStringLiteral("say tea is ready"));
        QTRY_COMPARE(atA.texts,
                     (QStringList{QStringLiteral("{\"type\":\"pong\",\"id\":7}"), QStringLiteral("hi ann"), QStringLiteral("said")}));
        QTRY_COMPARE(atB.texts, QStringList{QStringLiteral("tea is ready")});
        QVERIFY(hasEventWith(panel.server()->log(), EventKind::Info, QStringLiteral("rule /rules/4: ignore")));

        // An edit applies to the running server at once.
        type(editor, 1, Col::Reply, QStringLiteral("hello again, ${1}"));
        a.sendText(QStringLiteral("hello bob"));
        QTRY_COMPARE(atA.texts.size(), 4);
        QCOMPARE(atA.texts.last(), QStringLiteral("hello again, bob"));

        a.sendText(QStringLiteral("bye"));
        QTRY_COMPARE(closed.size(), 1);
        QCOMPARE(atA.texts.last(), QStringLiteral("see you"));
        QCOMPARE(closed.first().at(0).toInt(), 4000);
        QCOMPARE(closed.first().at(1).toString(), QStringLiteral("bye now"));
        panel.stop();
    }

    // A bad regex marks its row red with the parser's own message, and Start says the same and
    // does not listen; fixed, the server starts.
    void badRowRefusesStart()
    {
        ServerPanel panel;
        RulesEditor &editor = *panel.rulesEditor();
        addRule(editor, Kind::Text, QStringLiteral("a"), QStringLiteral("b"));
        const int bad = addRule(editor, Kind::Regex, QStringLiteral("(unclosed"), QStringLiteral("x"));
        QString parserError;
        QVERIFY(!MockRules::fromJson("{\"version\":1,\"rules\":[{\"match\":{\"regex\":\"(unclosed\"},\"reply\":\"x\"}]}", &parserError));
        const QString expected = parserError.replace(QStringLiteral("/rules/0"), QStringLiteral("/rules/1"));
        QCOMPARE(editor.model()->rowError(bad), expected);
        QVERIFY(expected.contains(QStringLiteral("invalid regular expression")));
        QCOMPARE(editor.model()->index(bad, Col::Pattern).data(Qt::ForegroundRole).value<QColor>(), toneColor(Tone::Error));
        QCOMPARE(editor.model()->index(bad, Col::Pattern).data(Qt::ToolTipRole).toString(), expected);
        QVERIFY(editor.model()->index(0, Col::Pattern).data(Qt::ForegroundRole).value<QColor>() != toneColor(Tone::Error));
        QVERIFY(editor.statusText().contains(expected));

        panel.setHost(QStringLiteral("127.0.0.1"));
        panel.setPort(0);
        panel.setMode(ServerMode::Rules);
        QVERIFY(!panel.start());
        QCOMPARE(panel.server()->state(), Server::State::Stopped);
        QVERIFY2(panel.statusText().contains(expected), qPrintable(panel.statusText()));
        QVERIFY(editor.tryMessage(QStringLiteral("a")).contains(expected));

        // Another mode does not need the rules.
        panel.setMode(ServerMode::Echo);
        QVERIFY(panel.start());
        panel.stop();
        QTRY_COMPARE(panel.server()->state(), Server::State::Stopped);

        type(editor, bad, Col::Pattern, QStringLiteral("(closed)"));
        QVERIFY(editor.model()->rowError(bad).isEmpty());
        panel.setMode(ServerMode::Rules);
        QVERIFY2(panel.start(), qPrintable(panel.statusText()));
        panel.stop();
    }

    void cellsTheParserCannotReadAreFaults()
    {
        RulesEditor editor;
        const int close = addRule(editor, Kind::Text, QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("soon"), Col::Close);
        QVERIFY(editor.model()->rowError(close).startsWith(QStringLiteral("/rules/0/close: ")));
        type(editor, close, Col::Close, QStringLiteral("1005"));
        QVERIFY2(editor.model()->rowError(close).startsWith(QStringLiteral("/rules/0/close: ")),
                 qPrintable(editor.model()->rowError(close)));
        type(editor, close, Col::Close, QString());
        const int conditions = addRule(editor, Kind::Conditions, QStringLiteral("{\"regex\": "), QStringLiteral("b"));
        QVERIFY(editor.model()->rowError(conditions).startsWith(QStringLiteral("/rules/1/match: ")));
        const int none = addRule(editor, Kind::Contains, QStringLiteral("x"), QString());
        QCOMPARE(editor.model()->rowError(none), QStringLiteral("/rules/2: no action (reply, broadcast, close or \"ignore\": true)"));
    }

    // Try it: which rule a message meets and what it would answer, in table order.
    void tryItFollowsTheOrder()
    {
        RulesEditor editor;
        QCOMPARE(editor.tryMessage(QStringLiteral("x")), QStringLiteral("Fix the rules first: no rules yet: add one"));
        typeApiRules(editor);
        QCOMPARE(editor.tryMessage(QStringLiteral("{\"type\":\"ping\",\"id\":\"a\\\"b\"}")),
                 QStringLiteral("Rule 1 \"ping\": reply {\"type\":\"pong\",\"id\":\"a\\\"b\"}"));
        QCOMPARE(editor.tryMessage(QStringLiteral("bye")), QStringLiteral("Rule 4: reply see you · close 4000 bye now"));
        QCOMPARE(editor.tryMessage(QStringLiteral("secret bye")), QStringLiteral("Rule 5: ignore (no answer, no further rule)."));
        QCOMPARE(editor.tryMessage(QStringLiteral("nothing")), QStringLiteral("No rule meets it: no answer."));

        // Moved to the top, the ignoring rule meets "hello secret" before the greeting does.
        QCOMPARE(editor.tryMessage(QStringLiteral("hello secret")), QStringLiteral("Rule 2: reply hi secret"));
        editor.selectRow(4);
        for (int i = 0; i < 4; ++i)
            editor.moveSelected(-1);
        editor.moveSelected(-1); // already first: nothing moves
        QCOMPARE(editor.model()->rows().front().pattern, QStringLiteral("secret"));
        QCOMPARE(editor.tryMessage(QStringLiteral("hello secret")), QStringLiteral("Rule 1: ignore (no answer, no further rule)."));

        // Duplicate then remove gives the same table back.
        const QByteArray before = editor.rulesJson();
        editor.selectRow(2);
        editor.duplicateSelected();
        QCOMPARE(editor.model()->rowCount(), 6);
        QCOMPARE(editor.model()->rows().at(3).pattern, editor.model()->rows().at(2).pattern);
        editor.removeSelected();
        QCOMPARE(editor.rulesJson(), before);

        // The line under the table says the same as tryMessage.
        auto *line = editor.findChild<QLineEdit *>(QStringLiteral("rulesTry"));
        auto *result = editor.findChild<QLabel *>(QStringLiteral("rulesTryResult"));
        QVERIFY(line && result);
        line->setText(QStringLiteral("hello ann"));
        QCOMPARE(result->text(), editor.tryMessage(QStringLiteral("hello ann")));
        type(editor, 2, Col::Reply, QStringLiteral("hey ${1}"));
        QCOMPARE(result->text(), QStringLiteral("Rule 3: reply hey ann"));
    }

    // Save writes the file serve --rules reads; Load gives the same rules back, and a file the table
    // cannot show cell by cell (several conditions, several actions) loses nothing.
    void saveThenLoadGivesTheSameRules()
    {
        QTemporaryDir dir;
        RulesEditor editor;
        typeApiRules(editor);
        const QString path = dir.filePath(QStringLiteral("rules.json"));
        QVERIFY2(editor.saveFile(path), qPrintable(editor.statusText()));
        QString error;
        const std::optional<MockRules> fromFile = MockRules::fromJson(readFile(path), &error);
        QVERIFY2(fromFile, qPrintable(error));
        QCOMPARE(fromFile->rules.size(), size_t(5));

        RulesEditor loaded;
        QVERIFY2(loaded.loadFile(path), qPrintable(loaded.statusText()));
        QCOMPARE(loaded.rulesJson(), editor.rulesJson());
        QCOMPARE(loaded.rules(&error)->toJson(), editor.rules(&error)->toJson());

        const QByteArray combined =
            "{\"version\":1,\"description\":\"kept\",\"rules\":[{\"name\":\"order\","
            "\"match\":{\"json\":{\"/type\":\"order\"},\"exists\":\"/item\"},"
            "\"reply\":\"{\\\"item\\\":\\\"${/item}\\\"}\",\"broadcast\":\"new order\",\"close\":4001,\"delay_ms\":20},"
            "{\"match\":{\"base64\":\"AQI=\"},\"reply\":\"bytes\"}]}";
        const QString combinedPath = writeFile(dir, QStringLiteral("combined.json"), combined);
        QVERIFY2(loaded.loadFile(combinedPath), qPrintable(loaded.statusText()));
        QCOMPARE(loaded.model()->rows().at(0).kind, Kind::Conditions);
        QCOMPARE(loaded.model()->rows().at(1).kind, Kind::Hex);
        QCOMPARE(loaded.model()->rows().at(1).pattern, QStringLiteral("0102"));
        QVERIFY(loaded.saveFile(path));
        const std::optional<MockRules> resaved = MockRules::fromJson(readFile(path), &error);
        const std::optional<MockRules> original = MockRules::fromJson(combined, &error);
        QVERIFY(resaved && original);
        QCOMPARE(resaved->toJson(), original->toJson());
        QCOMPARE(resaved->description, QStringLiteral("kept"));

        // A bad file is refused with the parser's line, and the table stays as it was.
        const QByteArray before = loaded.rulesJson();
        const QString badPath =
            writeFile(dir, QStringLiteral("bad.json"), "{\"version\":1,\"rules\":[{\"match\":{\"regex\":\"[\"},\"reply\":\"x\"}]}");
        QVERIFY(!loaded.loadFile(badPath));
        QVERIFY2(loaded.statusText().contains(QStringLiteral("/rules/0/match/regex: invalid regular expression")),
                 qPrintable(loaded.statusText()));
        QCOMPARE(loaded.rulesJson(), before);

        // A table with a bad row is not saved: serve --rules could not read it.
        type(loaded, 0, Col::Close, QStringLiteral("1006"));
        QVERIFY(!loaded.saveFile(dir.filePath(QStringLiteral("never.json"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("never.json"))));
    }

    // The table, a bad row included, comes back with the server panel's settings.
    void tableSurvivesSettings()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        QByteArray saved;
        {
            ServerPanel panel;
            typeApiRules(*panel.rulesEditor());
            addRule(*panel.rulesEditor(), Kind::Regex, QStringLiteral("(half"), QStringLiteral("x"));
            panel.setMode(ServerMode::Rules);
            saved = panel.rulesEditor()->rulesJson();
            panel.saveSettings(settings, SecretsInSave::SecretValuesLeftOut);
        }
        settings.sync();
        ServerPanel restored;
        restored.restoreSettings(settings);
        RulesEditor &editor = *restored.rulesEditor();
        QCOMPARE(editor.rulesJson(), saved);
        QCOMPARE(editor.model()->rowCount(), 6);
        QCOMPARE(editor.model()->firstBadRow(), 5);
        QCOMPARE(editor.model()->rows().at(4).ignore, true);
        QCOMPARE(editor.model()->rows().at(3).close, QStringLiteral("4000 bye now"));
        QString error;
        QCOMPARE(restored.configFromForm(&error).mode, ServerMode::Rules);
    }
};

QTEST_MAIN(tst_RulesEditor)
#include "tst_RulesEditor.moc"
