// The real lab window, driven on the offscreen platform as a user would: start the server, two
// clients, messages into all three logs, backoff with a countdown, refusals shown where they happen.
#include "core/client/Client.h"
#include "core/server/Server.h"
#include "tests/support/WsLabTest.h"
#include "ui/client/ClientPanel.h"
#include "ui/client/HeadersEditor.h"
#include "ui/client/StateIndicator.h"
#include "ui/close/CloseDialog.h"
#include "ui/composer/Composer.h"
#include "ui/log/LogModel.h"
#include "ui/log/LogView.h"
#include "ui/main/ClientArea.h"
#include "ui/main/MainWindow.h"
#include "ui/server/PeerTableModel.h"
#include "ui/server/ServerPanel.h"
#include "ui/style/LabColors.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace wslab;

namespace {

// How many events of a kind and direction the view's model shows whose payload contains text.
int rowsWith(LogView *view, EventKind kind, Direction dir, const QByteArray &text)
{
    view->model()->flush();
    int n = 0;
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const LogEvent *e = view->model()->eventAt(row);
        if (e && e->kind == kind && e->direction == dir && e->payload.contains(text))
            ++n;
    }
    return n;
}

void prepareClient(ClientPanel *panel, const QString &url)
{
    panel->setUrl(url);
    // Short delays keep the test quick; the defaults (1 s base) are for people.
    panel->findChild<QSpinBox *>(QStringLiteral("clientReconnectBase"))->setValue(300);
    panel->findChild<QSpinBox *>(QStringLiteral("clientReconnectCap"))->setValue(600);
}

// The usual start: the window's server on a free port, its first client open on it; nullptr on failure.
// closeLingerMs, when set, goes into the client's Close linger field before it connects.
ClientPanel *startServerAndOpenClient(MainWindow &window, int closeLingerMs = -1)
{
    ServerPanel *server = window.serverPanel();
    server->setPort(0);
    if (!server->start())
        return nullptr;
    ClientPanel *client = window.clientPanels().at(0);
    prepareClient(client, server->server()->url().toString() + u'/');
    if (closeLingerMs >= 0)
        client->findChild<QSpinBox *>(QStringLiteral("clientCloseLinger"))->setValue(closeLingerMs);
    if (!client->connectToServer())
        return nullptr;
    return QTest::qWaitFor([client] { return client->client()->state() == Client::State::Open; }, 10000) ? client : nullptr;
}

} // namespace

class tst_LabWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void threeWayChatShowsInEveryLog()
    {
        MainWindow window({/*persist*/ false, /*firstStartDemo*/ false});
        window.show();
        ServerPanel *server = window.serverPanel();
        server->setPort(0);
        server->setMode(ServerMode::Broadcast);
        QVERIFY2(server->start(), qPrintable(server->statusText()));
        const QString url = server->server()->url().toString() + u'/';
        QAbstractItemModelTester tester(server->peerModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);

        QCOMPARE(window.clientPanels().size(), 1);
        ClientPanel *alice = window.clientPanels().at(0);
        ClientPanel *bob = window.addClient();
        QCOMPARE(window.clientPanels().size(), 2);
        prepareClient(alice, url);
        prepareClient(bob, url);
        alice->findChild<QPushButton *>(QStringLiteral("clientConnect"))->click();
        bob->findChild<QPushButton *>(QStringLiteral("clientConnect"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(alice->client()->state(), Client::State::Open, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(bob->client()->state(), Client::State::Open, 10000);
        QVERIFY(alice->stateText().startsWith(QStringLiteral("Open")));
        server->peerModel()->refresh();
        QCOMPARE(server->peerModel()->rowCount(), 2);

        alice->composer()->editor()->setPlainText(QStringLiteral("hello from alice"));
        QTest::keyClick(alice->composer()->editor(), Qt::Key_Return, Qt::ControlModifier); // Ctrl+Enter sends
        QCOMPARE(alice->composer()->editor()->toPlainText(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(rowsWith(server->logView(), EventKind::Text, Direction::In, "hello from alice"), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(rowsWith(bob->logView(), EventKind::Text, Direction::In, "hello from alice"), 1, 10000);
        QCOMPARE(rowsWith(alice->logView(), EventKind::Text, Direction::Out, "hello from alice"), 1);
        QCOMPARE(rowsWith(alice->logView(), EventKind::Text, Direction::In, "hello from alice"), 0); // broadcast skips the sender

        // The server's composer names its target, and refuses loudly when there is none.
        QCOMPARE(server->composer()->findChild<QPushButton *>(QStringLiteral("composerSend"))->text(), QStringLiteral("Send to all"));
        server->findChild<QComboBox *>(QStringLiteral("serverTarget"))->setCurrentIndex(1);
        server->peerTable()->clearSelection();
        server->composer()->editor()->setPlainText(QStringLiteral("to nobody"));
        QVERIFY(!server->composer()->send());
        QVERIFY(server->composer()->statusIsError());
        server->findChild<QComboBox *>(QStringLiteral("serverTarget"))->setCurrentIndex(0);

        // The server answers everyone from its own composer.
        server->composer()->editor()->setPlainText(QStringLiteral("welcome, both"));
        QVERIFY(server->composer()->send());
        QTRY_COMPARE_WITH_TIMEOUT(rowsWith(alice->logView(), EventKind::Text, Direction::In, "welcome, both"), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(rowsWith(bob->logView(), EventKind::Text, Direction::In, "welcome, both"), 1, 10000);
    }

    void stoppedServerSendsClientsToBackoffWithACountdown()
    {
        MainWindow window({false, false});
        ServerPanel *server = window.serverPanel();
        ClientPanel *client = startServerAndOpenClient(window);
        QVERIFY(client);
        const quint16 port = server->server()->port();

        server->stop(); // peers get 1001: a retryable ending
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Backoff, 10000);
        static const QRegularExpression countdown(QStringLiteral("^Retry (\\d+) in (\\d+\\.\\d) s"));
        const QRegularExpressionMatch first = countdown.match(client->stateText());
        QVERIFY2(first.hasMatch(), qPrintable(client->stateText()));
        QVERIFY(client->findChild<QPushButton *>(QStringLiteral("clientRetryNow"))->isVisibleTo(client));
        // Restarted on the same port, the client comes back on its own.
        server->setPort(port);
        QVERIFY2(server->start(), qPrintable(server->statusText()));
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Open, 10000);
        QVERIFY(rowsWith(client->logView(), EventKind::RetryScheduled, Direction::Local, {}) >= 1);
    }

    // Disconnect does not cut off what the server is still saying: a reply the server sends after it
    // has read everything (after the drain ping's pong) still reaches the log, then the close goes.
    void disconnectWaitsForTheRepliesOnTheirWay()
    {
        MainWindow window({false, false});
        ClientPanel *client = startServerAndOpenClient(window, 2000); // time enough for a loaded machine
        QVERIFY(client);
        Server *server = window.serverPanel()->server();
        QTRY_VERIFY(test::peerOf(*server, *client->client()));
        const int peerId = test::peerOf(*server, *client->client())->id();
        connect(client->client(), &Client::pongReceived, this, [server, peerId](const QByteArray &payload) {
            if (payload == QByteArrayLiteral("wslab-drain"))
                server->sendText(peerId, QStringLiteral("the last word"));
        });
        auto *button = client->findChild<QPushButton *>(QStringLiteral("clientConnect"));
        QCOMPARE(button->text(), QStringLiteral("Disconnect"));

        button->click();
        QCOMPARE(client->client()->state(), Client::State::Closing);
        QCOMPARE(button->text(), QStringLiteral("Close now"));
        QVERIFY2(client->stateText().startsWith(QStringLiteral("Closing: waiting for the replies")), qPrintable(client->stateText()));
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Idle, 10000);
        QCOMPARE(rowsWith(client->logView(), EventKind::Text, Direction::In, "the last word"), 1);
        QCOMPARE(client->client()->lastCloseCode(), 1000);
        QCOMPARE(button->text(), QStringLiteral("Connect"));
    }

    // A second press does not wait any longer.
    void closeNowEndsTheWaitAtOnce()
    {
        MainWindow window({false, false});
        ClientPanel *client = startServerAndOpenClient(window, 600000); // ten minutes of quiet
        QVERIFY(client);
        auto *button = client->findChild<QPushButton *>(QStringLiteral("clientConnect"));

        button->click();
        QTRY_VERIFY(rowsWith(client->logView(), EventKind::Pong, Direction::In, "wslab-drain") == 1);
        QVERIFY(client->client()->isDraining());
        button->click();
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Idle, 5000);
        QCOMPARE(client->client()->lastCloseCode(), 1000);
        QCOMPARE(client->client()->lastCause().kind, DisconnectCause::Kind::UserClose);
    }

    void countdownCountsDown()
    {
        MainWindow window({false, false});
        ClientPanel *client = window.clientPanels().at(0);
        // A port that was free a moment ago: the connect is refused, and a long backoff keeps the
        // countdown on screen long enough to watch it move.
        const quint16 port = test::closedPort();
        QVERIFY(port != 0);
        client->setUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
        client->findChild<QSpinBox *>(QStringLiteral("clientReconnectBase"))->setValue(5000);
        client->client()->setRandomSource([] { return 0.99; });
        QVERIFY(client->connectToServer());
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Backoff, 10000);
        const QString before = client->stateText();
        QTRY_VERIFY_WITH_TIMEOUT(client->stateText() != before, 3000);
        QVERIFY2(client->stateText().startsWith(QStringLiteral("Retry 1 in ")), qPrintable(client->stateText()));
        client->disconnectFromServer();
        QCOMPARE(client->client()->state(), Client::State::Idle);
    }

    void malformedJsonIsRefusedWithItsPosition()
    {
        MainWindow window({false, false});
        ClientPanel *client = startServerAndOpenClient(window);
        QVERIFY(client);

        Composer *composer = client->composer();
        composer->setMode(Composer::Mode::Json);
        composer->editor()->setPlainText(QStringLiteral("{\n  \"a\": [1, 2,, 3]\n}"));
        QVERIFY(!composer->send());
        QVERIFY(composer->statusIsError());
        QVERIFY2(composer->statusText().contains(QStringLiteral("line 2, column")), qPrintable(composer->statusText()));
        QCOMPARE(client->client()->counters().messagesOut, quint64(0));
        QVERIFY(!composer->editor()->toPlainText().isEmpty()); // nothing is lost: fix it and send again
        composer->editor()->setPlainText(QStringLiteral("{\"a\": [1, 2, 3]}"));
        QVERIFY(composer->send());
        QCOMPARE(client->client()->counters().messagesOut, quint64(1));

        composer->setMode(Composer::Mode::Hex);
        composer->editor()->setPlainText(QStringLiteral("00 01 zz"));
        QVERIFY(!composer->send());
        composer->editor()->setPlainText(QStringLiteral("00 01 fe ff"));
        QVERIFY(composer->send());
        QTRY_COMPARE_WITH_TIMEOUT(rowsWith(client->logView(), EventKind::Binary, Direction::In, QByteArray("\x00\x01\xfe\xff", 4)), 1,
                                  10000);
    }

    void kickDialogRefusesReservedCodes()
    {
        CloseDialog dialog(QStringLiteral("Close peer 1"));
        auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        dialog.setCode(1006);
        QVERIFY(!dialog.isAcceptable());
        QVERIFY(!ok->isEnabled());
        dialog.setCode(4001);
        dialog.setReason(QStringLiteral("bye"));
        QVERIFY(dialog.isAcceptable());
        QVERIFY(ok->isEnabled());
        // 62 characters but 124 bytes of UTF-8: one byte too many for a close frame.
        dialog.setReason(QString(62, QChar(0xe9)));
        QVERIFY(!dialog.isAcceptable());
        QVERIFY2(dialog.problem().contains(QStringLiteral("124 bytes")), qPrintable(dialog.problem()));
        dialog.setReason(QString(61, QChar(0xe9)) + u'x');
        QVERIFY(dialog.isAcceptable());
    }

    void settingsSurviveARestartButTheTokenDoesNot()
    {
        QTemporaryDir dir;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("WsLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("wslab-settings-test"));
        {
            MainWindow window({true, false});
            window.serverPanel()->setPort(9123);
            window.serverPanel()->setMode(ServerMode::Silent);
            window.serverPanel()->findChild<QLineEdit *>(QStringLiteral("serverPath"))->setText(QStringLiteral("/chat"));
            window.serverPanel()->findChild<QLineEdit *>(QStringLiteral("serverToken"))->setText(QStringLiteral("s3cret"));
            window.serverPanel()->findChild<QSpinBox *>(QStringLiteral("serverCloseTimeout"))->setValue(1234);
            window.clientPanels().at(0)->setUrl(QStringLiteral("ws://127.0.0.1:9123/chat"));
            window.clientPanels().at(0)->findChild<QLineEdit *>(QStringLiteral("clientSubprotocols"))->setText(QStringLiteral("chat"));
            window.close();
        }
        MainWindow again({true, true}); // saved state wins over the first-start demo
        QVERIFY(!again.ranFirstStart());
        QString error;
        const ServerConfig config = again.serverPanel()->configFromForm(&error);
        QCOMPARE(config.port, quint16(9123));
        QCOMPARE(config.mode, ServerMode::Silent);
        QCOMPARE(config.path, QStringLiteral("/chat"));
        QCOMPARE(config.closeTimeout, std::chrono::milliseconds(1234));
        QVERIFY(config.token.isEmpty());
        QCOMPARE(again.clientPanels().at(0)->url(), QStringLiteral("ws://127.0.0.1:9123/chat"));
        QCOMPARE(again.clientPanels().at(0)->configFromForm(&error).subprotocols, QStringList{QStringLiteral("chat")});
        QFile file(QSettings().fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("s3cret"));
    }

    void kickReachesTheClientWithCodeAndReason()
    {
        MainWindow window({false, false});
        ServerPanel *server = window.serverPanel();
        ClientPanel *client = startServerAndOpenClient(window);
        QVERIFY(client);
        server->peerModel()->refresh();
        server->peerTable()->selectRow(0);
        QVERIFY(server->kickSelected(4001, QStringLiteral("lesson over")));
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Idle, 10000);
        QCOMPARE(client->stateText(), QStringLiteral("Closed: 4001 Private use — lesson over"));
    }

    void clientsSideBySideKeepTheirConnections()
    {
        MainWindow window({false, false});
        window.show();
        ServerPanel *server = window.serverPanel();
        server->setPort(0);
        server->setMode(ServerMode::Broadcast);
        QVERIFY(server->start());
        const QString url = server->server()->url().toString() + u'/';
        window.addClient();
        window.addClient();
        const QList<ClientPanel *> panels = window.clientPanels();
        QCOMPARE(panels.size(), 3);
        for (ClientPanel *panel : panels) {
            prepareClient(panel, url);
            QVERIFY(panel->connectToServer());
        }
        for (ClientPanel *panel : panels)
            QTRY_COMPARE_WITH_TIMEOUT(panel->client()->state(), Client::State::Open, 10000);

        // Columns instead of tabs: the same panels, in the same order, every one in sight, still open.
        auto *toggle = window.findChild<QAction *>(QStringLiteral("clientsSideBySide"));
        QVERIFY(toggle);
        toggle->trigger();
        QVERIFY(window.clientArea()->isSideBySide());
        QCOMPARE(window.clientPanels(), panels);
        auto *columns = window.findChild<QSplitter *>(QStringLiteral("clientColumns"));
        QCOMPARE(columns->count(), 3);
        for (ClientPanel *panel : panels) {
            QVERIFY(panel->isVisible());
            QCOMPARE(panel->client()->state(), Client::State::Open);
        }
        QTRY_VERIFY(panels.at(1)
                        ->parentWidget()
                        ->findChild<QLabel *>(QStringLiteral("clientColumnTitle"))
                        ->text()
                        .endsWith(QStringLiteral("client 2")));

        // A three-way chat, every log in one view.
        panels.at(0)->composer()->editor()->setPlainText(QStringLiteral("hi all"));
        QVERIFY(panels.at(0)->composer()->send());
        QTRY_COMPARE_WITH_TIMEOUT(rowsWith(panels.at(1)->logView(), EventKind::Text, Direction::In, "hi all"), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(rowsWith(panels.at(2)->logView(), EventKind::Text, Direction::In, "hi all"), 1, 10000);

        // A column's close button ends that client alone.
        QPointer<ClientPanel> closing = panels.at(1);
        panels.at(1)->parentWidget()->findChild<QToolButton *>(QStringLiteral("clientColumnClose"))->click();
        QCOMPARE(window.clientPanels(), (QList<ClientPanel *>{panels.at(0), panels.at(2)}));
        QTRY_VERIFY(closing.isNull());
        QTRY_COMPARE_WITH_TIMEOUT(server->server()->peerCount(), 2, 10000);

        // Back to tabs, and a new client goes where the others are.
        toggle->trigger();
        auto *tabs = window.findChild<QTabWidget *>(QStringLiteral("clientTabs"));
        QCOMPARE(tabs->count(), 2);
        QCOMPARE(columns->count(), 0);
        QCOMPARE(window.clientPanels(), (QList<ClientPanel *>{panels.at(0), panels.at(2)}));
        QCOMPARE(panels.at(2)->client()->state(), Client::State::Open);
        window.addClient();
        QCOMPARE(tabs->count(), 3);
    }

    void firstStartShowsTrafficAtOnce()
    {
        MainWindow window({/*persist*/ false, /*firstStartDemo*/ true, /*firstStartPort*/ 0});
        QVERIFY(window.ranFirstStart());
        Server *server = window.serverPanel()->server();
        QCOMPARE(server->state(), Server::State::Listening);
        QCOMPARE(server->config().mode, ServerMode::Echo);
        QCOMPARE(window.clientPanels().size(), 1);
        ClientPanel *client = window.clientPanels().first();
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Open, 10000);
        // The greeting went out through the Outbox and came back; the demo's ping gives an RTT.
        QTRY_VERIFY_WITH_TIMEOUT(rowsWith(client->logView(), EventKind::Text, Direction::In, "Hello from WsLab") == 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(client->stateText().contains(QStringLiteral("RTT")), 10000);
        QVERIFY(rowsWith(window.serverPanel()->logView(), EventKind::Text, Direction::In, "Hello from WsLab") == 1);
    }

    void headersEditorRefusesBrokenHeaders()
    {
        MainWindow window({false, false});
        ClientPanel *client = window.clientPanels().at(0);
        auto *headers = client->findChild<HeadersEditor *>(QStringLiteral("clientHeaders"));
        QVERIFY(headers);
        client->setUrl(QStringLiteral("ws://127.0.0.1:1/"));
        headers->addRow(QStringLiteral("Authorization"), QStringLiteral("Bearer T"));
        headers->addRow(); // an empty row is ignored, not an error
        QString error;
        ClientConfig config = client->configFromForm(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(config.headers.size(), 1);
        QCOMPARE(config.headers.first().first, QByteArray("Authorization"));
        QCOMPARE(config.headers.first().second, QByteArray("Bearer T"));

        headers->addRow(QStringLiteral("Bad Name"), QStringLiteral("x"));
        config = client->configFromForm(&error);
        QVERIFY(error.contains(QStringLiteral("Bad Name")));
        QVERIFY(!client->connectToServer());
        QVERIFY2(client->stateText().startsWith(QStringLiteral("Cannot connect")), qPrintable(client->stateText()));
        QCOMPARE(client->client()->state(), Client::State::Idle);

        headers->setText(QStringLiteral("X-One: 1\nX-Two: two: parts"));
        QCOMPARE(headers->table()->rowCount(), 2);
        QCOMPARE(headers->toText(), QStringLiteral("X-One: 1\nX-Two: two: parts"));
    }

    void clientClosesWithTheCodeAndReasonGiven()
    {
        MainWindow window({false, false});
        ServerPanel *server = window.serverPanel();
        ClientPanel *client = startServerAndOpenClient(window);
        QVERIFY(client);
        QVERIFY(!client->disconnectFromServer(1006, QStringLiteral("not allowed"))); // reserved: never on the wire
        QVERIFY2(client->stateText().contains(QStringLiteral("1006")), qPrintable(client->stateText()));
        QCOMPARE(client->client()->state(), Client::State::Open);
        QVERIFY(client->disconnectFromServer(4002, QStringLiteral("done here")));
        QTRY_COMPARE_WITH_TIMEOUT(rowsWith(server->logView(), EventKind::Close, Direction::In, {}), 1, 10000);
        server->logView()->model()->flush();
        bool seen = false;
        for (int row = 0; row < server->logView()->model()->rowCount(); ++row) {
            const LogEvent *e = server->logView()->model()->eventAt(row);
            seen |= e && e->kind == EventKind::Close && e->direction == Direction::In && e->closeCode == 4002 && e->detail == u"done here";
        }
        QVERIFY(seen);
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Idle, 10000);
    }

    void exportWritesOneFilePerEndpoint()
    {
        MainWindow window({false, false});
        window.addClient();
        QTemporaryDir dir;
        QStringList written;
        QString error;
        QVERIFY2(window.exportLogsTo(dir.path(), &written, &error), qPrintable(error));
        QCOMPARE(written.size(), 3);
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("server.jsonl"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("client-2.jsonl"))));
    }

    void peerTableUnderTheModelTester()
    {
        MainWindow window({false, false});
        ServerPanel *server = window.serverPanel();
        QAbstractItemModelTester tester(server->peerModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        server->setPort(0);
        QVERIFY(server->start());
        const QString url = server->server()->url().toString() + u'/';
        ClientPanel *a = window.clientPanels().at(0);
        ClientPanel *b = window.addClient();
        prepareClient(a, url);
        prepareClient(b, url);
        QVERIFY(a->connectToServer());
        QVERIFY(b->connectToServer());
        // Rows come from the coalescing timer, not from each signal.
        QTRY_COMPARE_WITH_TIMEOUT(server->peerModel()->rowCount(), 2, 10000);
        QCOMPARE(server->peerModel()->index(0, PeerTableModel::PathColumn).data().toString(), QStringLiteral("/"));
        QVERIFY(a->disconnectFromServer());
        QTRY_COMPARE_WITH_TIMEOUT(server->peerModel()->rowCount(), 1, 10000);
        server->stop();
        QTRY_COMPARE_WITH_TIMEOUT(server->peerModel()->rowCount(), 0, 10000);
    }

    void wssWithALabCertificateAndIgnoredErrorsShowsAWarning()
    {
        MainWindow window({false, false});
        ServerPanel *server = window.serverPanel();
        QTemporaryDir dir;
        QVERIFY(server->makeCertificateIn(dir.path()));
        QVERIFY2(server->certificateInfo().contains(QStringLiteral("SHA-256 ")), qPrintable(server->certificateInfo()));
        QCOMPARE(server->findChild<QLineEdit *>(QStringLiteral("serverCertFile"))->text(), dir.filePath(QStringLiteral("cert.pem")));
        server->setPort(0);
        QVERIFY2(server->start(), qPrintable(server->statusText()));
        const QString url = server->server()->url().toString() + u'/';
        QVERIFY(url.startsWith(QStringLiteral("wss://")));
        QVERIFY(server->shareAddress().startsWith(QStringLiteral("wss://")));

        // Trusting the lab CA: verified, no warning.
        ClientPanel *trusting = window.clientPanels().at(0);
        prepareClient(trusting, url);
        trusting->findChild<QLineEdit *>(QStringLiteral("clientCaFile"))->setText(dir.filePath(QStringLiteral("ca.pem")));
        QVERIFY(trusting->connectToServer());
        QTRY_COMPARE_WITH_TIMEOUT(trusting->client()->state(), Client::State::Open, 10000);
        auto *trustedLine = trusting->findChild<QLabel *>(QStringLiteral("clientCertificate"));
        QTRY_VERIFY_WITH_TIMEOUT(trustedLine->isVisibleTo(trusting), 5000);
        QVERIFY(!trustedLine->text().contains(QStringLiteral("NOT verified")));

        // Ignoring errors instead: connected, and told loudly.
        ClientPanel *careless = window.addClient();
        prepareClient(careless, url);
        careless->findChild<QCheckBox *>(QStringLiteral("clientInsecure"))->setChecked(true);
        QVERIFY(careless->connectToServer());
        QTRY_COMPARE_WITH_TIMEOUT(careless->client()->state(), Client::State::Open, 10000);
        auto *warning = careless->findChild<QLabel *>(QStringLiteral("clientCertificate"));
        QTRY_VERIFY_WITH_TIMEOUT(warning->isVisibleTo(careless) && warning->text().contains(QStringLiteral("NOT verified")), 5000);
        QVERIFY(warning->styleSheet().contains(toneColor(Tone::Error).name()));
        QVERIFY(careless->disconnectFromServer());
        QTRY_VERIFY_WITH_TIMEOUT(!warning->isVisibleTo(careless), 10000);
    }
};

QTEST_MAIN(tst_LabWindow)
#include "tst_LabWindow.moc"
