#include "core/inspect/Relay.h"

#include "core/inspect/RelayConnection.h"
#include "core/server/Listener.h"
#include "core/tls/TlsFiles.h"

#include <QTcpSocket>

namespace wslab {

Relay::Relay(QObject *parent)
    : QObject(parent)
    , m_listener(new Listener(this))
{
    connect(m_listener, &QTcpServer::newConnection, this, &Relay::onNewConnections);
}

Relay::~Relay() = default;

bool Relay::start()
{
    auto fail = [this](const QString &why) {
        m_errorString = why;
        return false;
    };
    if (m_state == State::Listening)
        return fail(QStringLiteral("already listening on %1").arg(url().toString()));
    const QString problem = m_config.validate();
    if (!problem.isEmpty())
        return fail(problem);
    m_listener->setTls(std::nullopt);
    if (m_config.isTls()) {
        QSslConfiguration tls;
        QString error;
        if (!TlsFiles::serverConfiguration(m_config.tls.certFile, m_config.tls.keyFile, &tls, &error))
            return fail(error);
        m_listener->setTls(tls);
    }
    m_targetTls = QSslConfiguration::defaultConfiguration();
    if (!m_config.tls.caFile.isEmpty()) {
        QString error;
        if (!TlsFiles::addTrustedCertificates(m_config.tls.caFile, &m_targetTls, &error))
            return fail(error);
    }
    if (m_config.tls.insecure)
        m_targetTls.setPeerVerifyMode(QSslSocket::VerifyNone);
    const QHostAddress address = m_config.host == u"localhost" ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(m_config.host);
    if (address.isNull())
        return fail(QStringLiteral("\"%1\" is not an IP address to listen on").arg(m_config.host));
    if (!m_listener->listen(address, m_config.port))
        return fail(QStringLiteral("cannot listen on %1:%2: %3").arg(m_config.host).arg(m_config.port).arg(m_listener->errorString()));
    m_state = State::Listening;
    LogEvent e = LogEvent::make(EventKind::Listening, Direction::Local);
    e.endpoint = QStringLiteral("relay");
    e.detail = url().toString() + QStringLiteral(" -> ") + m_config.target.toString();
    m_log.append(std::move(e));
    if (m_config.tls.insecure)
        logInfo(QStringLiteral(
            "warning: the target's certificate is not verified (insecure); anyone on the path can read and change the traffic"));
    return true;
}

void Relay::stop()
{
    if (m_state != State::Listening)
        return;
    m_listener->close();
    const auto connections = m_connections;
    for (const auto &[id, connection] : connections)
        connection->cut(QStringLiteral("as the relay stops"));
    m_state = State::Idle;
    LogEvent e = LogEvent::make(EventKind::Stopped, Direction::Local);
    e.endpoint = QStringLiteral("relay");
    e.detail = QStringLiteral("stopped relaying; %1 connections reset").arg(connections.size());
    m_log.append(std::move(e));
}

QUrl Relay::url() const
{
    QUrl url;
    url.setScheme(m_listener->isTls() ? QStringLiteral("wss") : QStringLiteral("ws"));
    const QHostAddress address = m_listener->serverAddress();
    url.setHost(address.isNull() ? m_config.host : address.toString());
    url.setPort(m_listener->isListening() ? m_listener->serverPort() : m_config.port);
    return url;
}

void Relay::injectClose(RelaySide towards, int code, const QString &reason)
{
    const auto connections = m_connections;
    for (const auto &[id, connection] : connections)
        connection->injectClose(towards, code, reason);
}

void Relay::cut()
{
    const auto connections = m_connections;
    for (const auto &[id, connection] : connections)
        connection->cut(QStringLiteral("on request"));
}

void Relay::corruptNextMessage(RelaySide from)
{
    if (m_connections.empty())
        logInfo(QStringLiteral("nothing to corrupt: no connection is open"));
    for (const auto &[id, connection] : m_connections)
        connection->corruptNextMessage(from);
}

void Relay::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (paused) {
        logInfo(QStringLiteral("paused: every whole frame is held, both ways, until stepped on or resumed"));
        return;
    }
    logInfo(QStringLiteral("resumed: frames are forwarded again, the held ones first"));
    const auto connections = m_connections;
    for (const auto &[id, connection] : connections)
        connection->releaseHeldFrames();
}

void Relay::step()
{
    RelayConnection *oldest = nullptr;
    for (const auto &[id, connection] : m_connections) {
        if (connection->heldFrameCount() > 0 && (!oldest || connection->oldestHeldArrival() < oldest->oldestHeldArrival()))
            oldest = connection;
    }
    if (oldest)
        oldest->stepHeldFrame();
}

int Relay::heldFrameCount() const
{
    int count = 0;
    for (const auto &[id, connection] : m_connections)
        count += connection->heldFrameCount();
    return count;
}

void Relay::logInfo(const QString &text)
{
    LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
    e.endpoint = QStringLiteral("relay");
    e.detail = text;
    m_log.append(std::move(e));
}

void Relay::onNewConnections()
{
    // Drained in a loop: QTcpServer keeps at most maxPendingConnections (30) waiting.
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        const int id = m_nextId++;
        auto *connection = new RelayConnection(id, socket, this);
        m_connections.emplace(id, connection);
        connect(connection, &RelayConnection::opened, this, &Relay::connectionOpened);
        connect(connection, &RelayConnection::heldFramesChanged, this, [this] { Q_EMIT heldFramesChanged(heldFrameCount()); });
        connect(connection, &RelayConnection::finished, this, [this](int finishedId) {
            const auto it = m_connections.find(finishedId);
            if (it == m_connections.end())
                return;
            it->second->deleteLater();
            m_connections.erase(it);
            Q_EMIT connectionClosed(finishedId);
        });
        connection->start();
    }
}

} // namespace wslab
