// File → Save session / Open session: a window set up by hand, saved, and opened in a fresh window
// comes back as it was (server, clients, inspector and its faults, composers), its secrets only when
// asked for; nothing starts by itself; a bad file changes nothing; `wslab --session FILE` and `wslab
// FILE` refuse one alike, and two sessions on one command line are a usage error.
#include "core/client/Client.h"
#include "core/inspect/Relay.h"
#include "core/server/Server.h"
#include "core/session/SessionFile.h"
#include "tests/support/ChildProcess.h"
#include "ui/client/ClientPanel.h"
#include "ui/client/HeadersEditor.h"
#include "ui/composer/Composer.h"
#include "ui/inspect/InspectorPanel.h"
#include "ui/main/ClientArea.h"
#include "ui/main/MainWindow.h"
#include "ui/server/ServerPanel.h"

#include <QCheckBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace wslab;
using namespace wslab::test;

namespace {

QString headersOf(ClientPanel *panel)
{
    return panel->findChild<HeadersEditor *>()->toText();
}

QString tokenOf(MainWindow &window)
{
    QString error;
    return window.serverPanel()->configFromForm(&error).token;
}

// A window set up the way a teacher would before class: every kind of setting away from its default.
void setUp(MainWindow &window)
{
    ServerPanel *server = window.serverPanel();
    server->setPort(9123);
    server->setMode(ServerMode::Broadcast);
    ServerConfig limits;
    limits.maxMessageSize = 64 * 1024;
    limits.rateLimit = 20;
    limits.slowReaderLimit = 512 * 1024;
    limits.heartbeat.interval = std::chrono::milliseconds(7000);
    limits.heartbeat.pongTimeout = std::chrono::milliseconds(3000);
    server->setLimits(limits);
    server->findChild<QLineEdit *>(QStringLiteral("serverPath"))->setText(QStringLiteral("/lab"));
    server->findChild<QLineEdit *>(QStringLiteral("serverToken"))->setText(QStringLiteral("s3cret-token"));
    server->composer()->setHistory({QStringLiteral("hello all"), QStringLiteral("{\"type\":\"quiz\"}")});
    server->composer()->setMode(Composer::Mode::Json);

    ClientPanel *first = window.clientPanels().at(0);
    first->setUrl(QStringLiteral("ws://127.0.0.1:9123/lab?room=1&token=url-secret"));
    first->findChild<HeadersEditor *>()->setText(QStringLiteral("Authorization: Bearer header-secret\nX-Lab: one"));
    first->findChild<QLineEdit *>(QStringLiteral("clientSubprotocols"))->setText(QStringLiteral("chat, json"));
    ReconnectPolicy reconnect;
    reconnect.baseDelay = std::chrono::milliseconds(250);
    reconnect.maxDelay = std::chrono::milliseconds(4000);
    reconnect.maxAttempts = 3;
    HeartbeatPolicy heartbeat;
    heartbeat.interval = std::chrono::milliseconds(5000);
    heartbeat.pongTimeout = std::chrono::milliseconds(2000);
    first->setPolicies(reconnect, heartbeat);
    first->composer()->setHistory({QStringLiteral("first says hi")});

    ClientPanel *second = window.addClient();
    second->setUrl(QStringLiteral("ws://127.0.0.1:9123/lab"));
    second->findChild<HeadersEditor *>()->setText(QStringLiteral("X-Lab: two"));
    second->findChild<QCheckBox *>(QStringLiteral("clientReconnect"))->setChecked(false);
    second->setRoutedThroughInspector(true);
    QStringList many;
    for (int i = 0; i < 80; ++i)
        many << QStringLiteral("message %1").arg(i);
    second->composer()->setHistory(many);

    window.inspectorDock()->show();
    window.inspectorPanel()->setTarget(QStringLiteral("ws://127.0.0.1:9123/lab"));
    window.inspectorPanel()->findChild<QSpinBox *>(QStringLiteral("faultLatency"))->setValue(250);
    window.inspectorPanel()->findChild<QCheckBox *>(QStringLiteral("faultWithholdPongsFromServer"))->setChecked(true);
    window.findChild<QAction *>(QStringLiteral("clientsSideBySide"))->setChecked(true);
    window.findChild<QAction *>(QStringLiteral("serverAboveClients"))->setChecked(true);
    window.resize(1300, 850);
}

} // namespace

class tst_Session : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void aSavedSessionOpensAsItWas()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("class.wslab"));
        QSize savedSize;
        {
            MainWindow window({false, false});
            window.show();
            setUp(window);
            savedSize = window.size();
            QString error;
            QVERIFY2(window.saveSession(path, false, &error), qPrintable(error));
            QVERIFY(window.windowTitle().contains(QStringLiteral("class.wslab")));
        }
        const QByteArray text = readFile(path);
        QVERIFY(text.startsWith("{\n    \"format\": \"wslab-session\""));
        QVERIFY(text.contains("\"secretsIncluded\": false"));
        for (const char *secret : {"s3cret-token", "url-secret", "header-secret"})
            QVERIFY2(!text.contains(secret), secret);

        MainWindow window({false, false});
        window.show();
        QString error;
        QVERIFY2(window.openSession(path, &error), qPrintable(error));
        QVERIFY(window.windowTitle().contains(QStringLiteral("class.wslab")));
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("press Start / Connect")),
                 qPrintable(window.statusBar()->currentMessage()));

        const ServerConfig server = window.serverPanel()->configFromForm(&error);
        QCOMPARE(server.port, quint16(9123));
        QCOMPARE(server.mode, ServerMode::Broadcast);
        QCOMPARE(server.path, QStringLiteral("/lab"));
        QCOMPARE(server.maxMessageSize, qint64(64 * 1024));
        QCOMPARE(server.rateLimit, 20.0);
        QCOMPARE(server.slowReaderLimit, qint64(512 * 1024));
        QCOMPARE(server.heartbeat.interval, std::chrono::milliseconds(7000));
        QCOMPARE(server.heartbeat.pongTimeout, std::chrono::milliseconds(3000));
        QVERIFY(server.token.isEmpty());
        QCOMPARE(window.serverPanel()->composer()->history(),
                 (QStringList{QStringLiteral("hello all"), QStringLiteral("{\"type\":\"quiz\"}")}));
        QCOMPARE(window.serverPanel()->composer()->mode(), Composer::Mode::Json);

        const QList<ClientPanel *> clients = window.clientPanels();
        QCOMPARE(clients.size(), 2);
        QCOMPARE(clients.at(0)->name(), QStringLiteral("client 1"));
        QCOMPARE(clients.at(1)->name(), QStringLiteral("client 2"));
        // Without secrets a session shows where they were.
        QCOMPARE(clients.at(0)->url(), QStringLiteral("ws://127.0.0.1:9123/lab?room=1&token=<redacted>"));
        QCOMPARE(headersOf(clients.at(0)), QStringLiteral("Authorization: <redacted>\nX-Lab: one"));
        const ClientConfig first = clients.at(0)->configFromForm(&error);
        QCOMPARE(first.subprotocols, (QStringList{QStringLiteral("chat"), QStringLiteral("json")}));
        QCOMPARE(first.reconnect.enabled, true);
        QCOMPARE(first.reconnect.baseDelay, std::chrono::milliseconds(250));
        QCOMPARE(first.reconnect.maxDelay, std::chrono::milliseconds(4000));
        QCOMPARE(first.reconnect.maxAttempts, 3);
        QCOMPARE(first.heartbeat.interval, std::chrono::milliseconds(5000));
        QCOMPARE(first.heartbeat.pongTimeout, std::chrono::milliseconds(2000));
        QCOMPARE(clients.at(0)->composer()->history(), QStringList{QStringLiteral("first says hi")});
        QCOMPARE(clients.at(1)->url(), QStringLiteral("ws://127.0.0.1:9123/lab"));
        QCOMPARE(headersOf(clients.at(1)), QStringLiteral("X-Lab: two"));
        QCOMPARE(clients.at(1)->configFromForm(&error).reconnect.enabled, false);
        QVERIFY(!clients.at(0)->isRoutedThroughInspector());
        QVERIFY(clients.at(1)->isRoutedThroughInspector());
        QCOMPARE(clients.at(1)->client()->state(), Client::State::Idle);
        // The newest entries, bounded.
        const QStringList kept = clients.at(1)->composer()->history();
        QCOMPARE(kept.size(), Composer::kKeptHistory);
        QCOMPARE(kept.last(), QStringLiteral("message 79"));

        QVERIFY(window.inspectorDock()->isVisible());
        QCOMPARE(window.inspectorPanel()->target(), QStringLiteral("ws://127.0.0.1:9123/lab"));
        const RelayFaults faults = window.inspectorPanel()->relay()->faults();
        QCOMPARE(faults.latency, std::chrono::milliseconds(250));
        QVERIFY(faults.withholdPongsFromServer);
        QVERIFY(!faults.blackHole);
        QCOMPARE(window.inspectorPanel()->findChild<QSpinBox *>(QStringLiteral("faultLatency"))->value(), 250);
        QVERIFY(window.clientArea()->isSideBySide());
        QVERIFY(window.findChild<QAction *>(QStringLiteral("serverAboveClients"))->isChecked());
        QCOMPARE(window.findChild<QSplitter *>(QStringLiteral("mainSplitter"))->orientation(), Qt::Vertical);
        // Stacked, the panels' least height may grow the window past what was asked: what was saved comes back.
        QCOMPARE(window.size(), savedSize);

        // Nothing started by itself.
        QCOMPARE(window.serverPanel()->server()->state(), Server::State::Stopped);
        QVERIFY(!window.inspectorPanel()->isRunning());
        for (ClientPanel *panel : clients)
            QCOMPARE(panel->client()->state(), Client::State::Idle);
    }

    void secretsAreKeptOnlyWhenAsked()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secret.wslab"));
        {
            MainWindow window({false, false});
            setUp(window);
            QString error;
            QVERIFY2(window.saveSession(path, true, &error), qPrintable(error));
        }
        QVERIFY(readFile(path).contains("\"secretsIncluded\": true"));
        MainWindow window({false, false});
        QString error;
        QVERIFY2(window.openSession(path, &error), qPrintable(error));
        QCOMPARE(tokenOf(window), QStringLiteral("s3cret-token"));
        QCOMPARE(window.clientPanels().at(0)->url(), QStringLiteral("ws://127.0.0.1:9123/lab?room=1&token=url-secret"));
        QCOMPARE(headersOf(window.clientPanels().at(0)), QStringLiteral("Authorization: Bearer header-secret\nX-Lab: one"));
        QVERIFY(!window.statusBar()->currentMessage().contains(QStringLiteral("without secrets")));
    }

    // Every field that can hold a secret, one at a time: the window asks before saving, a session saved
    // without secrets holds no trace of it, and one saved with them gives it back.
    void eachSecretFieldIsAskedAboutAndKeptOutOfTheFile_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("secret");
        QTest::newRow("server token") << QStringLiteral("server token") << QStringLiteral("token-only-secret");
        QTest::newRow("client URL") << QStringLiteral("client URL") << QStringLiteral("url-only-secret");
        QTest::newRow("client Authorization") << QStringLiteral("client headers") << QStringLiteral("Bearer authorization-only-secret");
        QTest::newRow("second client's Cookie") << QStringLiteral("second client headers") << QStringLiteral("id=cookie-only-secret");
        QTest::newRow("inspector target") << QStringLiteral("inspector target") << QStringLiteral("target-only-secret");
        QTest::newRow("server composer") << QStringLiteral("server composer") << QStringLiteral("server-message-secret");
        QTest::newRow("client composer") << QStringLiteral("client composer") << QStringLiteral("client-message-secret");
    }

    void eachSecretFieldIsAskedAboutAndKeptOutOfTheFile()
    {
        QFETCH(QString, field);
        QFETCH(QString, secret);
        QTemporaryDir dir;
        const QString without = dir.filePath(QStringLiteral("without.wslab"));
        const QString with = dir.filePath(QStringLiteral("with.wslab"));
        {
            MainWindow window({false, false});
            ClientPanel *second = window.addClient();
            // Lookalikes of secrets everywhere else, which are none.
            window.clientPanels().at(0)->setUrl(QStringLiteral("ws://127.0.0.1:9123/lab?tokens=0"));
            window.inspectorPanel()->setTarget(QStringLiteral("ws://127.0.0.1:9123/lab"));
            second->findChild<HeadersEditor *>()->setText(QStringLiteral("X-Token: none"));
            const QStringList sent{QStringLiteral(R"({"type":"join","tokens":2})"), QStringLiteral("the token is in the drawer")};
            window.serverPanel()->composer()->setHistory(sent);
            second->composer()->setHistory(sent);
            QVERIFY(!window.holdsSecrets());
            if (field == u"server token") {
                window.serverPanel()->findChild<QLineEdit *>(QStringLiteral("serverToken"))->setText(secret);
            } else if (field == u"client URL") {
                window.clientPanels().at(0)->setUrl(QStringLiteral("ws://127.0.0.1:9123/lab?room=1&token=") + secret);
            } else if (field == u"client headers") {
                window.clientPanels().at(0)->findChild<HeadersEditor *>()->setText(QStringLiteral("Authorization: ") + secret);
            } else if (field == u"second client headers") {
                second->findChild<HeadersEditor *>()->setText(QStringLiteral("X-Token: none\nCookie: ") + secret);
            } else if (field == u"server composer") {
                window.serverPanel()->composer()->setHistory(sent +
                                                             QStringList{QStringLiteral(R"({"type":"auth","token":"%1"})").arg(secret)});
            } else if (field == u"client composer") {
                second->composer()->setHistory(
                    QStringList{QStringLiteral("{\n  \"user\": \"ada\",\n  \"password\": \"%1\"\n}").arg(secret)} + sent);
            } else {
                QCOMPARE(field, QStringLiteral("inspector target"));
                window.inspectorPanel()->setTarget(QStringLiteral("ws://127.0.0.1:9123/lab?access_token=") + secret);
            }
            QVERIFY(window.holdsSecrets());
            QString error;
            QVERIFY2(window.saveSession(without, false, &error), qPrintable(error));
            QVERIFY2(window.saveSession(with, true, &error), qPrintable(error));
        }
        QVERIFY(!readFile(without).contains(secret.toUtf8()));
        QVERIFY(readFile(with).contains(secret.toUtf8()));

        // Opened again: the redacted file holds nothing to ask about, the other one the secret again.
        MainWindow withoutSecrets({false, false});
        QString error;
        QVERIFY2(withoutSecrets.openSession(without, &error), qPrintable(error));
        QVERIFY(!withoutSecrets.holdsSecrets());
        MainWindow withSecrets({false, false});
        QVERIFY2(withSecrets.openSession(with, &error), qPrintable(error));
        QVERIFY(withSecrets.holdsSecrets());
    }

    // The File menu's way, dialogs and all, answered as a person would as each comes up: Save session…
    // adds the suffix, asks about secrets only when there are some and then with "Include the secrets"
    // off, and Open session… reads the file back.
    void theMenuSavesAndOpensThroughItsDialogs()
    {
        QTemporaryDir dir;
        const QString chosen = dir.filePath(QStringLiteral("class")); // typed without the suffix
        const QString written = chosen + QStringLiteral(".wslab");
        const QString plain = dir.filePath(QStringLiteral("plain.wslab"));
        QString fileToGive;
        int questions = 0;
        bool includeWasOff = false;
        QTimer answerer;
        answerer.setInterval(20);
        // Each dialog is found among the visible windows and answered as it comes up: the file chosen,
        // the dialog done with it; the secrets question with Save.
        connect(&answerer, &QTimer::timeout, this, [&] {
            const QWidgetList windows = QApplication::topLevelWidgets();
            for (QWidget *window : windows) {
                if (!window->isVisible())
                    continue;
                if (auto *files = qobject_cast<QFileDialog *>(window)) {
                    // Typed into its name box, as a person does: selectFile() leaves that box alone
                    // once it has the focus. Answered only when the dialog reads the choice back.
                    if (auto *name = files->findChild<QLineEdit *>(QStringLiteral("fileNameEdit")))
                        name->setText(fileToGive);
                    if (files->selectedFiles() == QStringList{fileToGive})
                        QMetaObject::invokeMethod(files, "done", Q_ARG(int, QDialog::Accepted)); // done is protected, a slot
                    return;
                }
                if (auto *box = qobject_cast<QMessageBox *>(window)) {
                    ++questions;
                    const auto *include = box->findChild<QCheckBox *>(QStringLiteral("includeSecrets"));
                    includeWasOff = include && !include->isChecked();
                    box->button(QMessageBox::Save)->click();
                    return;
                }
            }
        });
        answerer.start();
        {
            MainWindow window({false, false});
            auto *save = window.findChild<QAction *>(QStringLiteral("saveSession"));
            QVERIFY(save);
            window.clientPanels().at(0)->setUrl(QStringLiteral("ws://127.0.0.1:9123/lab"));
            fileToGive = plain;
            save->trigger();
            QCOMPARE(questions, 0); // nothing to leave out: nothing asked
            QVERIFY(QFileInfo::exists(plain));

            window.clientPanels().at(0)->setUrl(QStringLiteral("ws://127.0.0.1:9123/lab?token=menu-secret"));
            fileToGive = chosen;
            save->trigger();
            QCOMPARE(questions, 1);
            QVERIFY(includeWasOff);
        }
        QVERIFY(QFileInfo::exists(written));
        QVERIFY(!readFile(written).contains("menu-secret"));

        MainWindow window({false, false});
        fileToGive = written;
        window.findChild<QAction *>(QStringLiteral("openSession"))->trigger();
        answerer.stop();
        QCOMPARE(window.clientPanels().at(0)->url(), QStringLiteral("ws://127.0.0.1:9123/lab?token=<redacted>"));
        QCOMPARE(questions, 1);
    }

    void openingReplacesARunningSetup()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("quiet.wslab"));
        {
            MainWindow window({false, false});
            window.clientPanels().at(0)->setUrl(QStringLiteral("ws://127.0.0.1:1/quiet"));
            QString error;
            QVERIFY2(window.saveSession(path, false, &error), qPrintable(error));
        }
        MainWindow window({false, false});
        ServerPanel *server = window.serverPanel();
        server->setPort(0);
        QVERIFY(server->start());
        ClientPanel *client = window.clientPanels().at(0);
        client->setUrl(server->server()->url().toString() + u'/');
        QVERIFY(client->connectToServer());
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Open, 10000);
        window.addClient();
        window.addClient();
        window.inspectorPanel()->setTarget(server->server()->url().toString() + u'/');
        QVERIFY(window.inspectorPanel()->start());
        window.inspectorPanel()->findChild<QCheckBox *>(QStringLiteral("faultBlackHole"))->setChecked(true);

        QString error;
        QVERIFY2(window.openSession(path, &error), qPrintable(error));
        QCOMPARE(server->server()->state(), Server::State::Stopped);
        QVERIFY(!window.inspectorPanel()->isRunning());
        QCOMPARE(window.clientPanels().size(), 1);
        QCOMPARE(window.clientPanels().at(0)->url(), QStringLiteral("ws://127.0.0.1:1/quiet"));
        QCOMPARE(window.clientPanels().at(0)->client()->state(), Client::State::Idle);
        // The session had no faults on: the black hole goes.
        QVERIFY(!window.inspectorPanel()->relay()->faults().blackHole);
    }

    void aBadFileLeavesTheWindowUntouched_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not JSON") << QByteArray("port=9001") << QStringLiteral("not JSON");
        QTest::newRow("a lesson") << QByteArray("{\"format\": \"wslab-lesson\", \"version\": 1}") << QStringLiteral("wslab-lesson");
        QTest::newRow("newer") << QByteArray("{\"format\": \"wslab-session\", \"version\": 99, \"server\": {\"port\": 1}}")
                               << QStringLiteral("newer WsLab");
    }

    void aBadFileLeavesTheWindowUntouched()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = test::writeFile(dir, QStringLiteral("bad.wslab"), content);

        MainWindow window({false, false});
        setUp(window);
        const QString title = window.windowTitle();
        QString error;
        QVERIFY(!window.openSession(path, &error));
        QVERIFY2(error.contains(reason), qPrintable(error));
        QCOMPARE(window.windowTitle(), title);
        QCOMPARE(window.clientPanels().size(), 2);
        QCOMPARE(window.serverPanel()->configFromForm(&error).port, quint16(9123));
        QCOMPARE(tokenOf(window), QStringLiteral("s3cret-token"));
        QCOMPARE(window.clientPanels().at(0)->url(), QStringLiteral("ws://127.0.0.1:9123/lab?room=1&token=url-secret"));
        QCOMPARE(window.inspectorPanel()->relay()->faults().latency, std::chrono::milliseconds(250));
        QVERIFY(window.sessionPath().isEmpty());
    }

    void aVersionOneFileOpensInTheWindow()
    {
        const QString path = QStringLiteral(WSLAB_TEST_DATA_DIR "/session-v1.wslab");
        MainWindow window({false, false});
        QString error;
        QVERIFY2(window.openSession(path, &error), qPrintable(error));
        const ServerConfig server = window.serverPanel()->configFromForm(&error);
        QCOMPARE(server.port, quint16(9001));
        QCOMPARE(server.mode, ServerMode::Broadcast);
        QCOMPARE(server.path, QStringLiteral("/lab"));
        QCOMPARE(server.maxConnections, 25);
        QCOMPARE(server.name, QStringLiteral("classroom"));
        QCOMPARE(window.serverPanel()->composer()->history().size(), 2);
        QCOMPARE(window.clientPanels().size(), 2);
        const ClientConfig first = window.clientPanels().at(0)->configFromForm(&error);
        QCOMPARE(first.subprotocols, (QStringList{QStringLiteral("chat"), QStringLiteral("json")}));
        QCOMPARE(first.reconnect.maxAttempts, 3);
        QCOMPARE(window.clientPanels().at(1)->configFromForm(&error).reconnect.enabled, false);
        const RelayFaults faults = window.inspectorPanel()->relay()->faults();
        QCOMPARE(faults.latency, std::chrono::milliseconds(250));
        QCOMPARE(faults.dropPercent, 10);
        QVERIFY(faults.blackHole);
        QVERIFY(window.clientArea()->isSideBySide());
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("without secrets")));
    }

    void theAppRefusesABadSessionOnItsCommandLine()
    {
        QTemporaryDir dir;
        const QString lesson = test::writeFile(dir, QStringLiteral("lesson.wslab"), "{\"format\": \"wslab-lesson\", \"version\": 1}");
        for (const QString &path : {dir.filePath(QStringLiteral("missing.wslab")), lesson}) {
            const GuiRun option = runGui({QStringLiteral("--session"), path});
            QCOMPARE(option.exitCode, 2);
            QCOMPARE(option.lines.size(), 1);
            QVERIFY2(option.lines.first().startsWith(QStringLiteral("wslab: --session ") + path + QStringLiteral(": ")),
                     qPrintable(option.lines.first()));
            // By position (a file manager's double-click): the same checks, the same line.
            const GuiRun positional = runGui({path});
            QCOMPARE(positional.exitCode, 2);
            QCOMPARE(positional.lines, option.lines);
        }
    }

    // The window opens one session: two files, or one by position and one with --session, are a usage
    // error before any window, even when each file alone would open.
    void theAppRefusesTwoSessionsOnItsCommandLine_data()
    {
        const QString good = QStringLiteral(WSLAB_TEST_DATA_DIR "/session-v1.wslab");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("reason");
        QTest::newRow("two files") << QStringList{good, good} << QStringLiteral("one session file at a time");
        QTest::newRow("file and --session") << QStringList{good, QStringLiteral("--session"), good}
                                            << QStringLiteral("by position or with --session");
        QTest::newRow("--session= and file") << QStringList{QStringLiteral("--session=") + good, good}
                                             << QStringLiteral("by position or with --session");
    }
    void theAppRefusesTwoSessionsOnItsCommandLine()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, reason);
        const GuiRun run = runGui(args);
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(run.lines.size(), 1);
        QVERIFY2(run.lines.first().startsWith(QStringLiteral("wslab: ")) && run.lines.first().contains(reason) &&
                     run.lines.first().endsWith(QStringLiteral("see wslab --help")),
                 qPrintable(run.lines.first()));
    }

private:
    // How the built wslab ended, and the lines of WsLab's own on its stderr (Qt may add warnings
    // about the environment).
    struct GuiRun
    {
        int exitCode = -1;
        QStringList lines;
    };

    // Runs wslab with args in a private network namespace: what is tested here ends before any window
    // (and its LAN listener) exists, but a regression that opens the window cannot reach the LAN. A
    // window that opens all the same runs until the wait gives up, and fails the test.
    static GuiRun runGui(const QStringList &args)
    {
        GuiRun run;
        const QString gui = qEnvironmentVariable("WSLAB_GUI");
        if (!QFileInfo(gui).isExecutable()) {
            qWarning("WSLAB_GUI must name the built wslab");
            return run;
        }
        QProcess wslab;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        wslab.setProcessEnvironment(env);
        wslab.start(QStringLiteral("unshare"), QStringList{QStringLiteral("-rn"), gui} + args);
        if (!wslab.waitForFinished(30000) || wslab.exitStatus() != QProcess::NormalExit) {
            qWarning() << "wslab" << args << "did not exit by itself";
            return run;
        }
        run.exitCode = wslab.exitCode();
        run.lines = QString::fromUtf8(wslab.readAllStandardError()).split(u'\n').filter(QStringLiteral("wslab:"));
        return run;
    }
};

QTEST_MAIN(tst_Session)
#include "tst_Session.moc"
