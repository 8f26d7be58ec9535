#pragma once

#include "core/inspect/RelayConfig.h"
#include "core/log/EventLog.h"

#include <QObject>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QUrl>

#include <map>

namespace wslab {

class Listener;
class RelayConnection;

// The inspecting relay: listens, and for each accepted connection opens one to the target, forwards
// the bytes both ways unchanged, and decodes both directions with the RFC 6455 FrameDecoder into one
// Frame event per frame in its log (the peer field says which connection). Faults (RelayFaults) are
// applied on the way and can be changed at any time.
//
// The upgrade request is forwarded as the client sent it, Host header included: servers that check
// Host against their own name need the client to use the target's name (most do not check it).
class Relay : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Relay)
public:
    enum class State { Idle, Listening };
    Q_ENUM(State)

    explicit Relay(QObject *parent = nullptr);
    ~Relay() override;

    void setConfig(const RelayConfig &config) { m_config = config; }
    const RelayConfig &config() const { return m_config; }
    bool start();
    // Stops listening and aborts every connection.
    void stop();
    QString errorString() const { return m_errorString; }
    State state() const { return m_state; }
    // ws://HOST:PORT (wss when it terminates TLS), the address clients connect to.
    QUrl url() const;

    void setFaults(const RelayFaults &faults) { m_faults = faults; }
    const RelayFaults &faults() const { return m_faults; }
    // How a wss:// target is verified: the system's CAs, plus the CA file, or not at all.
    const QSslConfiguration &targetTls() const { return m_targetTls; }
    // Jitter and dropped messages draw from this; a fixed seed makes a run repeatable.
    void setRandomSeed(quint32 seed) { m_random.seed(seed); }
    QRandomGenerator &random() { return m_random; }

    // One-shot faults on every open connection: a Close frame towards one side (as if the other side
    // sent it), or a reset of both sides (the peers see 1006).
    void injectClose(RelaySide towards, int code, const QString &reason);
    void cut();
    // One-shot on every open connection: one payload byte of the next data message from this side is
    // changed (text: to a byte invalid in UTF-8, so the receiver closes with 1007; binary: bits flipped).
    void corruptNextMessage(RelaySide from);

    // Paused, every connection holds each whole frame it reads, both directions, and stops reading a
    // side once RelayConnection::kMaxInFlight bytes from it are held. step() forwards the oldest held
    // frame (in arrival order across directions and connections); resuming forwards the rest in order.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    void step();
    int heldFrameCount() const;
    // Numbers held frames in arrival order, for RelayConnection.
    quint64 nextArrival() { return ++m_arrivals; }

    EventLog *log() { return &m_log; }
    int connectionCount() const { return int(m_connections.size()); }

Q_SIGNALS:
    void connectionOpened(int id); // the target answered the upgrade with 101
    void connectionClosed(int id); // both sides are closed
    void heldFramesChanged(int count); // frames held while paused, over all connections

private:
    void onNewConnections();
    void logInfo(const QString &text);

    RelayConfig m_config;
    RelayFaults m_faults;
    QSslConfiguration m_targetTls;
    QRandomGenerator m_random;
    EventLog m_log;
    Listener *m_listener = nullptr;
    std::map<int, RelayConnection *> m_connections;
    int m_nextId = 1;
    quint64 m_arrivals = 0;
    bool m_paused = false;
    State m_state = State::Idle;
    QString m_errorString;
};

} // namespace wslab
