#pragma once

#include "core/log/EventLog.h"
#include "core/policy/Clock.h"
#include "core/server/FrameGuard.h"
#include "core/server/Peer.h"
#include "core/server/ServerConfig.h"

#include "core/protocol/HttpRequest.h"

#include <QHash>
#include <QHostAddress>
#include <QMap>
#include <QObject>
#include <QTimer>
#include <QUrl>

class QTcpServer;
class QTcpSocket;
class QWebSocketServer;

namespace wslab {

class Beacon;
class Listener;
class Gate;

// A WebSocket server for the lab: accepts TCP itself, lets the Gate answer bad requests with real HTTP
// statuses, then hands good ones to QWebSocketServer for the upgrade. Peers are echoed, broadcast to
// or left alone according to the mode; everything lands in its EventLog.
class Server
    : public QObject
    , private Peer::Host
    , private FrameGuard::Events
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Server)
public:
    enum class State { Stopped, Listening };
    Q_ENUM(State)

    explicit Server(const QString &name = QStringLiteral("server"), QObject *parent = nullptr);
    ~Server() override;

    QString name() const { return m_name; }
    void setConfig(const ServerConfig &config);
    const ServerConfig &config() const { return m_config; }
    // The clock peers judge their rate limit, idle, close and heartbeat timeouts on; steadyClock()
    // unless set. Peers connected from then on read it.
    void setClock(Clock clock) { m_clock = std::move(clock); }
    // Takes effect at once, also while listening: the peers stay connected and the next message they
    // send is handled the new way. Logged, and announced with modeChanged.
    void setMode(ServerMode mode);

    // Binds and listens; false with errorString when the config is invalid or the port is taken.
    bool start();
    // Stops listening and closes every peer with 1001. Peers leave as they answer (or are aborted after
    // the close timeout): peerDisconnected tells when each is gone.
    void stop();
    State state() const { return m_state; }
    QString errorString() const { return m_errorString; }
    // ws://host:port (wss:// with TLS) as bound: the real port when the config asked for 0.
    QUrl url() const;
    quint16 port() const;

    QList<Peer *> peers() const { return m_peers.values(); }
    Peer *peer(int id) const { return m_peers.value(id); }
    int peerCount() const { return int(m_peers.size()); }

    bool sendText(int peerId, const QString &text);
    bool sendBinary(int peerId, const QByteArray &data);
    // Returns the number of peers it was sent to.
    int sendTextToAll(const QString &text);
    int sendBinaryToAll(const QByteArray &data);
    // A ping to one open peer; false when there is no such open peer.
    bool ping(int peerId, const QByteArray &payload = {});
    // Returns the number of peers pinged.
    int pingAll(const QByteArray &payload = {});
    // Closes one peer with a validated code; false (with errorString) for an unknown peer or bad code.
    bool kick(int peerId, int code, const QString &reason);

    EventLog *log() const { return m_log; }
    // The URLs the LAN beacon announces, one per interface; empty when it is not announcing.
    QList<QUrl> announcedUrls() const;

Q_SIGNALS:
    void stateChanged(wslab::Server::State state);
    void modeChanged(wslab::ServerMode mode);
    void peerConnected(int peerId);
    void peerDisconnected(int peerId);
    void peerCountersChanged(int peerId);
    void textReceived(int peerId, const QString &text);
    void binaryReceived(int peerId, const QByteArray &data);

protected:
    void connectNotify(const QMetaMethod &signal) override;

private:
    void onNewTcpConnection();
    void onAdmitted(QTcpSocket *socket, const HttpRequest &request, int headBytes);
    void onNewWebSocket();
    void textFromPeer(Peer *peer, const QString &text, const QByteArray &utf8) override;
    void binaryFromPeer(Peer *peer, const QByteArray &data) override;
    void countersOfPeerChanged(Peer *peer) override;
    void peerFinished(Peer *peer) override;
    // Logs the 101 Qt wrote on `socket` (recorded by its HoldableSocket) as an outbound handshake
    // event of the peer, with what a client's check of it finds.
    void logAnswer(QTcpSocket *socket, const HttpRequest &request, int peerId);
    // A bad frame during the upgrade, before there is a Peer to report it.
    void guardViolation(FrameGuard *guard, const QString &why) override;
    void guardGone(FrameGuard *guard) override;
    // Every peer's heartbeat, idle and close deadlines, judged on m_clock at each tick of m_sweep.
    void sweep();
    void logEvent(LogEvent event);
    void setState(State state);
    void startBeacon();
    bool fail(const QString &error);

    QString m_name;
    ServerConfig m_config;
    Clock m_clock = steadyClock();
    // One timer for all peers, running while there are any: per-peer timers cost more memory per
    // idle connection than the peer's own state.
    QTimer m_sweep;
    Listener *m_tcpServer;
    QWebSocketServer *m_wsServer;
    Gate *m_gate;
    Beacon *m_beacon;
    EventLog *m_log;
    State m_state = State::Stopped;
    QString m_errorString;
    QMap<int, Peer *> m_peers; // ordered by id, so "all peers" has a stable order; owned
    // Finished peers, deleted from the event loop by reapPeers(): a peer finishes inside its socket's
    // signals, which must not delete the socket under themselves.
    QList<Peer *> m_finishedPeers;
    void reapPeers();
    int connectionsFrom(const QHostAddress &address) const;

    // Admitted by the Gate, upgrade in progress: keyed by "address|port" to meet the QWebSocket again.
    struct Upgrading
    {
        HttpRequest request; // as the Gate parsed it: the Peer's path, and the 101 is checked against it
        QHostAddress address;
        FrameGuard *guard = nullptr; // owned by the socket; tells guardGone() if the socket dies during Qt's part
    };
    QHash<QString, Upgrading> m_upgrading;
    int m_nextPeerId = 1;
    // Peers' counters change twice per echoed message; relaying that costs a signal each time even
    // when nobody listens (wslab-cli), so it is emitted once peerCountersChanged has a receiver.
    bool m_relayingCounters = false;
    bool m_destroying = false;
};

} // namespace wslab
