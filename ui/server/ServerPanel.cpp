#include "ui/server/ServerPanel.h"

#include "core/chat/ChatPage.h"
#include "core/chat/ChatRoom.h"
#include "core/discovery/Beacon.h"
#include "core/server/Server.h"
#include "core/tls/LabCertificate.h"
#include "ui/close/CloseDialog.h"
#include "ui/composer/Composer.h"
#include "ui/keyboard/FocusChain.h"
#include "ui/log/LogView.h"
#include "ui/server/PeerTableModel.h"
#include "ui/server/RulesEditor.h"
#include "ui/share/QrDialog.h"
#include "ui/style/LabColors.h"
#include "ui/style/TextScale.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkInterface>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace wslab {

namespace {

QSpinBox *spin(int min, int max, int value, const QString &suffix, const QString &objectName, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(objectName);
    box->setRange(min, max);
    box->setValue(value);
    box->setSuffix(suffix);
    return box;
}

QStringList lanAddresses()
{
    QStringList out;
    const auto addresses = QNetworkInterface::allAddresses();
    for (const QHostAddress &a : addresses) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback())
            out << a.toString();
    }
    return out;
}

QLineEdit *fileField(const QString &objectName, const QString &placeholder, QWidget *parent, QHBoxLayout **row)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setPlaceholderText(placeholder);
    auto *browse = new QToolButton(parent);
    browse->setText(QStringLiteral("…"));
    QObject::connect(browse, &QToolButton::clicked, edit, [edit, parent] {
        const QString path = QFileDialog::getOpenFileName(parent, QString(), {}, QObject::tr("PEM (*.pem *.crt *.key);;All files (*)"));
        if (!path.isEmpty())
            edit->setText(path);
    });
    *row = new QHBoxLayout;
    (*row)->addWidget(edit, 1);
    (*row)->addWidget(browse);
    return edit;
}

} // namespace

ServerPanel::ServerPanel(QWidget *parent)
    : QWidget(parent)
    , m_server(new Server(QStringLiteral("server"), this))
    , m_host(new QComboBox(this))
    , m_port(spin(0, 65535, 8080, QString(), QStringLiteral("serverPort"), this))
    , m_mode(new QComboBox(this))
    , m_startStop(new QPushButton(tr("Start"), this))
    , m_status(new QLabel(this))
    , m_share(new QLineEdit(this))
    , m_showQr(new QToolButton(this))
    , m_peers(new PeerTableModel(m_server, this))
    , m_peersTitle(new QLabel(this))
    , m_peerTable(new QTableView(this))
    , m_target(new QComboBox(this))
    , m_composer(new Composer(this))
    , m_log(new LogView(m_server->log(), this))
    , m_chat(new ChatRoom(m_server, this))
    , m_rules(new RulesEditor(this))
    , m_showRules(new QPushButton(tr("Rules…"), this))
{
    setObjectName(QStringLiteral("serverPanel"));
    m_host->setObjectName(QStringLiteral("serverHost"));
    m_host->setEditable(true);
    m_host->addItem(QStringLiteral("127.0.0.1"));
    m_host->addItem(QStringLiteral("0.0.0.0"));
    m_host->addItems(lanAddresses());
    m_host->setToolTip(tr("127.0.0.1: this machine only; 0.0.0.0: every interface, so phones and laptops on the LAN can join"));
    m_port->setToolTip(tr("0 picks a free port"));
    m_host->setAccessibleName(tr("Listen address"));
    m_host->lineEdit()->setAccessibleName(tr("Listen address"));
    m_port->setAccessibleName(tr("Port"));
    m_mode->setObjectName(QStringLiteral("serverMode"));
    for (ServerMode mode : {ServerMode::Echo, ServerMode::Broadcast, ServerMode::Silent, ServerMode::Chat, ServerMode::Rules})
        m_mode->addItem(serverModeName(mode), int(mode));
    m_mode->setToolTip(tr("echo: back to the sender · broadcast: to every other peer · silent: log only · "
                          "chat: a chat room with nicknames and history (docs/chat-protocol.md) · "
                          "rules: answers by the mock rules table (Rules…, docs/mock-rules.md).\n"
                          "Changes at once, also while running: connected peers stay."));
    m_mode->setAccessibleName(tr("Server mode"));
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        // The one setting a running server takes at once (a teacher goes from echo to broadcast mid-demo).
        m_server->setMode(ServerMode(m_mode->currentData().toInt()));
    });
    // The rules table is as wide as a rule has parts: its own window, where the panel's column has no room.
    m_rules->setWindowFlag(Qt::Window);
    m_rules->resize(m_rules->fontMetrics().horizontalAdvance(u'M') * 96, m_rules->fontMetrics().height() * 26);
    m_rules->attachTo(m_server);
    m_showRules->setObjectName(QStringLiteral("serverShowRules"));
    m_showRules->setToolTip(tr("The mock rules the server answers by in rules mode"));
    connect(m_showRules, &QPushButton::clicked, this, &ServerPanel::showRules);
    connect(m_rules, &RulesEditor::rulesChanged, this, [this] { m_showRules->setToolTip(m_rules->statusText()); });
    m_startStop->setObjectName(QStringLiteral("serverStartStop"));
    connect(m_startStop, &QPushButton::clicked, this, [this] {
        if (m_server->state() == Server::State::Listening)
            stop();
        else
            start();
    });
    m_status->setObjectName(QStringLiteral("serverStatus"));
    m_status->setWordWrap(true);
    m_share->setObjectName(QStringLiteral("serverShareAddress"));
    m_share->setReadOnly(true);
    m_share->setAccessibleName(tr("Address to share"));
    auto *copy = new QToolButton(this);
    copy->setObjectName(QStringLiteral("serverCopyAddress"));
    copy->setText(tr("Copy"));
    connect(copy, &QToolButton::clicked, this, [this] { QApplication::clipboard()->setText(m_share->text()); });
    m_showQr->setObjectName(QStringLiteral("serverShowQr"));
    m_showQr->setText(tr("QR"));
    m_showQr->setAccessibleName(tr("Show the chat page's address as a QR code"));
    connect(m_showQr, &QToolButton::clicked, this, &ServerPanel::showQrCode);

    auto *settingsToggle = new QToolButton(this);
    settingsToggle->setText(tr("Settings"));
    settingsToggle->setCheckable(true);
    settingsToggle->setObjectName(QStringLiteral("serverSettingsToggle"));
    settingsToggle->setToolTip(tr("Limits, heartbeat, path, token, origins and TLS"));
    // In a scroll area, so opening the settings squeezes them instead of growing the window off screen.
    auto *settings = new QScrollArea(this);
    settings->setWidget(buildSettings());
    settings->setWidgetResizable(true);
    settings->setFrameShape(QFrame::NoFrame);
    settings->setMaximumHeight(settings->widget()->sizeHint().height() + 4);
    settings->hide();
    connect(settingsToggle, &QToolButton::toggled, settings, &QWidget::setVisible);

    auto *top = new QHBoxLayout;
    top->addWidget(m_host, 1);
    top->addWidget(new QLabel(tr("port"), this));
    top->addWidget(m_port);
    top->addWidget(m_mode);
    top->addWidget(m_showRules);
    top->addWidget(settingsToggle);
    top->addWidget(m_startStop);
    auto *shareRow = new QHBoxLayout;
    shareRow->addWidget(new QLabel(tr("Share:"), this));
    shareRow->addWidget(m_share, 1);
    shareRow->addWidget(copy);
    shareRow->addWidget(m_showQr);

    m_peerTable->setObjectName(QStringLiteral("serverPeers"));
    m_peerTable->setModel(m_peers);
    m_peerTable->setAccessibleName(tr("Connected peers"));
    m_peerTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_peerTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_peerTable->verticalHeader()->hide();
    m_peerTable->horizontalHeader()->setStretchLastSection(true);
    m_peerTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Room for a few peers at any text size (presentation mode grows the rows).
    TextScale::follow(m_peerTable, [this] {
        m_peerTable->verticalHeader()->setDefaultSectionSize(TextScale::rowHeight(m_peerTable));
        m_peerTable->setMinimumHeight(m_peerTable->fontMetrics().height() * 5);
    });

    m_target->setObjectName(QStringLiteral("serverTarget"));
    m_target->addItem(tr("Send to all"));
    m_target->addItem(tr("Send to selected"));
    m_target->setToolTip(tr("Where the composer's messages and Ctrl+Enter go: every connected peer, or the one selected above"));
    connect(m_target, &QComboBox::currentIndexChanged, this, &ServerPanel::updateSendLabel);
    connect(m_peerTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ServerPanel::updateSendLabel);
    auto *kick = new QPushButton(tr("Kick…"), this);
    kick->setObjectName(QStringLiteral("serverKick"));
    kick->setToolTip(tr("Close the selected peer's connection with a close code and reason"));
    connect(kick, &QPushButton::clicked, this, &ServerPanel::askKick);
    auto *peerButtons = new QHBoxLayout;
    m_peersTitle->setObjectName(QStringLiteral("serverPeersTitle"));
    peerButtons->addWidget(m_peersTitle);
    peerButtons->addStretch(1);
    peerButtons->addWidget(m_target);
    peerButtons->addWidget(kick);

    m_composer->setSendFunction([this](bool binary, const QByteArray &data, QString *error) {
        if (m_target->currentIndex() == 1) {
            const int id = selectedPeerId();
            if (id < 0) {
                *error = tr("select a peer first");
                return false;
            }
            const bool ok = binary ? m_server->sendBinary(id, data) : m_server->sendText(id, QString::fromUtf8(data));
            if (!ok)
                *error = m_server->errorString();
            return ok;
        }
        const int sent = binary ? m_server->sendBinaryToAll(data) : m_server->sendTextToAll(QString::fromUtf8(data));
        if (sent == 0)
            *error = tr("no peer is connected");
        return sent > 0;
    });
    m_composer->setPingFunction([this](QString *error) {
        const int pinged = m_server->pingAll();
        if (pinged == 0)
            *error = tr("no peer is connected");
        return pinged > 0;
    });

    // Four panes in one remembered splitter, so a classroom's peers can have as many rows as the log
    // can spare: the controls, the peers, the composer, the log.
    auto *controls = new QWidget(this);
    auto *controlsLayout = new QVBoxLayout(controls);
    controlsLayout->setContentsMargins(0, 0, 0, 0);
    controlsLayout->addLayout(top);
    controlsLayout->addWidget(settings);
    controlsLayout->addWidget(m_status);
    controlsLayout->addLayout(shareRow);
    auto *peersPane = new QWidget(this);
    auto *peersLayout = new QVBoxLayout(peersPane);
    peersLayout->setContentsMargins(0, 0, 0, 0);
    peersLayout->addLayout(peerButtons);
    peersLayout->addWidget(m_peerTable, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("serverSplitter"));
    split->addWidget(controls);
    split->addWidget(peersPane);
    split->addWidget(m_composer);
    split->addWidget(m_log);
    for (int i = 0; i < split->count(); ++i)
        split->setCollapsible(i, false);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setStretchFactor(2, 0);
    split->setStretchFactor(3, 2);
    // Opened settings get the room they need from the log, which keeps a few rows in sight.
    connect(settingsToggle, &QToolButton::toggled, split, [split, controls](bool open) {
        if (!open)
            return;
        QList<int> sizes = split->sizes();
        const int spare = sizes.value(3) - 8 * split->fontMetrics().height();
        const int wanted = std::min(controls->sizeHint().height() - sizes.value(0), spare);
        if (wanted > 0) {
            sizes[0] += wanted;
            sizes[3] -= wanted;
            split->setSizes(sizes);
        }
    });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    // Tab reads the panel top to bottom: where and how to listen, its settings, the peers, the
    // composer, the log.
    const QList<QWidget *> where{m_host, m_port, m_mode, m_showRules, settingsToggle, m_startStop};
    const QList<QWidget *> peers{m_share, copy, m_showQr, m_target, kick, m_peerTable};
    chainFocus(where + tabStopsIn(settings->widget()) + peers + m_composer->focusOrder() + m_log->focusOrder());

    updateSendLabel();
    connect(m_server, &Server::stateChanged, this, &ServerPanel::updateState);
    connect(m_server, &Server::modeChanged, this, &ServerPanel::updateState);
    connect(m_server, &Server::peerConnected, this, &ServerPanel::updateState);
    connect(m_server, &Server::peerDisconnected, this, &ServerPanel::updateState);
    updateState();
}

ServerPanel::~ServerPanel()
{
    // The endpoint says goodbye to its peers as it goes; this half-destroyed panel must not hear it.
    m_server->disconnect(this);
    delete m_log; // views of the endpoint's log go before the log itself
    delete m_chat;
    delete m_rules;
    delete m_server;
}

QWidget *ServerPanel::buildSettings()
{
    const ServerConfig d;
    auto *box = new QGroupBox(tr("Server settings"), this);
    box->setObjectName(QStringLiteral("serverSettings"));
    m_settingsBox = box;
    auto *form = new QFormLayout(box);
    m_settingsNote = new QLabel(tr("The server is running: stop it to change these. They apply at the next Start."), box);
    m_settingsNote->setObjectName(QStringLiteral("serverSettingsNote"));
    m_settingsNote->setWordWrap(true);
    m_settingsNote->hide();
    form->addRow(m_settingsNote);
    m_maxConnections = spin(1, 1000000, d.maxConnections, QString(), QStringLiteral("serverMaxConnections"), box);
    m_maxPerAddress = spin(1, 1000000, d.maxPerAddress, QString(), QStringLiteral("serverMaxPerAddress"), box);
    auto *caps = new QHBoxLayout;
    caps->addWidget(m_maxConnections);
    caps->addWidget(new QLabel(tr("per address"), box));
    caps->addWidget(m_maxPerAddress);
    form->addRow(tr("Connections"), caps);
    m_maxMessageKiB = spin(1, 2 * 1024 * 1024, int(d.maxMessageSize / 1024), tr(" KiB"), QStringLiteral("serverMaxMessage"), box);
    m_maxMessageKiB->setToolTip(tr("A larger incoming message is refused with close 1009 (Message Too Big)"));
    m_rateLimit = spin(0, 1000000, 0, tr(" msg/s"), QStringLiteral("serverRateLimit"), box);
    m_rateLimit->setSpecialValueText(tr("no rate limit"));
    m_rateLimit->setToolTip(tr("Per connection; over it the peer is closed with 1008 (Policy Violation)"));
    auto *limits = new QHBoxLayout;
    limits->addWidget(m_maxMessageKiB);
    limits->addWidget(m_rateLimit);
    form->addRow(tr("Messages"), limits);
    m_pingInterval = spin(0, 3600000, int(d.heartbeat.interval.count()), tr(" ms"), QStringLiteral("serverPingInterval"), box);
    m_pingInterval->setSpecialValueText(tr("no heartbeat"));
    m_pongTimeout = spin(1, 3600000, int(d.heartbeat.pongTimeout.count()), tr(" ms"), QStringLiteral("serverPongTimeout"), box);
    auto *heartbeat = new QHBoxLayout;
    heartbeat->addWidget(new QLabel(tr("ping every"), box));
    heartbeat->addWidget(m_pingInterval);
    heartbeat->addWidget(new QLabel(tr("pong within"), box));
    heartbeat->addWidget(m_pongTimeout);
    form->addRow(tr("Heartbeat"), heartbeat);
    m_slowReaderKiB = spin(1, 4 * 1024 * 1024, int(d.slowReaderLimit / 1024), tr(" KiB"), QStringLiteral("serverSlowReader"), box);
    m_slowReaderKiB->setToolTip(tr("A peer holding more unsent data than this (it does not read) is closed with 1008"));
    m_idleTimeout = spin(0, 24 * 3600 * 1000, int(d.idleTimeout.count()), tr(" ms"), QStringLiteral("serverIdleTimeout"), box);
    m_idleTimeout->setSpecialValueText(tr("no idle limit"));
    auto *backlog = new QHBoxLayout;
    backlog->addWidget(new QLabel(tr("slow reader"), box));
    backlog->addWidget(m_slowReaderKiB);
    backlog->addWidget(new QLabel(tr("idle"), box));
    backlog->addWidget(m_idleTimeout);
    form->addRow(tr("Peers"), backlog);
    m_handshakeTimeout = spin(1, 3600000, int(d.handshakeTimeout.count()), tr(" ms"), QStringLiteral("serverHandshakeTimeout"), box);
    m_handshakeTimeout->setToolTip(tr("Time to send a complete upgrade request, else HTTP 408"));
    m_closeTimeout = spin(1, 3600000, int(d.closeTimeout.count()), tr(" ms"), QStringLiteral("serverCloseTimeout"), box);
    m_closeTimeout->setToolTip(tr("Time a peer has to answer our close frame before it is aborted"));
    auto *timeouts = new QHBoxLayout;
    timeouts->addWidget(new QLabel(tr("handshake"), box));
    timeouts->addWidget(m_handshakeTimeout);
    timeouts->addWidget(new QLabel(tr("close"), box));
    timeouts->addWidget(m_closeTimeout);
    form->addRow(tr("Timeouts"), timeouts);
    m_maxHeaderLine = spin(64, 1 << 20, d.httpLimits.maxLineBytes, tr(" B/line"), QStringLiteral("serverMaxHeaderLine"), box);
    m_maxHeaderLine->setToolTip(tr("Longest request or header line: longer gets HTTP 414 or 431"));
    m_maxHeaders = spin(1, 10000, d.httpLimits.maxHeaders, tr(" headers"), QStringLiteral("serverMaxHeaders"), box);
    m_maxHeaders->setToolTip(tr("Most header fields in an upgrade request: more gets HTTP 431"));
    auto *request = new QHBoxLayout;
    request->addWidget(m_maxHeaderLine);
    request->addWidget(m_maxHeaders);
    form->addRow(tr("Request"), request);
    m_path = new QLineEdit(box);
    m_path->setObjectName(QStringLiteral("serverPath"));
    m_path->setPlaceholderText(tr("any path (e.g. /chat to serve only that; others get 404)"));
    form->addRow(tr("Path"), m_path);
    m_token = new QLineEdit(box);
    m_token->setObjectName(QStringLiteral("serverToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("none (else Authorization: Bearer T or ?token=T, or 401)"));
    form->addRow(tr("Token"), m_token);
    m_origins = new QLineEdit(box);
    m_origins->setObjectName(QStringLiteral("serverOrigins"));
    m_origins->setPlaceholderText(tr("any origin (else a comma-separated allow-list; others get 403)"));
    form->addRow(tr("Origins"), m_origins);
    QHBoxLayout *certRow = nullptr;
    QHBoxLayout *keyRow = nullptr;
    m_certFile = fileField(QStringLiteral("serverCertFile"), tr("cert.pem (serve wss://)"), box, &certRow);
    m_keyFile = fileField(QStringLiteral("serverKeyFile"), tr("key.pem"), box, &keyRow);
    auto *make = new QPushButton(tr("Make certificate…"), box);
    make->setObjectName(QStringLiteral("serverMakeCertificate"));
    make->setToolTip(tr("Create a lab CA and a certificate for this machine's names and addresses; clients trust ca.pem"));
    connect(make, &QPushButton::clicked, this, &ServerPanel::makeCertificate);
    certRow->addWidget(make);
    form->addRow(tr("TLS certificate"), certRow);
    form->addRow(tr("TLS key"), keyRow);
    m_name = new QLineEdit(box);
    m_name->setObjectName(QStringLiteral("serverName"));
    m_name->setMaxLength(int(kMaxServerNameLength));
    m_name->setPlaceholderText(tr("this machine's name (%1)").arg(Beacon::displayName(QString())));
    m_name->setToolTip(tr("What other WsLab windows and wslab-cli discover list next to this server's address"));
    form->addRow(tr("Name"), m_name);
    m_announce = new QCheckBox(tr("Announce on the LAN (never on 127.0.0.1)"), box);
    m_announce->setObjectName(QStringLiteral("serverAnnounce"));
    m_announce->setChecked(d.announce);
    m_announce->setToolTip(tr("A small UDP beacon every few seconds (multicast group %1, port %2) gives the name, "
                              "the address and the mode to everyone on the network (docs/discovery.md)")
                               .arg(discoveryGroup().toString())
                               .arg(kDiscoveryPort));
    form->addRow(tr("Discovery"), m_announce);
    m_certInfo = new QLabel(box);
    m_certInfo->setObjectName(QStringLiteral("serverCertInfo"));
    m_certInfo->setWordWrap(true);
    m_certInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), m_certInfo);
    return box;
}

void ServerPanel::setHost(const QString &host)
{
    m_host->setEditText(host);
}

void ServerPanel::setPort(quint16 port)
{
    m_port->setValue(port);
}

void ServerPanel::setMode(ServerMode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

ServerConfig ServerPanel::configFromForm(QString *error) const
{
    ServerConfig c;
    c.host = m_host->currentText().trimmed();
    c.port = quint16(m_port->value());
    c.mode = ServerMode(m_mode->currentData().toInt());
    c.maxConnections = m_maxConnections->value();
    c.maxPerAddress = m_maxPerAddress->value();
    c.maxMessageSize = qint64(m_maxMessageKiB->value()) * 1024;
    c.rateLimit = m_rateLimit->value();
    c.heartbeat.interval = std::chrono::milliseconds(m_pingInterval->value());
    c.heartbeat.pongTimeout = std::chrono::milliseconds(m_pongTimeout->value());
    c.slowReaderLimit = qint64(m_slowReaderKiB->value()) * 1024;
    c.idleTimeout = std::chrono::milliseconds(m_idleTimeout->value());
    c.handshakeTimeout = std::chrono::milliseconds(m_handshakeTimeout->value());
    c.closeTimeout = std::chrono::milliseconds(m_closeTimeout->value());
    c.httpLimits.maxLineBytes = m_maxHeaderLine->value();
    c.httpLimits.maxHeaders = m_maxHeaders->value();
    c.path = m_path->text().trimmed();
    c.token = m_token->text();
    for (const QString &origin : m_origins->text().split(u',', Qt::SkipEmptyParts))
        c.allowedOrigins << origin.trimmed();
    c.tlsCertFile = m_certFile->text().trimmed();
    c.tlsKeyFile = m_keyFile->text().trimmed();
    c.name = m_name->text().trimmed();
    c.announce = m_announce->isChecked();
    *error = c.validate();
    return c;
}

void ServerPanel::setLimits(const ServerConfig &limits)
{
    m_maxMessageKiB->setValue(int(limits.maxMessageSize / 1024));
    m_rateLimit->setValue(int(limits.rateLimit));
    m_slowReaderKiB->setValue(int(limits.slowReaderLimit / 1024));
    m_pingInterval->setValue(int(limits.heartbeat.interval.count()));
    m_pongTimeout->setValue(int(limits.heartbeat.pongTimeout.count()));
}

bool ServerPanel::start()
{
    QString error;
    const ServerConfig config = configFromForm(&error);
    // In rules mode a bad row of the rules table refuses Start, with the parser's message.
    if (error.isEmpty() && config.mode == ServerMode::Rules)
        m_rules->rules(&error);
    if (error.isEmpty()) {
        m_server->setConfig(config);
        if (!m_server->start())
            error = m_server->errorString();
    }
    m_startFailed = !error.isEmpty();
    if (!error.isEmpty()) {
        m_status->setText(tr("Not started: %1").arg(error));
        setTone(m_status, Tone::Error);
        return false;
    }
    updateState();
    return true;
}

void ServerPanel::showRules()
{
    m_rules->show();
    m_rules->raise();
    m_rules->activateWindow();
}

void ServerPanel::stop()
{
    m_server->stop();
}

QString ServerPanel::shareAddress() const
{
    if (m_server->state() != Server::State::Listening)
        return {};
    QUrl url = m_server->url();
    if (m_server->config().host == u"0.0.0.0") {
        const QStringList lan = lanAddresses();
        if (!lan.isEmpty())
            url.setHost(lan.first());
    }
    if (!m_server->config().path.isEmpty())
        url.setPath(m_server->config().path);
    return url.toString();
}

QString ServerPanel::pageAddress() const
{
    if (m_server->state() != Server::State::Listening || m_server->config().mode != ServerMode::Chat)
        return {};
    const QUrl share(shareAddress());
    return ChatPage::pageUrl(share.host(), quint16(share.port()), m_server->config().isTls()).toString();
}

void ServerPanel::showQrCode()
{
    const QString address = pageAddress();
    if (address.isEmpty())
        return;
    const bool loopbackOnly = QHostAddress(QUrl(address).host()).isLoopback();
    auto *dialog = new QrDialog(address,
                                loopbackOnly ? tr("Only this machine can open it: listen on 0.0.0.0 or a LAN address for phones to join.")
                                             : tr("Point a phone's camera at it to open the chat page (same network)."),
                                this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

int ServerPanel::selectedPeerId() const
{
    // What the user sees highlighted, not the focus cursor, which may sit on an unselected row.
    const QModelIndexList rows = m_peerTable->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : m_peers->peerIdAt(rows.first().row());
}

bool ServerPanel::kickSelected(int code, const QString &reason)
{
    const int id = selectedPeerId();
    if (id < 0 || !m_server->kick(id, code, reason)) {
        m_status->setText(tr("Not kicked: %1").arg(id < 0 ? tr("select a peer first") : m_server->errorString()));
        setTone(m_status, Tone::Error);
        return false;
    }
    return true;
}

void ServerPanel::askKick()
{
    const int id = selectedPeerId();
    if (id < 0) {
        kickSelected(1000, {});
        return;
    }
    CloseDialog dialog(tr("Close peer %1").arg(id), this);
    if (dialog.exec() == QDialog::Accepted)
        kickSelected(dialog.code(), dialog.reason());
}

void ServerPanel::makeCertificate()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for ca.pem, cert.pem and key.pem"));
    if (!dir.isEmpty())
        makeCertificateIn(dir);
}

bool ServerPanel::makeCertificateIn(const QString &dir)
{
    LabCertificate cert;
    QString error;
    const QStringList hosts = LabCertificate::defaultHosts();
    if (!LabCertificate::generate(hosts, std::chrono::hours(24 * 825), &cert, &error) || !cert.writeTo(dir, &error)) {
        m_certInfo->setText(tr("Could not make the certificate: %1").arg(error));
        setTone(m_certInfo, Tone::Error);
        return false;
    }
    clearTone(m_certInfo);
    m_certFile->setText(dir + QStringLiteral("/cert.pem"));
    m_keyFile->setText(dir + QStringLiteral("/key.pem"));
    m_certInfo->setText(tr("For %1. Clients trust %2/ca.pem. SHA-256 %3").arg(hosts.join(QStringLiteral(", ")), dir, cert.sha256));
    return true;
}

void ServerPanel::updateSendLabel()
{
    if (m_target->currentIndex() == 0) {
        m_composer->setSendLabel(tr("Send to all"));
        return;
    }
    const int id = selectedPeerId();
    m_composer->setSendLabel(id < 0 ? tr("Send to selected") : tr("Send to peer %1").arg(id));
}

QString ServerPanel::certificateInfo() const
{
    return m_certInfo->text();
}

QString ServerPanel::statusText() const
{
    return m_status->text();
}

void ServerPanel::updateState()
{
    const bool listening = m_server->state() == Server::State::Listening;
    m_startStop->setText(listening ? tr("Stop") : tr("Start"));
    // Only the mode applies to a running server; everything else waits for the next Start, so it
    // cannot be edited meanwhile and look as if it had taken effect.
    const QString whyDisabled = listening ? tr("Stop the server to change this; it applies at the next Start") : QString();
    for (QWidget *w : {static_cast<QWidget *>(m_host), static_cast<QWidget *>(m_port)})
        w->setEnabled(!listening);
    m_host->setToolTip(listening ? whyDisabled
                                 : tr("127.0.0.1: this machine only; 0.0.0.0: every interface, so phones and laptops on the LAN can join"));
    m_port->setToolTip(listening ? whyDisabled : tr("0 picks a free port"));
    const auto fields = m_settingsBox->findChildren<QWidget *>();
    for (QWidget *field : fields) {
        if (field == m_settingsNote || field == m_certInfo)
            continue;
        field->setEnabled(!listening);
        // The field's own help stays, after the reason it cannot be edited now.
        const QVariant ownTip = field->property("wslabOwnToolTip");
        if (!ownTip.isValid())
            field->setProperty("wslabOwnToolTip", field->toolTip());
        const QString own = field->property("wslabOwnToolTip").toString();
        field->setToolTip(listening ? (own.isEmpty() ? whyDisabled : whyDisabled + u'\n' + own) : own);
    }
    m_settingsNote->setVisible(listening);
    {
        const QSignalBlocker quiet(m_mode);
        m_mode->setCurrentIndex(m_mode->findData(int(m_server->config().mode)));
    }
    m_showRules->setVisible(m_server->config().mode == ServerMode::Rules);
    m_peersTitle->setText(tr("Peers (%1)").arg(m_server->peerCount()));
    if (listening) {
        const QString announced = m_server->announcedUrls().isEmpty()
                                      ? QString()
                                      : tr(" · announced on the LAN as %1").arg(Beacon::displayName(m_server->config().name));
        m_status->setText(tr("Listening on %1 · %2 · %n peer(s)", nullptr, m_server->peerCount())
                              .arg(m_server->url().toString(), serverModeName(m_server->config().mode)) +
                          announced);
        setTone(m_status, Tone::Success, true);
    } else if (!m_startFailed) {
        m_status->setText(tr("Stopped"));
        setTone(m_status, Tone::Muted);
    }
    m_share->setText(shareAddress());
    m_showQr->setEnabled(!pageAddress().isEmpty());
    m_showQr->setToolTip(pageAddress().isEmpty() ? tr("In chat mode, a QR code of the chat page's address for phones to scan")
                                                 : tr("A QR code of %1 for phones to scan").arg(pageAddress()));
    const bool loopbackOnly = listening && QHostAddress(m_server->config().host).isLoopback();
    m_share->setToolTip(loopbackOnly
                            ? tr("Only this machine can use this address: listen on 0.0.0.0 or a LAN address to let other devices join")
                            : tr("The address other devices connect to; a browser can use it with new WebSocket(…)"));
    Q_EMIT summaryChanged();
}

QList<QPair<QSpinBox *, QString>> ServerPanel::persistedSpinBoxes() const
{
    return {{m_maxConnections, QStringLiteral("maxConnections")},     {m_maxPerAddress, QStringLiteral("maxPerAddress")},
            {m_maxMessageKiB, QStringLiteral("maxMessageKiB")},       {m_rateLimit, QStringLiteral("rateLimit")},
            {m_pingInterval, QStringLiteral("pingInterval")},         {m_pongTimeout, QStringLiteral("pongTimeout")},
            {m_slowReaderKiB, QStringLiteral("slowReaderKiB")},       {m_idleTimeout, QStringLiteral("idleTimeout")},
            {m_handshakeTimeout, QStringLiteral("handshakeTimeout")}, {m_closeTimeout, QStringLiteral("closeTimeout")},
            {m_maxHeaderLine, QStringLiteral("maxHeaderLine")},       {m_maxHeaders, QStringLiteral("maxHeaders")}};
}

void ServerPanel::saveSettings(QSettings &s) const
{
    QString ignored;
    const ServerConfig c = configFromForm(&ignored);
    s.setValue(QStringLiteral("host"), c.host);
    s.setValue(QStringLiteral("port"), c.port);
    s.setValue(QStringLiteral("mode"), serverModeName(c.mode));
    for (const auto &[box, key] : persistedSpinBoxes())
        s.setValue(key, box->value());
    s.setValue(QStringLiteral("path"), c.path);
    s.setValue(QStringLiteral("origins"), m_origins->text());
    s.setValue(QStringLiteral("certFile"), c.tlsCertFile);
    s.setValue(QStringLiteral("keyFile"), c.tlsKeyFile);
    s.setValue(QStringLiteral("name"), c.name);
    s.setValue(QStringLiteral("announce"), c.announce);
    s.setValue(QStringLiteral("rules"), QString::fromUtf8(m_rules->rulesJson()));
    // The token is a secret: it is not written here. A session saved with its secrets adds it (MainWindow).
    if (const auto *split = findChild<QSplitter *>(QStringLiteral("serverSplitter")))
        s.setValue(QStringLiteral("panes"), split->saveState());
}

void ServerPanel::restoreSettings(const QSettings &s)
{
    setHost(s.value(QStringLiteral("host"), QStringLiteral("127.0.0.1")).toString());
    setPort(quint16(s.value(QStringLiteral("port"), 8080).toUInt()));
    ServerMode mode = ServerMode::Echo;
    serverModeFromName(s.value(QStringLiteral("mode")).toString(), &mode);
    setMode(mode);
    for (const auto &[box, key] : persistedSpinBoxes())
        box->setValue(s.value(key, box->value()).toInt());
    m_path->setText(s.value(QStringLiteral("path")).toString());
    m_origins->setText(s.value(QStringLiteral("origins")).toString());
    m_certFile->setText(s.value(QStringLiteral("certFile")).toString());
    m_keyFile->setText(s.value(QStringLiteral("keyFile")).toString());
    m_name->setText(s.value(QStringLiteral("name")).toString());
    m_token->setText(s.value(QStringLiteral("token")).toString());
    m_announce->setChecked(s.value(QStringLiteral("announce"), ServerConfig().announce).toBool());
    m_rules->restoreRulesJson(s.value(QStringLiteral("rules")).toString().toUtf8());
    if (auto *split = findChild<QSplitter *>(QStringLiteral("serverSplitter")))
        split->restoreState(s.value(QStringLiteral("panes")).toByteArray());
}

} // namespace wslab
