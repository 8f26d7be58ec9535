#include "ui/lesson/LessonRunner.h"

#include "core/client/Client.h"
#include "core/inspect/Relay.h"
#include "core/server/Server.h"
#include "ui/client/ClientPanel.h"
#include "ui/composer/Composer.h"
#include "ui/inspect/FaultBar.h"
#include "ui/inspect/InspectorPanel.h"
#include "ui/main/MainWindow.h"
#include "ui/server/PeerTableModel.h"
#include "ui/server/ServerPanel.h"

#include <QDockWidget>
#include <QPlainTextEdit>
#include <QTableView>

#include <memory>

namespace wslab {

namespace {

using std::chrono::milliseconds;

// How often the current step's logs are read: quick enough that a tick feels immediate, cheap for a
// window that may hold a flood.
constexpr milliseconds kPollInterval{50};
// The largest frame a QWebSocket sends unless told otherwise (Qt's default): one frame per message
// for everything a lesson sends, unless the lesson asks for smaller.
constexpr qint64 kQtFrameSize = 512 * 1024;

int intParam(const QJsonObject &params, const char *key, int fallback)
{
    return params.value(QLatin1StringView(key)).toInt(fallback);
}

milliseconds msParam(const QJsonObject &params, const char *key, milliseconds fallback)
{
    return milliseconds(params.value(QLatin1StringView(key)).toInteger(fallback.count()));
}

// `unit` repeated until it is at least `bytes` long (in UTF-8), or `unit` itself for 0.
QByteArray padded(const QByteArray &unit, qint64 bytes)
{
    if (unit.isEmpty() || bytes <= unit.size())
        return unit;
    return unit.repeated((bytes + unit.size() - 1) / unit.size());
}

} // namespace

LessonRunner::LessonRunner(MainWindow *window, QObject *parent)
    : QObject(parent)
    , m_window(window)
{
    m_poll.setInterval(kPollInterval);
    connect(&m_poll, &QTimer::timeout, this, &LessonRunner::check);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &LessonRunner::timedOut);
}

void LessonRunner::setLesson(const Lesson &lesson)
{
    m_lesson = lesson;
    m_states = QList<StepState>(lesson.steps.size(), StepState::Pending);
    m_serverPort = 0;
    m_current = 0;
    beginStep();
}

void LessonRunner::goTo(int step)
{
    if (step < 0 || step >= m_lesson.steps.size())
        return;
    m_current = step;
    beginStep();
}

bool LessonRunner::next()
{
    if (m_current + 1 >= m_lesson.steps.size())
        return false;
    goTo(m_current + 1);
    return true;
}

bool LessonRunner::back()
{
    if (m_current == 0)
        return false;
    goTo(m_current - 1);
    return true;
}

void LessonRunner::beginStep()
{
    ++m_generation;
    m_problem.clear();
    m_actionDone = false;
    m_deadline.stop();
    const LessonStep &step = m_lesson.steps.at(m_current);
    // From now on, not from "Do it": a step done by hand with the panels' own buttons ticks too.
    m_watch.begin(step.expect, [this](const LessonEndpoint &endpoint) { return logOf(endpoint); });
    if (step.expect.isEmpty()) {
        // Nothing to wait for: a narration is done once read, an action once done.
        m_states[m_current] = step.action.isEmpty() ? StepState::Done : StepState::Pending;
        m_poll.stop();
    } else {
        m_states[m_current] = StepState::Watching;
        m_poll.start();
        // Without an action the step waits for something already under way (a retry, a timeout).
        if (step.action.isEmpty())
            m_deadline.start(step.timeout);
    }
    Q_EMIT changed();
}

bool LessonRunner::doCurrentStep()
{
    if (!hasLesson())
        return false;
    const LessonStep &step = m_lesson.steps.at(m_current);
    if (state(m_current) == StepState::Failed || state(m_current) == StepState::Done)
        beginStep(); // a second try watches afresh
    QString error;
    if (!step.action.isEmpty() && !perform(step.action, &error)) {
        m_problem = error;
        setState(StepState::Failed);
        return false;
    }
    m_actionDone = true;
    Q_EMIT changed();
    if (step.expect.isEmpty()) {
        setState(StepState::Done);
        return true;
    }
    m_deadline.start(step.timeout);
    check();
    return true;
}

void LessonRunner::check()
{
    if (!m_watch.update())
        return;
    m_poll.stop();
    m_deadline.stop();
    m_problem.clear();
    setState(StepState::Done);
}

void LessonRunner::timedOut()
{
    if (m_watch.update()) {
        check();
        return;
    }
    // Still read afterwards: a late event ticks the step even after the message.
    m_problem = tr("Not seen within %1 s: %2")
                    .arg(double(m_lesson.steps.at(m_current).timeout.count()) / 1000.0)
                    .arg(m_watch.missing().join(QStringLiteral("; ")));
    setState(StepState::Failed);
}

void LessonRunner::setState(StepState state)
{
    m_states[m_current] = state;
    Q_EMIT changed();
}

QString LessonRunner::serverUrl() const
{
    const Server *server = m_window->serverPanel()->server();
    if (server->state() == Server::State::Listening && server->port() == m_serverPort)
        return server->url().toString();
    return m_serverPort == 0 ? QString() : QStringLiteral("ws://127.0.0.1:%1").arg(m_serverPort);
}

QString LessonRunner::substitute(const QString &text) const
{
    const QString url = serverUrl();
    return QString(text).replace(QStringLiteral("${server}"), url.isEmpty() ? tr("(the server, once started)") : url);
}

const EventLog *LessonRunner::logOf(const LessonEndpoint &endpoint) const
{
    switch (endpoint.role) {
    case LessonEndpoint::Role::Server:
        return m_window->serverPanel()->server()->log();
    case LessonEndpoint::Role::Inspector:
        return m_window->inspectorPanel()->relay()->log();
    case LessonEndpoint::Role::Client:
        break;
    }
    const ClientPanel *panel = clientPanel(endpoint.client, false);
    return panel ? panel->client()->log() : nullptr;
}

ClientPanel *LessonRunner::clientPanel(int number, bool create) const
{
    QList<ClientPanel *> panels = m_window->clientPanels();
    while (create && panels.size() < number) {
        m_window->addClient();
        panels = m_window->clientPanels();
    }
    return panels.value(number - 1, nullptr);
}

Composer *LessonRunner::composerOf(const QString &endpoint, QString *error) const
{
    LessonEndpoint who;
    LessonEndpoint::fromName(endpoint, &who);
    if (who.role == LessonEndpoint::Role::Server)
        return m_window->serverPanel()->composer();
    if (ClientPanel *panel = clientPanel(who.client, false))
        return panel->composer();
    *error = tr("there is no %1 in the window: connect it first").arg(endpoint);
    return nullptr;
}

bool LessonRunner::perform(const LessonAction &action, QString *error)
{
    const QJsonObject &p = action.params;
    if (action.name == u"startServer")
        return startServer(p, error);
    if (action.name == u"stopServer") {
        m_window->serverPanel()->stop();
        return true;
    }
    if (action.name == u"connect")
        return connectClient(p, error);
    if (action.name == u"disconnect")
        return disconnectClient(p, error);
    if (action.name == u"send")
        return send(p, error);
    if (action.name == u"ping")
        return ping(p, error);
    if (action.name == u"kick")
        return kick(p, error);
    if (action.name == u"inspector")
        return setInspectorFaults(p);
    if (action.name == u"show")
        return show(p, error);
    *error = tr("this WsLab cannot do \"%1\"").arg(action.name);
    return false;
}

bool LessonRunner::startServer(const QJsonObject &p, QString *error)
{
    ServerPanel *panel = m_window->serverPanel();
    if (panel->server()->state() == Server::State::Listening)
        panel->stop();
    const ServerConfig defaults;
    ServerConfig limits;
    limits.maxMessageSize = qint64(intParam(p, "maxMessageKiB", int(defaults.maxMessageSize / 1024))) * 1024;
    limits.rateLimit = intParam(p, "rateLimit", 0);
    limits.slowReaderLimit = qint64(intParam(p, "slowReaderKiB", int(defaults.slowReaderLimit / 1024))) * 1024;
    limits.heartbeat.interval = msParam(p, "pingIntervalMs", defaults.heartbeat.interval);
    limits.heartbeat.pongTimeout = msParam(p, "pongTimeoutMs", defaults.heartbeat.pongTimeout);
    ServerMode mode = ServerMode::Echo;
    serverModeFromName(p.value(QStringLiteral("mode")).toString(QStringLiteral("echo")), &mode);
    panel->setLimits(limits);
    panel->setHost(QStringLiteral("127.0.0.1"));
    panel->setMode(mode);
    panel->setPort(m_serverPort);
    bool started = panel->start();
    if (!started && m_serverPort != 0) {
        // The lesson's port was taken while the server was down: a free one, which "${server}" follows.
        panel->setPort(0);
        started = panel->start();
    }
    if (!started) {
        *error = panel->statusText();
        return false;
    }
    m_serverPort = panel->server()->port();
    return true;
}

bool LessonRunner::connectClient(const QJsonObject &p, QString *error)
{
    const int number = intParam(p, "client", 1);
    const QString written = p.value(QStringLiteral("url")).toString(QStringLiteral("${server}/"));
    const QString url = substitute(written);
    if (written.contains(QStringLiteral("${server}")) && serverUrl().isEmpty()) {
        *error = tr("start the server first: the lesson's URL names it");
        return false;
    }
    const ClientConfig defaults;
    ReconnectPolicy reconnect = defaults.reconnect;
    reconnect.enabled = p.value(QStringLiteral("reconnect")).toBool(true);
    reconnect.baseDelay = msParam(p, "backoffBaseMs", reconnect.baseDelay);
    reconnect.maxDelay = msParam(p, "backoffCapMs", reconnect.maxDelay);
    reconnect.maxAttempts = intParam(p, "maxAttempts", reconnect.maxAttempts);
    HeartbeatPolicy heartbeat = defaults.heartbeat;
    heartbeat.interval = msParam(p, "pingIntervalMs", heartbeat.interval);
    heartbeat.pongTimeout = msParam(p, "pongTimeoutMs", heartbeat.pongTimeout);
    const bool viaInspector = p.value(QStringLiteral("viaInspector")).toBool(false);
    const quint64 frameSize = quint64(p.value(QStringLiteral("frameSize")).toInteger(kQtFrameSize));
    ClientPanel *panel = clientPanel(number, true);
    auto go = [panel, url, reconnect, heartbeat, viaInspector, frameSize](QString *why) {
        panel->setRoutedThroughInspector(viaInspector);
        panel->setPolicies(reconnect, heartbeat);
        panel->setOutgoingFrameSize(frameSize);
        panel->setUrl(url);
        if (panel->connectToServer())
            return true;
        *why = panel->stateText();
        return false;
    };
    Client *client = panel->client();
    if (client->state() == Client::State::Idle)
        return go(error);
    // Open or retrying: close first, so the settings above are the ones the next connection uses.
    const quint64 generation = m_generation;
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(client, &Client::stateChanged, this, [this, once, go, generation](Client::State state) {
        if (state != Client::State::Idle)
            return;
        QObject::disconnect(*once);
        // On the next turn: Idle is announced while the socket is still being torn down, and opening
        // it again from inside that signal fails (a connecting client closed at once, for one).
        QTimer::singleShot(0, this, [this, go, generation] {
            QString why;
            if (generation == m_generation && !go(&why)) {
                m_problem = why;
                setState(StepState::Failed);
            }
        });
    });
    if (!panel->disconnectFromServer(1000, tr("connecting again for the lesson"), ClientPanel::CloseWhen::AtOnce)) {
        QObject::disconnect(*once);
        *error = client->errorString();
        return false;
    }
    return true;
}

bool LessonRunner::disconnectClient(const QJsonObject &p, QString *error)
{
    ClientPanel *panel = clientPanel(intParam(p, "client", 1), false);
    if (!panel) {
        *error = tr("there is no such client in the window");
        return false;
    }
    // The close frame the lesson is about goes at once, as written.
    if (!panel->disconnectFromServer(intParam(p, "code", 1000), p.value(QStringLiteral("reason")).toString(),
                                     ClientPanel::CloseWhen::AtOnce)) {
        *error = panel->client()->errorString();
        return false;
    }
    return true;
}

bool LessonRunner::send(const QJsonObject &p, QString *error)
{
    const QString sender = p.value(QStringLiteral("from")).toString(QStringLiteral("client 1"));
    Composer *composer = composerOf(sender, error);
    if (!composer)
        return false;
    LessonEndpoint from;
    LessonEndpoint::fromName(sender, &from);
    const qint64 padTo = p.value(QStringLiteral("padTo")).toInteger(0);
    const bool binary = p.contains(QStringLiteral("hex"));
    const QByteArray unit = binary ? QByteArray::fromHex(p.value(QStringLiteral("hex")).toString().toLatin1())
                                   : p.value(QStringLiteral("text")).toString().toUtf8();
    const QString message = binary ? QString::fromLatin1(padded(unit, padTo).toHex(' ')) : QString::fromUtf8(padded(unit, padTo));
    if (!composeAndSend(composer, binary, message)) {
        *error = composer->statusText();
        return false;
    }
    // Only while connected: a client's later sends would wait in its Outbox and flood the next connection.
    const Client *client = from.role == LessonEndpoint::Role::Client ? clientPanel(from.client, false)->client() : nullptr;
    const Server *server = m_window->serverPanel()->server();
    auto connected = [client, server] { return client ? client->state() == Client::State::Open : server->peerCount() > 0; };
    sendAgain(composer, binary, message, intParam(p, "times", 1) - 1, msParam(p, "intervalMs", milliseconds(0)), connected);
    return true;
}

bool LessonRunner::composeAndSend(Composer *composer, bool binary, const QString &message)
{
    // Through the composer, as if typed and sent: the composer's checks and its status line apply.
    composer->setMode(binary ? Composer::Mode::Hex : Composer::Mode::Text);
    composer->editor()->setPlainText(message);
    return composer->send();
}

void LessonRunner::sendAgain(Composer *composer, bool binary, const QString &message, int times, milliseconds interval,
                             const std::function<bool()> &connected)
{
    // A new step, a lost connection or a refused send ends the run. With no interval, one send per turn
    // of the event loop: faster than a socket may flush what the last one queued.
    if (times <= 0)
        return;
    QTimer::singleShot(interval, composer, [this, composer, binary, message, times, interval, connected, generation = m_generation] {
        if (generation == m_generation && connected() && composeAndSend(composer, binary, message))
            sendAgain(composer, binary, message, times - 1, interval, connected);
    });
}

bool LessonRunner::ping(const QJsonObject &p, QString *error)
{
    Composer *composer = composerOf(p.value(QStringLiteral("from")).toString(QStringLiteral("client 1")), error);
    if (!composer)
        return false;
    if (!composer->ping()) {
        *error = composer->statusText();
        return false;
    }
    return true;
}

bool LessonRunner::kick(const QJsonObject &p, QString *error)
{
    ServerPanel *panel = m_window->serverPanel();
    PeerTableModel *peers = panel->peerModel();
    peers->refresh(); // the table catches up a few times a second; the newest peer may be seconds old
    int newest = -1;
    for (int row = 0; row < peers->rowCount(); ++row) {
        if (newest < 0 || peers->peerIdAt(row) > peers->peerIdAt(newest))
            newest = row;
    }
    if (newest < 0) {
        *error = tr("no peer is connected to the server");
        return false;
    }
    panel->peerTable()->selectRow(newest);
    if (!panel->kickSelected(intParam(p, "code", 1000), p.value(QStringLiteral("reason")).toString())) {
        *error = panel->statusText();
        return false;
    }
    return true;
}

bool LessonRunner::setInspectorFaults(const QJsonObject &p)
{
    RelayFaults faults;
    const QString withhold = p.value(QStringLiteral("withholdPongsFrom")).toString();
    faults.withholdPongsFromClient = withhold == u"client";
    faults.withholdPongsFromServer = withhold == u"server";
    faults.fragmentCount = intParam(p, "fragmentCount", 0);
    faults.bandwidthFromServer = p.value(QStringLiteral("bandwidthFromServer")).toInteger(0);
    faults.latency = msParam(p, "latencyMs", milliseconds(0));
    InspectorPanel *inspector = m_window->inspectorPanel();
    inspector->relay()->setFaults(faults);
    inspector->faultBar()->refresh();
    m_window->inspectorDock()->show();
    return true;
}

bool LessonRunner::show(const QJsonObject &p, QString *error)
{
    const QString view = p.value(QStringLiteral("view")).toString();
    QDockWidget *dock = view == u"inspector" ? m_window->inspectorDock() : view == u"sequence" ? m_window->sequenceDock() : nullptr;
    if (!dock) {
        *error = tr("there is no view \"%1\"").arg(view);
        return false;
    }
    dock->show();
    dock->raise();
    return true;
}

} // namespace wslab
