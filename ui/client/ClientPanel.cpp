#include "ui/client/ClientPanel.h"

#include "core/client/Client.h"
#include "core/client/WebSocketUrl.h"
#include "core/discovery/Discovery.h"
#include "core/log/EventLog.h"
#include "ui/chat/ChatView.h"
#include "ui/client/ClientSettingsForm.h"
#include "ui/client/HeadersEditor.h"
#include "ui/client/StateIndicator.h"
#include "ui/close/CloseDialog.h"
#include "ui/composer/Composer.h"
#include "ui/keyboard/FocusChain.h"
#include "ui/log/LogView.h"
#include "ui/settings/SettingsDrawer.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWebSocket>

namespace wslab {

namespace {

// Items of the URL box's "Servers on this LAN" section (separator and heading included) are marked
// with this role, so the recent URLs can be told apart; a server's item holds its URL in kLanUrlRole.
constexpr int kLanItemRole = Qt::UserRole + 1;
constexpr int kLanUrlRole = Qt::UserRole + 2;

} // namespace

ClientPanel::ClientPanel(const QString &name, QWidget *parent)
    : QWidget(parent)
    , m_client(new Client(name, this))
    , m_url(new QComboBox(this))
    , m_connect(new QPushButton(tr("Connect"), this))
    , m_indicator(new StateIndicator(m_client, this))
    , m_form(new ClientSettingsForm(this))
    , m_composer(new Composer(this))
    , m_log(new LogView(m_client->log(), this))
    , m_views(new QSplitter(Qt::Horizontal, this))
    , m_chatToggle(new QToolButton(this))
    , m_chatView(new ChatView(m_client, this))
    , m_coalesce(new QTimer(this))
    , m_viaInspector(new QToolButton(this))
{
    setObjectName(QStringLiteral("clientPanel"));
    m_url->setObjectName(QStringLiteral("clientUrl"));
    m_url->setEditable(true);
    m_url->setInsertPolicy(QComboBox::NoInsert);
    m_url->setToolTip(tr("ws://host:port/path, or wss:// for WebSocket over TLS; host:port alone means ws://, http:// and https:// are "
                         "taken as ws:// and wss://"));
    m_url->setAccessibleName(tr("Server URL"));
    m_url->lineEdit()->setAccessibleName(tr("Server URL"));
    m_url->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_connect->setObjectName(QStringLiteral("clientConnect"));
    auto *closeWith = new QToolButton(this);
    closeWith->setObjectName(QStringLiteral("clientCloseWithCode"));
    closeWith->setText(tr("Close…"));
    closeWith->setToolTip(tr("Close the connection at once with a close code and reason of your choice (the close frame's 2-byte "
                             "status and text)"));
    connect(closeWith, &QToolButton::clicked, this, &ClientPanel::askClose);

    connect(m_connect, &QPushButton::clicked, this, [this] {
        if (m_client->state() == Client::State::Idle)
            connectToServer();
        else // a second press while the replies are awaited closes at once
            disconnectFromServer(1000, kWindowCloseReason.toString(), m_client->isDraining() ? CloseWhen::AtOnce : CloseWhen::AfterReplies);
    });
    connect(m_url, &QComboBox::activated, this, [this](int index) {
        // The item reads "name (mode) — URL"; the box takes just the URL.
        const QString lanUrl = m_url->itemData(index, kLanUrlRole).toString();
        if (!lanUrl.isEmpty())
            m_url->setEditText(lanUrl);
    });
    connect(m_url->lineEdit(), &QLineEdit::returnPressed, this, [this] {
        if (m_client->state() == Client::State::Idle)
            connectToServer();
    });
    connect(m_client, &Client::stateChanged, this, &ClientPanel::updateState);
    connect(m_client, &Client::drainingChanged, this, &ClientPanel::updateState);
    m_viaInspector->setObjectName(QStringLiteral("clientViaInspector"));
    m_viaInspector->setText(tr("Via inspector"));
    m_viaInspector->setCheckable(true);
    m_viaInspector->setToolTip(tr("Route this client through the inspector (View → Inspector) to see every frame it sends and "
                                  "receives; the inspector starts relaying to this client's server if it is not already"));
    m_viaInspector->hide();
    connect(m_viaInspector, &QToolButton::toggled, this, [this] { reconnectForRoute(); });
    connect(m_client, &Client::retryScheduled, this, &ClientPanel::followInspector);
    connect(m_client, &Client::stateChanged, this, [this] {
        if (m_reconnectWhenIdle && m_client->state() == Client::State::Idle) {
            m_reconnectWhenIdle = false;
            connectToServer();
        }
    });
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

    const SettingsDrawer drawer = makeSettingsDrawer(this, m_form, QStringLiteral("clientSettingsToggle"),
                                                     tr("Headers, subprotocols, origin, reconnect, heartbeat and TLS"));
    QToolButton *settingsToggle = drawer.toggle;
    QScrollArea *settings = drawer.area;

    auto *top = new QHBoxLayout;
    top->addWidget(m_url, 1);
    top->addWidget(settingsToggle);
    top->addWidget(m_connect);
    top->addWidget(closeWith);
    top->addWidget(m_viaInspector);
    top->addWidget(m_chatToggle);

    auto *upper = new QWidget(this);
    auto *upperLayout = new QVBoxLayout(upper);
    upperLayout->setContentsMargins(0, 0, 0, 0);
    upperLayout->addLayout(top);
    upperLayout->addWidget(settings);
    upperLayout->addWidget(m_indicator);
    upperLayout->addWidget(m_composer);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(upper);
    // For a chat server, the chat beside the log, which stays one glance away.
    m_views->setObjectName(QStringLiteral("clientViews"));
    m_views->addWidget(m_log);
    m_views->addWidget(m_chatView);
    m_views->setStretchFactor(0, 3);
    m_views->setStretchFactor(1, 2);
    m_chatView->hide();
    m_chatToggle->setObjectName(QStringLiteral("clientChatToggle"));
    m_chatToggle->setText(tr("Chat"));
    m_chatToggle->setCheckable(true);
    m_chatToggle->setToolTip(tr("Chat with a server in chat mode: nicknames, history, resume after a reconnect"));
    connect(m_chatToggle, &QToolButton::toggled, m_chatView, &QWidget::setVisible);
    connect(m_chatView, &ChatView::unreadChanged, m_chatToggle,
            [this](int unread) { m_chatToggle->setText(unread > 0 ? tr("Chat (%1)").arg(unread) : tr("Chat")); });
    layout->addWidget(m_views, 1);

    // Tab reads the panel as a person does: where to connect, its settings, what to send, the log.
    const QList<QWidget *> where{m_url, settingsToggle, m_connect, closeWith, m_viaInspector, m_chatToggle};
    chainFocus(where + tabStopsIn(settings->widget()) + tabStopsIn(m_indicator) + m_composer->focusOrder() + m_log->focusOrder() +
               tabStopsIn(m_chatView));
    updateState();
}

ClientPanel::~ClientPanel()
{
    // The endpoint says goodbye to its peers as it goes; this half-destroyed panel must not hear it.
    m_client->disconnect(this);
    delete m_log; // views of the endpoint's log go before the log itself
    delete m_chatView;
    delete m_client;
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
    updateLanServers();
}

QStringList ClientPanel::recentUrls() const
{
    QStringList urls;
    for (int i = 0; i < m_url->count(); ++i) {
        if (!m_url->itemData(i, kLanItemRole).toBool())
            urls << m_url->itemText(i);
    }
    return urls;
}

void ClientPanel::setLanDiscovery(Discovery *discovery)
{
    if (m_lan)
        m_lan->disconnect(this);
    m_lan = discovery;
    if (m_lan)
        connect(m_lan, &Discovery::serversChanged, this, &ClientPanel::updateLanServers);
    updateLanServers();
}

QList<QUrl> ClientPanel::lanServerUrls() const
{
    QList<QUrl> urls;
    for (int i = 0; i < m_url->count(); ++i) {
        const QString url = m_url->itemData(i, kLanUrlRole).toString();
        if (!url.isEmpty())
            urls << QUrl(url);
    }
    return urls;
}

void ClientPanel::updateLanServers()
{
    const QString typed = m_url->currentText();
    const QSignalBlocker quiet(m_url);
    for (int i = m_url->count() - 1; i >= 0; --i) {
        if (m_url->itemData(i, kLanItemRole).toBool())
            m_url->removeItem(i);
    }
    if (m_lan) {
        const QList<Announcement> servers = m_lan->servers();
        auto *model = qobject_cast<QStandardItemModel *>(m_url->model());
        if (m_url->count() > 0) {
            m_url->insertSeparator(m_url->count());
            m_url->setItemData(m_url->count() - 1, true, kLanItemRole);
        }
        m_url->addItem(servers.isEmpty() ? tr("Servers on this LAN: none heard yet") : tr("Servers on this LAN"));
        const int heading = m_url->count() - 1;
        m_url->setItemData(heading, true, kLanItemRole);
        if (model)
            model->item(heading)->setFlags(Qt::NoItemFlags);
        for (const Announcement &server : servers) {
            const QString url = server.url.toString();
            m_url->addItem(tr("%1 (%2) — %3").arg(server.name, server.mode, url));
            const int row = m_url->count() - 1;
            m_url->setItemData(row, true, kLanItemRole);
            m_url->setItemData(row, url, kLanUrlRole);
            const QString page = server.pageUrl.isEmpty() ? QString() : tr("\nIts chat page: %1").arg(server.pageUrl.toString());
            m_url->setItemData(row, tr("%1, WsLab %2, found on the LAN%3").arg(server.name, server.version, page), Qt::ToolTipRole);
        }
    }
    m_url->setEditText(typed);
}

ClientConfig ClientPanel::configFromForm(QString *error) const
{
    ClientConfig c;
    c.url = webSocketUrlFromUserInput(url(), error);
    if (!error->isEmpty())
        return c;
    if (!m_form->fill(&c, error))
        return c;
    *error = c.validate();
    return c;
}

void ClientPanel::setPolicies(const ReconnectPolicy &reconnect, const HeartbeatPolicy &heartbeat)
{
    m_form->setPolicies(reconnect, heartbeat);
}

void ClientPanel::setOutgoingFrameSize(quint64 bytes)
{
    m_client->socket()->setOutgoingFrameSize(bytes);
}

bool ClientPanel::connectToServer()
{
    QString error;
    const ClientConfig config = configFromForm(&error);
    if (!error.isEmpty()) {
        m_indicator->showProblem(tr("Cannot connect: %1").arg(error));
        return false;
    }
    // "localhost:8080" becomes ws://localhost:8080: the box shows what was really used.
    const QString used = config.url.toString();
    ClientConfig sent = config;
    m_routedTarget.clear();
    if (isRoutedThroughInspector()) {
        QString why;
        sent.url = m_route(config.url, true, &why);
        if (sent.url.isEmpty()) {
            m_indicator->showProblem(tr("Not connected: the inspector cannot relay to %1: %2").arg(used, why));
            note(tr("not connected: the inspector cannot relay to %1: %2").arg(used, why));
            return false;
        }
        note(tr("connecting to %1 through the inspector at %2").arg(used, sent.url.toString()));
        m_routedTarget = config.url;
    }
    m_client->setConfig(sent);
    if (!m_client->open()) {
        m_indicator->showProblem(tr("Cannot connect: %1").arg(m_client->errorString()));
        return false;
    }
    setUrl(used);
    if (m_url->findText(used) < 0)
        m_url->insertItem(0, used);
    Q_EMIT urlUsed(used);
    return true;
}

bool ClientPanel::disconnectFromServer(int code, const QString &reason, CloseWhen when)
{
    const bool closed = when == CloseWhen::AfterReplies ? m_client->closeAfterDrain(code, reason) : m_client->close(code, reason);
    if (!closed) {
        m_indicator->showProblem(tr("Not closed: %1").arg(m_client->errorString()));
        return false;
    }
    return true;
}

void ClientPanel::setInspectorRoute(InspectorRoute route)
{
    m_route = std::move(route);
    m_viaInspector->setVisible(bool(m_route));
}

void ClientPanel::setRoutedThroughInspector(bool on)
{
    m_viaInspector->setChecked(on);
}

bool ClientPanel::isRoutedThroughInspector() const
{
    return m_route && m_viaInspector->isChecked();
}

QUrl ClientPanel::connectedUrl() const
{
    return m_client->config().url;
}

void ClientPanel::reconnectForRoute()
{
    // Idle: the next Connect takes the new way. Otherwise close and connect again the new way, once
    // the close handshake is over.
    if (m_client->state() == Client::State::Idle)
        return;
    m_reconnectWhenIdle = true;
    if (!m_client->close(1000, isRoutedThroughInspector() ? QStringLiteral("rerouting through the inspector")
                                                          : QStringLiteral("connecting directly again")))
        m_reconnectWhenIdle = false;
}

void ClientPanel::followInspector()
{
    if (m_routedTarget.isEmpty() || !isRoutedThroughInspector())
        return;
    // A stopped inspector is not started again by a retry: only the person who stopped it does that.
    QString why;
    const QUrl now = m_route(m_routedTarget, false, &why);
    if (now.isEmpty() || now == m_client->config().url)
        return;
    ClientConfig config = m_client->config();
    config.url = now;
    m_client->setConfig(config);
    note(tr("the inspector now listens at %1: the next retry goes there").arg(now.toString()));
}

void ClientPanel::note(const QString &text)
{
    // The client's log is where its person looks for what happened to it, so the routing goes there too.
    LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
    e.endpoint = name();
    e.detail = text;
    m_client->log()->append(std::move(e));
}

void ClientPanel::askClose()
{
    CloseDialog dialog(tr("Close %1's connection").arg(name()), this);
    dialog.setReason(kWindowCloseReason.toString());
    if (dialog.exec() == QDialog::Accepted)
        disconnectFromServer(dialog.code(), dialog.reason(), CloseWhen::AtOnce);
}

QString ClientPanel::stateText() const
{
    return m_indicator->text();
}

void ClientPanel::updateState()
{
    m_indicator->refresh();
    if (m_client->state() == Client::State::Idle)
        m_connect->setText(tr("Connect"));
    else
        m_connect->setText(m_client->isDraining() ? tr("Close now") : tr("Disconnect"));
    m_connect->setToolTip(m_client->isDraining() ? tr("Close at once instead of waiting for the replies still on their way")
                                                 : tr("Connect, or disconnect once the replies still on their way have arrived"));
    Q_EMIT summaryChanged();
}

SecretFields ClientPanel::secretFields() const
{
    // The headers as the form saves them: "Name: value" lines.
    return SecretFields()
        .textWithSecrets(QStringLiteral("url"), url())
        .textWithSecrets(QStringLiteral("headers"), m_form->findChild<HeadersEditor *>()->toText())
        .messagesWithSecrets(QStringLiteral("composer/history"), m_composer->keptHistory());
}

bool ClientPanel::holdsSecrets() const
{
    return secretFields().holdsSecrets();
}

void ClientPanel::saveSettings(QSettings &s, SecretsInSave secrets) const
{
    s.setValue(QStringLiteral("viaInspector"), m_viaInspector->isChecked());
    m_form->saveSettings(s);
    s.beginGroup(QStringLiteral("composer"));
    m_composer->saveSettings(s);
    s.endGroup();
    secretFields().save(s, secrets); // last: it replaces what the form and the composer wrote
}

void ClientPanel::restoreSettings(QSettings &s)
{
    setUrl(s.value(QStringLiteral("url"), url()).toString());
    // Restored on an idle client: the next Connect goes through the inspector, nothing reconnects now.
    setRoutedThroughInspector(s.value(QStringLiteral("viaInspector"), false).toBool());
    m_form->restoreSettings(s);
    s.beginGroup(QStringLiteral("composer"));
    m_composer->restoreSettings(s);
    s.endGroup();
}

} // namespace wslab
