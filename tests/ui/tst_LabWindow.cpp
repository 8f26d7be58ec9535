// The real lab window, driven on the offscreen platform as a user would: start the server, two
// clients, messages into all three logs, backoff with a countdown, refusals shown where they happen.
#include "client/Client.h"
#include "client/ClientPanel.h"
#include "composer/Composer.h"
#include "log/LogModel.h"
#include "log/LogView.h"
#include "main/MainWindow.h"
#include "server/KickDialog.h"
#include "server/PeerTableModel.h"
#include "server/Server.h"
#include "server/ServerPanel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTableView>
#include <QLineEdit>
#include <QSettings>
#include <QTemporaryDir>
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
        server->setPort(0);
        QVERIFY(server->start());
        const quint16 port = server->server()->port();
        ClientPanel *client = window.clientPanels().at(0);
        prepareClient(client, server->server()->url().toString() + u'/');
        QVERIFY(client->connectToServer());
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Open, 10000);

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

    void countdownCountsDown()
    {
        MainWindow window({false, false});
        ClientPanel *client = window.clientPanels().at(0);
        // A port that was free a moment ago: the connect is refused, and a long backoff keeps the
        // countdown on screen long enough to watch it move.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
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
        ServerPanel *server = window.serverPanel();
        server->setPort(0);
        QVERIFY(server->start());
        ClientPanel *client = window.clientPanels().at(0);
        prepareClient(client, server->server()->url().toString() + u'/');
        QVERIFY(client->connectToServer());
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Open, 10000);

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
        QTRY_COMPARE_WITH_TIMEOUT(rowsWith(client->logView(), EventKind::Binary, Direction::In, QByteArray("\x00\x01\xfe\xff", 4)), 1, 10000);
    }

    void kickDialogRefusesReservedCodes()
    {
        KickDialog dialog(QStringLiteral("Close peer 1"));
        auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        dialog.setCode(1006);
        QVERIFY(!dialog.isAcceptable());
        QVERIFY(!ok->isEnabled());
        dialog.setCode(4001);
        dialog.setReason(QStringLiteral("bye"));
        QVERIFY(dialog.isAcceptable());
        QVERIFY(ok->isEnabled());
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
        server->setPort(0);
        QVERIFY(server->start());
        ClientPanel *client = window.clientPanels().at(0);
        prepareClient(client, server->server()->url().toString() + u'/');
        QVERIFY(client->connectToServer());
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Open, 10000);
        server->peerModel()->refresh();
        server->peerTable()->selectRow(0);
        QVERIFY(server->kickSelected(4001, QStringLiteral("lesson over")));
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Idle, 10000);
        QCOMPARE(client->stateText(), QStringLiteral("Closed: 4001 Private use — lesson over"));
    }
};

QTEST_MAIN(tst_LabWindow)
#include "tst_LabWindow.moc"
