#include "ClientPanel.h"

#include "client/Client.h"
#include "composer/Composer.h"
#include "log/LogView.h"
#include "protocol/CloseCode.h"
#include "tls/TlsFiles.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace wslab {

namespace {

QSpinBox *millisBox(int value, int min, const QString &objectName, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(objectName);
    box->setRange(min, 24 * 3600 * 1000);
    box->setSingleStep(100);
    box->setSuffix(QStringLiteral(" ms"));
    box->setValue(value);
    return box;
}

} // namespace

ClientPanel::ClientPanel(const QString &name, QWidget *parent)
    : QWidget(parent)
    , m_client(new Client(name, this))
    , m_url(new QComboBox(this))
    , m_connect(new QPushButton(tr("Connect"), this))
    , m_retryNow(new QPushButton(tr("Retry now"), this))
    , m_state(new QLabel(this))
    , m_outbox(new QLabel(this))
    , m_certificate(new QLabel(this))
    , m_composer(new Composer(this))
    , m_log(new LogView(m_client->log(), this))
    , m_countdown(new QTimer(this))
    , m_coalesce(new QTimer(this))
{
    setObjectName(QStringLiteral("clientPanel"));
    m_url->setObjectName(QStringLiteral("clientUrl"));
    m_url->setEditable(true);
    m_url->setInsertPolicy(QComboBox::NoInsert);
    m_url->setToolTip(tr("ws://host:port/path, or wss:// for WebSocket over TLS"));
    m_url->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_connect->setObjectName(QStringLiteral("clientConnect"));
    m_retryNow->setObjectName(QStringLiteral("clientRetryNow"));
    m_retryNow->setToolTip(tr("Skip the rest of the backoff delay and try again now"));
    m_retryNow->hide();
    m_state->setObjectName(QStringLiteral("clientState"));
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outbox->setObjectName(QStringLiteral("clientOutbox"));
    m_outbox->setToolTip(tr("Messages sent while the connection is down wait here and go out, in order, on the next open"));
    m_certificate->setObjectName(QStringLiteral("clientCertificate"));
    m_certificate->setWordWrap(true);
    m_certificate->hide();

    connect(m_connect, &QPushButton::clicked, this, [this] {
        if (m_client->state() == Client::State::Idle)
            connectToServer();
        else
            disconnectFromServer();
    });
    connect(m_url->lineEdit(), &QLineEdit::returnPressed, this, [this] {
        if (m_client->state() == Client::State::Idle)
            connectToServer();
    });
    connect(m_retryNow, &QPushButton::clicked, m_client, &Client::retryNow);
    connect(m_client, &Client::stateChanged, this, &ClientPanel::updateState);
    // Counters change with every message: a flood must not redraw the panel 20,000 times a second.
    m_coalesce->setSingleShot(true);
    m_coalesce->setInterval(100);
    connect(m_coalesce, &QTimer::timeout, this, &ClientPanel::updateState);
    auto later = [this] {
        if (!m_coalesce->isActive())
            m_coalesce->start();
    };
    connect(m_client, &Client::countersChanged, this, later);
    connect(m_client, &Client::outboxChanged, this, later);
    m_countdown->setInterval(100); // the backoff countdown's tenths of a second
    connect(m_countdown, &QTimer::timeout, this, &ClientPanel::updateState);

    m_composer->setSendFunction([this](bool binary, const QByteArray &data, QString *error) {
        const bool ok = binary ? m_client->sendBinary(data) : m_client->sendText(QString::fromUtf8(data));
        if (!ok)
            *error = m_client->errorString();
        return ok;
    });
    m_composer->setPingFunction([this](QString *error) {
        const bool ok = m_client->ping();
        if (!ok)
            *error = m_client->errorString();
        return ok;
    });

    auto *settingsToggle = new QToolButton(this);
    settingsToggle->setObjectName(QStringLiteral("clientSettingsToggle"));
    settingsToggle->setText(tr("Settings"));
    settingsToggle->setCheckable(true);
    settingsToggle->setToolTip(tr("Headers, subprotocols, origin, reconnect, heartbeat and TLS"));
    QWidget *settings = buildSettings();
    settings->hide();
    connect(settingsToggle, &QToolButton::toggled, settings, &QWidget::setVisible);

    auto *top = new QHBoxLayout;
    top->addWidget(m_url, 1);
    top->addWidget(settingsToggle);
    top->addWidget(m_connect);
    auto *stateRow = new QHBoxLayout;
    stateRow->addWidget(m_state, 1);
    stateRow->addWidget(m_outbox);
    stateRow->addWidget(m_retryNow);

    auto *upper = new QWidget(this);
    auto *upperLayout = new QVBoxLayout(upper);
    upperLayout->setContentsMargins(0, 0, 0, 0);
    upperLayout->addLayout(top);
    upperLayout->addWidget(settings);
    upperLayout->addLayout(stateRow);
    upperLayout->addWidget(m_certificate);
    upperLayout->addWidget(m_composer);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(upper);
    layout->addWidget(m_log, 1);
    updateState();
}

ClientPanel::~ClientPanel()
{
    // The endpoint says goodbye to its peers as it goes; this half-destroyed panel must not hear it.
    m_client->disconnect(this);
    delete m_log; // views of the endpoint's log go before the log itself
    delete m_client;
}

QWidget *ClientPanel::buildSettings()
{
    auto *box = new QGroupBox(tr("Connection settings"), this);
    box->setObjectName(QStringLiteral("clientSettings"));
    auto *form = new QFormLayout(box);
    const ClientConfig defaults;

    m_headers = new QPlainTextEdit(box);
    m_headers->setObjectName(QStringLiteral("clientHeaders"));
    m_headers->setPlaceholderText(tr("Name: value, one per line"));
    m_headers->setMaximumHeight(m_headers->fontMetrics().lineSpacing() * 3 + 12);
    m_headers->setToolTip(tr("Extra HTTP headers sent with the upgrade request, e.g. Authorization: Bearer …"));
    form->addRow(tr("Headers"), m_headers);

    m_subprotocols = new QLineEdit(box);
    m_subprotocols->setObjectName(QStringLiteral("clientSubprotocols"));
    m_subprotocols->setPlaceholderText(tr("chat, json (in order of preference)"));
    m_subprotocols->setToolTip(tr("Subprotocols offered in Sec-WebSocket-Protocol; the server picks at most one"));
    form->addRow(tr("Subprotocols"), m_subprotocols);

    m_origin = new QLineEdit(box);
    m_origin->setObjectName(QStringLiteral("clientOrigin"));
    m_origin->setPlaceholderText(tr("http://example.org (browsers always send one)"));
    form->addRow(tr("Origin"), m_origin);

    m_reconnect = new QCheckBox(tr("Reconnect after a drop (exponential backoff with jitter)"), box);
    m_reconnect->setObjectName(QStringLiteral("clientReconnect"));
    m_reconnect->setChecked(true);
    form->addRow(QString(), m_reconnect);
    m_reconnectBase = millisBox(int(defaults.reconnect.baseDelay.count()), 1, QStringLiteral("clientReconnectBase"), box);
    m_reconnectCap = millisBox(int(defaults.reconnect.maxDelay.count()), 1, QStringLiteral("clientReconnectCap"), box);
    m_maxAttempts = new QSpinBox(box);
    m_maxAttempts->setObjectName(QStringLiteral("clientMaxAttempts"));
    m_maxAttempts->setRange(0, 1000000);
    m_maxAttempts->setSpecialValueText(tr("unlimited"));
    auto *backoff = new QHBoxLayout;
    backoff->addWidget(new QLabel(tr("base"), box));
    backoff->addWidget(m_reconnectBase);
    backoff->addWidget(new QLabel(tr("cap"), box));
    backoff->addWidget(m_reconnectCap);
    backoff->addWidget(new QLabel(tr("attempts"), box));
    backoff->addWidget(m_maxAttempts);
    form->addRow(tr("Backoff"), backoff);

    m_pingInterval = millisBox(int(defaults.heartbeat.interval.count()), 0, QStringLiteral("clientPingInterval"), box);
    m_pingInterval->setSpecialValueText(tr("off"));
    m_pongTimeout = millisBox(int(defaults.heartbeat.pongTimeout.count()), 1, QStringLiteral("clientPongTimeout"), box);
    auto *heartbeat = new QHBoxLayout;
    heartbeat->addWidget(new QLabel(tr("ping every"), box));
    heartbeat->addWidget(m_pingInterval);
    heartbeat->addWidget(new QLabel(tr("pong within"), box));
    heartbeat->addWidget(m_pongTimeout);
    auto *heartbeatLabel = new QLabel(tr("Heartbeat"), box);
    heartbeatLabel->setToolTip(tr("Pings are control frames; a peer that sends no pong (nor any data) in time is declared dead (1006)"));
    form->addRow(heartbeatLabel, heartbeat);

    m_caFile = new QLineEdit(box);
    m_caFile->setObjectName(QStringLiteral("clientCaFile"));
    m_caFile->setPlaceholderText(tr("ca.pem to trust for wss:// (besides the system's)"));
    auto *browse = new QToolButton(box);
    browse->setText(QStringLiteral("…"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Trust this CA or certificate"), {}, tr("PEM (*.pem *.crt);;All files (*)"));
        if (!path.isEmpty())
            m_caFile->setText(path);
    });
    auto *ca = new QHBoxLayout;
    ca->addWidget(m_caFile, 1);
    ca->addWidget(browse);
    form->addRow(tr("TLS trust"), ca);
    m_insecure = new QCheckBox(tr("Ignore certificate errors (the server is then NOT authenticated)"), box);
    m_insecure->setObjectName(QStringLiteral("clientInsecure"));
    form->addRow(QString(), m_insecure);
    return box;
}

QString ClientPanel::name() const
{
    return m_client->name();
}

void ClientPanel::setUrl(const QString &url)
{
    m_url->setEditText(url);
}

QString ClientPanel::url() const
{
    return m_url->currentText().trimmed();
}

void ClientPanel::setRecentUrls(const QStringList &urls)
{
    const QString current = url();
    m_url->clear();
    m_url->addItems(urls);
    m_url->setEditText(current);
}

QStringList ClientPanel::recentUrls() const
{
    QStringList urls;
    for (int i = 0; i < m_url->count(); ++i)
        urls << m_url->itemText(i);
    return urls;
}

ClientConfig ClientPanel::configFromForm(QString *error) const
{
    ClientConfig c;
    c.url = QUrl(url(), QUrl::StrictMode);
    const QStringList lines = m_headers->toPlainText().split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0) {
            *error = tr("Header \"%1\" should look like Name: value").arg(line.trimmed());
            return c;
        }
        c.headers.append({line.left(colon).trimmed().toLatin1(), line.mid(colon + 1).trimmed().toUtf8()});
    }
    for (const QString &p : m_subprotocols->text().split(u',', Qt::SkipEmptyParts))
        c.subprotocols << p.trimmed();
    c.origin = m_origin->text().trimmed();
    c.reconnect.enabled = m_reconnect->isChecked();
    c.reconnect.baseDelay = std::chrono::milliseconds(m_reconnectBase->value());
    c.reconnect.maxDelay = std::chrono::milliseconds(m_reconnectCap->value());
    c.reconnect.minDelay = std::min(c.reconnect.minDelay, c.reconnect.baseDelay);
    c.reconnect.maxAttempts = m_maxAttempts->value();
    c.heartbeat.interval = std::chrono::milliseconds(m_pingInterval->value());
    c.heartbeat.pongTimeout = std::chrono::milliseconds(m_pongTimeout->value());
    c.caFile = m_caFile->text().trimmed();
    c.ignoreCertificateErrors = m_insecure->isChecked();
    *error = c.validate();
    return c;
}

bool ClientPanel::connectToServer()
{
    QString error;
    const ClientConfig config = configFromForm(&error);
    if (!error.isEmpty()) {
        m_state->setText(tr("Cannot connect: %1").arg(error));
        m_state->setStyleSheet(QStringLiteral("color: #c01c28;"));
        return false;
    }
    m_client->setConfig(config);
    if (!m_client->open()) {
        m_state->setText(tr("Cannot connect: %1").arg(m_client->errorString()));
        return false;
    }
    const QString used = url();
    if (m_url->findText(used) < 0)
        m_url->insertItem(0, used);
    Q_EMIT urlUsed(used);
    return true;
}

void ClientPanel::disconnectFromServer()
{
    m_client->close(1000, QStringLiteral("closed from the lab window"));
}

QString ClientPanel::stateText() const
{
    return m_state->text();
}

void ClientPanel::updateState()
{
    const Client::State state = m_client->state();
    QString text;
    QString colour;
    switch (state) {
    case Client::State::Idle: {
        const DisconnectCause::Kind kind = m_client->lastCause().kind;
        const bool failedToOpen = kind == DisconnectCause::Kind::NetworkError || kind == DisconnectCause::Kind::ConnectTimeout
                                  || kind == DisconnectCause::Kind::HandshakeRefused || kind == DisconnectCause::Kind::TlsError;
        if (failedToOpen && !m_client->errorString().isEmpty())
            text = tr("Failed: %1").arg(m_client->errorString());
        else if (m_client->lastCloseCode() != 0)
            text = tr("Closed: %1%2").arg(CloseCode::describe(m_client->lastCloseCode()),
                                         m_client->lastCloseReason().isEmpty() ? QString() : QStringLiteral(" — ") + m_client->lastCloseReason());
        else
            text = tr("Not connected");
        colour = QStringLiteral("#5f6b73");
        break;
    }
    case Client::State::Connecting:
        text = m_client->attempt() > 0 ? tr("Connecting (retry %1)…").arg(m_client->attempt()) : tr("Connecting…");
        colour = QStringLiteral("#8a6d00");
        break;
    case Client::State::Open: {
        const RttStats &rtt = m_client->counters().rtt;
        text = tr("Open");
        if (rtt.samples > 0)
            text += tr(" · RTT %1 ms").arg(double(rtt.last.count()) / 1000.0, 0, 'f', 2);
        if (!m_client->subprotocol().isEmpty())
            text += tr(" · subprotocol %1").arg(m_client->subprotocol());
        text += tr(" · %1 in, %2 out").arg(m_client->counters().messagesIn).arg(m_client->counters().messagesOut);
        colour = QStringLiteral("#1b7a3a");
        break;
    }
    case Client::State::Closing:
        text = tr("Closing…");
        colour = QStringLiteral("#b35c00");
        break;
    case Client::State::Backoff:
        text = tr("Retry %1 in %2 s").arg(m_client->attempt()).arg(double(m_client->backoffRemaining().count()) / 1000.0, 0, 'f', 1);
        if (m_client->lastCloseCode() != 0)
            text += tr(" (closed %1)").arg(CloseCode::describe(m_client->lastCloseCode()));
        colour = QStringLiteral("#8a6d00");
        break;
    }
    m_state->setText(text);
    m_state->setStyleSheet(QStringLiteral("color: %1; font-weight: bold;").arg(colour));
    m_retryNow->setVisible(state == Client::State::Backoff);
    if (state == Client::State::Backoff)
        m_countdown->start();
    else
        m_countdown->stop();
    m_connect->setText(state == Client::State::Idle ? tr("Connect") : tr("Disconnect"));
    m_outbox->setText(m_client->outboxSize() > 0 ? tr("%1 waiting in the outbox").arg(m_client->outboxSize()) : QString());
    const bool tls = state == Client::State::Open && m_client->config().url.scheme() == u"wss";
    m_certificate->setVisible(tls);
    if (tls) {
        const QString described = TlsFiles::describe(m_client->peerCertificate());
        m_certificate->setText(m_client->certificateErrorsIgnored()
                                   ? tr("⚠ Certificate NOT verified (errors ignored): %1").arg(described)
                                   : tr("🔒 %1").arg(described));
        m_certificate->setStyleSheet(m_client->certificateErrorsIgnored() ? QStringLiteral("color: #c01c28;") : QString());
    }
    Q_EMIT summaryChanged();
}

void ClientPanel::saveSettings(QSettings &s) const
{
    s.setValue(QStringLiteral("url"), url());
    s.setValue(QStringLiteral("headers"), m_headers->toPlainText());
    s.setValue(QStringLiteral("subprotocols"), m_subprotocols->text());
    s.setValue(QStringLiteral("origin"), m_origin->text());
    s.setValue(QStringLiteral("reconnect"), m_reconnect->isChecked());
    s.setValue(QStringLiteral("reconnectBase"), m_reconnectBase->value());
    s.setValue(QStringLiteral("reconnectCap"), m_reconnectCap->value());
    s.setValue(QStringLiteral("maxAttempts"), m_maxAttempts->value());
    s.setValue(QStringLiteral("pingInterval"), m_pingInterval->value());
    s.setValue(QStringLiteral("pongTimeout"), m_pongTimeout->value());
    s.setValue(QStringLiteral("caFile"), m_caFile->text());
    s.setValue(QStringLiteral("insecure"), m_insecure->isChecked());
}

void ClientPanel::restoreSettings(const QSettings &s)
{
    setUrl(s.value(QStringLiteral("url"), url()).toString());
    m_headers->setPlainText(s.value(QStringLiteral("headers")).toString());
    m_subprotocols->setText(s.value(QStringLiteral("subprotocols")).toString());
    m_origin->setText(s.value(QStringLiteral("origin")).toString());
    m_reconnect->setChecked(s.value(QStringLiteral("reconnect"), true).toBool());
    m_reconnectBase->setValue(s.value(QStringLiteral("reconnectBase"), m_reconnectBase->value()).toInt());
    m_reconnectCap->setValue(s.value(QStringLiteral("reconnectCap"), m_reconnectCap->value()).toInt());
    m_maxAttempts->setValue(s.value(QStringLiteral("maxAttempts"), 0).toInt());
    m_pingInterval->setValue(s.value(QStringLiteral("pingInterval"), m_pingInterval->value()).toInt());
    m_pongTimeout->setValue(s.value(QStringLiteral("pongTimeout"), m_pongTimeout->value()).toInt());
    m_caFile->setText(s.value(QStringLiteral("caFile")).toString());
    m_insecure->setChecked(s.value(QStringLiteral("insecure"), false).toBool());
}

} // namespace wslab
