#include "MainWindow.h"

#include "client/Client.h"
#include "client/ClientPanel.h"
#include "composer/Composer.h"
#include "protocol/CloseCode.h"
#include "server/Server.h"
#include "server/ServerPanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTcpServer>
#include <QToolBar>
#include <QVBoxLayout>

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

} // namespace

MainWindow::MainWindow(const Options &options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(options)
    , m_server(new ServerPanel(this))
    , m_clients(new QTabWidget(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_statusLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("WsLab — a WebSocket lab"));
    m_clients->setObjectName(QStringLiteral("clientTabs"));
    m_clients->setTabsClosable(true);
    m_clients->setMovable(true);
    m_clients->setDocumentMode(true);
    connect(m_clients, &QTabWidget::tabCloseRequested, this, [this](int index) {
        QWidget *panel = m_clients->widget(index);
        m_clients->removeTab(index);
        panel->deleteLater(); // its Client says goodbye with 1001 as it goes
        updateStatusBar();
    });
    auto *addButton = new QAction(tr("+ Client"), this);
    addButton->setToolTip(tr("Add a client (Ctrl+Shift+N)"));
    connect(addButton, &QAction::triggered, this, &MainWindow::addClient);
    auto *corner = new QToolBar(m_clients);
    corner->addAction(addButton);
    m_clients->setCornerWidget(corner, Qt::TopRightCorner);

    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_server);
    m_splitter->addWidget(m_clients);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    setCentralWidget(m_splitter);
    m_statusLabel->setObjectName(QStringLiteral("statusSummary"));
    statusBar()->addPermanentWidget(m_statusLabel, 1);
    connect(m_server, &ServerPanel::summaryChanged, this, &MainWindow::updateStatusBar);
    buildMenus();

    QSettings settings;
    const bool hasState = m_options.persist && settings.contains(QStringLiteral("window/geometry"));
    if (hasState) {
        restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
        m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
        m_recentUrls = settings.value(QStringLiteral("client/recentUrls")).toStringList();
        settings.beginGroup(QStringLiteral("server"));
        m_server->restoreSettings(settings);
        settings.endGroup();
        ClientPanel *client = addClient();
        settings.beginGroup(QStringLiteral("client"));
        client->restoreSettings(settings);
        settings.endGroup();
    } else {
        resize(1500, 900);
        if (m_options.firstStartDemo)
            runFirstStartDemo();
        else
            addClient();
    }
    updateStatusBar();
}

MainWindow::~MainWindow() = default;

QList<ClientPanel *> MainWindow::clientPanels() const
{
    QList<ClientPanel *> panels;
    for (int i = 0; i < m_clients->count(); ++i) {
        if (auto *panel = qobject_cast<ClientPanel *>(m_clients->widget(i)))
            panels << panel;
    }
    return panels;
}

ClientPanel *MainWindow::addClient()
{
    const QString name = tr("client %1").arg(m_nextClientNumber++);
    auto *panel = new ClientPanel(name, m_clients);
    panel->setRecentUrls(m_recentUrls);
    const QUrl serverUrl = m_server->server()->url();
    panel->setUrl(m_recentUrls.value(0, serverUrl.toString() + u'/'));
    connect(panel, &ClientPanel::urlUsed, this, [this](const QString &url) {
        m_recentUrls.removeAll(url);
        m_recentUrls.prepend(url);
        while (m_recentUrls.size() > kMaxRecentUrls)
            m_recentUrls.removeLast();
    });
    connect(panel, &ClientPanel::summaryChanged, this, &MainWindow::updateStatusBar);
    m_clients->setCurrentIndex(m_clients->addTab(panel, name));
    updateStatusBar();
    return panel;
}

void MainWindow::runFirstStartDemo()
{
    m_ranFirstStart = true;
    m_server->setHost(QStringLiteral("127.0.0.1"));
    m_server->setPort(firstFreePort());
    m_server->setMode(ServerMode::Echo);
    if (!m_server->start())
        return;
    ClientPanel *client = addClient();
    client->setUrl(m_server->server()->url().toString() + u'/');
    // A greeting queued before the open goes out through the Outbox the moment the link is up.
    client->client()->sendText(tr("Hello from WsLab! Every message, ping and close shows up in both logs."));
    client->client()->sendText(QStringLiteral("{\"type\":\"greeting\",\"from\":\"client 1\",\"lang\":[\"en\",\"français\"]}"));
    client->connectToServer();
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *add = file->addAction(tr("&Add client"), this, &MainWindow::addClient);
    add->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    QAction *startStop = file->addAction(tr("&Start or stop the server"), this, [this] {
        if (m_server->server()->state() == Server::State::Listening)
            m_server->stop();
        else
            m_server->start();
    });
    startStop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Close codes"), this, &MainWindow::showCloseCodes);
    help->addAction(tr("&About WsLab"), this, &MainWindow::showAbout);
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
        m_clients->setTabText(m_clients->indexOf(panels.at(i)), dot + panels.at(i)->name());
    }
    const Server *server = m_server->server();
    m_statusLabel->setText(server->state() == Server::State::Listening
                               ? tr("Server on %1 with %2 peer(s) · %3 of %4 client(s) open")
                                     .arg(server->url().toString())
                                     .arg(server->peerCount())
                                     .arg(open)
                                     .arg(panels.size())
                               : tr("Server stopped · %1 of %2 client(s) open").arg(open).arg(panels.size()));
}

void MainWindow::saveState() const
{
    if (!m_options.persist)
        return;
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("client/recentUrls"), m_recentUrls);
    settings.beginGroup(QStringLiteral("server"));
    m_server->saveSettings(settings);
    settings.endGroup();
    if (const QList<ClientPanel *> panels = clientPanels(); !panels.isEmpty()) {
        settings.beginGroup(QStringLiteral("client"));
        panels.first()->saveSettings(settings);
        settings.endGroup();
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    QMainWindow::closeEvent(event);
}

void MainWindow::showCloseCodes()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("WebSocket close codes"));
    auto *table = new QTableWidget(&dialog);
    const QList<int> codes{1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 2000, 3000, 4000};
    table->setColumnCount(3);
    table->setRowCount(int(codes.size()));
    table->setHorizontalHeaderLabels({tr("Code"), tr("Name"), tr("Meaning")});
    for (int row = 0; row < codes.size(); ++row) {
        const int code = codes.at(row);
        const QString label = code == 2000 ? QStringLiteral("1016–2999") : code == 3000 ? QStringLiteral("3000–3999")
                              : code == 4000                            ? QStringLiteral("4000–4999")
                                                                        : QString::number(code);
        table->setItem(row, 0, new QTableWidgetItem(label));
        table->setItem(row, 1, new QTableWidgetItem(CloseCode::name(code)));
        table->setItem(row, 2, new QTableWidgetItem(CloseCode::meaning(code)));
    }
    table->horizontalHeader()->setStretchLastSection(true);
    table->resizeColumnsToContents();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(table);
    dialog.resize(820, 560);
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
