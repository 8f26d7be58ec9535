#include "ui/server/ServerSettingsForm.h"

#include "core/discovery/Announcement.h"
#include "core/discovery/Beacon.h"
#include "core/settings/SettingsTable.h"
#include "ui/style/LabColors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkInterface>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>

namespace wslab {

namespace {

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

// Two fields on one form row, each after its own small label (an empty label is left out).
QHBoxLayout *pair(const QString &firstLabel, QWidget *first, const QString &secondLabel, QWidget *second, QWidget *parent)
{
    auto *row = new QHBoxLayout;
    if (!firstLabel.isEmpty())
        row->addWidget(new QLabel(firstLabel, parent));
    row->addWidget(first);
    if (!secondLabel.isEmpty())
        row->addWidget(new QLabel(secondLabel, parent));
    row->addWidget(second);
    return row;
}

} // namespace

ServerSettingsForm::ServerSettingsForm(QWidget *parent)
    : QGroupBox(tr("Server settings"), parent)
    , m_fields(serverSettings())
    , m_host(new QComboBox(this))
    , m_port(m_fields.spinBox(QStringLiteral("port"), QStringLiteral("serverPort"), this))
    , m_mode(new QComboBox(this))
    , m_note(new QLabel(tr("The server is running: stop it to change these. They apply at the next Start."), this))
{
    setObjectName(QStringLiteral("serverSettings"));
    m_host->setObjectName(QStringLiteral("serverHost"));
    m_host->setEditable(true);
    m_host->addItem(QStringLiteral("127.0.0.1"));
    m_host->addItem(QStringLiteral("0.0.0.0"));
    m_host->addItems(lanAddresses());
    m_host->setToolTip(tr("127.0.0.1: this machine only; 0.0.0.0: every interface, so phones and laptops on the LAN can join"));
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
    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT modeChanged(mode()); });

    auto *form = new QFormLayout(this);
    m_note->setObjectName(QStringLiteral("serverSettingsNote"));
    m_note->setWordWrap(true);
    m_note->hide();
    form->addRow(m_note);
    form->addRow(tr("Connections"),
                 pair({}, m_fields.spinBox(QStringLiteral("maxConnections"), QStringLiteral("serverMaxConnections"), this),
                      tr("per address"), m_fields.spinBox(QStringLiteral("maxPerAddress"), QStringLiteral("serverMaxPerAddress"), this),
                      this));
    form->addRow(tr("Messages"), pair({}, m_fields.spinBox(QStringLiteral("maxMessageKiB"), QStringLiteral("serverMaxMessage"), this), {},
                                      m_fields.spinBox(QStringLiteral("rateLimit"), QStringLiteral("serverRateLimit"), this), this));
    form->addRow(tr("Heartbeat"),
                 pair(tr("ping every"), m_fields.spinBox(QStringLiteral("pingInterval"), QStringLiteral("serverPingInterval"), this),
                      tr("pong within"), m_fields.spinBox(QStringLiteral("pongTimeout"), QStringLiteral("serverPongTimeout"), this), this));
    form->addRow(tr("Peers"),
                 pair(tr("slow reader"), m_fields.spinBox(QStringLiteral("slowReaderKiB"), QStringLiteral("serverSlowReader"), this),
                      tr("idle"), m_fields.spinBox(QStringLiteral("idleTimeout"), QStringLiteral("serverIdleTimeout"), this), this));
    form->addRow(tr("Timeouts"),
                 pair(tr("handshake"), m_fields.spinBox(QStringLiteral("handshakeTimeout"), QStringLiteral("serverHandshakeTimeout"), this),
                      tr("close"), m_fields.spinBox(QStringLiteral("closeTimeout"), QStringLiteral("serverCloseTimeout"), this), this));
    QSpinBox *maxHeaders = m_fields.spinBox(QStringLiteral("maxHeaders"), QStringLiteral("serverMaxHeaders"), this);
    maxHeaders->setSuffix(tr(" headers"));
    QSpinBox *maxHeaderLine = m_fields.spinBox(QStringLiteral("maxHeaderLine"), QStringLiteral("serverMaxHeaderLine"), this);
    maxHeaderLine->setSuffix(tr(" B/line"));
    form->addRow(tr("Request"), pair({}, maxHeaderLine, {}, maxHeaders, this));
    form->addRow(tr("Pending upgrades"),
                 m_fields.spinBox(QStringLiteral("maxPendingHandshakes"), QStringLiteral("serverMaxPendingHandshakes"), this));

    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("serverPath"));
    m_path->setPlaceholderText(tr("any path (e.g. /chat to serve only that; others get 404)"));
    form->addRow(tr("Path"), m_path);
    m_token = new QLineEdit(this);
    m_token->setObjectName(QStringLiteral("serverToken"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("none (else Authorization: Bearer T or ?token=T, or 401)"));
    form->addRow(tr("Token"), m_token);
    m_origins = new QLineEdit(this);
    m_origins->setObjectName(QStringLiteral("serverOrigins"));
    m_origins->setPlaceholderText(tr("any origin (else a comma-separated allow-list; others get 403)"));
    form->addRow(tr("Origins"), m_origins);
    QHBoxLayout *certRow = nullptr;
    QHBoxLayout *keyRow = nullptr;
    m_certFile = fileField(QStringLiteral("serverCertFile"), tr("cert.pem (serve wss://)"), this, &certRow);
    m_keyFile = fileField(QStringLiteral("serverKeyFile"), tr("key.pem"), this, &keyRow);
    auto *make = new QPushButton(tr("Make certificate…"), this);
    make->setObjectName(QStringLiteral("serverMakeCertificate"));
    make->setToolTip(tr("Create a lab CA and a certificate for this machine's names and addresses; clients trust ca.pem"));
    connect(make, &QPushButton::clicked, this, &ServerSettingsForm::makeCertificateRequested);
    certRow->addWidget(make);
    form->addRow(tr("TLS certificate"), certRow);
    form->addRow(tr("TLS key"), keyRow);
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("serverName"));
    m_name->setMaxLength(int(kMaxServerNameLength));
    m_name->setPlaceholderText(tr("this machine's name (%1)").arg(Beacon::displayName(QString())));
    m_name->setToolTip(tr("What other WsLab windows and wslab-cli discover list next to this server's address"));
    form->addRow(tr("Name"), m_name);
    QCheckBox *announce = m_fields.checkBox(QStringLiteral("announce"), tr("Announce on the LAN (never on 127.0.0.1)"),
                                            QStringLiteral("serverAnnounce"), this);
    announce->setToolTip(tr("A small UDP beacon every few seconds (multicast group %1, port %2) gives the name, "
                            "the address and the mode to everyone on the network (docs/discovery.md)")
                             .arg(discoveryGroup().toString())
                             .arg(kDiscoveryPort));
    form->addRow(tr("Discovery"), announce);
    m_certInfo = new QLabel(this);
    m_certInfo->setObjectName(QStringLiteral("serverCertInfo"));
    m_certInfo->setWordWrap(true);
    m_certInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(QString(), m_certInfo);
}

QStringList ServerSettingsForm::lanAddresses()
{
    QStringList out;
    const auto addresses = QNetworkInterface::allAddresses();
    for (const QHostAddress &a : addresses) {
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback())
            out << a.toString();
    }
    return out;
}

void ServerSettingsForm::setHost(const QString &host)
{
    m_host->setEditText(host);
}

void ServerSettingsForm::setPort(quint16 port)
{
    m_port->setValue(port);
}

void ServerSettingsForm::setMode(ServerMode mode)
{
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
}

ServerMode ServerSettingsForm::mode() const
{
    return ServerMode(m_mode->currentData().toInt());
}

ServerConfig ServerSettingsForm::config(QString *error) const
{
    ServerConfig c;
    m_fields.writeInto(&c);
    c.host = m_host->currentText().trimmed();
    c.mode = mode();
    c.path = m_path->text().trimmed();
    c.token = m_token->text();
    for (const QString &origin : m_origins->text().split(u',', Qt::SkipEmptyParts))
        c.allowedOrigins << origin.trimmed();
    c.tlsCertFile = m_certFile->text().trimmed();
    c.tlsKeyFile = m_keyFile->text().trimmed();
    c.name = m_name->text().trimmed();
    *error = c.validate();
    return c;
}

QString ServerSettingsForm::setLimits(const ServerConfig &limits)
{
    return m_fields.showValues(limits, {QStringLiteral("maxMessageKiB"), QStringLiteral("rateLimit"), QStringLiteral("slowReaderKiB"),
                                        QStringLiteral("pingInterval"), QStringLiteral("pongTimeout")});
}

bool ServerSettingsForm::setValue(const QString &key, qint64 value, QString *error)
{
    return m_fields.setValue(key, value, error);
}

void ServerSettingsForm::setTlsFiles(const QString &certFile, const QString &keyFile)
{
    m_certFile->setText(certFile);
    m_keyFile->setText(keyFile);
}

void ServerSettingsForm::setCertificateInfo(const QString &text, bool isError)
{
    if (isError)
        setTone(m_certInfo, Tone::Error);
    else
        clearTone(m_certInfo);
    m_certInfo->setText(text);
}

QString ServerSettingsForm::certificateInfo() const
{
    return m_certInfo->text();
}

void ServerSettingsForm::setLocked(bool locked)
{
    // Only the mode applies to a running server; everything else waits for the next Start, so it
    // cannot be edited meanwhile and look as if it had taken effect.
    const QString whyDisabled = locked ? tr("Stop the server to change this; it applies at the next Start") : QString();
    QList<QWidget *> fields = findChildren<QWidget *>();
    fields << m_host << m_port;
    for (QWidget *field : std::as_const(fields)) {
        if (field == m_note || field == m_certInfo || field == m_mode)
            continue;
        field->setEnabled(!locked);
        // The field's own help stays, after the reason it cannot be edited now.
        if (!field->property("wslabOwnToolTip").isValid())
            field->setProperty("wslabOwnToolTip", field->toolTip());
        const QString own = field->property("wslabOwnToolTip").toString();
        field->setToolTip(locked ? (own.isEmpty() ? whyDisabled : whyDisabled + u'\n' + own) : own);
    }
    m_note->setVisible(locked);
}

void ServerSettingsForm::saveSettings(QSettings &s) const
{
    m_fields.save(s);
    s.setValue(QStringLiteral("host"), m_host->currentText().trimmed());
    s.setValue(QStringLiteral("mode"), serverModeName(mode()));
    s.setValue(QStringLiteral("path"), m_path->text().trimmed());
    s.setValue(QStringLiteral("origins"), m_origins->text());
    s.setValue(QStringLiteral("certFile"), m_certFile->text().trimmed());
    s.setValue(QStringLiteral("keyFile"), m_keyFile->text().trimmed());
    s.setValue(QStringLiteral("name"), m_name->text().trimmed());
    // The token is a secret: it is not written here. ServerPanel writes it when secrets are included.
}

void ServerSettingsForm::restoreSettings(const QSettings &s)
{
    setHost(s.value(QStringLiteral("host"), QStringLiteral("127.0.0.1")).toString());
    ServerMode mode = ServerMode::Echo;
    serverModeFromName(s.value(QStringLiteral("mode")).toString(), &mode);
    setMode(mode);
    m_fields.restore(s);
    m_path->setText(s.value(QStringLiteral("path")).toString());
    m_origins->setText(s.value(QStringLiteral("origins")).toString());
    m_certFile->setText(s.value(QStringLiteral("certFile")).toString());
    m_keyFile->setText(s.value(QStringLiteral("keyFile")).toString());
    m_name->setText(s.value(QStringLiteral("name")).toString());
    m_token->setText(s.value(QStringLiteral("token")).toString());
}

} // namespace wslab
