// File → Open log… and Replay to… in the lab window: a HAR and a JSON Lines file written here open
// read-only, each in a dock titled by its file name, listing its events and added to the sequence
// diagram; a malformed file is refused naming the entry at fault and opens nothing; a replay against
// the window's own server opens beside the recording and logs the new replies; a refused connection
// and a bad URL end the replay with the reason in its log and in the status bar.
#include "core/log/EventLog.h"
#include "core/replay/Replayer.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/HarRecording.h"
#include "tests/support/WsLabTest.h"
#include "ui/composer/Composer.h"
#include "ui/log/EventDetailView.h"
#include "ui/log/LogModel.h"
#include "ui/log/LogView.h"
#include "ui/main/MainWindow.h"
#include "ui/recorded/RecordedLogView.h"
#include "ui/recorded/RecordedLogs.h"
#include "ui/recorded/ReplayDialog.h"
#include "ui/recorded/ReplayView.h"
#include "ui/sequence/SequenceDiagramPanel.h"
#include "ui/server/ServerPanel.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLineEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

using namespace wslab;
using namespace wslab::test;

namespace {

// A client's session as `wslab-cli connect --log` writes it (docs/log-format.md), by hand.
QByteArray recordingJsonLines()
{
    return "{\"v\":2,\"seq\":0,\"mono_us\":1000,\"wall_ms\":1796119201000,\"endpoint\":\"client 1\",\"dir\":\"out\",\"kind\":\"handshake\","
           "\"size\":0,\"detail\":\"ws://127.0.0.1:9/\"}\n"
           "{\"v\":2,\"seq\":1,\"mono_us\":2000,\"wall_ms\":1796119201001,\"endpoint\":\"client 1\",\"dir\":\"local\",\"kind\":\"open\","
           "\"size\":0}\n"
           "{\"v\":2,\"seq\":2,\"mono_us\":3000,\"wall_ms\":1796119201002,\"endpoint\":\"client 1\",\"dir\":\"out\",\"kind\":\"text\","
           "\"size\":5,\"text\":\"hello\"}\n"
           "{\"v\":2,\"seq\":3,\"mono_us\":4000,\"wall_ms\":1796119201003,\"endpoint\":\"client 1\",\"dir\":\"in\",\"kind\":\"text\","
           "\"size\":5,\"text\":\"HELLO\"}\n"
           "{\"v\":2,\"seq\":4,\"mono_us\":5000,\"wall_ms\":1796119201004,\"endpoint\":\"client 1\",\"dir\":\"out\",\"kind\":\"close\","
           "\"size\":0,\"close_code\":1000}\n";
}

// The texts of a log's messages in one direction, in order.
QStringList texts(const EventLog *log, Direction dir)
{
    QStringList out;
    for (qsizetype i = 0; i < log->size(); ++i) {
        if (log->at(i).kind == EventKind::Text && log->at(i).direction == dir)
            out << QString::fromUtf8(log->at(i).payload);
    }
    return out;
}

QStringList laneNames(const MainWindow &window)
{
    QStringList names;
    for (const SequenceLane &lane : window.sequenceDiagram()->model()->lanes())
        names << lane.name;
    return names;
}

MainWindow::Options headless()
{
    return {/*persist*/ false, /*firstStartDemo*/ false, /*firstStartPort*/ 0};
}

// Answers the next modal dialog with fn, which accepts or rejects it.
void onNextDialog(std::function<void(QDialog *)> fn)
{
    QTimer::singleShot(0, qApp, [fn] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        fn(dialog);
        if (dialog->isVisible())
            dialog->reject();
    });
}

} // namespace

class tst_LogImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void opensAHarAndAJsonLinesFileReadOnly()
    {
        QTemporaryDir dir;
        const QString har = writeFile(dir, QStringLiteral("browser.har"), recordingHar());
        const QString jsonl = writeFile(dir, QStringLiteral("session.jsonl"), recordingJsonLines());
        MainWindow window(headless());
        window.show();
        window.sequenceDock()->show();
        RecordedLogs *recorded = window.recordedLogs();
        QVERIFY(window.findChild<QAction *>(QStringLiteral("openLog")));
        QString error;
        RecordedLogView *harView = recorded->open(har, &error);
        QVERIFY2(harView, qPrintable(error));
        RecordedLogView *jsonlView = recorded->open(jsonl, &error);
        QVERIFY2(jsonlView, qPrintable(error));
        QCOMPARE(recorded->recordedViews(), (QList<RecordedLogView *>{harView, jsonlView}));

        QCOMPARE(recorded->dockOf(harView)->windowTitle(), QStringLiteral("browser.har"));
        QCOMPARE(recorded->dockOf(jsonlView)->windowTitle(), QStringLiteral("session.jsonl"));
        // Every message of the HAR, both ways, in its order; the events of the JSON Lines file.
        QCOMPARE(texts(harView->log(), Direction::Out), (QStringList{QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("b1"),
                                                                     QStringLiteral("b2"), QStringLiteral("b3")}));
        QCOMPARE(texts(harView->log(), Direction::In).constFirst(), QStringLiteral("recorded a1"));
        QCOMPARE(harView->connections().size(), 2);
        LogModel *model = jsonlView->logView()->model();
        model->flush();
        QCOMPARE(model->rowCount(), 5);
        QCOMPARE(model->eventAt(2)->kind, EventKind::Text);
        QCOMPARE(model->eventAt(3)->payload, QByteArray("HELLO"));
        QCOMPARE(model->eventAt(4)->closeCode, 1000);
        // The recording keeps its gaps, and ends no later than now on the window's clock.
        QCOMPARE(model->eventAt(4)->monoUs - model->eventAt(0)->monoUs, 4000);
        QVERIFY(model->eventAt(4)->monoUs <= monotonicMicros());

        // Read-only: no composer, no connect, no Clear; the filters and detail pane are there.
        QVERIFY(jsonlView->findChildren<Composer *>().isEmpty());
        QVERIFY(!jsonlView->findChild<QToolButton *>(QStringLiteral("logClear"))->isVisibleTo(jsonlView));
        QVERIFY(jsonlView->findChild<QLineEdit *>(QStringLiteral("logFilterText"))->isVisibleTo(jsonlView));
        QVERIFY(jsonlView->findChild<QPushButton *>(QStringLiteral("replayTo"))->isEnabled());
        QVERIFY(jsonlView->logView()->selectSeq(3));
        QVERIFY(jsonlView->logView()->detail()->isVisibleTo(jsonlView));

        // Both are lanes of the sequence diagram, named as their docks, until they are closed.
        QTRY_VERIFY(laneNames(window).contains(QStringLiteral("browser.har")));
        QVERIFY(laneNames(window).contains(QStringLiteral("session.jsonl")));
        recorded->dockOf(harView)->close();
        QTRY_COMPARE(recorded->recordedViews().size(), 1);
        QVERIFY(!laneNames(window).contains(QStringLiteral("browser.har")));
        QVERIFY(laneNames(window).contains(QStringLiteral("session.jsonl")));
    }

    void aMalformedFileIsRefusedNamingTheFault()
    {
        QTemporaryDir dir;
        const QString har = writeFile(dir, QStringLiteral("broken.har"), recordingHar(/*badMessage*/ true));
        const QString jsonl =
            writeFile(dir, QStringLiteral("broken.jsonl"), QByteArray(recordingJsonLines() + "{\"v\":2,\"kind\":\"no such kind\"}\n"));
        MainWindow window(headless());
        QString error;
        QVERIFY(!window.recordedLogs()->open(har, &error));
        QVERIFY2(error.contains(QStringLiteral("broken.har")) && error.contains(QStringLiteral("entry 2, message 2")), qPrintable(error));
        QVERIFY(!window.recordedLogs()->open(jsonl, &error));
        QVERIFY2(error.contains(QStringLiteral("broken.jsonl")) && error.contains(QStringLiteral("line 6")), qPrintable(error));
        QVERIFY(!window.recordedLogs()->open(dir.filePath(QStringLiteral("none.har")), &error));
        QVERIFY2(error.contains(QStringLiteral("none.har")), qPrintable(error));
        QVERIFY(window.recordedLogs()->recordedViews().isEmpty());
        QVERIFY(window.findChildren<RecordedLogView *>().isEmpty());
    }

    void replayToTheWindowsServerLogsTheRepliesBesideTheRecording()
    {
        QTemporaryDir dir;
        const QString har = writeFile(dir, QStringLiteral("browser.har"), recordingHar());
        MainWindow window(headless());
        window.show();
        window.sequenceDock()->show();
        ServerPanel *serverPanel = window.serverPanel();
        serverPanel->setHost(QStringLiteral("127.0.0.1"));
        serverPanel->setPort(0);
        QVERIFY(serverPanel->start());
        const QString serverUrl = serverPanel->server()->url().toString() + u'/';
        QString error;
        RecordedLogView *recording = window.recordedLogs()->open(har, &error);
        QVERIFY2(recording, qPrintable(error));

        QStringList offered;
        QString defaultUrl;
        onNextDialog([&](QDialog *dialog) {
            auto *connection = dialog->findChild<QComboBox *>(QStringLiteral("replayConnection"));
            for (int i = 0; i < connection->count(); ++i)
                offered << connection->itemText(i);
            defaultUrl = dialog->findChild<QLineEdit *>(QStringLiteral("replayUrl"))->text();
            connection->setCurrentIndex(1);
            auto *speed = dialog->findChild<QComboBox *>(QStringLiteral("replaySpeed"));
            speed->setCurrentIndex(speed->findData(0.0));
            dialog->accept();
        });
        recording->findChild<QPushButton *>(QStringLiteral("replayTo"))->click();
        QCOMPARE(offered.size(), 2);
        QVERIFY2(offered.at(0).contains(QStringLiteral("2 messages sent")), qPrintable(offered.at(0)));
        QVERIFY2(offered.at(1).startsWith(QStringLiteral("connection 2")) && offered.at(1).contains(QStringLiteral("3 messages sent")),
                 qPrintable(offered.at(1)));
        QCOMPARE(defaultUrl, serverUrl); // the window's server while it runs

        QCOMPARE(window.recordedLogs()->replayViews().size(), 1);
        ReplayView *replay = window.recordedLogs()->replayViews().constFirst();
        const QString title = QStringLiteral("replay of connection 2 to ") + serverUrl;
        QCOMPARE(window.recordedLogs()->dockOf(replay)->windowTitle(), title);
        QSignalSpy finished(replay->replayer(), &Replayer::finished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY(finished.first().at(0).toBool());
        const QStringList sent{QStringLiteral("b1"), QStringLiteral("b2"), QStringLiteral("b3")};
        QCOMPARE(texts(replay->replayer()->log(), Direction::Out), sent);
        QCOMPARE(texts(replay->replayer()->log(), Direction::In), sent); // the echo server's replies
        QCOMPARE(texts(serverPanel->server()->log(), Direction::In), sent);
        QVERIFY2(replay->statusText().contains(QStringLiteral("done")), qPrintable(replay->statusText()));
        // Beside the recording, not a tab hidden behind it.
        QDockWidget *recordingDock = window.recordedLogs()->dockOf(recording);
        QDockWidget *replayDock = window.recordedLogs()->dockOf(replay);
        QVERIFY(!window.tabifiedDockWidgets(recordingDock).contains(replayDock));
        QVERIFY(recordingDock->isVisible() && replayDock->isVisible());
        QCOMPARE(window.dockWidgetArea(replayDock), window.dockWidgetArea(recordingDock));
        // The diagram has the replay as a lane, its messages arrows to the window's server.
        QTRY_VERIFY(laneNames(window).contains(title));
        const int replayLane = int(laneNames(window).indexOf(title));
        SequenceModel *model = window.sequenceDiagram()->model();
        QTRY_VERIFY([&] {
            int matched = 0;
            for (qsizetype i = 0; i < model->arrowCount(); ++i) {
                const Arrow &a = model->arrow(i);
                if (a.kind == ArrowKind::Text && a.fromLane == replayLane && a.toLane == 0 && a.isMatched())
                    ++matched;
            }
            return matched == 3;
        }());
    }

    void aFailedReplayShowsWhyInItsLogAndTheStatusBar()
    {
        QTemporaryDir dir;
        const QString har = writeFile(dir, QStringLiteral("browser.har"), recordingHar());
        MainWindow window(headless());
        window.show();
        QString error;
        RecordedLogView *recording = window.recordedLogs()->open(har, &error);
        QVERIFY2(recording, qPrintable(error));

        const quint16 port = closedPort();
        QVERIFY(port != 0);
        ReplayView *refused = window.recordedLogs()->replay(recording, 0, QStringLiteral("ws://127.0.0.1:%1/").arg(port), /*speed*/ 0.0);
        QSignalSpy refusedEnd(refused->replayer(), &Replayer::finished);
        QTRY_COMPARE_WITH_TIMEOUT(refusedEnd.size(), 1, 10000);
        QCOMPARE(refusedEnd.first().at(0).toBool(), false);
        QVERIFY(countOfKind(refused->replayer()->log(), EventKind::Error) >= 1);
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("failed")), qPrintable(window.statusBar()->currentMessage()));
        QVERIFY2(refused->statusText().contains(QStringLiteral("0 of 2 messages sent")), qPrintable(refused->statusText()));

        ReplayView *badUrl = window.recordedLogs()->replay(recording, 0, QStringLiteral("ftp://127.0.0.1/"), 1.0);
        QVERIFY(hasEventWith(badUrl->replayer()->log(), EventKind::Error, QStringLiteral("ftp")));
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("ftp")), qPrintable(window.statusBar()->currentMessage()));
        QVERIFY2(badUrl->statusText().contains(QStringLiteral("failed")), qPrintable(badUrl->statusText()));
        QCOMPARE(window.recordedLogs()->replayViews().size(), 2);
    }
};

QTEST_MAIN(tst_LogImport)
#include "tst_LogImport.moc"
