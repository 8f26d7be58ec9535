// Every built-in lesson runs in a headless lab window from its first step to its last by pressing
// "Do it", and each step's expected events appear in the logs. A lesson file WsLab cannot run is
// refused with the JSON path of the fault and changes nothing.
#include "core/inspect/Relay.h"
#include "core/server/Server.h"
#include "tests/support/ChildProcess.h"
#include "tests/support/WsLabTest.h"
#include "ui/client/ClientPanel.h"
#include "ui/inspect/InspectorPanel.h"
#include "ui/lesson/LessonPane.h"
#include "ui/lesson/LessonRunner.h"
#include "ui/main/MainWindow.h"
#include "ui/server/ServerPanel.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace wslab;
using namespace wslab::test;

namespace {

// Room above a step's own timeout for the window's timers and a loaded machine.
constexpr int kMarginMs = 3000;

MainWindow::Options headless()
{
    MainWindow::Options options;
    options.persist = false;
    options.firstStartDemo = false;
    options.discoverLan = false;
    return options;
}

// The close codes the endpoint's log recorded, oldest first.
QList<int> closeCodes(const EventLog *log)
{
    QList<int> codes;
    for (const LogEvent &e : eventsOfKind(log, EventKind::Close))
        codes << e.closeCode;
    return codes;
}

QAction *findAction(const MainWindow &window, const QString &objectName)
{
    return window.findChild<QAction *>(objectName);
}

} // namespace

class tst_Lessons : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void everyBuiltInLessonRunsToItsEnd_data();
    void everyBuiltInLessonRunsToItsEnd();
    void closeCodesEndUpInBothLogs();
    void fragmentsReachTheWire();
    void onlyTheSlowLinkMakesASlowReader();
    void doesNotNeedPort8080();
    void aBadLessonFileChangesNothing();
    void takesOverABusyWindow();
    void saysWhatDidNotHappen();
    void menusOpenLessonsWithoutClashingKeys();
    void noLessonReopensWithTheWindow();

private:
    // Presses "Do it" on every step that has an action, and Next after each step is ticked.
    void runToTheEnd(MainWindow &window, const QString &path);
};

void tst_Lessons::everyBuiltInLessonRunsToItsEnd_data()
{
    QTest::addColumn<QString>("path");
    const QList<BuiltInLesson> lessons = LessonPane::builtInLessons();
    // Help → Lessons leaves out a file that does not parse: here none may be left out.
    const QStringList files = QDir(QStringLiteral(":/lessons")).entryList({QStringLiteral("*.json")}, QDir::Files);
    QCOMPARE(lessons.size(), files.size());
    QVERIFY(lessons.size() >= 7);
    for (const BuiltInLesson &lesson : lessons)
        QTest::newRow(qPrintable(lesson.title)) << lesson.path;
}

void tst_Lessons::everyBuiltInLessonRunsToItsEnd()
{
    QFETCH(QString, path);
    MainWindow window(headless());
    runToTheEnd(window, path);
}

void tst_Lessons::runToTheEnd(MainWindow &window, const QString &path)
{
    QString error;
    QVERIFY2(window.openLesson(path, &error), qPrintable(error));
    QVERIFY(!window.lessonDock()->isHidden());
    LessonPane *pane = window.lessonPane();
    LessonRunner *runner = pane->runner();
    const Lesson &lesson = runner->lesson();
    for (int i = 0; i < lesson.steps.size(); ++i) {
        QCOMPARE(runner->currentStep(), i);
        const LessonStep &step = lesson.steps.at(i);
        QVERIFY(pane->narrationText().contains(step.title));
        if (!step.action.isEmpty()) {
            QVERIFY(pane->doItButton()->isEnabled());
            QTest::mouseClick(pane->doItButton(), Qt::LeftButton);
        }
        const int timeout = int(step.timeout.count()) + kMarginMs;
        QTRY_VERIFY2_WITH_TIMEOUT(runner->state(i) == LessonRunner::StepState::Done,
                                  qPrintable(QStringLiteral("step %1 \"%2\": %3").arg(i + 1).arg(step.title, pane->statusText())), timeout);
        QVERIFY(pane->statusText().startsWith(QStringLiteral("✓")));
        if (i + 1 < lesson.steps.size()) {
            QVERIFY(pane->nextButton()->isEnabled());
            QTest::mouseClick(pane->nextButton(), Qt::LeftButton);
        }
    }
    QVERIFY(!pane->nextButton()->isEnabled());
}

void tst_Lessons::closeCodesEndUpInBothLogs()
{
    // What the ticks stand for, read from the logs directly: every code of the lesson, in its order.
    MainWindow window(headless());
    runToTheEnd(window, QStringLiteral(":/lessons/05-close-codes.json"));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(closeCodes(window.clientPanels().value(0)->client()->log()), (QList<int>{1000, 1001, 1008, 1009, 4000}));
    QCOMPARE(closeCodes(window.serverPanel()->server()->log()), (QList<int>{1000, 1001, 1008, 1009, 4000}));
}

void tst_Lessons::fragmentsReachTheWire()
{
    MainWindow window(headless());
    runToTheEnd(window, QStringLiteral(":/lessons/03-fragmentation.json"));
    if (QTest::currentTestFailed())
        return;
    const EventLog *relay = window.inspectorPanel()->relay()->log();
    const QList<LogEvent> first = framesFrom(relay, true, 0x1);
    QCOMPARE(first.size(), 2); // the fragmented message's first frame, then the whole one
    QVERIFY(!first.at(0).frame.fin);
    QVERIFY(first.at(1).frame.fin);
    const QList<LogEvent> continuations = framesFrom(relay, true, 0x0);
    QCOMPARE(continuations.size(), 3);
    QVERIFY(continuations.last().frame.fin);
    QByteArray joined = first.at(0).payload;
    for (const LogEvent &frame : continuations)
        joined += frame.payload;
    QCOMPARE(joined, QByteArrayLiteral("This message travels in four frames."));
}

void tst_Lessons::onlyTheSlowLinkMakesASlowReader()
{
    // The limits lesson's slow reader is the inspector's slow link at work, not the sender's pace: the
    // same lesson without the bandwidth limit sends 64 KiB every 10 ms and the server keeps its peer.
    QFile builtIn(QStringLiteral(":/lessons/07-limits.json"));
    QVERIFY(builtIn.open(QIODevice::ReadOnly));
    QJsonObject lesson = QJsonDocument::fromJson(builtIn.readAll()).object();
    QJsonArray steps = lesson.value(QStringLiteral("steps")).toArray();
    int slowStep = -1;
    for (int i = 0; i < steps.size(); ++i) {
        QJsonObject step = steps.at(i).toObject();
        QJsonObject action = step.value(QStringLiteral("do")).toObject();
        if (action.value(QStringLiteral("action")).toString() == u"inspector")
            action.remove(QStringLiteral("bandwidthFromServer"));
        if (action.value(QStringLiteral("from")).toString() == u"server") {
            slowStep = i;
            action[QStringLiteral("times")] = 150;
            // 150 × 8 KiB is still far past the lesson's 64 KiB slow-reader limit, and each message typed
            // into the composer and shown by two log views costs an eighth of the lesson's 64 KiB.
            action[QStringLiteral("padTo")] = 8192;
            step[QStringLiteral("timeoutMs")] = 1000;
        }
        step[QStringLiteral("do")] = action;
        steps[i] = step;
    }
    QVERIFY(slowStep > 0);
    lesson[QStringLiteral("steps")] = steps;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fast = writeFile(dir, QStringLiteral("fast-link.json"), QJsonDocument(lesson).toJson());

    MainWindow window(headless());
    QString error;
    QVERIFY2(window.openLesson(fast, &error), qPrintable(error));
    LessonRunner *runner = window.lessonPane()->runner();
    for (int i = 0; i < slowStep; ++i) {
        runner->doCurrentStep();
        QTRY_VERIFY2(runner->state(i) == LessonRunner::StepState::Done, qPrintable(window.lessonPane()->statusText()));
        runner->next();
    }
    const Server *server = window.serverPanel()->server();
    const qsizetype before = eventsOfKind(server->log(), EventKind::Text).size();
    runner->doCurrentStep();
    // 150 paced sends take 1.5 s on an idle machine; a loaded one (a CI runner building in parallel) may take
    // many times that, and the count, not the time, is what this test is about.
    QTRY_COMPARE_WITH_TIMEOUT(eventsOfKind(server->log(), EventKind::Text).size() - before, 150, 60000);
    QTRY_COMPARE(runner->state(slowStep), LessonRunner::StepState::Failed);
    QVERIFY(!hasEventWith(server->log(), EventKind::Info, QStringLiteral("slow reader")));
    QCOMPARE(server->peerCount(), 1);
}

void tst_Lessons::doesNotNeedPort8080()
{
    // Whoever holds 8080, the lesson's server takes a free port and its clients follow it.
    QTcpServer squatter;
    const bool holding = squatter.listen(QHostAddress::LocalHost, 8080);
    MainWindow window(headless());
    QString error;
    QVERIFY2(window.openLesson(QStringLiteral(":/lessons/01-handshake.json"), &error), qPrintable(error));
    LessonPane *pane = window.lessonPane();
    QTest::mouseClick(pane->doItButton(), Qt::LeftButton);
    QTRY_VERIFY(pane->runner()->state(0) == LessonRunner::StepState::Done);
    const quint16 port = window.serverPanel()->server()->port();
    QVERIFY(port != 0);
    if (holding)
        QVERIFY(port != 8080);
    QCOMPARE(pane->runner()->serverUrl(), QStringLiteral("ws://127.0.0.1:%1").arg(port));
    QTest::mouseClick(pane->nextButton(), Qt::LeftButton);
    QVERIFY(pane->narrationText().contains(QStringLiteral("127.0.0.1:%1").arg(port))); // "${server}" in the narration
}

void tst_Lessons::takesOverABusyWindow()
{
    // Client 1 is half-way through an upgrade to a server that never answers when the lesson connects
    // it to its own server: it gives that attempt up and connects where the lesson says.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    MainWindow window(headless());
    ClientPanel *client = window.clientPanels().value(0);
    QVERIFY(client);
    client->setUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(silent.serverPort()));
    QVERIFY(client->connectToServer());
    QTRY_VERIFY(hasEventWith(client->client()->log(), EventKind::Handshake, QString()));
    QCOMPARE(client->client()->state(), Client::State::Connecting);

    QString error;
    QVERIFY2(window.openLesson(QStringLiteral(":/lessons/01-handshake.json"), &error), qPrintable(error));
    LessonPane *pane = window.lessonPane();
    QTest::mouseClick(pane->doItButton(), Qt::LeftButton);
    QTest::mouseClick(pane->nextButton(), Qt::LeftButton);
    QTest::mouseClick(pane->doItButton(), Qt::LeftButton);
    QTRY_VERIFY2(pane->runner()->state(1) == LessonRunner::StepState::Done, qPrintable(pane->statusText()));
    QCOMPARE(window.clientPanels().size(), 1);
    QCOMPARE(client->connectedUrl().port(), int(window.serverPanel()->server()->port()));
}

void tst_Lessons::saysWhatDidNotHappen()
{
    MainWindow window(headless());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeFile(dir, QStringLiteral("waiting.json"), R"({"version": 1, "title": "Waiting", "steps": [
        {"title": "Start", "narration": "go", "do": {"action": "startServer"},
         "expect": [{"at": "server", "kind": "listening"}, {"at": "server", "kind": "refused", "httpStatus": 401}], "timeoutMs": 300},
        {"title": "Talk", "narration": "hi", "do": {"action": "send", "from": "client 2", "text": "hi"}}]})");
    QString error;
    QVERIFY2(window.openLesson(path, &error), qPrintable(error));
    LessonPane *pane = window.lessonPane();
    QVERIFY(pane->statusText().startsWith(QStringLiteral("Press Do it")));
    QTest::mouseClick(pane->doItButton(), Qt::LeftButton);
    // The server did start; the refusal it waits for never comes, and the pane names it, not the rest.
    QTRY_COMPARE(pane->runner()->state(0), LessonRunner::StepState::Failed);
    QCOMPARE(pane->statusText(), QStringLiteral("✗ Not seen within 0.3 s: refused HTTP 401 at server"));
    QCOMPARE(window.serverPanel()->server()->state(), Server::State::Listening);
    // An action that cannot be done says why at once.
    QTest::mouseClick(pane->nextButton(), Qt::LeftButton);
    QTest::mouseClick(pane->doItButton(), Qt::LeftButton);
    QCOMPARE(pane->runner()->state(1), LessonRunner::StepState::Failed);
    QVERIFY2(pane->statusText().contains(QStringLiteral("there is no client 2 in the window")), qPrintable(pane->statusText()));
}

void tst_Lessons::aBadLessonFileChangesNothing()
{
    MainWindow window(headless());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = writeFile(dir, QStringLiteral("broken.json"), R"({"version": 1, "title": "Broken", "steps": [
        {"title": "Start", "narration": "go", "do": {"action": "startServer"}},
        {"title": "Fly", "narration": "up", "do": {"action": "fly", "height": 3}}]})");

    QString error;
    QVERIFY(!window.openLesson(path, &error));
    QVERIFY2(error.contains(QStringLiteral("steps[1].do.action: unknown action \"fly\"")), qPrintable(error));
    QVERIFY(window.lessonDock()->isHidden());
    QVERIFY(!window.lessonPane()->runner()->hasLesson());
    QCOMPARE(window.serverPanel()->server()->state(), Server::State::Stopped); // not even its first step ran

    // With a lesson open, a bad file leaves that lesson where it was.
    QVERIFY2(window.openLesson(QStringLiteral(":/lessons/01-handshake.json"), &error), qPrintable(error));
    window.lessonPane()->runner()->next();
    QVERIFY(!window.openLesson(path, &error));
    QVERIFY(!window.openLesson(dir.filePath(QStringLiteral("missing.json")), &error));
    QVERIFY(error.contains(QStringLiteral("missing.json")));
    QCOMPARE(window.lessonPane()->runner()->lesson().title, QStringLiteral("The opening handshake"));
    QCOMPARE(window.lessonPane()->runner()->currentStep(), 1);
}

void tst_Lessons::menusOpenLessonsWithoutClashingKeys()
{
    MainWindow window(headless());
    QAction *choose = findAction(window, QStringLiteral("chooseLesson"));
    QAction *open = findAction(window, QStringLiteral("openLesson"));
    QVERIFY(choose);
    QVERIFY(open);
    const QList<QPair<QString, QKeySequence>> keys = window.shortcuts();
    QSet<QString> seen;
    for (const auto &[what, key] : keys) {
        const QString text = key.toString();
        QVERIFY2(!seen.contains(text), qPrintable(QStringLiteral("%1 is used twice (%2)").arg(text, what)));
        seen.insert(text);
    }
    QVERIFY(seen.contains(choose->shortcut().toString()));
    QVERIFY(seen.contains(open->shortcut().toString()));
}

void tst_Lessons::noLessonReopensWithTheWindow()
{
    // The window remembers its docks; a lesson is not reopened, so its dock must not come back empty.
    QTemporaryDir dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("WsLabTest"));
    QCoreApplication::setApplicationName(QStringLiteral("wslab-lessons-test"));
    {
        MainWindow window({/*persist*/ true, /*firstStartDemo*/ false});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QString error;
        QVERIFY2(window.openLesson(QStringLiteral(":/lessons/01-handshake.json"), &error), qPrintable(error));
        QTRY_VERIFY(window.lessonDock()->isVisible());
        window.close();
    }
    MainWindow again({/*persist*/ true, /*firstStartDemo*/ false});
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QVERIFY(again.lessonDock()->isHidden());
}

QTEST_MAIN(tst_Lessons)
#include "tst_Lessons.moc"
