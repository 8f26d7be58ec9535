#include "core/client/Client.h"
#include "core/inspect/Relay.h"
#include "core/server/Server.h"
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
#include "ui/sequence/SequenceDiagramPanel.h"
#include "ui/sequence/SequenceDiagramView.h"
#include "ui/server/ServerPanel.h"
#include "ui/share/QrDialog.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QIcon>
#include <QTableView>
#include <QTimer>
#include <QToolButton>

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

} // namespace

int main(int argc, char *argv[])
{
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
    const QCommandLineOption settingsShot(
        QStringLiteral("screenshot-settings"),
        QStringLiteral("With --screenshot: the server's and the first client's Settings opened, as the settings forms show them."));
    parser.addOptions(
        {screenshot, delay, dark, presentation, shareQr, inspectorShot, explainShot, sequence, chartsShot, lesson, settingsShot});
    parser.process(app);

    wslab::MainWindow::Options options;
    options.discoverLan = true;
    wslab::MainWindow window(options);
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
    } else if (parser.isSet(screenshot)) {
        if (parser.isSet(sequence))
            stageSequenceScene(window);
        if (parser.isSet(chartsShot))
            stageChartsScene(window);
        if (parser.isSet(lesson))
            stageLessonScene(window);
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
