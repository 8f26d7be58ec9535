#include "core/server/Server.h"

#include "core/discovery/Beacon.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/Handshake.h"
#include "core/protocol/Redaction.h"
#include "core/server/FrameGuard.h"
#include "core/server/Gate.h"
#include "core/server/HoldableSocket.h"
#include "core/server/Listener.h"
#include "core/server/Peer.h"
#include "core/tls/TlsFiles.h"

#include <QMetaMethod>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

namespace wslab {

namespace {

QString endpointKey(const QHostAddress &address, quint16 port)
{
    return address.toString() % u'|' % QString::number(port);
}

// How often the sweep looks at every peer's deadlines: a twentieth of the shortest one, so each is met
// about 5% late at most (the slack Qt allows a coarse timer).
std::chrono::milliseconds sweepInterval(const ServerConfig &config)
{
    std::chrono::milliseconds shortest = config.closeTimeout;
    if (config.heartbeat.isEnabled())
        shortest = std::min({shortest, config.heartbeat.interval, config.heartbeat.pongTimeout});
    if (config.idleTimeout.count() > 0)
        shortest = std::min(shortest, config.idleTimeout);
    return std::clamp(shortest / 20, std::chrono::milliseconds(1), std::chrono::milliseconds(1000));
}

Beacon::Content beaconContent(const ServerConfig &config)
{
    Beacon::Content content;
    content.name = config.name;
    content.tls = config.isTls();
    content.path = config.path;
    content.mode = serverModeName(config.mode);
    content.servesPage = config.mode == ServerMode::Chat;
    return content;
}

} // namespace

Server::Server(const QString &name, QObject *parent)
    : QObject(parent)
    , m_name(name)
    , m_tcpServer(new Listener(this))
    , m_wsServer(new QWebSocketServer(QStringLiteral("WsLab/" WSLAB_VERSION), QWebSocketServer::NonSecureMode, this))
    , m_gate(new Gate(this))
    , m_beacon(new Beacon(this))
    , m_log(new EventLog(this))
{
    // The Gate already bounds how many sockets wait; Qt's own default of 30 would refuse a burst.
    m_wsServer->setMaxPendingConnections(1 << 20);
    m_tcpServer->setMaxPendingConnections(1 << 20);
    m_sweep.setInterval(sweepInterval(m_config));
    connect(&m_sweep, &QTimer::timeout, this, &Server::sweep);
    connect(m_tcpServer, &QTcpServer::newConnection, this, &Server::onNewTcpConnection);
    connect(m_wsServer, &QWebSocketServer::newConnection, this, &Server::onNewWebSocket);
    connect(m_wsServer, &QWebSocketServer::serverError, this, [this](QWebSocketProtocol::CloseCode code) {
        LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
        e.closeCode = int(code);
        e.detail = QStringLiteral("upgrade failed: ") + m_wsServer->errorString();
        logEvent(std::move(e));
    });
    connect(m_gate, &Gate::admitted, this, &Server::onAdmitted);
    connect(m_gate, &Gate::dropped, this, [this](const QHostAddress &address, quint16 port, const QString &why) {
        LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
        e.detail = QStringLiteral("%1:%2 dropped before the upgrade: %3").arg(address.toString()).arg(port).arg(why);
        logEvent(std::move(e));
    });
    connect(m_gate, &Gate::refused, this,
            [this](const QHostAddress &address, quint16 port, int status, const QString &why, const QByteArray &head) {
                LogEvent e = LogEvent::make(EventKind::Refused, Direction::Out, head);
                e.httpStatus = status;
                e.detail = QStringLiteral("%1:%2 refused with HTTP %3: %4").arg(address.toString()).arg(port).arg(status).arg(why);
                logEvent(std::move(e));
            });
    m_gate->setConnectionCounters([this] { return int(m_peers.size() + m_upgrading.size()); },
                                  [this](const QHostAddress &address) { return connectionsFrom(address); });
}

Server::~Server()
{
    // Peers are told the server is going away rather than seeing the connection drop. There is no event
    // loop left to wait for their answers: the sockets are aborted right after (use stop() and wait for
    // peerCount() to reach 0 for a complete handshake, as wslab-cli serve does).
    m_destroying = true; // what the peers report from here on is of no use to anyone
    // Sockets still upgrading go with the children, after this object has stopped being a Server.
    for (const Upgrading &upgrading : std::as_const(m_upgrading))
        upgrading.guard->forgetEvents();
    const QList<Peer *> peers = m_peers.values();
    for (Peer *peer : peers) {
        peer->close(CloseCode::GoingAway, QStringLiteral("server shutting down"));
        // The close is held open for the peer's answer, which can no longer come: end it here, so the
        // socket is gone with its Peer instead of waiting for an event loop that will not run.
        peer->abort(QStringLiteral("server destroyed"));
    }
    qDeleteAll(peers);
    qDeleteAll(m_finishedPeers);
}

void Server::setConfig(const ServerConfig &config)
{
    m_config = config;
    m_sweep.setInterval(sweepInterval(config));
    m_wsServer->setSupportedSubprotocols(config.subprotocols);
    m_wsServer->setHandshakeTimeout(config.handshakeTimeout);
    m_gate->setConfig(config);
}

void Server::setMode(ServerMode mode)
{
    if (mode == m_config.mode)
        return;
    const ServerMode before = m_config.mode;
    m_config.mode = mode;
    m_gate->setConfig(m_config); // the Gate serves the chat page and its Origin default in chat mode only
    if (m_beacon->isRunning()) {
        Beacon::Content content = beaconContent(m_config);
        content.port = port();
        m_beacon->setContent(content);
    }
    if (m_state == State::Listening) {
        LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
        e.detail = QStringLiteral("mode changed from %1 to %2 (%3 peers stay connected)")
                       .arg(serverModeName(before), serverModeName(mode))
                       .arg(m_peers.size());
        logEvent(std::move(e));
    }
    Q_EMIT modeChanged(mode);
}

bool Server::start()
{
    if (m_state == State::Listening)
        return fail(QStringLiteral("already listening on %1").arg(url().toString()));
    const QString problem = m_config.validate();
    if (!problem.isEmpty())
        return fail(problem);
    m_tcpServer->setTls(std::nullopt);
    if (m_config.isTls()) {
        QSslConfiguration tls;
        QString error;
        if (!TlsFiles::serverConfiguration(m_config.tlsCertFile, m_config.tlsKeyFile, &tls, &error))
            return fail(error);
        m_tcpServer->setTls(tls);
    }
    const QHostAddress address = m_config.host == u"localhost" ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(m_config.host);
    if (!m_tcpServer->listen(address, m_config.port))
        return fail(QStringLiteral("cannot listen on %1:%2: %3").arg(m_config.host).arg(m_config.port).arg(m_tcpServer->errorString()));
    m_errorString.clear();
    LogEvent e = LogEvent::make(EventKind::Listening, Direction::Local);
    e.detail = url().toString();
    logEvent(std::move(e));
    startBeacon();
    setState(State::Listening);
    return true;
}

void Server::startBeacon()
{
    const QHostAddress bound = m_tcpServer->serverAddress();
    if (!m_config.announce || !isLanAddress(bound))
        return;
    Beacon::Content content = beaconContent(m_config);
    content.port = port();
    LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
    if (m_beacon->start(bound, content)) {
        QStringList urls;
        for (const QUrl &url : m_beacon->announcedUrls())
            urls << url.toString();
        e.detail =
            QStringLiteral("announced on the LAN as \"%1\": %2").arg(Beacon::displayName(content.name), urls.join(QStringLiteral(", ")));
    } else {
        e.detail = QStringLiteral("not announced on the LAN: ") + m_beacon->errorString();
    }
    logEvent(std::move(e));
}

QList<QUrl> Server::announcedUrls() const
{
    return m_beacon->isRunning() ? m_beacon->announcedUrls() : QList<QUrl>{};
}

void Server::stop()
{
    if (m_state == State::Stopped)
        return;
    // The bye first: listeners drop the server at once rather than offer it until it expires.
    m_beacon->stop();
    m_tcpServer->close();
    m_gate->abortAll();
    // Each peer stays until it answers our Close or its close timeout aborts it; one whose Close is already
    // here finishes (and leaves m_peers) inside close(): walk a copy. Peers are deleted later.
    const QList<Peer *> peers = m_peers.values();
    for (Peer *peer : peers)
        peer->close(CloseCode::GoingAway, QStringLiteral("server shutting down"));
    LogEvent e = LogEvent::make(EventKind::Stopped, Direction::Local);
    e.detail = QStringLiteral("stopped listening; %1 peers asked to leave").arg(peers.size());
    logEvent(std::move(e));
    setState(State::Stopped);
}

QUrl Server::url() const
{
    QUrl url;
    url.setScheme(m_tcpServer->isTls() ? QStringLiteral("wss") : QStringLiteral("ws"));
    QHostAddress address = m_tcpServer->serverAddress();
    url.setHost(address.isNull() ? m_config.host : address.toString());
    url.setPort(port());
    return url;
}

quint16 Server::port() const
{
    return m_tcpServer->isListening() ? m_tcpServer->serverPort() : m_config.port;
}

void Server::onNewTcpConnection()
{
    while (QTcpSocket *socket = m_tcpServer->nextPendingConnection())
        m_gate->admit(socket);
}

int Server::connectionsFrom(const QHostAddress &address) const
{
    int n = 0;
    for (const Peer *p : m_peers) {
        if (p->address().isEqual(address))
            ++n;
    }
    for (const Upgrading &u : m_upgrading) {
        if (u.address.isEqual(address))
            ++n;
    }
    return n;
}

void Server::onAdmitted(QTcpSocket *socket, const HttpRequest &request, int headBytes)
{
    const QString key = endpointKey(socket->peerAddress(), socket->peerPort());
    FrameGuard *guard = FrameGuard::install(socket, headBytes, this);
    if (!guard) {
        // Every socket the Listener makes can hold a close; one that cannot would break RFC 6455 §7.1.1.
        qWarning("wslab: admitted a socket that cannot hold a close; dropping it");
        socket->abort();
        socket->deleteLater();
        return;
    }
    QByteArray head = request.method + ' ' + request.target + ' ' + request.version + "\r\n";
    for (const auto &[name, value] : request.headers)
        head += name + ": " + value + "\r\n";
    head = redactSecrets(head);
    m_upgrading.insert(key, {request, socket->peerAddress(), guard});
    LogEvent e = LogEvent::make(EventKind::Handshake, Direction::In, std::move(head));
    e.detail = redactSecrets(socket->peerAddress().toString() % u':' % QString::number(socket->peerPort()) % QStringLiteral(" GET ") %
                             QString::fromUtf8(request.target));
    logEvent(std::move(e));
    m_wsServer->handleConnection(socket);
}

void Server::logAnswer(QTcpSocket *socket, const HttpRequest &request, int peerId)
{
    auto *recorder = dynamic_cast<AnswerRecorder *>(socket);
    if (!recorder)
        return;
    const QByteArray answer = recorder->takeAnswerHead();
    if (answer.isEmpty())
        return;
    // Checked as a client would check it (RFC 6455 §4.1): the accept value against the key, and the rest.
    const HttpResponse response = HttpResponseParse::parse(QByteArray(answer + "\r\n")).response;
    const Handshake check = Handshake::check(request, response);
    LogEvent e = LogEvent::make(EventKind::Handshake, Direction::Out, answer);
    e.peer = peerId;
    e.httpStatus = response.statusCode;
    e.detail = socket->peerAddress().toString() % u':' % QString::number(socket->peerPort()) % QStringLiteral(" answered ") %
               QString::number(response.statusCode) % QStringLiteral(": ") %
               (check.isValid() ? QStringLiteral("Sec-WebSocket-Accept %1 is Base64(SHA-1(key + GUID)) of the request's key")
                                      .arg(QString::fromLatin1(check.accept))
                                : check.problems.first().text);
    logEvent(std::move(e));
}

void Server::guardViolation(FrameGuard *guard, const QString &why)
{
    LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
    e.detail = guard->socket()->peerAddress().toString() % u':' % QString::number(guard->socket()->peerPort()) % QStringLiteral(": ") % why;
    e.closeCode = CloseCode::ProtocolError;
    logEvent(std::move(e));
}

void Server::guardGone(FrameGuard *guard)
{
    // A socket that dies during Qt's part of the handshake must not hold a slot forever.
    for (auto it = m_upgrading.begin(); it != m_upgrading.end(); ++it) {
        if (it->guard == guard) {
            m_upgrading.erase(it);
            return;
        }
    }
}

void Server::onNewWebSocket()
{
    // Drain them all: Qt signals once for a burst of pending connections.
    while (QWebSocket *socket = m_wsServer->nextPendingConnection()) {
        const QString key = endpointKey(socket->peerAddress(), socket->peerPort());
        const Upgrading upgrading = m_upgrading.take(key);
        const int id = m_nextPeerId++;
        auto *peer = new Peer(id, socket, upgrading.request.path(), upgrading.guard, m_config, m_name, m_log, this, m_clock);
        m_peers.insert(id, peer);
        if (!m_sweep.isActive())
            m_sweep.start();
        if (upgrading.guard)
            logAnswer(upgrading.guard->socket(), upgrading.request, id);
        // Only now: the guard's slots on the socket must run after the Peer's (see FrameGuard::attach).
        peer->attachGuard();
        LogEvent e = LogEvent::make(EventKind::Open, Direction::Local);
        e.peer = id;
        e.detail = QStringLiteral("peer %1 from %2:%3 path %4%5")
                       .arg(id)
                       .arg(peer->address().toString())
                       .arg(peer->port())
                       .arg(peer->path().isEmpty() ? QStringLiteral("/") : peer->path())
                       .arg(peer->subprotocol().isEmpty() ? QString() : QStringLiteral(" subprotocol ") + peer->subprotocol());
        logEvent(std::move(e));
        Q_EMIT peerConnected(id);
    }
}

void Server::textFromPeer(Peer *peer, const QString &text, const QByteArray &utf8)
{
    if (m_destroying)
        return;
    switch (m_config.mode) {
    case ServerMode::Echo:
        peer->sendText(text, utf8);
        break;
    case ServerMode::Broadcast:
        // A send may drop a slow reader, which leaves m_peers at once: walk a copy.
        for (Peer *other : m_peers.values()) {
            if (other != peer)
                other->sendText(text, utf8);
        }
        break;
    case ServerMode::Silent:
    case ServerMode::Chat:
    case ServerMode::Rules: // answered by a MockResponder through textReceived/binaryReceived
        break;
    }
    Q_EMIT textReceived(peer->id(), text);
}

void Server::binaryFromPeer(Peer *peer, const QByteArray &data)
{
    if (m_destroying)
        return;
    switch (m_config.mode) {
    case ServerMode::Echo:
        peer->sendBinary(data);
        break;
    case ServerMode::Broadcast:
        for (Peer *other : m_peers.values()) { // a copy, as in onPeerText
            if (other != peer)
                other->sendBinary(data);
        }
        break;
    case ServerMode::Silent:
    case ServerMode::Chat:
    case ServerMode::Rules: // answered by a MockResponder through textReceived/binaryReceived
        break;
    }
    Q_EMIT binaryReceived(peer->id(), data);
}

void Server::sweep()
{
    const std::chrono::nanoseconds now = m_clock();
    // A check may drop a peer, which leaves m_peers at once: walk a copy.
    const QList<Peer *> peers = m_peers.values();
    for (Peer *peer : peers)
        peer->checkTimers(now);
}

void Server::connectNotify(const QMetaMethod &signal)
{
    if (signal == QMetaMethod::fromSignal(&Server::peerCountersChanged))
        m_relayingCounters = true;
}

void Server::countersOfPeerChanged(Peer *peer)
{
    if (m_destroying)
        return;
    if (m_relayingCounters)
        Q_EMIT peerCountersChanged(peer->id());
}

void Server::peerFinished(Peer *peer)
{
    if (m_destroying)
        return;
    const int id = peer->id();
    m_peers.remove(id);
    if (m_peers.isEmpty())
        m_sweep.stop();
    if (m_finishedPeers.isEmpty())
        QMetaObject::invokeMethod(this, &Server::reapPeers, Qt::QueuedConnection);
    m_finishedPeers.append(peer);
    Q_EMIT peerDisconnected(id);
}

void Server::reapPeers()
{
    qDeleteAll(std::exchange(m_finishedPeers, {}));
}

bool Server::sendText(int peerId, const QString &text)
{
    Peer *p = m_peers.value(peerId);
    if (!p || !p->isOpen())
        return fail(QStringLiteral("no open peer %1").arg(peerId));
    p->sendText(text);
    return true;
}

bool Server::sendBinary(int peerId, const QByteArray &data)
{
    Peer *p = m_peers.value(peerId);
    if (!p || !p->isOpen())
        return fail(QStringLiteral("no open peer %1").arg(peerId));
    p->sendBinary(data);
    return true;
}

int Server::sendTextToAll(const QString &text)
{
    int sent = 0;
    for (Peer *p : m_peers.values()) { // a copy, as in onPeerText
        if (p->isOpen()) {
            p->sendText(text);
            ++sent;
        }
    }
    return sent;
}

int Server::sendBinaryToAll(const QByteArray &data)
{
    int sent = 0;
    for (Peer *p : m_peers.values()) { // a copy, as in onPeerText
        if (p->isOpen()) {
            p->sendBinary(data);
            ++sent;
        }
    }
    return sent;
}

bool Server::ping(int peerId, const QByteArray &payload)
{
    Peer *p = m_peers.value(peerId);
    return p && p->ping(payload);
}

int Server::pingAll(const QByteArray &payload)
{
    int pinged = 0;
    for (Peer *p : std::as_const(m_peers))
        pinged += p->ping(payload) ? 1 : 0;
    return pinged;
}

bool Server::kick(int peerId, int code, const QString &reason)
{
    QString why;
    if (!CloseCode::isSendableClose(code, reason, &why))
        return fail(why);
    Peer *p = m_peers.value(peerId);
    if (!p || !p->isOpen())
        return fail(QStringLiteral("no open peer %1").arg(peerId));
    p->close(code, reason);
    return true;
}

void Server::logEvent(LogEvent event)
{
    event.endpoint = m_name;
    m_log->append(std::move(event));
}

void Server::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

bool Server::fail(const QString &error)
{
    m_errorString = error;
    LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
    e.detail = error;
    logEvent(std::move(e));
    return false;
}

} // namespace wslab
