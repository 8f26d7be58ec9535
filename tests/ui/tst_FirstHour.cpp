// The first hour in the lab window, as a new user meets it: what the window shows must be true,
// nothing needs a second try, and it reads and works on a dark palette and from the keyboard.
#include "core/chat/ChatClient.h"
#include "core/client/Client.h"
#include "core/client/WebSocketUrl.h"
#include "core/log/EventLog.h"
#include "core/server/Server.h"
#include "tests/support/Contrast.h"
#include "ui/chat/ChatView.h"
#include "ui/client/ClientPanel.h"
#include "ui/log/LogModel.h"
#include "ui/log/LogView.h"
#include "ui/main/MainWindow.h"
#include "ui/server/ServerPanel.h"
#include "ui/style/LabColors.h"

#include <QAbstractSpinBox>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

#include <cmath>
#include <csignal>

using namespace wslab;

namespace {

// A python3-websockets peer (tests/ui/peers/py_chat_peer.py): stdin lines go out, "got X" comes back.
class PythonPeer
{
public:
    explicit PythonPeer(const QString &url)
    {
        m_process.start(QStringLiteral("/usr/bin/python3"),
                        {QDir(qEnvironmentVariable("WSLAB_UI_PEERS_DIR")).filePath(QStringLiteral("py_chat_peer.py")), url});
    }
    ~PythonPeer()
    {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    void send(const QByteArray &line) { m_process.write(line + '\n'); }
    QStringList lines()
    {
        m_out += m_process.readAllStandardOutput();
        return QString::fromUtf8(m_out).split(u'\n', Qt::SkipEmptyParts);
    }
    bool waitFor(const QString &line)
    {
        return QTest::qWaitFor([&] { return lines().contains(line) || m_process.state() == QProcess::NotRunning; }, 15000) &&
               lines().contains(line);
    }
    QString errors() { return QString::fromUtf8(m_process.readAllStandardError()); }

private:
    QProcess m_process;
    QByteArray m_out;
};

int countEvents(const EventLog *log, EventKind kind, const QString &detailPart)
{
    int n = 0;
    for (qsizetype i = 0; i < log->size(); ++i) {
        if (log->at(i).kind == kind && log->at(i).detail.contains(detailPart))
            ++n;
    }
    return n;
}

using test::contrast;

QColor styleSheetColour(const QWidget *w)
{
    static const QRegularExpression colour(QStringLiteral("color: (#[0-9a-f]{6})"));
    return QColor::fromString(colour.match(w->styleSheet()).captured(1));
}

// Runs fn on the next modal dialog the window opens, then closes it.
void onNextDialog(std::function<void(QDialog *)> fn)
{
    QTimer::singleShot(0, qApp, [fn] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        fn(dialog);
        dialog->reject();
    });
}

} // namespace

class tst_FirstHour : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void modeSwitchAppliesAtOnceWithOutsidePeers()
    {
        MainWindow window({false, false});
        window.show();
        ServerPanel *panel = window.serverPanel();
        panel->setPort(0);
        panel->setMode(ServerMode::Echo);
        QVERIFY(panel->start());
        const QString url = panel->server()->url().toString() + u'/';
        PythonPeer alice(url);
        PythonPeer bob(url);
        QVERIFY2(alice.waitFor(QStringLiteral("open")), qPrintable(alice.errors()));
        QVERIFY2(bob.waitFor(QStringLiteral("open")), qPrintable(bob.errors()));
        QTRY_COMPARE(panel->server()->peerCount(), 2);

        alice.send("echoed");
        QVERIFY(alice.waitFor(QStringLiteral("got echoed")));

        // The teacher picks broadcast in the running server's combo, as a user does.
        auto *mode = panel->findChild<QComboBox *>(QStringLiteral("serverMode"));
        QVERIFY(mode->isEnabled());
        mode->setCurrentIndex(mode->findText(QStringLiteral("broadcast")));
        QCOMPARE(panel->server()->config().mode, ServerMode::Broadcast);
        QVERIFY2(panel->statusText().contains(QStringLiteral("broadcast")), qPrintable(panel->statusText()));
        QCOMPARE(countEvents(panel->server()->log(), EventKind::Info, QStringLiteral("mode changed from echo to broadcast")), 1);
        QCOMPARE(panel->server()->peerCount(), 2); // nobody was dropped

        alice.send("to everyone");
        QVERIFY(bob.waitFor(QStringLiteral("got to everyone")));
        // Bob's answer reaches Alice after anything the server sent her for her own message, so her
        // lines now prove that "to everyone" did not come back to her.
        bob.send("heard you");
        QVERIFY(alice.waitFor(QStringLiteral("got heard you")));
        QVERIFY(!alice.lines().contains(QStringLiteral("got to everyone")));
        QVERIFY(!bob.lines().contains(QStringLiteral("got heard you")));
    }

    // The same combo goes on to chat: the room answers at once, with no restart.
    void chatModeCanBeChosenWhileRunning()
    {
        MainWindow window({false, false});
        ServerPanel *panel = window.serverPanel();
        panel->setPort(0);
        QVERIFY(panel->start());
        PythonPeer peer(panel->server()->url().toString() + u'/');
        QVERIFY2(peer.waitFor(QStringLiteral("open")), qPrintable(peer.errors()));
        auto *mode = panel->findChild<QComboBox *>(QStringLiteral("serverMode"));
        mode->setCurrentIndex(mode->findText(QStringLiteral("chat")));
        QCOMPARE(panel->server()->config().mode, ServerMode::Chat);
        peer.send(R"({"type":"join","v":1,"nick":"teacher"})");
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const QString &line : peer.lines()) {
                    if (line.startsWith(QStringLiteral("got {")) && line.contains(QStringLiteral(R"("type":"welcome")")))
                        return true;
                }
                return false;
            },
            15000));
    }

    // Two of the window's clients chat through its server; markup stays text.
    void clientsChatBesideTheirLogs()
    {
        MainWindow window({false, false});
        window.show();
        ServerPanel *panel = window.serverPanel();
        panel->setPort(0);
        panel->setMode(ServerMode::Chat);
        QVERIFY(panel->start());
        ClientPanel *alice = window.clientPanels().at(0);
        ClientPanel *bob = window.addClient();
        for (ClientPanel *c : {alice, bob}) {
            c->setUrl(panel->server()->url().toString());
            c->findChild<QToolButton *>(QStringLiteral("clientChatToggle"))->click();
            QVERIFY(!c->chatView()->isHidden());
        }
        alice->chatView()->setNick(QStringLiteral("alice"));
        alice->chatView()->joinOrRename(); // before the connection: joins when it opens
        bob->chatView()->setNick(QStringLiteral("bob"));
        bob->chatView()->joinOrRename();
        QVERIFY(alice->connectToServer());
        QVERIFY(bob->connectToServer());
        QTRY_VERIFY_WITH_TIMEOUT(alice->chatView()->chat()->isJoined() && bob->chatView()->chat()->isJoined(), 10000);
        QTRY_COMPARE(alice->chatView()->chat()->members().size(), 2);
        alice->chatView()->findChild<QLineEdit *>(QStringLiteral("chatInput"))->setText(QStringLiteral("<b>not bold</b>"));
        QVERIFY(alice->chatView()->send());
        QTRY_VERIFY_WITH_TIMEOUT(bob->chatView()->transcript().contains(QStringLiteral("alice: <b>not bold</b>")), 10000);
        // The raw frames are in the log beside it.
        QTRY_VERIFY(bob->logView()->model()->rowCount() > 0);
    }

    void settingsThatNeedARestartAreLockedWhileRunning()
    {
        MainWindow window({false, false});
        ServerPanel *panel = window.serverPanel();
        panel->setPort(0);
        auto *host = panel->findChild<QComboBox *>(QStringLiteral("serverHost"));
        auto *port = panel->findChild<QSpinBox *>(QStringLiteral("serverPort"));
        auto *maxMessage = panel->findChild<QSpinBox *>(QStringLiteral("serverMaxMessage"));
        auto *token = panel->findChild<QLineEdit *>(QStringLiteral("serverToken"));
        auto *note = panel->findChild<QLabel *>(QStringLiteral("serverSettingsNote"));
        QVERIFY(host->isEnabled() && port->isEnabled() && maxMessage->isEnabled() && token->isEnabled());
        QVERIFY(note->isHidden());

        QVERIFY(panel->start());
        for (QWidget *w : std::initializer_list<QWidget *>{host, port, maxMessage, token})
            QVERIFY2(!w->isEnabled(), qPrintable(w->objectName()));
        QVERIFY(host->toolTip().contains(QStringLiteral("Stop the server")));
        QVERIFY(maxMessage->toolTip().startsWith(QStringLiteral("Stop the server")));
        QVERIFY(maxMessage->toolTip().contains(QStringLiteral("1009"))); // its own help stays
        QVERIFY(!note->isHidden());
        QVERIFY(panel->findChild<QComboBox *>(QStringLiteral("serverMode"))->isEnabled());

        panel->stop();
        for (QWidget *w : std::initializer_list<QWidget *>{host, port, maxMessage, token})
            QVERIFY2(w->isEnabled(), qPrintable(w->objectName()));
        QVERIFY(note->isHidden());
        QVERIFY(!maxMessage->toolTip().contains(QStringLiteral("Stop the server")));
    }

    void directionColumnFitsFiveDigitPeerIds()
    {
        EventLog log;
        LogEvent e = LogEvent::make(EventKind::Text, Direction::In, "hi");
        e.peer = 99999;
        log.append(e);
        LogView view(&log);
        view.resize(900, 300);
        view.show();
        view.model()->flush();
        const QString shown = view.model()->index(0, LogModel::DirectionColumn).data().toString();
        QCOMPARE(shown, QStringLiteral("← #99999"));
        QTableView *table = view.table();
        const int needed = table->fontMetrics().horizontalAdvance(shown);
        QVERIFY2(table->columnWidth(LogModel::DirectionColumn) > needed + 6,
                 qPrintable(QStringLiteral("%1 px for %2 px").arg(table->columnWidth(LogModel::DirectionColumn)).arg(needed)));
    }

    void urlsAreTakenAsPeopleTypeThem()
    {
        MainWindow window({false, false});
        ServerPanel *server = window.serverPanel();
        server->setPort(0);
        QVERIFY(server->start());
        const QString port = QString::number(server->server()->port());
        ClientPanel *client = window.clientPanels().at(0);
        client->setUrl(QStringLiteral("127.0.0.1:") + port + QStringLiteral("/chat"));
        QVERIFY2(client->connectToServer(), qPrintable(client->stateText()));
        QCOMPARE(client->url(), QStringLiteral("ws://127.0.0.1:") + port + QStringLiteral("/chat"));
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Open, 10000);
        QVERIFY(client->disconnectFromServer());
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Idle, 10000);

        client->setUrl(QStringLiteral("http://127.0.0.1:") + port + u'/');
        QVERIFY(client->connectToServer());
        QCOMPARE(client->url(), QStringLiteral("ws://127.0.0.1:") + port + u'/');
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Open, 10000);
        QVERIFY(client->disconnectFromServer());
        QTRY_COMPARE_WITH_TIMEOUT(client->client()->state(), Client::State::Idle, 10000);

        client->setUrl(QStringLiteral("ftp://127.0.0.1/"));
        QVERIFY(!client->connectToServer());
        QVERIFY2(client->stateText().contains(QStringLiteral("use ws:// or wss://")), qPrintable(client->stateText()));
    }

    // The window and wslab-cli read the same table of addresses the same way.
    void windowAndCliAgreeOnUrls_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("meant"); // empty: refused
        QTest::newRow("no scheme") << QStringLiteral("127.0.0.1:1/chat") << QStringLiteral("ws://127.0.0.1:1/chat");
        QTest::newRow("http") << QStringLiteral("http://127.0.0.1:1/") << QStringLiteral("ws://127.0.0.1:1/");
        QTest::newRow("https") << QStringLiteral("https://127.0.0.1:1/") << QStringLiteral("wss://127.0.0.1:1/");
        QTest::newRow("WS upper case") << QStringLiteral("WS://127.0.0.1:1") << QStringLiteral("ws://127.0.0.1:1");
        QTest::newRow("ipv6") << QStringLiteral("[::1]:1/x") << QStringLiteral("ws://[::1]:1/x");
        QTest::newRow("ftp") << QStringLiteral("ftp://127.0.0.1:1/") << QString();
        QTest::newRow("no host") << QStringLiteral("ws:///path") << QString();
        QTest::newRow("empty") << QStringLiteral("  ") << QString();
    }

    void windowAndCliAgreeOnUrls()
    {
        QFETCH(QString, typed);
        QFETCH(QString, meant);
        QString error;
        const QUrl url = webSocketUrlFromUserInput(typed, &error);
        QCOMPARE(error.isEmpty(), !meant.isEmpty());
        if (!meant.isEmpty())
            QCOMPARE(url.toString(), meant);

        MainWindow window({false, false});
        ClientPanel *client = window.clientPanels().at(0);
        client->setUrl(typed);
        const ClientConfig config = client->configFromForm(&error);
        QCOMPARE(error.isEmpty(), !meant.isEmpty());
        if (!meant.isEmpty())
            QCOMPARE(config.url.toString(), meant);

        // Port 1 has no server: an accepted URL fails to connect (exit 1), a refused one is a usage error (2).
        QProcess cli;
        cli.start(qEnvironmentVariable("WSLAB_CLI"), {QStringLiteral("connect"), typed, QStringLiteral("--no-reconnect")});
        cli.closeWriteChannel();
        QVERIFY(cli.waitForFinished(15000));
        const QString stderrText = QString::fromUtf8(cli.readAllStandardError());
        QCOMPARE(cli.exitCode(), meant.isEmpty() ? 2 : 1);
        if (meant.isEmpty())
            QCOMPARE(stderrText.count(u'\n'), 1);
    }

    void peersPaneIsRememberedAndCounted()
    {
        QTemporaryDir dir;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("WsLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("wslab-peers-pane-test"));
        QList<int> sizes;
        {
            MainWindow window({true, false});
            window.resize(1400, 1000);
            window.show();
            ServerPanel *panel = window.serverPanel();
            auto *title = panel->findChild<QLabel *>(QStringLiteral("serverPeersTitle"));
            QCOMPARE(title->text(), QStringLiteral("Peers (0)"));
            panel->setPort(0);
            QVERIFY(panel->start());
            ClientPanel *client = window.clientPanels().at(0);
            client->setUrl(panel->server()->url().toString());
            QVERIFY(client->connectToServer());
            QTRY_COMPARE_WITH_TIMEOUT(title->text(), QStringLiteral("Peers (1)"), 10000);

            // The peers pane can grow well past three rows, at the log's expense.
            auto *split = panel->findChild<QSplitter *>(QStringLiteral("serverSplitter"));
            QCOMPARE(split->count(), 4);
            QCOMPARE(split->widget(3), static_cast<QWidget *>(panel->logView()));
            QTRY_VERIFY(split->sizes().value(3) > 0);
            sizes = split->sizes();
            const int rowHeight = panel->peerTable()->verticalHeader()->defaultSectionSize();
            const int grow = 12 * rowHeight;
            sizes[1] += grow;
            sizes[3] -= grow;
            split->setSizes(sizes);
            sizes = split->sizes();
            QVERIFY2(panel->peerTable()->height() > 10 * rowHeight, qPrintable(QString::number(panel->peerTable()->height())));
            window.close();
        }
        MainWindow again({true, false});
        again.resize(1400, 1000);
        again.show();
        auto *split = again.serverPanel()->findChild<QSplitter *>(QStringLiteral("serverSplitter"));
        QTRY_COMPARE(split->sizes(), sizes);
    }

    void perAddressRefusalSaysWhereToRaiseIt()
    {
        MainWindow window({false, false});
        ServerPanel *panel = window.serverPanel();
        panel->setPort(0);
        panel->findChild<QSpinBox *>(QStringLiteral("serverMaxPerAddress"))->setValue(1);
        QVERIFY(panel->start());
        const QString url = panel->server()->url().toString() + u'/';
        ClientPanel *first = window.clientPanels().at(0);
        ClientPanel *second = window.addClient();
        for (ClientPanel *c : {first, second}) {
            c->setUrl(url);
            c->findChild<QSpinBox *>(QStringLiteral("clientReconnectBase"))->setValue(5000);
            c->findChild<QSpinBox *>(QStringLiteral("clientReconnectCap"))->setValue(5000);
        }
        QVERIFY(first->connectToServer());
        QTRY_COMPARE_WITH_TIMEOUT(first->client()->state(), Client::State::Open, 10000);
        QVERIFY(second->connectToServer());
        QTRY_COMPARE_WITH_TIMEOUT(countEvents(panel->server()->log(), EventKind::Refused, QStringLiteral("HTTP 429")), 1, 10000);
        QCOMPARE(countEvents(panel->server()->log(), EventKind::Refused, QStringLiteral("per-address limit reached")), 1);
        QCOMPARE(countEvents(panel->server()->log(), EventKind::Refused, QStringLiteral("Settings > Connections > per address")), 1);
        QCOMPARE(countEvents(panel->server()->log(), EventKind::Refused, QStringLiteral("--max-per-address")), 1);
        QTRY_VERIFY_WITH_TIMEOUT(second->stateText().contains(QStringLiteral("429")), 10000);
        QCOMPARE(first->client()->state(), Client::State::Open);
    }

    void closeCodesShowNoRowNumbers()
    {
        MainWindow window({false, false});
        window.show();
        QAction *codes = nullptr;
        for (QAction *a : window.findChildren<QAction *>()) {
            if (a->text() == QStringLiteral("&Close codes"))
                codes = a;
        }
        QVERIFY(codes);
        bool seen = false;
        onNextDialog([&seen](QDialog *dialog) {
            auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("closeCodesTable"));
            QVERIFY(table);
            QVERIFY(table->verticalHeader()->isHidden());
            QCOMPARE(table->item(0, 0)->text(), QStringLiteral("1000"));
            seen = true;
        });
        codes->trigger();
        QVERIFY(seen);
    }

    void everyClientTabComesBack()
    {
        QTemporaryDir dir;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("WsLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("wslab-tabs-test"));
        {
            MainWindow window({true, false});
            window.clientPanels().at(0)->setUrl(QStringLiteral("ws://127.0.0.1:9001/a"));
            window.addClient()->setUrl(QStringLiteral("ws://127.0.0.1:9002/b"));
            ClientPanel *third = window.addClient();
            third->setUrl(QStringLiteral("wss://127.0.0.1:9003/c"));
            third->findChild<QLineEdit *>(QStringLiteral("clientSubprotocols"))->setText(QStringLiteral("chat"));
            window.close();
        }
        {
            MainWindow again({true, false});
            const QList<ClientPanel *> panels = again.clientPanels();
            QCOMPARE(panels.size(), 3);
            QCOMPARE(panels.at(0)->url(), QStringLiteral("ws://127.0.0.1:9001/a"));
            QCOMPARE(panels.at(1)->url(), QStringLiteral("ws://127.0.0.1:9002/b"));
            QCOMPARE(panels.at(2)->url(), QStringLiteral("wss://127.0.0.1:9003/c"));
            QString error;
            QCOMPARE(panels.at(2)->configFromForm(&error).subprotocols, QStringList{QStringLiteral("chat")});
            // Closing one tab is remembered too.
            again.closeClient(panels.at(1));
            again.close();
        }
        MainWindow third({true, false});
        QCOMPARE(third.clientPanels().size(), 2);
        QCOMPARE(third.clientPanels().at(1)->url(), QStringLiteral("wss://127.0.0.1:9003/c"));
    }

    void everyToneIsReadableOnBothPalettes()
    {
        const QPalette light = QApplication::style()->standardPalette();
        const QPalette dark = darkPalette();
        QVERIFY(!isDarkPalette(light));
        QVERIFY(isDarkPalette(dark));
        for (Tone tone : allTones()) {
            for (const QPalette &palette : {light, dark}) {
                for (QPalette::ColorRole background : {QPalette::Base, QPalette::Window, QPalette::AlternateBase}) {
                    const double ratio = contrast(toneColor(tone, palette), palette.color(background));
                    QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("tone %1 on %2: %3:1")
                                                          .arg(int(tone))
                                                          .arg(palette.color(background).name())
                                                          .arg(ratio, 0, 'f', 2)));
                }
            }
        }
    }

    void darkColoursApplyAtOnceToTheLogAndTheStateLines()
    {
        MainWindow window({false, false});
        window.show();
        ServerPanel *panel = window.serverPanel();
        panel->setPort(0);
        QVERIFY(panel->start());
        auto *status = panel->findChild<QLabel *>(QStringLiteral("serverStatus"));
        const QColor before = styleSheetColour(status);
        window.setDarkColours(true);
        const QColor base = QApplication::palette().color(QPalette::Base);
        QVERIFY(isDarkPalette(QApplication::palette()));
        const QColor after = styleSheetColour(status);
        QVERIFY(before != after);
        QVERIFY2(contrast(after, QApplication::palette().color(QPalette::Window)) >= 4.5, qPrintable(after.name()));
        LogModel *model = panel->logView()->model();
        model->flush();
        QVERIFY(model->rowCount() > 0);
        const QColor listening = model->index(0, LogModel::KindColumn).data(Qt::ForegroundRole).value<QColor>();
        QVERIFY2(contrast(listening, base) >= 4.5, qPrintable(listening.name()));
        window.setDarkColours(false);
        QVERIFY(!isDarkPalette(QApplication::palette()));
        QCOMPARE(styleSheetColour(status), before);
    }

    void everyShortcutIsListedAndNoneIsTakenTwice()
    {
        MainWindow window({false, false});
        const auto listed = window.shortcuts();
        QSet<QString> keys;
        for (QAction *action : window.findChildren<QAction *>()) {
            if (action->shortcut().isEmpty())
                continue;
            const QString key = action->shortcut().toString();
            bool found = false;
            for (const auto &[what, sequence] : listed)
                found = found || sequence == action->shortcut();
            QVERIFY2(found, qPrintable(action->text() + u' ' + key));
            QVERIFY2(!keys.contains(key), qPrintable(QStringLiteral("%1 is taken twice").arg(key)));
            keys.insert(key);
        }
        QVERIFY(keys.contains(QStringLiteral("Ctrl+/")));
        bool seen = false;
        onNextDialog([&seen, &listed](QDialog *dialog) {
            auto *table = dialog->findChild<QTableWidget *>(QStringLiteral("shortcutsTable"));
            QVERIFY(table);
            QCOMPARE(table->rowCount(), int(listed.size()));
            seen = true;
        });
        for (QAction *a : window.findChildren<QAction *>()) {
            if (a->text() == QStringLiteral("&Keyboard shortcuts"))
                a->trigger();
        }
        QVERIFY(seen);
    }

    // What a screen reader says for each control the Tab key reaches.
    void everyControlHasAnAccessibleName()
    {
        MainWindow window({false, false});
        window.addClient();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList unnamed;
        for (QWidget *w : window.findChildren<QWidget *>()) {
            if (!w->isVisibleTo(&window) || !(w->focusPolicy() & Qt::TabFocus) || !w->isEnabled())
                continue;
            // The editor inside a spin box or an editable combo speaks for its owner, which is checked itself.
            if (qobject_cast<QAbstractSpinBox *>(w->parentWidget()) || (w->parentWidget() && w->parentWidget()->focusProxy() == w))
                continue;
            QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(w);
            QVERIFY(iface);
            if (iface->text(QAccessible::Name).trimmed().isEmpty())
                unnamed << QStringLiteral("%1 (%2)").arg(w->objectName(), QString::fromLatin1(w->metaObject()->className()));
        }
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    }

    // Tab walks each panel top to bottom: where to connect, then what to send, then the log.
    void tabOrderFollowsThePanel()
    {
        MainWindow window({false, false});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(QTest::qWaitForWindowActive(&window));
        ClientPanel *client = window.clientPanels().at(0);
        client->findChild<QComboBox *>(QStringLiteral("clientUrl"))->setFocus(Qt::TabFocusReason);
        QStringList order;
        for (int i = 0; i < 12; ++i) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            order << (QApplication::focusWidget() ? QApplication::focusWidget()->objectName() : QString());
        }
        const QStringList expected{
            QStringLiteral("clientSettingsToggle"), QStringLiteral("clientConnect"),    QStringLiteral("clientCloseWithCode"),
            QStringLiteral("clientViaInspector"),   QStringLiteral("clientChatToggle"), QStringLiteral("composerEditor"),
            QStringLiteral("composerMode"),         QStringLiteral("composerFile"),     QStringLiteral("composerPing"),
            QStringLiteral("composerSend"),         QStringLiteral("logFilterText"),    QStringLiteral("logKindFilter")};
        QVERIFY2(order.mid(0, expected.size()) == expected, qPrintable(order.join(QStringLiteral(" → "))));
    }

    void connectSaysANoticeWhenInputOutrunsTheFirstConnection()
    {
        // A server that accepts TCP and never answers the upgrade: the connection stays "opening".
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QProcess cli;
        cli.start(qEnvironmentVariable("WSLAB_CLI"),
                  {QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:%1/").arg(silent.serverPort())});
        QByteArray lines;
        for (int i = 0; i < 1500; ++i)
            lines += "line " + QByteArray::number(i) + '\n';
        cli.write(lines);
        QByteArray err;
        QVERIFY(QTest::qWaitFor(
            [&] {
                err += cli.readAllStandardError();
                return err.contains("input paused");
            },
            15000));
        const QString text = QString::fromUtf8(err);
        QVERIFY2(text.contains(QStringLiteral("wslab-cli: connect: notice: input paused until the connection opens")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("error")), qPrintable(text));
        ::kill(pid_t(cli.processId()), SIGTERM);
        QVERIFY(cli.waitForFinished(15000));
    }
};

QTEST_MAIN(tst_FirstHour)
#include "tst_FirstHour.moc"
