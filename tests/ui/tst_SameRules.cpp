// The window and wslab-cli apply one rule for each input: the same table of good and bad values goes
// to both, and both must accept or refuse each row alike. Closes and the Outbox are checked where the
// rule now lives once (core), as the window's controls use it.
#include "core/client/Client.h"
#include "core/log/EventLog.h"
#include "core/protocol/CloseCode.h"
#include "core/server/Peer.h"
#include "core/server/Server.h"
#include "core/settings/SettingsTable.h"
#include "ui/client/ClientPanel.h"
#include "ui/client/ClientSettingsForm.h"
#include "ui/client/HeadersEditor.h"
#include "ui/close/CloseDialog.h"
#include "ui/main/MainWindow.h"
#include "ui/server/ServerPanel.h"
#include "ui/server/ServerSettingsForm.h"

#include <QLineEdit>
#include <QProcess>
#include <QStandardPaths>
#include <QToolButton>
#include <QtTest>

using namespace wslab;

namespace {

// What wslab-cli says of these connect arguments: 2 for a usage error (refused), 1 when it accepted
// them and then could not connect (port 1 has no server), with its stderr.
int cliVerdict(const QStringList &args, QString *stderrText)
{
    QProcess cli;
    cli.start(qEnvironmentVariable("WSLAB_CLI"),
              QStringList{QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:1/"), QStringLiteral("--no-reconnect")} + args);
    cli.closeWriteChannel();
    if (!cli.waitForFinished(15000))
        return -1;
    *stderrText = QString::fromUtf8(cli.readAllStandardError());
    return cli.exitCode();
}

// What `wslab-cli serve` says of these arguments: 2 for a usage error (refused), 1 when it accepted
// them and then stopped at the chat history in a folder that does not exist, before listening.
int serveVerdict(const QStringList &args, QString *stderrText)
{
    QProcess cli;
    cli.start(qEnvironmentVariable("WSLAB_CLI"),
              QStringList{QStringLiteral("serve"), QStringLiteral("--mode"), QStringLiteral("chat"), QStringLiteral("--history"),
                          QStringLiteral("/nonexistent-wslab-dir/history.jsonl")} +
                  args);
    cli.closeWriteChannel();
    if (!cli.waitForFinished(15000)) {
        cli.kill();
        cli.waitForFinished();
        return -1;
    }
    *stderrText = QString::fromUtf8(cli.readAllStandardError());
    return cli.exitCode();
}

// The client rows start from a base of 1 ms and a cap of a day, so every delay the table allows is
// also a valid pair (the cap may not be below the base: a rule across two fields, not the table's).
const QStringList kClientBaseline{QStringLiteral("--reconnect-base"), QStringLiteral("1"), QStringLiteral("--reconnect-cap"),
                                  QStringLiteral("86400000")};

template <class Config> void addSettingRows(const char *command, const QList<Setting<Config>> &table)
{
    for (const Setting<Config> &s : table) {
        if (s.unit == SettingUnit::Switch)
            continue;
        const auto row = [&](const char *what, const QString &text, bool inWindow) {
            QTest::addRow("%s --%s %s", command, qPrintable(s.flag), what) << QString::fromLatin1(command) << s.key << text << inWindow;
        };
        row("min", QString::number(s.min), true);
        row("max", QString::number(s.max), true);
        row("min-1", QString::number(s.min - 1), true);
        row("max+1", QString::number(s.max + 1), true);
        row("not a number", QStringLiteral("12abc"), false);
    }
}

} // namespace

class tst_SameRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void headersAreJudgedAlike_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("plain") << QStringLiteral("X-Lab") << QStringLiteral("1") << true;
        QTest::newRow("token punctuation") << QStringLiteral("X-A!#$%&'*+.^_`|~") << QStringLiteral("v") << true;
        QTest::newRow("bearer") << QStringLiteral("Authorization") << QStringLiteral("Bearer abc") << true;
        QTest::newRow("utf-8 value") << QStringLiteral("X-Name") << QStringLiteral("grüße") << true;
        QTest::newRow("parentheses") << QStringLiteral("Bad(Name)") << QStringLiteral("x") << false;
        QTest::newRow("space") << QStringLiteral("Bad Name") << QStringLiteral("x") << false;
        QTest::newRow("slash") << QStringLiteral("Bad/Name") << QStringLiteral("x") << false;
        QTest::newRow("quote") << QStringLiteral("Bad\"Name") << QStringLiteral("x") << false;
        QTest::newRow("non-ascii name") << QStringLiteral("Größe") << QStringLiteral("x") << false;
        QTest::newRow("at sign") << QStringLiteral("X@Y") << QStringLiteral("x") << false;
    }

    void headersAreJudgedAlike()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(bool, accepted);

        MainWindow window({false, false});
        ClientPanel *panel = window.clientPanels().at(0);
        panel->setUrl(QStringLiteral("ws://127.0.0.1:1/"));
        auto *headers = panel->findChild<HeadersEditor *>();
        QVERIFY(headers);
        headers->addRow(name, value);
        QString windowError;
        const ClientConfig config = panel->configFromForm(&windowError);
        QCOMPARE(windowError.isEmpty(), accepted);
        if (accepted)
            QCOMPARE(config.headers.value(0).first, name.toUtf8());

        QString cliError;
        QCOMPARE(cliVerdict({QStringLiteral("--header"), name + QStringLiteral(": ") + value}, &cliError), accepted ? 1 : 2);
        if (!accepted) {
            QCOMPARE(cliError.count(u'\n'), 1); // one line, as every usage error
            QVERIFY2(cliError.contains(QStringLiteral("is not a valid header name")), qPrintable(cliError));
            QVERIFY2(windowError.contains(QStringLiteral("is not a valid header name")), qPrintable(windowError));
        }
    }

    void subprotocolsAreJudgedAlike_data()
    {
        QTest::addColumn<QString>("subprotocol");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("chat") << QStringLiteral("chat") << true;
        QTest::newRow("versioned") << QStringLiteral("v2.lab.example") << true;
        QTest::newRow("slash") << QStringLiteral("chat/2") << false;
        QTest::newRow("space inside") << QStringLiteral("my chat") << false;
        QTest::newRow("non-ascii") << QStringLiteral("ç") << false;
    }

    void subprotocolsAreJudgedAlike()
    {
        QFETCH(QString, subprotocol);
        QFETCH(bool, accepted);
        MainWindow window({false, false});
        ClientPanel *panel = window.clientPanels().at(0);
        panel->setUrl(QStringLiteral("ws://127.0.0.1:1/"));
        panel->findChild<QLineEdit *>(QStringLiteral("clientSubprotocols"))->setText(subprotocol);
        QString windowError;
        panel->configFromForm(&windowError);
        QCOMPARE(windowError.isEmpty(), accepted);
        QString cliError;
        QCOMPARE(cliVerdict({QStringLiteral("--subprotocol"), subprotocol}, &cliError), accepted ? 1 : 2);
    }

    // The dialog, the Server and the Client refuse exactly the same closes, counting bytes.
    void closesAreJudgedAlike_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("normal") << 1000 << QString() << true;
        QTest::newRow("private use") << 4001 << QStringLiteral("lesson over") << true;
        QTest::newRow("123 bytes") << 1000 << QString(123, u'x') << true;
        QTest::newRow("124 bytes") << 1000 << QString(124, u'x') << false;
        QTest::newRow("61 é + x = 123 bytes") << 1000 << QString(61, QChar(0xe9)) + u'x' << true;
        QTest::newRow("62 é = 124 bytes") << 1000 << QString(62, QChar(0xe9)) << false;
        QTest::newRow("1005 reserved") << 1005 << QString() << false;
        QTest::newRow("1006 reserved") << 1006 << QString() << false;
        QTest::newRow("999") << 999 << QString() << false;
        QTest::newRow("5000") << 5000 << QString() << false;
    }

    void closesAreJudgedAlike()
    {
        QFETCH(int, code);
        QFETCH(QString, reason);
        QFETCH(bool, accepted);
        CloseDialog dialog(QStringLiteral("Close"));
        dialog.setCode(code);
        dialog.setReason(reason);
        QCOMPARE(dialog.isAcceptable(), accepted);

        Server server;
        ServerConfig config;
        config.port = 0;
        server.setConfig(config);
        QVERIFY(server.start());
        Client client(QStringLiteral("client"));
        ClientConfig clientConfig;
        clientConfig.url = server.url();
        clientConfig.reconnect.enabled = false;
        client.setConfig(clientConfig);
        QVERIFY(client.open());
        QTRY_COMPARE(server.peerCount(), 1);
        QTRY_COMPARE(client.state(), Client::State::Open);
        const int peerId = server.peers().constFirst()->id();
        QCOMPARE(server.kick(peerId, code, reason), accepted);
        if (!accepted) {
            QCOMPARE(server.errorString(), dialog.problem());
            QCOMPARE(client.close(code, reason), false);
            QCOMPARE(client.errorString(), dialog.problem());
        }
    }

    // Every number the settings table holds goes to wslab-cli and to the panel's form: its ends, one
    // past each end and (the CLI only: the window's spin box takes no letters) a non-number. Both
    // accept or refuse alike, and a refusal reads the same, word for word.
    void numericSettingsAreJudgedAlike_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("inWindow");
        addSettingRows("serve", serverSettings());
        addSettingRows("connect", clientSettings());
    }

    void numericSettingsAreJudgedAlike()
    {
        QFETCH(QString, command);
        QFETCH(QString, key);
        QFETCH(QString, text);
        QFETCH(bool, inWindow);
        const bool isServer = command == u"serve";
        const QString flag = isServer ? findSetting(serverSettings(), key)->flag : findSetting(clientSettings(), key)->flag;
        const qint64 min = isServer ? findSetting(serverSettings(), key)->min : findSetting(clientSettings(), key)->min;
        const qint64 max = isServer ? findSetting(serverSettings(), key)->max : findSetting(clientSettings(), key)->max;
        bool isNumber = false;
        const qint64 value = text.toLongLong(&isNumber);
        const bool accepted = isNumber && value >= min && value <= max;

        QString cliError;
        const QStringList args{QStringLiteral("--") + flag, text};
        const int verdict = isServer ? serveVerdict(args, &cliError) : cliVerdict(kClientBaseline + args, &cliError);
        QVERIFY2(verdict == (accepted ? 1 : 2), qPrintable(cliError));
        if (!accepted) {
            QCOMPARE(cliError.count(u'\n'), 1); // one line, as every usage error
            QVERIFY2(cliError.contains(QStringLiteral("--%1 must be a whole number").arg(flag)), qPrintable(cliError));
        }
        if (!inWindow)
            return;

        QString windowError;
        qint64 shown = 0;
        if (isServer) {
            ServerPanel panel;
            ServerSettingsForm *form = panel.settingsForm();
            const qint64 before = findSetting(serverSettings(), key)->read(panel.configFromForm(&windowError));
            QCOMPARE(form->setValue(key, value, &windowError), accepted);
            QString configError;
            const ServerConfig config = panel.configFromForm(&configError);
            QVERIFY2(configError.isEmpty(), qPrintable(configError));
            shown = findSetting(serverSettings(), key)->read(config);
            if (!accepted)
                QCOMPARE(shown, before); // a refused value leaves the field as it was
        } else {
            ClientPanel panel(QStringLiteral("client"));
            panel.setUrl(QStringLiteral("ws://127.0.0.1:1/"));
            ClientSettingsForm *form = panel.settingsForm();
            QVERIFY(form->setValue(QStringLiteral("reconnectBase"), 1, &windowError));
            QVERIFY(form->setValue(QStringLiteral("reconnectCap"), 86400000, &windowError));
            const qint64 before = findSetting(clientSettings(), key)->read(panel.configFromForm(&windowError));
            QCOMPARE(form->setValue(key, value, &windowError), accepted);
            QString configError;
            const ClientConfig config = panel.configFromForm(&configError);
            QVERIFY2(configError.isEmpty(), qPrintable(configError));
            shown = findSetting(clientSettings(), key)->read(config);
            if (!accepted)
                QCOMPARE(shown, before);
        }
        if (accepted) {
            // What the form holds is what was given (the KiB fields hold whole KiB: rounded up).
            const qint64 scale = isServer ? findSetting(serverSettings(), key)->formScale : findSetting(clientSettings(), key)->formScale;
            QCOMPARE(shown, (value + scale - 1) / scale * scale);
        } else {
            QCOMPARE(cliError.trimmed(), QStringLiteral("wslab-cli: %1: %2").arg(command, windowError));
        }
    }

    void queuedMessagesCanBeDiscarded()
    {
        MainWindow window({false, false});
        ClientPanel *panel = window.clientPanels().at(0);
        QVERIFY(panel->client()->sendText(QStringLiteral("never sent")));
        QVERIFY(panel->client()->sendText(QStringLiteral("nor this")));
        QCOMPARE(panel->client()->outboxSize(), 2);
        auto *discard = panel->findChild<QToolButton *>(QStringLiteral("clientDiscardQueued"));
        QVERIFY(discard);
        QTRY_VERIFY(discard->isVisibleTo(panel));
        discard->click();
        QCOMPARE(panel->client()->outboxSize(), 0);
        const EventLog *log = panel->client()->log();
        QVERIFY(log->size() > 0);
        QCOMPARE(log->at(log->size() - 1).detail, QStringLiteral("2 queued messages discarded from the outbox, unsent"));
        QTRY_VERIFY(!discard->isVisibleTo(panel));
    }
};

QTEST_MAIN(tst_SameRules)
#include "tst_SameRules.moc"
