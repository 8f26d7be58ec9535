#pragma once

#include "core/discovery/Announcement.h"
#include "core/policy/Clock.h"

#include <QHash>
#include <QObject>
#include <QTimer>

class QUdpSocket;

namespace wslab {

// Listens for beacons (docs/discovery.md) and keeps the list of WsLab servers on the LAN: a server
// appears with its first hello, changes when its hello does, and disappears with its bye or after
// three of its announced intervals without a hello. Whatever arrives is checked; anything that is not
// a valid beacon, or names a host other than the one that sent it, is counted and ignored.
class Discovery : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Discovery)
public:
    explicit Discovery(QObject *parent = nullptr);

    // The clock expiry is judged on; steadyClock() unless set.
    void setClock(Clock clock) { m_clock = std::move(clock); }
    // Joins the discovery group and asks the servers already there to say hello now; false with
    // errorString when the port cannot be bound.
    bool start();
    void stop();
    bool isRunning() const { return m_running; }
    QString errorString() const { return m_errorString; }
    // Asks every server on the LAN for a hello now rather than at its next interval.
    void query();

    // By name, then URL.
    QList<Announcement> servers() const;
    // One datagram as received from sender: the network path and tests both come through here.
    void handleDatagram(QByteArrayView datagram, const QHostAddress &sender);
    // Forgets servers whose time is up; a timer calls it while running.
    void expire();
    // Datagrams that were not valid beacons, or spoke for another host.
    int ignoredCount() const { return m_ignored; }

    // A crowded or hostile LAN cannot grow the list past this; further servers are ignored.
    static constexpr int kMaxServers = 256;
    // A server is forgotten after this many of its intervals without a hello.
    static constexpr int kMissedHellos = 3;

Q_SIGNALS:
    void serverAdded(const wslab::Announcement &server);
    void serverChanged(const wslab::Announcement &server);
    void serverRemoved(const wslab::Announcement &server);
    // After any of the three.
    void serversChanged();

private:
    void onReadyRead();
    void remove(const QString &key);

    struct Entry
    {
        Announcement hello;
        std::chrono::nanoseconds expiresAt;
    };
    QHash<QString, Entry> m_servers; // by URL
    QUdpSocket *m_socket;
    QTimer m_expiry;
    Clock m_clock = steadyClock();
    int m_ignored = 0;
    bool m_running = false;
    QString m_errorString;
};

} // namespace wslab
