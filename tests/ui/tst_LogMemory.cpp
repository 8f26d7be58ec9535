// The lab window's logs share one memory budget: every endpoint's log is in it, a flood of large
// messages stays under it, the status bar says how much is held and how much was dropped, and the
// budget is a setting that survives a restart.
#include "core/client/Client.h"
#include "core/inspect/Relay.h"
#include "core/log/EventLog.h"
#include "core/log/LogBudget.h"
#include "core/server/Server.h"
#include "ui/client/ClientPanel.h"
#include "ui/inspect/InspectorPanel.h"
#include "ui/log/LogModel.h"
#include "ui/log/LogView.h"
#include "ui/main/MainWindow.h"
#include "ui/server/ServerPanel.h"

#include <QAction>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace wslab;

class tst_LogMemory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void everyEndpointsLogIsInOneBudget()
    {
        MainWindow window({false, false});
        LogBudget *budget = window.logBudget();
        QCOMPARE(budget->maxBytes(), qint64(MainWindow::kDefaultLogBudgetMiB) * 1024 * 1024);
        QVERIFY(budget->logs().contains(window.serverPanel()->server()->log()));
        QVERIFY(budget->logs().contains(window.clientPanels().at(0)->client()->log()));
        ClientPanel *second = window.addClient();
        QVERIFY(budget->logs().contains(second->client()->log()));
        QVERIFY(budget->logs().contains(window.inspectorPanel()->relay()->log())); // the inspector's frames too
        QCOMPARE(budget->logs().size(), 4);
        auto *label = window.findChild<QLabel *>(QStringLiteral("logMemory"));
        QVERIFY(label);
        QVERIFY2(label->text().contains(QStringLiteral("of 512 MiB")), qPrintable(label->text()));
        QVERIFY(window.findChild<QAction *>(QStringLiteral("logMemoryAction")));
    }

    void floodOfLargeMessagesStaysUnderTheBudget()
    {
        MainWindow window({false, false});
        window.setLogBudgetMiB(MainWindow::kMinLogBudgetMiB);
        const qint64 max = qint64(MainWindow::kMinLogBudgetMiB) * 1024 * 1024;
        QCOMPARE(window.logBudget()->maxBytes(), max);
        ServerPanel *serverPanel = window.serverPanel();
        serverPanel->setPort(0);
        QVERIFY(serverPanel->start());
        ClientPanel *panel = window.clientPanels().at(0);
        panel->setUrl(serverPanel->server()->url().toString() + u'/');
        QVERIFY(panel->connectToServer());
        Client *client = panel->client();
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), Client::State::Open, 10000);

        // 100 echoes of 256 KiB: each leaves four 64 KiB excerpts (sent and received, on both sides),
        // 25 MiB of log in all against a 16 MiB budget.
        int echoed = 0;
        connect(client, &Client::textReceived, this, [&echoed] { ++echoed; });
        const QString text(256 * 1024, u'w');
        for (int i = 0; i < 100; ++i) {
            QVERIFY(client->sendText(text));
            QTRY_COMPARE_WITH_TIMEOUT(echoed, i + 1, 10000);
            QVERIFY(window.logBudget()->bytesHeld() <= max);
        }
        EventLog *serverLog = serverPanel->server()->log();
        EventLog *clientLog = client->log();
        QCOMPARE(window.logBudget()->bytesHeld(), serverLog->bytesHeld() + clientLog->bytesHeld());
        QVERIFY(window.logBudget()->bytesHeld() > max / 2);
        QVERIFY(serverLog->evictedCount() > 0);
        QVERIFY(clientLog->evictedCount() > 0);
        const quint64 dropped = window.logBudget()->evictedCount();
        QCOMPARE(dropped, serverLog->evictedCount() + clientLog->evictedCount());

        // The status bar tells it, and each log's own view drops the rows the budget evicted.
        auto *label = window.findChild<QLabel *>(QStringLiteral("logMemory"));
        QTRY_VERIFY2(label->text().contains(QLocale().toString(dropped) + QStringLiteral(" older events dropped")),
                     qPrintable(label->text()));
        QVERIFY2(label->text().contains(QStringLiteral("of 16 MiB")), qPrintable(label->text()));
        LogModel *serverModel = serverPanel->logView()->model();
        // Both ends, not just the count: between two flushes of the view the log may have evicted at the
        // front as many events as it appended, and the count alone would match a stale window.
        QTRY_VERIFY(quint64(serverModel->rowCount()) == serverLog->endSeq() - serverLog->firstSeq() && serverModel->eventAt(0) &&
                    serverModel->eventAt(serverModel->rowCount() - 1));
    }

    void budgetIsASettingThatSurvivesARestart()
    {
        QTemporaryDir dir;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("WsLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("wslab-logmemory-test"));
        {
            MainWindow window({true, false});
            window.setLogBudgetMiB(96);
            QCOMPARE(window.logBudget()->maxBytes(), 96ll * 1024 * 1024);
            window.setLogBudgetMiB(1); // below the floor: the floor
            QCOMPARE(window.logBudget()->maxBytes(), qint64(MainWindow::kMinLogBudgetMiB) * 1024 * 1024);
            window.setLogBudgetMiB(96);
            window.close();
        }
        QCOMPARE(QSettings().value(QStringLiteral("log/budgetMiB")).toInt(), 96);
        MainWindow again({true, false});
        QCOMPARE(again.logBudget()->maxBytes(), 96ll * 1024 * 1024);
        QVERIFY(again.findChild<QLabel *>(QStringLiteral("logMemory"))->text().contains(QStringLiteral("of 96 MiB")));
    }
};

QTEST_MAIN(tst_LogMemory)
#include "tst_LogMemory.moc"
