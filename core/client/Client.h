#pragma once

#include "core/client/ClientConfig.h"
#include "core/client/Outbox.h"
#include "core/log/EventLog.h"
#include "core/policy/Clock.h"
#include "core/policy/HeartbeatMonitor.h"
#include "core/policy/ReconnectPolicy.h"
#include "core/stats/TrafficCounters.h"

#include <QAbstractSocket>
#include <QObject>
#include <QSslCertificate>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>

class QWebSocket;

namespace wslab {

// One WebSocket client: a QWebSocket with a state machine, reconnect and heartbeat policies, an Outbox
// for sends while the link is down, counters, and an EventLog of everything that happens.
class Client
    : public QObject
    , private HeartbeatMonitor::Events
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Client)
public:
    enum class State { Idle, Connecting, Open, Closing, Backoff };
    Q_ENUM(State)

    explicit Client(const QString &name, QObject *parent = nullptr);
    ~Client() override;

    QString name() const { return m_name; }
    void setConfig(const ClientConfig &config);
    const ClientConfig &config() const { return m_config; }
    // A uniform random number in [0, 1) for backoff jitter; tests inject a fixed one.
    void setRandomSource(std::function<double()> source) { m_random = std::move(source); }
    // What the heartbeat and the stable-after rule judge elapsed time on; steadyClock() unless set.
    // Tests inject a ManualClock. Takes effect from the next open.
    void setClock(Clock clock);

    // Starts connecting with the current config; false (with errorString) when the config is invalid.
    bool open();
    // Closes with a validated code, cancels any pending retry. False when the code may not be sent.
    // While a closeAfterDrain() waits, closes at once with this code instead.
    bool close(int code = 1000, const QString &reason = {});
    // Closes without losing what is still on its way: Qt drops the TCP connection as soon as the close
    // frame is sent, so a reply in flight would be lost. A ping goes after the last message sent, and
    // its pong proves the server has read them all; the close then waits until no message has arrived
    // for config().closeLinger (each arrival restarts the wait, at most kDrainLingerCap waits after
    // the pong, so a server that never goes quiet is closed all the same). Without a pong within the
    // heartbeat's pong timeout it closes anyway. The state is Closing meanwhile, sends are queued for
    // the next open, and a connection lost meanwhile is not retried. When not open, the same as close().
    bool closeAfterDrain(int code = 1000, const QString &reason = {});
    // A closeAfterDrain() is waiting for its pong or for the link to go quiet.
    bool isDraining() const { return m_drain.waiting; }
    static constexpr int kDrainLingerCap = 10;
    // In Backoff: retry at once instead of waiting out the delay.
    void retryNow();
    // Forgets every message waiting in the Outbox (logged with how many), so they are not sent on
    // the next open.
    void discardQueued();

    // Sends now when open, otherwise queues in the Outbox. False when the Outbox refuses (see errorString).
    bool sendText(const QString &text);
    // The same, for a caller that holds the text's UTF-8 already (a line read from stdin): it is
    // counted, logged and queued as it is, never encoded again. `utf8` must be text.toUtf8().
    bool sendText(const QString &text, const QByteArray &utf8);
    bool sendBinary(const QByteArray &data);
    // Whether a send of this many bytes would be accepted now (sent at once, or queued), without
    // trying it: a producer that can wait (wslab-cli's stdin) asks first instead of being refused.
    bool canAccept(qint64 bytes, QString *why = nullptr) const;
    // Only when open; false otherwise.
    bool ping(const QByteArray &payload = {});

    State state() const { return m_state; }
    static QString stateName(State state);
    QString errorString() const { return m_errorString; }
    // Retry number of the pending or last retry (1-based); 0 before the first.
    int attempt() const { return m_attempt; }
    std::chrono::milliseconds backoffRemaining() const;
    qsizetype outboxSize() const { return m_outbox.size(); }
    qint64 outboxBytes() const { return m_outbox.bytes(); }
    const TrafficCounters &counters() const { return m_counters; }
    // The subprotocol the server chose, empty when none.
    QString subprotocol() const;
    int lastCloseCode() const { return m_lastCloseCode; }
    QString lastCloseReason() const { return m_lastCloseReason; }
    DisconnectCause lastCause() const { return m_lastCause; }
    EventLog *log() const { return m_log; }
    QWebSocket *socket() const { return m_socket; }
    // wss: the server's certificate, and whether the user chose to connect despite errors.
    QSslCertificate peerCertificate() const;
    bool certificateErrorsIgnored() const { return m_certificateErrorsIgnored; }

Q_SIGNALS:
    void stateChanged(wslab::Client::State state);
    // closeAfterDrain() started waiting (true), or its close frame went / the connection went first (false).
    void drainingChanged(bool draining);
    void opened();
    // Full messages as received (the log keeps a bounded copy).
    // utf8 is text.toUtf8(), made once for the counters and the log.
    void textReceived(const QString &text, const QByteArray &utf8);
    void binaryReceived(const QByteArray &data);
    void closed(int code, const QString &reason);
    // Any pong; matched says it answered a ping we sent.
    void pongReceived(const QByteArray &payload, bool matched);
    void retryScheduled(int attempt, std::chrono::milliseconds delay);
    void countersChanged();
    void outboxChanged(qsizetype waiting);

private:
    void connectSocketSignals();
    void startAttempt();
    void onConnected();
    void onDisconnected();
    void onSocketError(QAbstractSocket::SocketError error);
    void onTextMessage(const QString &text);
    void onBinaryMessage(const QByteArray &data);
    void heartbeatPingSent(const QByteArray &payload) override;
    void heartbeatPongReceived(std::chrono::microseconds rtt, const QByteArray &payload, bool matched) override;
    void heartbeatTimedOut() override;
    void onConnectTimeout();
    // A message arrived while draining: the quiet wait starts again, within the cap.
    void extendDrain();
    // Ends a drain by sending its close frame now.
    void finishDrain();
    // Once the connection has stayed open stableAfter (by the clock), the attempt counter starts again.
    void checkStable();
    // The connection is gone or never came up; decides between Backoff and Idle. Idempotent per attempt.
    void handleDown(const DisconnectCause &cause, int closeCode, const QString &reason);
    void setState(State state);
    bool sendsDirectly() const;
    bool enqueue(Outbox::Message message);
    void flushOutbox();
    // `text`, when given, is message.data decoded already.
    void transmit(const Outbox::Message &message, const QString *text = nullptr);
    void logEvent(LogEvent event);
    void fail(const QString &error);

    QString m_name;
    ClientConfig m_config;
    QWebSocket *m_socket = nullptr;
    std::unique_ptr<HeartbeatMonitor> m_heartbeat;
    EventLog *m_log = nullptr;
    std::function<double()> m_random;
    Clock m_clock = steadyClock();
    std::chrono::nanoseconds m_openedAt{0};
    State m_state = State::Idle;
    QString m_errorString;
    Outbox m_outbox;
    TrafficCounters m_counters;

    QTimer m_connectTimer;
    QTimer m_backoffTimer;
    QTimer m_stableTimer;
    QTimer m_closeTimer;
    // The close that closeAfterDrain() holds back until the pong and the quiet after it.
    struct Drain
    {
        bool asked = false; // until the connection is down: it is not retried
        bool waiting = false; // the close frame is not sent yet
        bool pongSeen = false;
        std::chrono::nanoseconds pongAt{0};
        int code = 1000;
        QString reason;
    } m_drain;
    QTimer m_drainTimer;
    int m_attempt = 0;
    bool m_everOpened = false;

    // Per attempt: what we learned before the socket reported it was gone.
    bool m_userClosing = false;
    bool m_heartbeatTimedOut = false;
    bool m_closeFrameSeen = false;
    bool m_downHandled = false;
    bool m_certificateErrorsIgnored = false;
    int m_lastCloseCode = 0;
    QString m_lastCloseReason;
    DisconnectCause m_lastCause;
};

// The HTTP status inside Qt 6.4's handshake error text ("... Unhandled http status code: 401 (Unauthorized)."),
// 400 for the texts Qt uses for a 400 answer, or 0 when there is none.
int httpStatusFromHandshakeError(const QString &errorString);

} // namespace wslab
