#include "core/server/Peer.h"

#include "core/log/EventLog.h"
#include "core/protocol/CloseCode.h"

#include <QWebSocket>

namespace wslab {

Peer::Peer(int id, QWebSocket *socket, const QByteArray &path, FrameGuard *guard, const ServerConfig &config, const QString &endpoint,
           EventLog *eventLog, Host *host, Clock clock)
    : m_id(id)
    , m_socket(socket)
    , m_path(path)
    , m_endpoint(endpoint)
    , m_log(eventLog)
    , m_host(host)
    , m_heartbeat(socket, this, HeartbeatMonitor::Timing::CheckedByOwner)
    , m_guard(guard)
    , m_address(socket->peerAddress())
    , m_port(socket->peerPort())
    , m_connectedAt(QDateTime::currentDateTime())
    , m_idleTimeout(config.idleTimeout)
    , m_closeTimeout(config.closeTimeout)
    , m_rateLimit(config.rateLimit)
    , m_tokens(std::max(1.0, config.rateLimit))
    , m_slowReaderLimit(config.slowReaderLimit)
{
    m_heartbeat.setClock(std::move(clock));
    m_lastActivityAt = m_rateCheckedAt = now();
    // Owned by this Peer from here on (see ~Peer), whoever made it.
    m_socket->setParent(nullptr);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(config.maxMessageSize));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(config.maxMessageSize));
    m_heartbeat.setPolicy(config.heartbeat);

    // The socket is the context of every connection: they end with it, and ~Peer cuts them first.
    // What is sent and how much of it has left is read from the socket when needed (unsentBytes()),
    // not followed through a bytesWritten connection on every peer.
    QObject::connect(m_socket, &QWebSocket::textMessageReceived, m_socket, [this](const QString &text) { onText(text); });
    QObject::connect(m_socket, &QWebSocket::binaryMessageReceived, m_socket, [this](const QByteArray &data) { onBinary(data); });
    if (!m_guard) {
        // The guard sees every frame header first and says so (guardDataFrameArrived); without one, Qt does.
        QObject::connect(m_socket, &QWebSocket::textFrameReceived, m_socket, [this] { noteActivity(); });
        QObject::connect(m_socket, &QWebSocket::binaryFrameReceived, m_socket, [this] { noteActivity(); });
    }
    QObject::connect(m_socket, &QWebSocket::disconnected, m_socket, [this] { onDisconnected(); });
    QObject::connect(m_socket, &QWebSocket::pong, m_socket, [this](quint64, const QByteArray &payload) { m_heartbeat.notePong(payload); });
    // The guard tells of the client's Close itself (guardCloseFrameArrived); Qt's own closes are ours.
    if (!m_guard)
        QObject::connect(m_socket, &QWebSocket::aboutToClose, m_socket, [this] { m_closeFrameSeen = true; });
    QObject::connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), m_socket,
                     [this](QAbstractSocket::SocketError error) {
                         if (error == QAbstractSocket::RemoteHostClosedError)
                             return; // reported as the close that follows
                         LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
                         e.detail = m_socket->errorString();
                         e.socketError = int(error);
                         log(std::move(e));
                     });

    m_heartbeat.start();
}

Peer::~Peer()
{
    // Nothing the socket does while it goes may reach this half-destroyed Peer.
    QObject::disconnect(m_socket, nullptr, m_socket, nullptr);
    if (m_guard)
        m_guard->forgetEvents(); // the guard goes with the socket, just below
    delete m_socket;
}

void Peer::heartbeatTimedOut()
{
    LogEvent e = LogEvent::make(EventKind::HeartbeatTimeout, Direction::Local);
    e.detail = QStringLiteral("no pong from peer %1 in time; dropping it").arg(m_id);
    log(std::move(e));
    abort(QStringLiteral("heartbeat timeout"));
}

void Peer::heartbeatPingSent(const QByteArray &payload)
{
    ++m_counters.pingsOut;
    log(LogEvent::make(EventKind::Ping, Direction::Out, payload));
}

void Peer::heartbeatPongReceived(std::chrono::microseconds rtt, const QByteArray &payload, bool matched)
{
    ++m_counters.pongsIn;
    m_counters.rtt = m_heartbeat.rtt();
    LogEvent e = LogEvent::make(EventKind::Pong, Direction::In, payload);
    e.rttUs = matched ? qint64(rtt.count()) : -1;
    log(std::move(e));
    m_host->countersOfPeerChanged(this);
}

void Peer::guardViolation(FrameGuard *, const QString &why)
{
    m_serverClosing = true;
    LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
    e.detail = m_address.toString() % u':' % QString::number(m_port) % QStringLiteral(": ") % why;
    e.closeCode = CloseCode::ProtocolError;
    log(std::move(e));
}

void Peer::attachGuard()
{
    if (m_guard)
        m_guard->attach(m_socket, this);
}

QString Peer::subprotocol() const
{
    return m_socket->subprotocol();
}

qint64 Peer::unsentBytes() const
{
    return m_socket->bytesToWrite();
}

bool Peer::isOpen() const
{
    // RFC 6455 §5.5.1: after our Close, nothing more is sent, though the connection is still up.
    return !m_finished && !m_serverClosing && m_socket->state() == QAbstractSocket::ConnectedState;
}

void Peer::noteClosing()
{
    // Qt closes by itself too (1009, 1007, its own 1002): from here on it is our close as well.
    m_serverClosing = true;
    m_heartbeat.stop();
    if (!m_closeTimed) {
        m_closeTimed = true;
        m_closingSince = now();
    }
}

void Peer::checkTimers(std::chrono::nanoseconds now)
{
    if (!checkClose(now))
        return;
    checkIdle(now);
    m_heartbeat.check(now);
}

bool Peer::checkClose(std::chrono::nanoseconds now)
{
    if (!m_closeTimed || m_finished)
        return true;
    if (now - m_closingSince < m_closeTimeout)
        return true;
    abort(QStringLiteral("close handshake not answered in time") + discardedSuffix());
    return false;
}

void Peer::checkIdle(std::chrono::nanoseconds now)
{
    if (m_idleTimeout.count() <= 0 || !isOpen())
        return;
    if (now - m_lastActivityAt < m_idleTimeout)
        return;
    close(CloseCode::Normal, QStringLiteral("idle for %1 ms").arg(m_idleTimeout.count()));
}

QString Peer::discardedSuffix() const
{
    const int discarded = m_guard ? m_guard->discardedMessages() : 0;
    if (discarded == 0)
        return {};
    return discarded == 1 ? QStringLiteral("; 1 message discarded after close")
                          : QStringLiteral("; %1 messages discarded after close").arg(discarded);
}

void Peer::sendText(const QString &text)
{
    if (!isOpen())
        return;
    sendText(text, text.toUtf8());
}

void Peer::sendText(const QString &text, const QByteArray &utf8)
{
    if (!isOpen())
        return;
    m_socket->sendTextMessage(text);
    ++m_counters.messagesOut;
    m_counters.bytesOut += quint64(utf8.size());
    m_heartbeat.noteBytesQueued(utf8.size());
    // Shares the bytes with the inbound event when echoing: no copy unless they have to be cut.
    log(LogEvent::make(EventKind::Text, Direction::Out, utf8));
    m_host->countersOfPeerChanged(this);
    checkBacklog(utf8.size());
}

void Peer::sendBinary(const QByteArray &data)
{
    if (!isOpen())
        return;
    m_socket->sendBinaryMessage(data);
    ++m_counters.messagesOut;
    m_counters.bytesOut += quint64(data.size());
    m_heartbeat.noteBytesQueued(data.size());
    log(LogEvent::make(EventKind::Binary, Direction::Out, data));
    m_host->countersOfPeerChanged(this);
    checkBacklog(data.size());
}

void Peer::checkBacklog(qint64 justQueued)
{
    // Judged on what earlier sends left unsent: the message just queued has had no chance to leave yet,
    // and one message larger than the limit says nothing about how fast the peer reads.
    const qint64 backlog = unsentBytes() - justQueued;
    if (backlog <= m_slowReaderLimit || m_serverClosing)
        return;
    LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
    e.detail = QStringLiteral("slow reader: %1 bytes unsent (limit %2); dropping peer %3").arg(backlog).arg(m_slowReaderLimit).arg(m_id);
    log(std::move(e));
    close(CloseCode::PolicyViolation, QStringLiteral("slow reader"));
}

bool Peer::admitMessage()
{
    if (m_rateLimit <= 0)
        return true;
    const std::chrono::nanoseconds at = now();
    const double elapsed = std::chrono::duration<double>(at - m_rateCheckedAt).count();
    m_rateCheckedAt = at;
    m_tokens = std::min(std::max(1.0, m_rateLimit), m_tokens + elapsed * m_rateLimit);
    if (m_tokens >= 1.0) {
        m_tokens -= 1.0;
        return true;
    }
    if (!m_serverClosing) {
        LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
        e.detail = QStringLiteral("rate limit of %1 messages/s exceeded; closing peer %2").arg(m_rateLimit).arg(m_id);
        log(std::move(e));
        close(CloseCode::PolicyViolation, QStringLiteral("rate limit exceeded"));
    }
    return false;
}

bool Peer::ping(const QByteArray &payload)
{
    if (!isOpen())
        return false;
    m_heartbeat.sendPing(payload);
    return true;
}

void Peer::close(int code, const QString &reason)
{
    if (!isOpen())
        return;
    noteClosing();
    // Qt writes the Close frame; the FrameGuard then holds the TCP close Qt asks for until the answer.
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void Peer::abort(const QString &why)
{
    if (m_finished)
        return;
    m_aborted = true;
    m_abortReason = why;
    if (m_guard)
        m_guard->releaseHold();
    m_socket->abort();
}

void Peer::noteActivity()
{
    m_heartbeat.noteInbound();
    m_lastActivityAt = now();
}

void Peer::onText(const QString &text)
{
    noteActivity();
    const QByteArray utf8 = text.toUtf8();
    ++m_counters.messagesIn;
    m_counters.bytesIn += quint64(utf8.size());
    log(LogEvent::make(EventKind::Text, Direction::In, utf8));
    if (admitMessage()) {
        m_host->textFromPeer(this, text, utf8);
        m_host->countersOfPeerChanged(this);
    }
    // After the message is handled: a bad frame behind it closes the peer only now.
    if (m_guard)
        m_guard->messageHandled();
}

void Peer::onBinary(const QByteArray &data)
{
    noteActivity();
    ++m_counters.messagesIn;
    m_counters.bytesIn += quint64(data.size());
    log(LogEvent::make(EventKind::Binary, Direction::In, data));
    if (admitMessage()) {
        m_host->binaryFromPeer(this, data);
        m_host->countersOfPeerChanged(this);
    }
    if (m_guard)
        m_guard->messageHandled();
}

void Peer::onDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    m_heartbeat.stop();
    LogEvent e = LogEvent::make(EventKind::Close, Direction::Local);
    if (m_aborted) {
        e.closeCode = CloseCode::AbnormalClosure;
        e.detail = m_abortReason;
    } else if (m_serverClosing) {
        e.direction = Direction::Out;
        e.closeCode = m_socket->closeCode();
        e.detail = m_socket->closeReason() + discardedSuffix();
        if (m_guard && !m_guard->closeAnswered())
            e.detail += QStringLiteral("; the peer closed TCP without answering");
    } else if (m_closeFrameSeen || m_clientSentClose) {
        // Qt also closes by itself (1009 for a message over the limit, 1007 for bad UTF-8, 1002): without
        // a close frame from the client, the close Qt sent is ours.
        e.direction = m_clientSentClose ? Direction::In : Direction::Out;
        e.closeCode = m_socket->closeCode();
        e.detail = m_socket->closeReason();
    } else {
        e.closeCode = CloseCode::AbnormalClosure;
        e.detail = QStringLiteral("connection dropped without a close frame");
    }
    log(std::move(e));
    m_host->peerFinished(this);
}

void Peer::log(LogEvent event)
{
    event.endpoint = m_endpoint;
    event.peer = m_id;
    m_log->append(std::move(event));
}

} // namespace wslab
