#include "core/client/Client.h"

#include "core/policy/HeartbeatMonitor.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/Redaction.h"
#include "core/tls/TlsFiles.h"

#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace wslab {

namespace {

// The ping closeAfterDrain() sends after the last message; its pong, not any other, ends the wait.
const QByteArray kDrainPing = QByteArrayLiteral("wslab-drain");

} // namespace

Client::Client(const QString &name, QObject *parent)
    : QObject(parent)
    , m_name(name)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
    , m_log(new EventLog(this))
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{
    m_heartbeat = std::make_unique<HeartbeatMonitor>(m_socket, static_cast<HeartbeatMonitor::Events *>(this));
    m_connectTimer.setSingleShot(true);
    m_backoffTimer.setSingleShot(true);
    m_stableTimer.setSingleShot(true);
    m_closeTimer.setSingleShot(true);
    m_drainTimer.setSingleShot(true);
    connect(&m_drainTimer, &QTimer::timeout, this, [this] {
        if (!m_drain.pongSeen) {
            LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
            e.detail = QStringLiteral("no pong to the drain ping within %1 ms; closing anyway").arg(m_config.heartbeat.pongTimeout.count());
            logEvent(std::move(e));
        }
        finishDrain();
    });
    connect(&m_connectTimer, &QTimer::timeout, this, &Client::onConnectTimeout);
    connect(&m_backoffTimer, &QTimer::timeout, this, &Client::startAttempt);
    connect(&m_stableTimer, &QTimer::timeout, this, &Client::checkStable);
    connect(&m_closeTimer, &QTimer::timeout, this, [this] {
        LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
        e.detail = QStringLiteral("close handshake not answered within %1 ms; aborting").arg(m_config.closeTimeout.count());
        logEvent(std::move(e));
        m_socket->abort();
    });
    connectSocketSignals();
    setConfig(m_config);
}

Client::~Client()
{
    // Leaving without a word would look like a crash to the peer.
    if (m_socket->state() == QAbstractSocket::ConnectedState) {
        m_userClosing = true;
        m_socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("client going away"));
    }
    m_socket->disconnect(this);
}

void Client::connectSocketSignals()
{
    connect(m_socket, &QWebSocket::connected, this, &Client::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &Client::onDisconnected);
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, &Client::onSocketError);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &Client::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &Client::onBinaryMessage);
    // Frames arrive before whole messages: a long message in progress is proof of life too.
    connect(m_socket, &QWebSocket::textFrameReceived, this, [this] { m_heartbeat->noteInbound(); });
    connect(m_socket, &QWebSocket::binaryFrameReceived, this, [this] { m_heartbeat->noteInbound(); });
    connect(m_socket, &QWebSocket::pong, this, [this](quint64, const QByteArray &payload) { m_heartbeat->notePong(payload); });
    // Qt sends (or answers) a close frame just before this; a dropped TCP connection never gets here
    // except through our own abort(), which we flag ourselves.
    connect(m_socket, &QWebSocket::aboutToClose, this, [this] { m_closeFrameSeen = true; });
    connect(m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &error : errors) {
            LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
            e.detail = QStringLiteral("certificate: ") + error.errorString();
            logEvent(std::move(e));
        }
        if (m_config.ignoreCertificateErrors) {
            m_certificateErrorsIgnored = true;
            LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
            e.detail = QStringLiteral(
                "WARNING: certificate errors ignored as asked; this connection is encrypted but the server is NOT authenticated");
            logEvent(std::move(e));
            m_socket->ignoreSslErrors();
        }
    });
}

void Client::setConfig(const ClientConfig &config)
{
    m_config = config;
    m_outbox.setLimits(config.outbox);
    m_heartbeat->setPolicy(config.heartbeat);
    if (config.maxIncomingMessageSize > 0) {
        m_socket->setMaxAllowedIncomingMessageSize(quint64(config.maxIncomingMessageSize));
        m_socket->setMaxAllowedIncomingFrameSize(quint64(config.maxIncomingMessageSize));
    }
}

QString Client::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Connecting:
        return QStringLiteral("connecting");
    case State::Open:
        return QStringLiteral("open");
    case State::Closing:
        return QStringLiteral("closing");
    case State::Backoff:
        return QStringLiteral("backoff");
    }
    return {};
}

bool Client::open()
{
    const QString problem = m_config.validate();
    if (!problem.isEmpty()) {
        fail(problem);
        return false;
    }
    if (m_state == State::Connecting || m_state == State::Open || m_state == State::Closing) {
        fail(QStringLiteral("already %1").arg(stateName(m_state)));
        return false;
    }
    m_backoffTimer.stop();
    m_attempt = 0;
    startAttempt();
    return true;
}

void Client::startAttempt()
{
    m_userClosing = false;
    m_heartbeatTimedOut = false;
    m_closeFrameSeen = false;
    m_downHandled = false;
    m_certificateErrorsIgnored = false;
    m_drain = {};
    setState(State::Connecting);
    if (m_config.url.scheme() == u"wss") {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        QString error;
        if (!m_config.caFile.isEmpty() && !TlsFiles::addTrustedCertificates(m_config.caFile, &tls, &error)) {
            fail(error);
            handleDown({DisconnectCause::Kind::TlsError, 0, 0}, 0, error);
            return;
        }
        m_socket->setSslConfiguration(tls);
    }

    QNetworkRequest request(m_config.url);
    for (const auto &[name, value] : m_config.headers)
        request.setRawHeader(name, value);
    // QWebSocket fixes its origin at construction; a raw Origin header reaches the handshake the same way.
    if (!m_config.origin.isEmpty())
        request.setRawHeader("Origin", m_config.origin.toUtf8());
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(m_config.subprotocols);

    LogEvent e = LogEvent::make(EventKind::Handshake, Direction::Out);
    e.detail = redactSecrets(m_config.url.toString(QUrl::RemoveUserInfo));
    if (!m_config.subprotocols.isEmpty())
        e.detail += QStringLiteral(" subprotocols: ") + m_config.subprotocols.join(QStringLiteral(", "));
    logEvent(std::move(e));

    m_connectTimer.start(m_config.connectTimeout);
    m_socket->open(request, options);
}

void Client::onConnected()
{
    m_connectTimer.stop();
    if (m_everOpened)
        ++m_counters.reconnects;
    m_everOpened = true;
    m_errorString.clear();
    LogEvent e = LogEvent::make(EventKind::Open, Direction::Local);
    e.detail = subprotocol().isEmpty() ? QString() : QString(QStringLiteral("subprotocol ") + subprotocol() + u' ');
    // Both ends of the TCP connection, so a reader of several logs (the sequence diagram) can tell which
    // server peer this is: the server's Open says its peer is "from" the same address and port.
    e.detail += QStringLiteral("from %1:%2 to %3:%4")
                    .arg(m_socket->localAddress().toString())
                    .arg(m_socket->localPort())
                    .arg(m_socket->peerAddress().toString())
                    .arg(m_socket->peerPort());
    logEvent(std::move(e));
    if (m_config.url.scheme() == u"wss") {
        LogEvent tls = LogEvent::make(EventKind::Info, Direction::Local);
        tls.detail = (m_certificateErrorsIgnored ? QStringLiteral("TLS (certificate NOT verified): ") : QStringLiteral("TLS: ")) +
                     TlsFiles::describe(peerCertificate());
        logEvent(std::move(tls));
    }
    setState(State::Open);
    m_openedAt = m_clock();
    m_stableTimer.start(m_config.reconnect.stableAfter);
    m_heartbeat->start();
    flushOutbox();
    Q_EMIT opened();
    Q_EMIT countersChanged();
}

void Client::onDisconnected()
{
    m_closeTimer.stop();
    if (m_state == State::Connecting && !m_userClosing && !m_heartbeatTimedOut) {
        // Qt 6.4 reports a failed TCP connect (refused, unreachable) with disconnected() before error():
        // the connection never opened, so there is no close to report, only why connecting failed.
        m_errorString = m_socket->errorString();
        handleDown({DisconnectCause::Kind::NetworkError, 0, 0}, 0, m_errorString);
        return;
    }
    DisconnectCause cause;
    int code = m_socket->closeCode();
    QString reason = m_socket->closeReason();
    if (m_userClosing) {
        cause.kind = DisconnectCause::Kind::UserClose;
    } else if (m_heartbeatTimedOut) {
        cause.kind = DisconnectCause::Kind::HeartbeatTimeout;
        code = CloseCode::AbnormalClosure;
        reason = QStringLiteral("heartbeat timeout");
    } else if (m_closeFrameSeen) {
        cause.kind = DisconnectCause::Kind::PeerClose;
    } else {
        cause.kind = DisconnectCause::Kind::Abnormal;
        code = CloseCode::AbnormalClosure;
        reason = QStringLiteral("connection dropped without a close frame");
    }
    cause.closeCode = code;
    handleDown(cause, code, reason);
}

void Client::onSocketError(QAbstractSocket::SocketError error)
{
    const QString text = m_socket->errorString();
    LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
    e.detail = text;
    e.socketError = int(error);
    e.httpStatus = httpStatusFromHandshakeError(text);
    logEvent(std::move(e));
    if (m_state != State::Connecting)
        return; // an open connection reports its end through disconnected()
    m_errorString = text;
    DisconnectCause cause;
    const int status = httpStatusFromHandshakeError(text);
    if (error == QAbstractSocket::SslHandshakeFailedError) {
        cause.kind = DisconnectCause::Kind::TlsError;
    } else if (status > 0) {
        cause.kind = DisconnectCause::Kind::HandshakeRefused;
        cause.httpStatus = status;
    } else {
        cause.kind = DisconnectCause::Kind::NetworkError;
    }
    // Qt 6.4 may not emit disconnected() after a refused handshake: decide now, then drop the socket.
    handleDown(cause, 0, text);
    m_socket->abort();
}

void Client::onConnectTimeout()
{
    if (m_state != State::Connecting)
        return;
    m_errorString = QStringLiteral("connect timeout after %1 ms").arg(m_config.connectTimeout.count());
    LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
    e.detail = m_errorString;
    logEvent(std::move(e));
    handleDown({DisconnectCause::Kind::ConnectTimeout, 0, 0}, 0, m_errorString);
    m_socket->abort();
}

void Client::heartbeatPingSent(const QByteArray &payload)
{
    ++m_counters.pingsOut;
    logEvent(LogEvent::make(EventKind::Ping, Direction::Out, payload));
}

void Client::heartbeatPongReceived(std::chrono::microseconds rtt, const QByteArray &payload, bool matched)
{
    ++m_counters.pongsIn;
    m_counters.rtt = m_heartbeat->rtt();
    LogEvent e = LogEvent::make(EventKind::Pong, Direction::In, payload);
    e.rttUs = matched ? qint64(rtt.count()) : -1;
    logEvent(std::move(e));
    Q_EMIT pongReceived(payload, matched);
    Q_EMIT countersChanged();
    if (m_drain.waiting && !m_drain.pongSeen && payload == kDrainPing) {
        m_drain.pongSeen = true;
        m_drain.pongAt = m_clock();
        m_drainTimer.start(m_config.closeLinger);
    }
}

void Client::heartbeatTimedOut()
{
    LogEvent e = LogEvent::make(EventKind::HeartbeatTimeout, Direction::Local);
    e.detail = QStringLiteral("no pong within %1 ms").arg(m_config.heartbeat.pongTimeout.count());
    logEvent(std::move(e));
    m_heartbeatTimedOut = true;
    m_socket->abort(); // the peer is gone: a close handshake would only wait for it
}

void Client::setClock(Clock clock)
{
    m_clock = std::move(clock);
    m_heartbeat->setClock(m_clock);
}

void Client::checkStable()
{
    const std::chrono::nanoseconds open = m_clock() - m_openedAt;
    if (open >= m_config.reconnect.stableAfter) {
        m_stableTimer.stop();
        m_attempt = 0;
        return;
    }
    m_stableTimer.start(std::chrono::ceil<std::chrono::milliseconds>(m_config.reconnect.stableAfter - open));
}

void Client::handleDown(const DisconnectCause &cause, int closeCode, const QString &reason)
{
    if (m_downHandled)
        return;
    m_downHandled = true;
    m_connectTimer.stop();
    if (m_stableTimer.isActive())
        checkStable(); // its timer may be late; the clock says whether the connection was stable
    m_stableTimer.stop();
    m_heartbeat->stop();
    m_drainTimer.stop();
    // Gone while draining: the close was asked for, so it is not retried whatever ended it.
    const bool closeWasAsked = m_drain.asked;
    const bool wasWaiting = m_drain.waiting;
    m_drain = {};
    if (wasWaiting)
        Q_EMIT drainingChanged(false);
    m_lastCause = cause;

    const bool wasUp = closeCode != 0;
    if (wasUp) {
        m_lastCloseCode = closeCode;
        m_lastCloseReason = reason;
        LogEvent e =
            LogEvent::make(EventKind::Close, cause.kind == DisconnectCause::Kind::UserClose
                                                 ? Direction::Out
                                                 : (cause.kind == DisconnectCause::Kind::PeerClose ? Direction::In : Direction::Local));
        e.closeCode = closeCode;
        e.detail = reason;
        logEvent(std::move(e));
        Q_EMIT closed(closeCode, reason);
    }

    const bool retry = !closeWasAsked && ReconnectPolicy::isRetryable(cause) && m_config.reconnect.allowsAttempt(m_attempt + 1);
    if (!retry) {
        if (cause.kind == DisconnectCause::Kind::UserClose && !m_outbox.isEmpty()) {
            LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
            e.detail = QStringLiteral("%1 queued messages stay in the outbox until the next connect").arg(m_outbox.size());
            logEvent(std::move(e));
        } else if (cause.kind != DisconnectCause::Kind::UserClose) {
            LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
            if (closeWasAsked)
                e.detail = QStringLiteral("not retrying: the close was asked for");
            else if (!ReconnectPolicy::isRetryable(cause))
                e.detail = QStringLiteral("not retrying: this ending is not transient");
            else if (!m_config.reconnect.enabled)
                e.detail = QStringLiteral("not retrying: reconnect is off");
            else
                e.detail = QStringLiteral("giving up after %1 retries").arg(m_attempt);
            logEvent(std::move(e));
        }
        setState(State::Idle);
        return;
    }
    ++m_attempt;
    const std::chrono::milliseconds delay = m_config.reconnect.delayFor(m_attempt, m_random());
    LogEvent e = LogEvent::make(EventKind::RetryScheduled, Direction::Local);
    e.attempt = m_attempt;
    e.delayMs = delay.count();
    e.detail = QStringLiteral("retry %1 in %2 ms").arg(m_attempt).arg(delay.count());
    logEvent(std::move(e));
    m_backoffTimer.start(delay);
    setState(State::Backoff);
    Q_EMIT retryScheduled(m_attempt, delay);
}

bool Client::close(int code, const QString &reason)
{
    QString why;
    if (!CloseCode::isSendableClose(code, reason, &why)) {
        fail(why);
        return false;
    }
    if (m_drain.waiting) {
        m_drain.code = code;
        m_drain.reason = reason;
        finishDrain();
        return true;
    }
    switch (m_state) {
    case State::Idle:
    case State::Closing:
        return true;
    case State::Backoff:
        m_backoffTimer.stop();
        setState(State::Idle);
        return true;
    case State::Connecting:
        m_userClosing = true;
        handleDown({DisconnectCause::Kind::UserClose, 0, 0}, 0, {});
        m_socket->abort();
        return true;
    case State::Open:
        m_userClosing = true;
        setState(State::Closing);
        m_closeTimer.start(m_config.closeTimeout);
        m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
        return true;
    }
    return true;
}

bool Client::closeAfterDrain(int code, const QString &reason)
{
    if (m_drain.waiting)
        return true;
    QString why;
    if (!CloseCode::isSendableClose(code, reason, &why)) {
        fail(why);
        return false;
    }
    if (m_state != State::Open || m_socket->state() != QAbstractSocket::ConnectedState)
        return close(code, reason);
    m_drain = {true, true, false, {}, code, reason};
    LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
    e.detail = QStringLiteral("closing once the server has everything: a ping, then %1 ms without a message after its pong")
                   .arg(m_config.closeLinger.count());
    logEvent(std::move(e));
    setState(State::Closing);
    Q_EMIT drainingChanged(true);
    m_heartbeat->sendPing(kDrainPing);
    m_drainTimer.start(m_config.heartbeat.pongTimeout);
    return true;
}

void Client::extendDrain()
{
    if (!m_drain.waiting || !m_drain.pongSeen)
        return;
    if (m_clock() - m_drain.pongAt < kDrainLingerCap * m_config.closeLinger)
        m_drainTimer.start(m_config.closeLinger);
}

void Client::finishDrain()
{
    if (!m_drain.waiting)
        return;
    m_drainTimer.stop();
    m_drain.waiting = false;
    if (m_socket->state() == QAbstractSocket::ConnectedState) {
        m_userClosing = true;
        m_closeTimer.start(m_config.closeTimeout);
        m_socket->close(QWebSocketProtocol::CloseCode(m_drain.code), m_drain.reason);
    } // otherwise the connection is already going, and disconnected() reports it
    Q_EMIT drainingChanged(false);
}

void Client::retryNow()
{
    if (m_state != State::Backoff)
        return;
    m_backoffTimer.stop();
    startAttempt();
}

std::chrono::milliseconds Client::backoffRemaining() const
{
    if (m_state != State::Backoff)
        return std::chrono::milliseconds(0);
    return std::max(std::chrono::milliseconds(0), m_backoffTimer.remainingTimeAsDuration());
}

QSslCertificate Client::peerCertificate() const
{
    return m_socket->sslConfiguration().peerCertificate();
}

QString Client::subprotocol() const
{
    return m_socket->subprotocol();
}

bool Client::sendText(const QString &text)
{
    return sendText(text, text.toUtf8());
}

bool Client::sendText(const QString &text, const QByteArray &utf8)
{
    // Sent now, Qt takes the text as it is; queued, the Outbox keeps only the UTF-8 (half the memory of
    // the UTF-16 text) and it is decoded once more when the link is back.
    if (sendsDirectly()) {
        transmit({false, utf8}, &text);
        return true;
    }
    return enqueue({false, utf8});
}

bool Client::sendBinary(const QByteArray &data)
{
    return enqueue({true, data});
}

void Client::discardQueued()
{
    if (m_outbox.isEmpty())
        return;
    LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
    e.detail = QStringLiteral("%1 queued messages discarded from the outbox, unsent").arg(m_outbox.size());
    m_outbox.clear();
    logEvent(std::move(e));
    Q_EMIT outboxChanged(0);
}

bool Client::sendsDirectly() const
{
    // A socket that already got the peer's close is not open, whatever our state says yet.
    return m_state == State::Open && m_socket->state() == QAbstractSocket::ConnectedState && m_outbox.isEmpty();
}

bool Client::canAccept(qint64 bytes, QString *why) const
{
    return sendsDirectly() || m_outbox.hasRoomFor(bytes, why);
}

bool Client::enqueue(Outbox::Message message)
{
    if (sendsDirectly()) {
        transmit(message);
        return true;
    }
    QString error;
    const qint64 size = message.data.size();
    if (!m_outbox.push(std::move(message), &error)) {
        fail(error);
        return false;
    }
    LogEvent e = LogEvent::make(EventKind::OutboxQueued, Direction::Local);
    e.queued = int(m_outbox.size());
    e.size = size;
    logEvent(std::move(e));
    Q_EMIT outboxChanged(m_outbox.size());
    return true;
}

void Client::flushOutbox()
{
    const qsizetype count = m_outbox.size();
    if (count == 0)
        return;
    while (!m_outbox.isEmpty())
        transmit(m_outbox.takeFirst());
    LogEvent e = LogEvent::make(EventKind::OutboxFlushed, Direction::Local);
    e.flushed = int(count);
    logEvent(std::move(e));
    Q_EMIT outboxChanged(0);
}

void Client::transmit(const Outbox::Message &message, const QString *text)
{
    if (message.binary)
        m_socket->sendBinaryMessage(message.data);
    else
        m_socket->sendTextMessage(text ? *text : QString::fromUtf8(message.data));
    m_heartbeat->noteBytesQueued(message.data.size());
    ++m_counters.messagesOut;
    m_counters.bytesOut += quint64(message.data.size());
    logEvent(LogEvent::make(message.binary ? EventKind::Binary : EventKind::Text, Direction::Out, message.data));
    Q_EMIT countersChanged();
}

bool Client::ping(const QByteArray &payload)
{
    if (m_state != State::Open) {
        fail(QStringLiteral("cannot ping: the connection is %1").arg(stateName(m_state)));
        return false;
    }
    m_heartbeat->sendPing(payload);
    return true;
}

void Client::onTextMessage(const QString &text)
{
    m_heartbeat->noteInbound();
    const QByteArray utf8 = text.toUtf8();
    ++m_counters.messagesIn;
    m_counters.bytesIn += quint64(utf8.size());
    logEvent(LogEvent::make(EventKind::Text, Direction::In, utf8));
    Q_EMIT textReceived(text, utf8);
    Q_EMIT countersChanged();
    extendDrain();
}

void Client::onBinaryMessage(const QByteArray &data)
{
    m_heartbeat->noteInbound();
    ++m_counters.messagesIn;
    m_counters.bytesIn += quint64(data.size());
    logEvent(LogEvent::make(EventKind::Binary, Direction::In, data));
    Q_EMIT binaryReceived(data);
    Q_EMIT countersChanged();
    extendDrain();
}

void Client::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    LogEvent e = LogEvent::make(EventKind::State, Direction::Local);
    e.detail = stateName(state);
    logEvent(std::move(e));
    Q_EMIT stateChanged(state);
}

void Client::logEvent(LogEvent event)
{
    event.endpoint = m_name;
    m_log->append(std::move(event));
}

void Client::fail(const QString &error)
{
    m_errorString = error;
    LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
    e.detail = error;
    logEvent(std::move(e));
}

int httpStatusFromHandshakeError(const QString &errorString)
{
    static const QRegularExpression pattern(QStringLiteral("status code: (\\d{3})"));
    const QRegularExpressionMatch m = pattern.match(errorString);
    if (m.hasMatch())
        return m.captured(1).toInt();
    // Qt 6.4 words a 400 answer without its number; both texts come only from its 400 branch. Without
    // this a server's "Bad Request" would look like a network error and be retried forever.
    if (errorString.contains(u"Unknown error condition encountered") ||
        errorString.contains(u"Server requests a version that we don't support"))
        return 400;
    return 0;
}

} // namespace wslab
