#include "ui/main/MainWindow.h"

#include "core/client/Client.h"
#include "core/discovery/Discovery.h"
#include "core/inspect/Relay.h"
#include "core/log/LogBudget.h"
#include "core/protocol/CloseCode.h"
#include "core/server/Server.h"
#include "core/session/SessionFile.h"
#include "ui/charts/ChartsPanel.h"
#include "ui/client/ClientPanel.h"
#include "ui/inspect/FaultBar.h"
#include "ui/inspect/FrameTableModel.h"
#include "ui/inspect/InspectorPanel.h"
#include "ui/lesson/LessonPane.h"
#include "ui/log/LogView.h"
#include "ui/main/ClientArea.h"
#include "ui/recorded/RecordedLogs.h"
#include "ui/sequence/SequenceDiagramPanel.h"
#include "ui/server/ServerPanel.h"
#include "ui/style/LabColors.h"
#include "ui/style/TextScale.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace wslab {

namespace {

constexpr int kMaxRecentUrls = 15;

// 8080 when free, else the next free one up to 8099, else any free port.
quint16 firstFreePort()
{
    for (quint16 port = 8080; port < 8100; ++port) {
        QTcpServer probe;
        if (probe.listen(QHostAddress::LocalHost, port))
            return port;
    }
    return 0;
}

// A teaching view's dock below the panels, hidden until its View action (named `actionName`, on `key`)
// shows it. saveState knows docks by name, tests find the actions by theirs.
QDockWidget *addViewDock(QMainWindow *window, QMenu *view, const QString &title, const QString &dockName, QWidget *widget,
                         const QString &actionName, const QKeySequence &key, const QString &toolTip)
{
    auto *dock = new QDockWidget(title, window);
    dock->setObjectName(dockName);
    dock->setWidget(widget);
    window->addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide();
    QAction *show = dock->toggleViewAction();
    show->setObjectName(actionName);
    show->setShortcut(key);
    show->setToolTip(toolTip);
    view->addAction(show);
    return dock;
}

} // namespace

MainWindow::MainWindow(const Options &options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_server(new ServerPanel(this))
    , m_clients(new ClientArea(this))
    , m_sideBySide(new QAction(tr("Clients side by &side"), this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_statusLabel(new QLabel(this))
    , m_lanDiscovery(new Discovery(this))
    , m_inspector(new InspectorPanel(this))
    , m_inspectorDock(new QDockWidget(tr("Inspector"), this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("WsLab — a WebSocket lab"));
    connect(m_clients, &ClientArea::closeRequested, this, &MainWindow::closeClient);
    auto *addButton = new QAction(tr("+ Client"), this);
    addButton->setToolTip(tr("Add a client (Ctrl+Shift+N)"));
    connect(addButton, &QAction::triggered, this, &MainWindow::addClient);
    m_sideBySide->setObjectName(QStringLiteral("clientsSideBySide"));
    m_sideBySide->setIconText(tr("Side by side"));
    m_sideBySide->setCheckable(true);
    m_sideBySide->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
    m_sideBySide->setToolTip(tr("Show every client in its own column instead of tabs, e.g. for a three-way chat (Ctrl+3)"));
    connect(m_sideBySide, &QAction::toggled, this, [this](bool on) {
        m_clients->setSideBySide(on);
        // One column per endpoint: the server gets a client's share, not half the window.
        if (on && m_splitter->orientation() == Qt::Horizontal && m_server->isVisible()) {
            const QList<int> sizes = m_splitter->sizes();
            const int total = sizes.value(0) + sizes.value(1);
            const int server = total / int(m_clients->count() + 1);
            m_splitter->setSizes({server, total - server});
        }
    });
    auto *corner = new QToolBar(m_clients);
    corner->setObjectName(QStringLiteral("clientCorner"));
    corner->addAction(addButton);
    corner->addAction(m_sideBySide);
    m_clients->setCornerWidget(corner);

    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_server);
    m_splitter->addWidget(m_clients);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    setCentralWidget(m_splitter);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(m_inspector);
    m_inspectorDock->setAllowedAreas(Qt::BottomDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::BottomDockWidgetArea, m_inspectorDock);
    m_inspectorDock->hide();
    m_statusLabel->setObjectName(QStringLiteral("statusSummary"));
    statusBar()->addPermanentWidget(m_statusLabel, 1);
    connect(m_server, &ServerPanel::summaryChanged, this, &MainWindow::updateStatusBar);
    setUpLogMemory(); // before the menus: File → Open log… puts the logs it opens in the budget
    buildMenus();

    QSettings settings;
    const bool hasState = m_options.persist && settings.contains(QStringLiteral("window/geometry"));
    if (hasState) {
        readSetup(settings, SetupStore::AppSettings);
    } else {
        resize(1500, 900);
        if (m_options.firstStartDemo)
            runFirstStartDemo();
        else
            addClient();
    }
    if (m_options.discoverLan && !m_lanDiscovery->start())
        statusBar()->showMessage(tr("Not listening for servers on the LAN: %1").arg(m_lanDiscovery->errorString()), 15000);
    updateStatusBar();
}

MainWindow::~MainWindow()
{
    // Hiding the window on its way out must not ask the panels, going too, for lanes.
    disconnect(m_sequenceDock, nullptr, this, nullptr);
    disconnect(m_chartsDock, nullptr, this, nullptr);
    disconnect(m_recordedLogs, nullptr, this, nullptr);
}

QList<ClientPanel *> MainWindow::clientPanels() const
{
    return m_clients->panels();
}

void MainWindow::closeClient(ClientPanel *panel)
{
    m_clients->closePanel(panel); // its Client says goodbye with 1001 as it goes
    updateStatusBar();
}

ClientPanel *MainWindow::addClient()
{
    const QString name = tr("client %1").arg(m_nextClientNumber++);
    auto *panel = new ClientPanel(name, m_clients);
    panel->setRecentUrls(m_recentUrls);
    panel->setLanDiscovery(m_lanDiscovery);
    const QUrl serverUrl = m_server->server()->url();
    panel->setUrl(m_recentUrls.value(0, serverUrl.toString() + u'/'));
    connect(panel, &ClientPanel::urlUsed, this, [this](const QString &url) {
        m_recentUrls.removeAll(url);
        m_recentUrls.prepend(url);
        while (m_recentUrls.size() > kMaxRecentUrls)
            m_recentUrls.removeLast();
    });
    connect(panel, &ClientPanel::summaryChanged, this, &MainWindow::updateStatusBar);
    m_logBudget->add(panel->client()->log());
    // "Via inspector" shows the inspector and asks it for the way; the inspector decides about its relay.
    panel->setInspectorRoute([this](const QUrl &target, bool mayStart, QString *error) {
        if (mayStart)
            m_inspectorDock->show();
        return m_inspector->routeTo(target, error, mayStart);
    });
    m_clients->addPanel(panel, name);
    updateStatusBar();
    return panel;
}

void MainWindow::runFirstStartDemo()
{
    m_ranFirstStart = true;
    m_server->setHost(QStringLiteral("127.0.0.1"));
    m_server->setPort(m_options.firstStartPort < 0 ? firstFreePort() : quint16(m_options.firstStartPort));
    m_server->setMode(ServerMode::Echo);
    if (!m_server->start())
        return;
    ClientPanel *client = addClient();
    client->setUrl(m_server->server()->url().toString() + u'/');
    // A greeting queued before the open goes out through the Outbox the moment the link is up.
    client->client()->sendText(tr("Hello from WsLab! Every message, ping and close shows up in both logs."));
    client->client()->sendText(QStringLiteral("{\"type\":\"greeting\",\"from\":\"client 1\",\"lang\":[\"en\",\"français\"]}"));
    // One ping each way as soon as the link is up, so RTTs and ping/pong pairs show at once, not after 20 s.
    Client *demo = client->client();
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(demo, &Client::opened, demo, [demo, once] {
        QObject::disconnect(*once);
        demo->ping(QByteArrayLiteral("hello"));
    });
    Server *server = m_server->server();
    auto first = std::make_shared<QMetaObject::Connection>();
    *first = connect(server, &Server::peerConnected, server, [server, first](int peerId) {
        QObject::disconnect(*first);
        server->ping(peerId, QByteArrayLiteral("hello"));
    });
    client->connectToServer();
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    setUpSessions(file);
    QAction *add = file->addAction(tr("&Add client"), this, &MainWindow::addClient);
    add->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    QAction *startStop = file->addAction(tr("&Start or stop the server"), this, [this] {
        if (m_server->server()->state() == Server::State::Listening)
            m_server->stop();
        else
            m_server->start();
    });
    startStop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    QAction *closeCurrent = file->addAction(tr("&Close client"), this, [this] {
        if (ClientPanel *panel = m_clients->currentPanel())
            closeClient(panel);
    });
    closeCurrent->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    file->addSeparator();
    QAction *exportAll = file->addAction(tr("&Export logs…"), this, &MainWindow::exportLogs);
    exportAll->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    exportAll->setToolTip(tr("Every endpoint's log as JSON Lines, one file per endpoint"));
    setUpRecordedLogs(file);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *showServer = view->addAction(tr("&Server panel"));
    showServer->setCheckable(true);
    showServer->setChecked(true);
    showServer->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    connect(showServer, &QAction::toggled, m_server, &QWidget::setVisible);
    QAction *showClients = view->addAction(tr("&Clients"));
    showClients->setCheckable(true);
    showClients->setChecked(true);
    showClients->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    connect(showClients, &QAction::toggled, m_clients, &QWidget::setVisible);
    view->addAction(m_sideBySide);
    QAction *showInspector = m_inspectorDock->toggleViewAction();
    showInspector->setText(tr("&Inspector"));
    showInspector->setObjectName(QStringLiteral("showInspector"));
    showInspector->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_4));
    showInspector->setToolTip(tr("A relay between a client and its server that shows every frame, bit by bit, and can break the link "
                                 "on purpose (Ctrl+4)"));
    view->addAction(showInspector);
    m_serverAboveClients = view->addAction(tr("Server &above clients"));
    m_serverAboveClients->setObjectName(QStringLiteral("serverAboveClients"));
    m_serverAboveClients->setCheckable(true);
    m_serverAboveClients->setToolTip(tr("Stack the server and the clients vertically, for a narrow screen or a projector"));
    connect(m_serverAboveClients, &QAction::toggled, m_splitter,
            [this](bool on) { m_splitter->setOrientation(on ? Qt::Vertical : Qt::Horizontal); });
    view->addSeparator();
    auto step = [this](int by) {
        const QList<ClientPanel *> panels = m_clients->panels();
        if (panels.isEmpty())
            return;
        const auto at = std::max<qsizetype>(0, panels.indexOf(m_clients->currentPanel()));
        m_clients->setCurrentPanel(panels.at((at + by + panels.size()) % panels.size()));
    };
    QAction *next = view->addAction(tr("&Next client"), this, [step] { step(+1); });
    next->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    QAction *previous = view->addAction(tr("&Previous client"), this, [step] { step(-1); });
    previous->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    view->addSeparator();
    QAction *logMemory = view->addAction(tr("&Log memory…"), this, &MainWindow::chooseLogBudget);
    logMemory->setObjectName(QStringLiteral("logMemoryAction"));
    logMemory->setToolTip(tr("How much memory the logs of every endpoint may hold together"));
    setUpSequenceDiagram(view);
    setUpCharts(view);

    view->addSeparator();
    m_darkColours = view->addAction(tr("&Dark colours"));
    m_darkColours->setObjectName(QStringLiteral("darkColours"));
    m_darkColours->setCheckable(true);
    m_darkColours->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_darkColours->setToolTip(tr("A dark palette (Fusion style); every colour the window uses has a dark variant"));
    connect(m_darkColours, &QAction::toggled, this, &MainWindow::applyColours);
    m_presentation = view->addAction(tr("&Presentation mode"));
    m_presentation->setObjectName(QStringLiteral("presentationMode"));
    m_presentation->setCheckable(true);
    m_presentation->setShortcut(QKeySequence(Qt::Key_F5));
    m_presentation->setToolTip(tr("For a projector: text at least %1%, high-contrast colours, taller rows").arg(TextScale::kPresentation));
    connect(m_presentation, &QAction::toggled, this, &MainWindow::setPresenting);
    QAction *bigger = view->addAction(tr("&Bigger text"), this, [this] { setTextScale(TextScale::step(TextScale::percent(), +1)); });
    bigger->setObjectName(QStringLiteral("biggerText"));
    // Ctrl+= is where Ctrl++ is on most keyboards, without Shift.
    bigger->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence::ZoomIn});
    QAction *smaller = view->addAction(tr("S&maller text"), this, [this] { setTextScale(TextScale::step(TextScale::percent(), -1)); });
    smaller->setObjectName(QStringLiteral("smallerText"));
    smaller->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    QAction *normal = view->addAction(tr("&Normal text size"), this, [this] { setTextScale(TextScale::kNormal); });
    normal->setObjectName(QStringLiteral("normalText"));
    normal->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts)->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    help->addAction(tr("&Close codes"), this, &MainWindow::showCloseCodes)->setShortcut(QKeySequence::HelpContents);
    help->addAction(tr("&Protocol terms"), this, &MainWindow::showGlossary);
    help->addAction(tr("&About WsLab"), this, &MainWindow::showAbout);
    setUpLessons(file, help);
}

void MainWindow::setUpLessons(QMenu *file, QMenu *help)
{
    m_lessonPane = new LessonPane(this);
    m_lessonDock = new QDockWidget(tr("Lesson"), this);
    m_lessonDock->setObjectName(QStringLiteral("lessonDock")); // saveState knows docks by name
    m_lessonDock->setWidget(m_lessonPane);
    addDockWidget(Qt::RightDockWidgetArea, m_lessonDock);
    m_lessonDock->hide();
    QAction *choose = new QAction(tr("&Lessons…"), this);
    choose->setObjectName(QStringLiteral("chooseLesson"));
    choose->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
    choose->setToolTip(tr("Guided lessons that set the window up and narrate each step: the handshake, frames, close codes…"));
    connect(choose, &QAction::triggered, this, [this] {
        const QString path = LessonPane::chooseBuiltIn(this);
        QString error;
        if (!path.isEmpty() && !openLesson(path, &error))
            QMessageBox::warning(this, tr("Lesson"), error);
    });
    help->insertAction(help->actions().value(0), choose);
    QAction *open = new QAction(tr("Open &lesson…"), this);
    open->setObjectName(QStringLiteral("openLesson"));
    open->setShortcut(QKeySequence::Open);
    open->setToolTip(tr("Run a lesson from a JSON file (docs/lessons.md says how to write one)"));
    connect(open, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open lesson"), {}, tr("Lessons (*.json);;All files (*)"));
        QString error;
        if (!path.isEmpty() && !openLesson(path, &error))
            QMessageBox::warning(this, tr("Open lesson"), error);
    });
    // Before Quit, in a group of its own.
    QAction *quit = file->actions().constLast();
    file->insertAction(quit, open);
    file->insertSeparator(quit);
}

bool MainWindow::openLesson(const QString &path, QString *error)
{
    if (!m_lessonPane->openFile(path, error))
        return false;
    m_lessonDock->show();
    m_lessonDock->raise();
    return true;
}

void MainWindow::updateStatusBar()
{
    int open = 0;
    const QList<ClientPanel *> panels = clientPanels();
    for (int i = 0; i < panels.size(); ++i) {
        const Client *client = panels.at(i)->client();
        if (client->state() == Client::State::Open)
            ++open;
        const QString dot = client->state() == Client::State::Open      ? QStringLiteral("● ")
                            : client->state() == Client::State::Backoff ? QStringLiteral("↻ ")
                                                                        : QStringLiteral("○ ");
        m_clients->setTitle(panels.at(i), dot + panels.at(i)->name());
    }
    const Server *server = m_server->server();
    m_statusLabel->setText(server->state() == Server::State::Listening
                               ? tr("Server on %1 with %2 peer(s) · %3 of %4 client(s) open")
                                     .arg(server->url().toString())
                                     .arg(server->peerCount())
                                     .arg(open)
                                     .arg(panels.size())
                               : tr("Server stopped · %1 of %2 client(s) open").arg(open).arg(panels.size()));
    updateLogMemory();
}

void MainWindow::setUpLogMemory()
{
    m_logBudget = new LogBudget(this);
    int mib = kDefaultLogBudgetMiB;
    if (m_options.persist)
        mib = QSettings().value(QStringLiteral("log/budgetMiB"), kDefaultLogBudgetMiB).toInt();
    m_logBudget->setMaxBytes(qint64(std::max(mib, kMinLogBudgetMiB)) * 1024 * 1024);
    m_logBudget->add(m_server->server()->log());
    m_logBudget->add(m_inspector->relay()->log());

    m_logMemoryLabel = new QLabel(this);
    m_logMemoryLabel->setObjectName(QStringLiteral("logMemory"));
    m_logMemoryLabel->setToolTip(tr("Memory the logs of every endpoint hold together, out of their shared budget "
                                    "(View → Log memory…). Over it, the log that holds the most drops its oldest events."));
    statusBar()->addPermanentWidget(m_logMemoryLabel);
    // Logs fill without any panel's summary changing (a flood of messages): a slow tick keeps this current.
    auto *tick = new QTimer(this);
    tick->setInterval(1000);
    connect(tick, &QTimer::timeout, this, &MainWindow::updateLogMemory);
    tick->start();
}

void MainWindow::setUpRecordedLogs(QMenu *file)
{
    m_recordedLogs = new RecordedLogs(this, m_logBudget, [this] {
        const Server *server = m_server->server();
        return server->state() == Server::State::Listening ? QString(server->url().toString() + u'/') : QString();
    });
    QAction *open = file->addAction(tr("Open lo&g…"), m_recordedLogs, &RecordedLogs::chooseAndOpen);
    open->setObjectName(QStringLiteral("openLog"));
    open->setToolTip(tr("Read a JSON Lines or HAR log into a read-only view, from which its connections can be replayed"));
    connect(m_recordedLogs, &RecordedLogs::statusMessage, this, [this](const QString &text) { statusBar()->showMessage(text, 15000); });
}

void MainWindow::setUpSequenceDiagram(QMenu *view)
{
    m_sequence = new SequenceDiagramPanel(this);
    m_sequenceDock = addViewDock(this, view, tr("Sequence diagram"), QStringLiteral("sequenceDock"), m_sequence,
                                 QStringLiteral("showSequenceDiagram"), QKeySequence(Qt::CTRL | Qt::Key_5),
                                 tr("Both ends of the wire at once: one lane per endpoint, one arrow per message (Ctrl+5)"));
    // Out of sight it reads no logs at all; in sight its lanes follow the clients as they come and go.
    connect(m_sequenceDock, &QDockWidget::visibilityChanged, this, &MainWindow::updateSequenceLanes);
    connect(m_clients, &ClientArea::panelsChanged, this, &MainWindow::updateSequenceLanes);
    connect(m_inspector, &InspectorPanel::runningChanged, this, &MainWindow::updateSequenceLanes);
    connect(m_recordedLogs, &RecordedLogs::lanesChanged, this, &MainWindow::updateSequenceLanes);
    connect(m_sequence, &SequenceDiagramPanel::eventSelected, this, [this](int lane, quint64 seq) {
        const EventLog *log = m_sequence->model()->lanes().value(lane).log;
        if (log == m_server->server()->log()) {
            m_server->logView()->selectSeq(seq);
            return;
        }
        if (m_recordedLogs->selectEvent(log, seq))
            return;
        if (log == m_inspector->relay()->log()) {
            m_inspectorDock->show();
            m_inspector->model()->flush();
            const int row = m_inspector->model()->rowOfSeq(seq);
            if (row >= 0)
                m_inspector->table()->selectRow(row);
            return;
        }
        for (ClientPanel *panel : clientPanels()) {
            if (panel->client()->log() == log) {
                m_clients->setCurrentPanel(panel);
                panel->logView()->selectSeq(seq);
            }
        }
    });
}

void MainWindow::updateSequenceLanes()
{
    QList<SequenceLane> lanes;
    if (m_sequenceDock->isVisible()) {
        for (const auto &[name, log] : endpointLogs())
            lanes.append({name, log});
        lanes += m_recordedLogs->lanes();
    }
    if (lanes != m_sequence->model()->lanes())
        m_sequence->setLanes(lanes);
}

QList<std::pair<QString, const EventLog *>> MainWindow::endpointLogs() const
{
    QList<std::pair<QString, const EventLog *>> logs{{tr("server"), m_server->server()->log()}};
    // Only while it relays, so the views keep their endpoints where they were without it.
    if (m_inspector->isRunning())
        logs.append({tr("inspector"), m_inspector->relay()->log()});
    for (ClientPanel *panel : clientPanels())
        logs.append({panel->name(), panel->client()->log()});
    return logs;
}

void MainWindow::setUpCharts(QMenu *view)
{
    m_charts = new ChartsPanel(this);
    m_chartsDock = addViewDock(this, view, tr("Live charts"), QStringLiteral("chartsDock"), m_charts, QStringLiteral("showLiveCharts"),
                               QKeySequence(Qt::CTRL | Qt::Key_6),
                               tr("Messages and bytes per second, round trips and reconnects of one endpoint, live (Ctrl+6)"));
    // Out of sight it reads no logs at all; in sight its endpoints follow the clients as they come and go.
    connect(m_chartsDock, &QDockWidget::visibilityChanged, this, &MainWindow::updateChartEndpoints);
    connect(m_clients, &ClientArea::panelsChanged, this, &MainWindow::updateChartEndpoints);
    connect(m_inspector, &InspectorPanel::runningChanged, this, &MainWindow::updateChartEndpoints);
}

void MainWindow::updateChartEndpoints()
{
    QList<TrafficEndpoint> endpoints;
    if (m_chartsDock->isVisible()) {
        for (const auto &[name, log] : endpointLogs())
            endpoints.append({name, log});
    }
    m_charts->setEndpoints(endpoints);
}

void MainWindow::updateLogMemory()
{
    const QLocale locale;
    const double usedMiB = double(m_logBudget->bytesHeld()) / (1024.0 * 1024.0);
    QString text = tr("Logs %1 of %2 MiB").arg(locale.toString(usedMiB, 'f', 1), locale.toString(m_logBudget->maxBytes() / (1024 * 1024)));
    if (m_logBudget->evictedCount() > 0)
        text += tr(" · %1 older events dropped").arg(locale.toString(m_logBudget->evictedCount()));
    m_logMemoryLabel->setText(text);
}

void MainWindow::setLogBudgetMiB(int mib)
{
    mib = std::max(mib, kMinLogBudgetMiB);
    m_logBudget->setMaxBytes(qint64(mib) * 1024 * 1024);
    if (m_options.persist)
        QSettings().setValue(QStringLiteral("log/budgetMiB"), mib);
    updateLogMemory();
}

void MainWindow::chooseLogBudget()
{
    bool ok = false;
    const int mib = QInputDialog::getInt(this, tr("Log memory"),
                                         tr("Memory the logs of every endpoint may hold together, in MiB.\n"
                                            "Past it, the log holding the most drops its oldest events."),
                                         int(m_logBudget->maxBytes() / (1024 * 1024)), kMinLogBudgetMiB, 1024 * 1024, 64, &ok);
    if (ok)
        setLogBudgetMiB(mib);
}

void MainWindow::saveState() const
{
    if (!m_options.persist)
        return;
    QSettings settings;
    writeSetup(settings, SetupStore::AppSettings);
}

void MainWindow::writeSetup(QSettings &settings, SetupStore store) const
{
    const bool session = store != SetupStore::AppSettings;
    // Each panel knows its own secret fields; the window only says what this store keeps of them.
    const SecretsInSave secrets = store == SetupStore::AppSettings ? SecretsInSave::SecretValuesLeftOut
                                  : store == SetupStore::Session   ? SecretsInSave::Redacted
                                                                   : SecretsInSave::Included;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/docks"), QMainWindow::saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("window/clientsSideBySide"), m_sideBySide->isChecked());
    settings.setValue(QStringLiteral("window/serverAboveClients"), m_serverAboveClients->isChecked());
    if (session) {
        settings.setValue(QStringLiteral("secretsIncluded"), secrets == SecretsInSave::Included);
    } else {
        // Preferences of the person at this machine, which a session from someone else must not change.
        settings.setValue(QStringLiteral("client/recentUrls"), m_recentUrls);
        settings.setValue(QStringLiteral("window/darkColours"), m_darkColours->isChecked());
        settings.setValue(QStringLiteral("window/textScale"), TextScale::percent());
        settings.setValue(QStringLiteral("window/presentation"), m_presentation->isChecked());
        settings.setValue(QStringLiteral("window/scaleBeforePresentation"), m_scaleBeforePresentation);
    }
    settings.beginGroup(QStringLiteral("server"));
    m_server->saveSettings(settings, secrets);
    settings.endGroup();
    settings.setValue(QStringLiteral("window/inspector"), !m_inspectorDock->isHidden());
    settings.beginGroup(QStringLiteral("inspector"));
    m_inspector->saveSettings(settings, secrets);
    // A restart starts without faults, so no window opens with a black hole nobody remembers setting;
    // a session is opened on purpose, faults and all.
    if (session) {
        settings.beginGroup(QStringLiteral("faults"));
        m_inspector->faultBar()->saveSettings(settings);
        settings.endGroup();
    }
    settings.endGroup();
    // Every open client comes back, in its order; the old single "client" group is still read.
    settings.remove(QStringLiteral("clients"));
    const QList<ClientPanel *> panels = clientPanels();
    settings.beginWriteArray(QStringLiteral("clients"), int(panels.size()));
    for (int i = 0; i < panels.size(); ++i) {
        settings.setArrayIndex(i);
        panels.at(i)->saveSettings(settings, secrets);
    }
    settings.endArray();
}

void MainWindow::readSetup(QSettings &settings, SetupStore store)
{
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/docks")).toByteArray());
    // No lesson reopens with the window: its dock keeps its place, not an empty pane in sight.
    m_lessonDock->hide();
    m_serverAboveClients->setChecked(settings.value(QStringLiteral("window/serverAboveClients"), false).toBool());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    if (store == SetupStore::AppSettings) {
        m_recentUrls = settings.value(QStringLiteral("client/recentUrls")).toStringList();
        m_darkColours->setChecked(settings.value(QStringLiteral("window/darkColours"), false).toBool());
        TextScale::apply(settings.value(QStringLiteral("window/textScale"), TextScale::kNormal).toInt());
        m_presentation->setChecked(settings.value(QStringLiteral("window/presentation"), false).toBool());
        m_scaleBeforePresentation = settings.value(QStringLiteral("window/scaleBeforePresentation"), TextScale::kNormal).toInt();
    }
    m_sideBySide->setChecked(settings.value(QStringLiteral("window/clientsSideBySide"), false).toBool());
    settings.beginGroup(QStringLiteral("server"));
    m_server->restoreSettings(settings);
    settings.endGroup();
    m_inspectorDock->setVisible(settings.value(QStringLiteral("window/inspector"), false).toBool());
    settings.beginGroup(QStringLiteral("inspector"));
    m_inspector->restoreSettings(settings);
    if (store != SetupStore::AppSettings) {
        settings.beginGroup(QStringLiteral("faults"));
        m_inspector->faultBar()->restoreSettings(settings);
        settings.endGroup();
    }
    settings.endGroup();
    restoreClients(settings);
}

void MainWindow::restoreClients(QSettings &settings)
{
    const int count = settings.beginReadArray(QStringLiteral("clients"));
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        addClient()->restoreSettings(settings);
    }
    settings.endArray();
    if (count > 0)
        return;
    ClientPanel *client = addClient();
    settings.beginGroup(QStringLiteral("client")); // written by WsLab before every tab was kept
    client->restoreSettings(settings);
    settings.endGroup();
}

void MainWindow::setUpSessions(QMenu *file)
{
    QAction *open = file->addAction(tr("&Open session…"), this, &MainWindow::askToOpenSession);
    open->setObjectName(QStringLiteral("openSession"));
    open->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O)); // Ctrl+O opens a lesson
    open->setToolTip(tr("Replace the window's setup with a saved session's: server, clients, inspector and faults, composers"));
    QAction *save = file->addAction(tr("&Save session…"), this, &MainWindow::askToSaveSession);
    save->setObjectName(QStringLiteral("saveSession"));
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    save->setToolTip(tr("Keep the window's setup in a .wslab file, to open again later or on another machine"));
    file->addSeparator();
}

bool MainWindow::holdsSecrets() const
{
    const QList<ClientPanel *> clients = clientPanels();
    return m_server->holdsSecrets() || m_inspector->holdsSecrets() ||
           std::any_of(clients.cbegin(), clients.cend(), [](ClientPanel *client) { return client->holdsSecrets(); });
}

void MainWindow::askToSaveSession()
{
    const QString filter = tr("WsLab session (*.%1)").arg(QString::fromLatin1(SessionFile::kExtension));
    QString path = QFileDialog::getSaveFileName(this, tr("Save session"), m_sessionPath, filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += u'.' + QString::fromLatin1(SessionFile::kExtension);
    bool withSecrets = false;
    // Only asked when there is something to leave out; leaving it out is the default.
    if (holdsSecrets()) {
        QMessageBox ask(QMessageBox::Question, tr("Save session"),
                        tr("This window holds secrets: the server's token, an Authorization or Cookie header, a ?token= in a URL, "
                           "or a token or password in a message you sent."),
                        QMessageBox::Save | QMessageBox::Cancel, this);
        ask.setInformativeText(tr("Without them, the file reads \"<redacted>\" where they were, and the token is left out."));
        auto *include = new QCheckBox(tr("Include the secrets in the file"), &ask);
        include->setObjectName(QStringLiteral("includeSecrets"));
        ask.setCheckBox(include);
        if (ask.exec() != QMessageBox::Save)
            return;
        withSecrets = include->isChecked();
    }
    QString error;
    if (!saveSession(path, withSecrets, &error))
        QMessageBox::warning(this, tr("Save session"), error);
}

void MainWindow::askToOpenSession()
{
    const QString filter = tr("WsLab session (*.%1);;All files (*)").arg(QString::fromLatin1(SessionFile::kExtension));
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), QFileInfo(m_sessionPath).path(), filter);
    QString error;
    if (!path.isEmpty() && !openSession(path, &error))
        QMessageBox::warning(this, tr("Open session"), tr("%1 was not opened: %2").arg(QFileInfo(path).fileName(), error));
}

bool MainWindow::saveSession(const QString &path, bool withSecrets, QString *error)
{
    // QSettings merges into what the file holds: a file of another kind there would end in a format error.
    if (QFileInfo::exists(path) && !SessionFile::check(path).isEmpty() && !QFile::remove(path)) {
        *error = tr("cannot replace %1").arg(path);
        return false;
    }
    {
        QSettings settings(path, SessionFile::format());
        settings.clear();
        writeSetup(settings, withSecrets ? SetupStore::SessionWithSecrets : SetupStore::Session);
        settings.sync();
        if (settings.status() != QSettings::NoError) {
            *error = tr("cannot write %1").arg(path);
            return false;
        }
    }
    m_sessionPath = path;
    setWindowTitle(tr("%1 — WsLab").arg(QFileInfo(path).fileName()));
    statusBar()->showMessage(
        withSecrets ? tr("Session saved to %1, secrets included").arg(path) : tr("Session saved to %1, without secrets").arg(path), 8000);
    return true;
}

bool MainWindow::openSession(const QString &path, QString *error)
{
    *error = SessionFile::check(path);
    if (!error->isEmpty())
        return false;
    QSettings settings(path, SessionFile::format());
    if (settings.status() != QSettings::NoError) {
        *error = tr("cannot read %1").arg(path);
        return false;
    }
    m_server->stop();
    m_inspector->stop();
    for (ClientPanel *panel : clientPanels())
        m_clients->closePanel(panel);
    m_nextClientNumber = 1;
    readSetup(settings, SetupStore::Session);
    m_sessionPath = path;
    const QString name = QFileInfo(path).fileName();
    setWindowTitle(tr("%1 — WsLab").arg(name));
    QString message = tr("Session %1 opened: press Start / Connect").arg(name);
    if (!settings.value(QStringLiteral("secretsIncluded"), false).toBool())
        message += tr(" (saved without secrets: fill in any token or header that reads <redacted>)");
    statusBar()->showMessage(message, 15000);
    updateStatusBar();
    return true;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    QMainWindow::closeEvent(event);
}

void MainWindow::setDarkColours(bool dark)
{
    m_darkColours->setChecked(dark);
}

bool MainWindow::darkColours() const
{
    return m_darkColours->isChecked();
}

void MainWindow::applyColours()
{
    const bool dark = m_darkColours->isChecked();
    const bool presenting = m_presentation && m_presentation->isChecked();
    // Fusion draws with the palette it is given everywhere; native styles may ignore parts of it.
    if ((dark || presenting) && QApplication::style()->name().compare(QStringLiteral("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStringLiteral("Fusion"));
    setHighContrastTones(presenting);
    QApplication::setPalette(presenting ? highContrastPalette(dark) : (dark ? darkPalette() : QApplication::style()->standardPalette()));
    reapplyTones(this);
}

void MainWindow::setPresenting(bool on)
{
    if (m_presentation->isChecked() != on) {
        m_presentation->setChecked(on); // comes back here through toggled
        return;
    }
    if (on) {
        m_scaleBeforePresentation = TextScale::percent();
        TextScale::apply(std::max(TextScale::percent(), TextScale::kPresentation));
    } else {
        TextScale::apply(m_scaleBeforePresentation);
    }
    applyColours();
}

bool MainWindow::presenting() const
{
    return m_presentation->isChecked();
}

void MainWindow::setTextScale(int percent)
{
    TextScale::apply(percent);
}

QList<QPair<QString, QKeySequence>> MainWindow::shortcuts() const
{
    QList<QPair<QString, QKeySequence>> list;
    const auto menus = menuBar()->actions();
    for (QAction *menu : menus) {
        if (!menu->menu())
            continue;
        const QString menuName = menu->text().remove(u'&');
        const auto actions = menu->menu()->actions();
        for (QAction *action : actions) {
            if (!action->shortcut().isEmpty())
                list.append({menuName + QStringLiteral(" → ") + action->text().remove(u'&'), action->shortcut()});
        }
    }
    // Keys that belong to a widget rather than a menu.
    list.append({tr("Composer: send"), QKeySequence(Qt::CTRL | Qt::Key_Return)});
    list.append({tr("Composer: earlier / later message (at the first or last line)"), QKeySequence(tr("Up, Down"))});
    list.append({tr("Client URL: connect"), QKeySequence(Qt::Key_Return)});
    list.append({tr("Move between controls"), QKeySequence(tr("Tab, Shift+Tab"))});
    return list;
}

void MainWindow::showShortcuts()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Keyboard shortcuts"));
    auto *table = new QTableWidget(&dialog);
    table->setObjectName(QStringLiteral("shortcutsTable"));
    const auto list = shortcuts();
    table->setColumnCount(2);
    table->setRowCount(int(list.size()));
    table->setHorizontalHeaderLabels({tr("Action"), tr("Keys")});
    for (int row = 0; row < list.size(); ++row) {
        table->setItem(row, 0, new QTableWidgetItem(list.at(row).first));
        table->setItem(row, 1, new QTableWidgetItem(list.at(row).second.toString(QKeySequence::NativeText)));
    }
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->resizeColumnsToContents();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(table);
    dialog.resize(620, 560);
    dialog.exec();
}

void MainWindow::showCloseCodes()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("WebSocket close codes"));
    auto *table = new QTableWidget(&dialog);
    const QList<int> codes{1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009,
                           1010, 1011, 1012, 1013, 1014, 1015, 2000, 3000, 4000};
    table->setColumnCount(3);
    table->setRowCount(int(codes.size()));
    table->setHorizontalHeaderLabels({tr("Code"), tr("Name"), tr("Meaning")});
    for (int row = 0; row < codes.size(); ++row) {
        const int code = codes.at(row);
        const QString label = code == 2000   ? QStringLiteral("1016–2999")
                              : code == 3000 ? QStringLiteral("3000–3999")
                              : code == 4000 ? QStringLiteral("4000–4999")
                                             : QString::number(code);
        table->setItem(row, 0, new QTableWidgetItem(label));
        table->setItem(row, 1, new QTableWidgetItem(CloseCode::name(code)));
        table->setItem(row, 2, new QTableWidgetItem(CloseCode::meaning(code)));
    }
    table->setObjectName(QStringLiteral("closeCodesTable"));
    table->verticalHeader()->hide(); // row numbers would mean nothing next to the codes
    table->horizontalHeader()->setStretchLastSection(true);
    table->resizeColumnsToContents();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(table);
    dialog.resize(820, 560);
    dialog.exec();
}

bool MainWindow::exportLogsTo(const QString &dir, QStringList *written, QString *error) const
{
    if (!QDir().mkpath(dir)) {
        *error = tr("cannot create %1").arg(dir);
        return false;
    }
    QList<QPair<QString, LogView *>> views{{QStringLiteral("server"), m_server->logView()}};
    for (ClientPanel *panel : clientPanels())
        views.append({panel->name(), panel->logView()});
    for (const auto &[name, view] : views) {
        const QString path = QDir(dir).filePath(QString(name).replace(u' ', u'-') + QStringLiteral(".jsonl"));
        if (!view->exportTo(path, error))
            return false;
        written->append(path);
    }
    return true;
}

void MainWindow::exportLogs()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the logs (one .jsonl file per endpoint)"));
    if (dir.isEmpty())
        return;
    QStringList written;
    QString error;
    if (!exportLogsTo(dir, &written, &error)) {
        QMessageBox::warning(this, tr("Export logs"), tr("The logs were not all written: %1").arg(error));
        return;
    }
    statusBar()->showMessage(tr("Wrote %n log file(s) to %1", nullptr, int(written.size())).arg(dir), 8000);
}

void MainWindow::showGlossary()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("WebSocket terms"));
    auto *text = new QTextBrowser(&dialog);
    text->setObjectName(QStringLiteral("glossary"));
    text->setHtml(tr("<dl>"
                     "<dt><b>Handshake (upgrade)</b></dt><dd>The client's HTTP GET with <i>Upgrade: websocket</i>; the server answers "
                     "101 Switching Protocols, or an HTTP error (401, 403, 404, 429, 503…) to refuse.</dd>"
                     "<dt><b>Frame, opcode</b></dt><dd>Messages travel in frames. The opcode says what a frame is: 0x1 text (UTF-8), "
                     "0x2 binary, 0x0 continuation, 0x8 close, 0x9 ping, 0xA pong.</dd>"
                     "<dt><b>Ping / pong</b></dt><dd>Control frames: a ping must be answered by a pong with the same payload. WsLab "
                     "times the round trip (RTT) and uses them as a heartbeat: no pong (nor any data) in time means the peer is dead.</dd>"
                     "<dt><b>Close code</b></dt><dd>The 2-byte status in a close frame, with an optional reason of at most 123 bytes. "
                     "1000 is a normal close; 1005, 1006 and 1015 are only reported, never sent (see Help → Close codes).</dd>"
                     "<dt><b>Subprotocol</b></dt><dd>An application protocol offered by the client in Sec-WebSocket-Protocol; the "
                     "server picks at most one, and both then speak it.</dd>"
                     "<dt><b>Origin</b></dt><dd>The web page a browser's connection comes from; a server may allow only some.</dd>"
                     "<dt><b>Backoff</b></dt><dd>After a drop the client waits before retrying: a random delay up to a limit that "
                     "doubles with each failed attempt (up to a cap), so clients do not all rush a recovering server at once.</dd>"
                     "<dt><b>Outbox</b></dt><dd>Messages sent while the connection is down wait in order and go out on the next open.</dd>"
                     "<dt><b>ws:// and wss://</b></dt><dd>WebSocket over plain TCP, and over TLS (encrypted, the server proves who it is "
                     "with a certificate).</dd>"
                     "</dl>"));
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(text);
    dialog.resize(640, 520);
    dialog.exec();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About WsLab"),
                       tr("<h3>WsLab %1</h3><p>A lab for WebSockets: host a server, connect clients, and watch every "
                          "message, ping, close code and reconnect live.</p><p>Built with Qt %2.</p>")
                           .arg(QStringLiteral(WSLAB_VERSION), QString::fromLatin1(qVersion())));
}

} // namespace wslab
