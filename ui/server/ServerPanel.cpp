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
#include "ui/server/ServerSettingsForm.h"
#include "ui/settings/SettingsDrawer.h"
#include "ui/share/QrDialog.h"
#include "ui/style/LabColors.h"
#include "ui/style/TextScale.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace wslab {

ServerPanel::ServerPanel(QWidget *parent)
    : QWidget(parent)
    , m_server(new Server(QStringLiteral("server"), this))
    , m_form(new ServerSettingsForm(this))
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
    connect(m_form, &ServerSettingsForm::modeChanged, this, [this](ServerMode mode) {
        // The one setting a running server takes at once (a teacher goes from echo to broadcast mid-demo).
        m_server->setMode(mode);
    });
    connect(m_form, &ServerSettingsForm::makeCertificateRequested, this, &ServerPanel::makeCertificate);
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

    const SettingsDrawer drawer =
        makeSettingsDrawer(this, m_form, QStringLiteral("serverSettingsToggle"), tr("Limits, heartbeat, path, token, origins and TLS"));
    QToolButton *settingsToggle = drawer.toggle;
    QScrollArea *settings = drawer.area;

    auto *top = new QHBoxLayout;
    top->addWidget(m_form->hostField(), 1);
    top->addWidget(new QLabel(tr("port"), this));
    top->addWidget(m_form->portField());
    top->addWidget(m_form->modeField());
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
    m_target->addItem(tr("Send to all"), int(SendTarget::All));
    m_target->addItem(tr("Send to selected"), int(SendTarget::Selected));
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
        if (sendTarget() == SendTarget::Selected) {
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
    const QList<QWidget *> where{m_form->hostField(), m_form->portField(), m_form->modeField(), m_showRules, settingsToggle, m_startStop};
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

void ServerPanel::setHost(const QString &host)
{
    m_form->setHost(host);
}

void ServerPanel::setPort(quint16 port)
{
    m_form->setPort(port);
}

void ServerPanel::setMode(ServerMode mode)
{
    m_form->setMode(mode);
}

ServerConfig ServerPanel::configFromForm(QString *error) const
{
    return m_form->config(error);
}

void ServerPanel::setLimits(const ServerConfig &limits)
{
    m_form->setLimits(limits);
}

void ServerPanel::showRules()
{
    m_rules->show();
    m_rules->raise();
    m_rules->activateWindow();
}

ServerPanel::SendTarget ServerPanel::sendTarget() const
{
    return SendTarget(m_target->currentData().toInt());
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
        const QStringList lan = ServerSettingsForm::lanAddresses();
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
        m_form->setCertificateInfo(tr("Could not make the certificate: %1").arg(error), true);
        return false;
    }
    m_form->setTlsFiles(dir + QStringLiteral("/cert.pem"), dir + QStringLiteral("/key.pem"));
    m_form->setCertificateInfo(tr("For %1. Clients trust %2/ca.pem. SHA-256 %3").arg(hosts.join(QStringLiteral(", ")), dir, cert.sha256),
                               false);
    return true;
}

void ServerPanel::updateSendLabel()
{
    if (sendTarget() == SendTarget::All) {
        m_composer->setSendLabel(tr("Send to all"));
        return;
    }
    const int id = selectedPeerId();
    m_composer->setSendLabel(id < 0 ? tr("Send to selected") : tr("Send to peer %1").arg(id));
}

QString ServerPanel::certificateInfo() const
{
    return m_form->certificateInfo();
}

QString ServerPanel::statusText() const
{
    return m_status->text();
}

void ServerPanel::updateState()
{
    const bool listening = m_server->state() == Server::State::Listening;
    m_startStop->setText(listening ? tr("Stop") : tr("Start"));
    m_form->setLocked(listening);
    {
        const QSignalBlocker quiet(m_form);
        m_form->setMode(m_server->config().mode);
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

SecretFields ServerPanel::secretFields() const
{
    QString ignored;
    return SecretFields()
        .secretValue(QStringLiteral("token"), m_form->config(&ignored).token)
        .messagesWithSecrets(QStringLiteral("composer/history"), m_composer->keptHistory());
}

bool ServerPanel::holdsSecrets() const
{
    return secretFields().holdsSecrets();
}

void ServerPanel::saveSettings(QSettings &s, SecretsInSave secrets) const
{
    m_form->saveSettings(s);
    s.setValue(QStringLiteral("rules"), QString::fromUtf8(m_rules->rulesJson()));
    if (const auto *split = findChild<QSplitter *>(QStringLiteral("serverSplitter")))
        s.setValue(QStringLiteral("panes"), split->saveState());
    s.beginGroup(QStringLiteral("composer"));
    m_composer->saveSettings(s);
    s.endGroup();
    secretFields().save(s, secrets); // last: it replaces what the form and the composer wrote
}

void ServerPanel::restoreSettings(QSettings &s)
{
    m_form->restoreSettings(s);
    m_rules->restoreRulesJson(s.value(QStringLiteral("rules")).toString().toUtf8());
    if (auto *split = findChild<QSplitter *>(QStringLiteral("serverSplitter")))
        split->restoreState(s.value(QStringLiteral("panes")).toByteArray());
    s.beginGroup(QStringLiteral("composer"));
    m_composer->restoreSettings(s);
    s.endGroup();
}

} // namespace wslab
