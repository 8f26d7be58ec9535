#include "core/client/Client.h"
#include "core/inspect/Relay.h"
#include "core/replay/Replayer.h"
#include "core/server/Server.h"
#include "core/session/SessionFile.h"
#include "ui/charts/ChartsPanel.h"
#include "ui/client/ClientPanel.h"
#include "ui/inspect/ExplainFrameDialog.h"
#include "ui/inspect/FrameTableModel.h"
#include "ui/inspect/FrameTree.h"
#include "ui/inspect/InspectorPanel.h"
#include "ui/lesson/LessonPane.h"
#include "ui/lesson/LessonRunner.h"
#include "ui/log/LogModel.h"
#include "ui/log/LogView.h"
#include "ui/main/MainWindow.h"
#include "ui/recorded/RecordedLogView.h"
#include "ui/recorded/RecordedLogs.h"
#include "ui/recorded/ReplayView.h"
#include "ui/sequence/SequenceDiagramPanel.h"
#include "ui/sequence/SequenceDiagramView.h"
#include "ui/server/RulesEditor.h"
#include "ui/server/ServerPanel.h"
#include "ui/share/QrDialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QIcon>
#include <QLineEdit>
#include <QPainter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>

#include <cstdio>
#include <functional>
#include <utility>

namespace {

// Selects the newest text message, so the detail pane below the log shows it whole.
void lastTextRow(wslab::LogView *view)
{
    view->model()->flush();
    // No filter is set on first start, so the model's rows are the table's rows.
    for (int row = view->model()->rowCount() - 1; row >= 0; --row) {
        const wslab::LogEvent *event = view->model()->eventAt(row);
        if (event && event->kind == wslab::EventKind::Text) {
            view->table()->selectRow(row);
            return;
        }
    }
}

// Selects the client's first masked text frame in the inspector and its masking key in the tree, so
// the picture shows a header field lit up in the bytes; false when there is none yet.
bool selectMaskedText(wslab::InspectorPanel *inspector)
{
    inspector->model()->flush();
    for (int row = 0; row < inspector->model()->rowCount(); ++row) {
        const wslab::LogEvent *event = inspector->model()->eventAt(row);
        if (event && event->kind == wslab::EventKind::Frame && event->frame.fromClient && event->frame.opcode == 0x1) {
            inspector->table()->selectRow(row);
            inspector->tree()->setCurrentItem(inspector->tree()->itemFor(wslab::FrameField::Id::MaskingKey));
            return true;
        }
    }
    return false;
}

// For the sequence diagram's picture: a second client, then one thing happening every few hundred
// milliseconds (binary, text, pings, a kick the first client retries after, a close with 4001), so the
// arrows stand apart at the diagram's zoom.
void stageSequenceScene(wslab::MainWindow &window)
{
    // Beside the panels, where the whole exchange fits in the window's height (below them, the panels'
    // least height leaves the diagram a strip).
    window.resize(1900, 1040); // wide enough for three lanes beside the panels' least width
    window.addDockWidget(Qt::RightDockWidgetArea, window.sequenceDock());
    window.sequenceDock()->show();
    QTimer::singleShot(1000, &window,
                       [&window] { window.resizeDocks({window.sequenceDock()}, {window.width() * 40 / 100}, Qt::Horizontal); });
    window.sequenceDiagram()->view()->setUsPerPixel(5000);
    wslab::Server *server = window.serverPanel()->server();
    wslab::ClientPanel *second = window.addClient();
    second->setUrl(server->url().toString() + u'/');
    wslab::Client *first = window.clientPanels().first()->client();
    wslab::Client *other = second->client();
    const QList<std::pair<int, std::function<void()>>> steps{
        {300, [second] { second->connectToServer(); }},
        {650, [other] { other->sendBinary(QByteArray::fromHex("cafe0042")); }},
        {1000, [first] { first->sendText(QStringLiteral("What does close code 4001 mean?")); }},
        {1350, [server] { server->ping(2, QByteArrayLiteral("are you there?")); }},
        {1700, [server] { server->kick(1, 1001, QStringLiteral("restarting")); }},
        {2500, [other] { other->close(4001, QStringLiteral("lesson over")); }},
    };
    for (const auto &[at, step] : steps)
        QTimer::singleShot(at, &window, step);
}

// For the live charts' picture: the first client chats at a changing pace and pings, then the server
// stops for a few seconds and starts again on its port, so the client backs off (jittered retries) and
// comes back; the charts show that client over the last 30 s.
void stageChartsScene(wslab::MainWindow &window)
{
    window.resize(1560, 1160);
    window.chartsDock()->show();
    window.resizeDocks({window.chartsDock()}, {600}, Qt::Vertical);
    wslab::ChartsPanel *charts = window.charts();
    charts->setSpanSeconds(30);
    charts->setCurrentEndpoint(1); // the server is endpoint 0, the first client 1
    wslab::ServerPanel *server = window.serverPanel();
    wslab::Client *client = window.clientPanels().first()->client();
    auto *traffic = new QTimer(&window);
    traffic->setInterval(40);
    QObject::connect(traffic, &QTimer::timeout, client, [client, tick = 0]() mutable {
        ++tick;
        if (client->state() != wslab::Client::State::Open)
            return;
        // A pace that rises and falls, a bigger message now and then, a ping every half second.
        if (tick % (1 + (tick / 25) % 4) == 0)
            client->sendText(QString(QStringLiteral("tick %1 ")).repeated(1 + tick % 7 * 20).arg(tick));
        if (tick % 12 == 0)
            client->ping();
    });
    traffic->start();
    QTimer::singleShot(4000, server, [server] { server->stop(); });
    QTimer::singleShot(9000, server, [server] { server->start(); });
}

// For the lesson's picture: Help → Lessons' close codes, run by its own "Do it" up to the server's kick
// with 1008, so the pane shows ticked steps, the current narration and what was seen.
void stageLessonScene(wslab::MainWindow &window)
{
    QString error;
    if (!window.openLesson(QStringLiteral(":/lessons/05-close-codes.json"), &error))
        return;
    window.resize(1900, 1040); // room for the pane beside the server and the client
    QTimer::singleShot(500, &window, [&window] { window.resizeDocks({window.lessonDock()}, {window.width() * 32 / 100}, Qt::Horizontal); });
    constexpr int kKickStep = 7;
    wslab::LessonRunner *runner = window.lessonPane()->runner();
    QObject::connect(runner, &wslab::LessonRunner::changed, runner, [runner] {
        if (runner->currentStep() >= kKickStep || runner->state(runner->currentStep()) != wslab::LessonRunner::StepState::Done)
            return;
        // Out of the runner's own signal before it moves on.
        QTimer::singleShot(0, runner, [runner] {
            if (runner->next())
                runner->doCurrentStep();
        });
    });
    runner->doCurrentStep();
}

// For the replay's picture: the recording opened below the panels and replayed, twice as fast, to the
// window's own echo server, so the recorded replies and the echoes stand side by side.
bool stageReplayScene(wslab::MainWindow &window, const QString &recording)
{
    QString error;
    wslab::RecordedLogView *view = window.recordedLogs()->open(recording, &error);
    if (!view) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    window.resize(1560, 1160);
    QDockWidget *dock = window.recordedLogs()->dockOf(view);
    window.resizeDocks({dock}, {620}, Qt::Vertical);
    const QString url = window.serverPanel()->server()->url().toString() + u'/';
    // Once the demo's server listens; the replay's dock then takes half the width beside the recording.
    QTimer::singleShot(500, &window, [&window, view, url] {
        window.recordedLogs()->replay(view, 0, url, 2.0);
        wslab::ReplayView *replay = window.recordedLogs()->replayViews().value(0);
        // The last reply of each, recorded and new, in the detail panes.
        QObject::connect(replay->replayer(), &wslab::Replayer::finished, replay, [view, replay] {
            lastTextRow(view->logView());
            lastTextRow(replay->logView());
        });
        QDockWidget *recordingDock = window.recordedLogs()->dockOf(view);
        window.resizeDocks({recordingDock, window.recordedLogs()->dockOf(replay)}, {window.width() / 2, window.width() / 2},
                           Qt::Horizontal);
    });
    return true;
}

// For the mock rules' picture: the first-start server switched to rules mode with the rules of `path`
// (examples/mock-rules.json), the first client's messages answered by them, and the rules window open with
// a message in its Try it line. False when the file does not load.
bool stageRulesScene(wslab::MainWindow &window, const QString &path)
{
    wslab::ServerPanel *server = window.serverPanel();
    wslab::RulesEditor *rules = server->rulesEditor();
    if (!rules->loadFile(path))
        return false;
    server->setMode(wslab::ServerMode::Rules);
    server->showRules();
    rules->selectRow(1);
    if (auto *tryLine = rules->findChild<QLineEdit *>(QStringLiteral("rulesTry")))
        tryLine->setText(QStringLiteral("{\"type\":\"order\",\"item\":\"tea \\\"earl grey\\\"\",\"qty\":2}"));
    wslab::Client *client = window.clientPanels().first()->client();
    // Queued until the demo's connection is open, then answered in order.
    QTimer::singleShot(1000, client, [client] {
        client->sendText(QStringLiteral("{\"type\":\"ping\",\"id\":7}"));
        client->sendText(QStringLiteral("hello ann"));
        client->sendText(QStringLiteral("{\"type\":\"order\",\"item\":\"tea \\\"earl grey\\\"\",\"qty\":2}"));
        client->sendText(QStringLiteral("what is this?"));
    });
    return true;
}

// The window with the rules window laid over its lower left, as they stand on a screen.
QImage windowWithRules(wslab::MainWindow &window)
{
    QImage picture = window.grab().toImage();
    const QPixmap rules = window.serverPanel()->rulesEditor()->grab();
    QPainter painter(&picture);
    const QRect where(QPoint(24, picture.height() - rules.height() - 48), rules.size());
    painter.fillRect(where.adjusted(-1, -1, 1, 1), window.palette().color(QPalette::WindowText));
    painter.drawPixmap(where.topLeft(), rules);
    return picture;
}

// Qt's desktop session management takes "-session ID", and "--session" alike, out of the arguments
// before any parser sees them (and would restore a session by that id), so WsLab's --session FILE
// and --session=FILE are taken out of argv first; -session, with one dash, stays the desktop's. A
// --session with no value is left for the parser to refuse.
QString takeSessionFile(int &argc, char **argv)
{
    QString file;
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--") {
            while (i < argc)
                argv[kept++] = argv[i++];
            break;
        }
        if (arg == "--session" && i + 1 < argc) {
            file = QString::fromLocal8Bit(argv[++i]);
            continue;
        }
        if (arg.startsWith("--session=")) {
            file = QString::fromLocal8Bit(arg.mid(10));
            continue;
        }
        argv[kept++] = argv[i];
    }
    argc = kept;
    argv[argc] = nullptr;
    return file;
}

// The session to open: the --session FILE, or the one file given by position (`wslab FILE.wslab`, as the
// desktop entry's `Exec=wslab %f` starts it), or none. Two files, or a file both ways, is a usage error:
// the window opens one session, and guessing which would surprise whoever typed both.
QString chosenSessionFile(const QString &sessionOption, const QStringList &positional, QString *usageError)
{
    if (positional.size() > 1) {
        *usageError = QStringLiteral("one session file at a time, got %1").arg(positional.size());
        return {};
    }
    if (positional.isEmpty())
        return sessionOption;
    if (!sessionOption.isEmpty()) {
        *usageError = QStringLiteral("give the session file either by position or with --session, not both");
        return {};
    }
    return positional.first();
}

} // namespace

int main(int argc, char *argv[])
{
    const QString sessionOption = takeSessionFile(argc, argv);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("WsLab"));
    QApplication::setApplicationName(QStringLiteral("wslab"));
    QApplication::setApplicationVersion(QStringLiteral(WSLAB_VERSION));
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/wslab-%1.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("WsLab: a desktop lab for WebSockets"));
    parser.addHelpOption();
    parser.addVersionOption();
    // For scripts/screenshot.sh: grab the window after a delay, write it, quit.
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Save a picture of the window to FILE and quit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption delay(QStringLiteral("screenshot-delay"), QStringLiteral("Wait MS before the picture (default 3000)."),
                                   QStringLiteral("MS"), QStringLiteral("3000"));
    const QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Start with dark colours (View → Dark colours)."));
    const QCommandLineOption presentation(
        QStringLiteral("presentation"), QStringLiteral("Start in presentation mode (View → Presentation mode): big text, high contrast."));
    const QCommandLineOption shareQr(
        QStringLiteral("screenshot-share-qr"),
        QStringLiteral("With --screenshot: serve chat on 0.0.0.0, press QR beside Share, and picture that dialog."));
    const QCommandLineOption inspectorShot(
        QStringLiteral("screenshot-inspector"),
        QStringLiteral("With --screenshot: route the first client through View → Inspector, send a few messages, and picture the "
                       "window with the client's text frame selected."));
    const QCommandLineOption explainShot(QStringLiteral("screenshot-explain"),
                                         QStringLiteral("With --screenshot-inspector: picture \"Explain this frame\" for that frame."));

    const QCommandLineOption sequence(
        QStringLiteral("screenshot-sequence"),
        QStringLiteral("With --screenshot: a second client and a scripted exchange in the sequence diagram."));
    const QCommandLineOption chartsShot(
        QStringLiteral("screenshot-charts"),
        QStringLiteral("With --screenshot: View → Live charts of a client that chats, pings and rides out a server restart."));
    const QCommandLineOption lesson(
        QStringLiteral("screenshot-lesson"),
        QStringLiteral("With --screenshot: the close codes lesson run up to its fourth code, its pane beside the panels."));
    const QCommandLineOption replay(
        QStringLiteral("screenshot-replay"),
        QStringLiteral("With --screenshot: open this recording (File → Open log…) and replay it to the window's server beside it."),
        QStringLiteral("FILE"));
    const QCommandLineOption rulesShot(QStringLiteral("screenshot-rules"),
                                       QStringLiteral("With --screenshot: the server in rules mode with the rules of FILE answering the "
                                                      "first client, and the rules window over the window."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption session(QStringLiteral("session"),
                                     QStringLiteral("Open the session FILE (File → Open session…): its server, clients, inspector and "
                                                    "composers, nothing started."),
                                     QStringLiteral("FILE"));
    const QCommandLineOption settingsShot(
        QStringLiteral("screenshot-settings"),
        QStringLiteral("With --screenshot: the server's and the first client's Settings opened, as the settings forms show them."));
    parser.addOptions({session, screenshot, delay, dark, presentation, shareQr, inspectorShot, explainShot, sequence, chartsShot, lesson,
                       replay, rulesShot, settingsShot});
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("A session to open (a .wslab file), as --session FILE opens it. A file manager "
                                                "opens a double-clicked .wslab file this way."),
                                 QStringLiteral("[file]"));
    parser.process(app);

    QString usageError;
    const QString sessionFile = chosenSessionFile(sessionOption, parser.positionalArguments(), &usageError);
    if (!usageError.isEmpty()) {
        std::fprintf(stderr, "wslab: %s; see wslab --help\n", qUtf8Printable(usageError));
        return 2;
    }

    // Checked before the window exists, so a bad file costs one line and no window; exit code 2 like a
    // usage error of wslab-cli. (The option is in the parser for --help; takeSessionFile reads it.) The
    // line is the same whichever way the file was given.
    if (!sessionFile.isEmpty()) {
        const QString problem = wslab::SessionFile::check(sessionFile);
        if (!problem.isEmpty()) {
            std::fprintf(stderr, "wslab: --session %s: %s\n", qUtf8Printable(sessionFile), qUtf8Printable(problem));
            return 2;
        }
    }

    wslab::MainWindow::Options options;
    options.discoverLan = true;
    // A session replaces the setup: no demo server to start and stop again first.
    options.firstStartDemo = sessionFile.isEmpty();
    wslab::MainWindow window(options);
    if (!sessionFile.isEmpty()) {
        QString error;
        if (!window.openSession(sessionFile, &error)) {
            std::fprintf(stderr, "wslab: --session %s: %s\n", qUtf8Printable(sessionFile), qUtf8Printable(error));
            return 2;
        }
    }
    if (parser.isSet(dark))
        window.setDarkColours(true);
    if (parser.isSet(presentation))
        window.setPresenting(true);
    window.show();
    if (parser.isSet(screenshot) && parser.isSet(shareQr)) {
        // The classroom of the README: the server on every interface in chat mode, its page's address
        // as a QR code. The first-start demo's echo server makes way for it.
        wslab::ServerPanel *server = window.serverPanel();
        server->stop();
        server->setHost(QStringLiteral("0.0.0.0"));
        server->setMode(wslab::ServerMode::Chat);
        if (!server->start())
            return 1;
        server->showQrCode();
        const QString path = parser.value(screenshot);
        QTimer::singleShot(parser.value(delay).toInt(), &window, [server, path] {
            auto *dialog = server->findChild<wslab::QrDialog *>();
            QApplication::exit(dialog && dialog->grab().save(path) ? 0 : 1);
        });
    } else if (parser.isSet(screenshot) && parser.isSet(inspectorShot)) {
        wslab::ClientPanel *panel = window.clientPanels().value(0);
        if (!panel)
            return 1;
        wslab::InspectorPanel *inspector = window.inspectorPanel();
        // The panels above keep their least height; a taller window gives the inspector its room.
        window.resize(1560, 1160);
        window.inspectorDock()->show();
        window.resizeDocks({window.inspectorDock()}, {560}, Qt::Vertical);
        panel->setRoutedThroughInspector(true);
        // Once open through the inspector (not the demo's direct first connection), real traffic.
        wslab::Client *client = panel->client();
        QObject::connect(client, &wslab::Client::opened, client, [client, inspector] {
            if (client->config().url.port() != inspector->relay()->url().port())
                return;
            client->sendText(QStringLiteral("Hello"));
            client->sendText(QStringLiteral("{\"type\":\"greeting\",\"lang\":[\"en\",\"français\"]}"));
            client->ping(QByteArrayLiteral("are you there?"));
        });
        const QString path = parser.value(screenshot);
        const bool explain = parser.isSet(explainShot);
        QTimer::singleShot(parser.value(delay).toInt(), &window, [&window, inspector, path, explain] {
            if (!selectMaskedText(inspector)) {
                QApplication::exit(1);
                return;
            }
            if (!explain) {
                QApplication::exit(window.grab().save(path) ? 0 : 1);
                return;
            }
            wslab::ExplainFrameDialog *dialog = inspector->explainSelected();
            // Laid out and painted once before the picture.
            QTimer::singleShot(500, dialog, [dialog, path] { QApplication::exit(dialog->grab().save(path) ? 0 : 1); });
        });
    } else if (parser.isSet(screenshot) && parser.isSet(rulesShot)) {
        if (!stageRulesScene(window, parser.value(rulesShot)))
            return 1;
        const QString path = parser.value(screenshot);
        QTimer::singleShot(parser.value(delay).toInt(), &window, [&window, path] {
            lastTextRow(window.serverPanel()->logView());
            QApplication::exit(windowWithRules(window).save(path) ? 0 : 1);
        });
    } else if (parser.isSet(screenshot)) {
        if (parser.isSet(sequence))
            stageSequenceScene(window);
        if (parser.isSet(chartsShot))
            stageChartsScene(window);
        if (parser.isSet(lesson))
            stageLessonScene(window);
        if (parser.isSet(replay) && !stageReplayScene(window, parser.value(replay)))
            return 1;
        if (parser.isSet(settingsShot)) {
            for (const char *toggle : {"serverSettingsToggle", "clientSettingsToggle"}) {
                if (auto *button = window.findChild<QToolButton *>(QString::fromLatin1(toggle)))
                    button->setChecked(true);
            }
        }
        const QString path = parser.value(screenshot);
        QTimer::singleShot(parser.value(delay).toInt(), &window, [&window, path] {
            // Show the detail panes at work: the last message each side saw.
            QList<wslab::LogView *> views{window.serverPanel()->logView()};
            if (!window.clientPanels().isEmpty())
                views << window.clientPanels().first()->logView();
            for (wslab::LogView *view : views)
                lastTextRow(view);
            const bool saved = window.grab().save(path);
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
