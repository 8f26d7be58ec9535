#include "core/discovery/Discovery.h"

#include "core/discovery/LanChannel.h"

#include <QNetworkDatagram>
#include <QUdpSocket>

#include <algorithm>

namespace wslab {

Discovery::Discovery(QObject *parent)
    : QObject(parent)
    , m_socket(new QUdpSocket(this))
{
    // Expiry is decided on the clock; the timer only says when to look.
    m_expiry.setInterval(500);
    connect(&m_expiry, &QTimer::timeout, this, &Discovery::expire);
    connect(m_socket, &QUdpSocket::readyRead, this, &Discovery::onReadyRead);
}

bool Discovery::start()
{
    if (m_running)
        return true;
    if (!joinDiscoveryGroup(m_socket, &m_errorString))
        return false;
    m_errorString.clear();
    m_running = true;
    m_expiry.start();
    query();
    return true;
}

void Discovery::stop()
{
    m_running = false;
    m_expiry.stop();
    m_socket->close();
}

void Discovery::query()
{
    const QByteArray datagram = Announcement::query().toDatagram();
    const auto channels = lanChannels(QHostAddress(QHostAddress::AnyIPv4));
    for (const LanChannel &channel : channels)
        sendOnChannel(channel, datagram);
}

QList<Announcement> Discovery::servers() const
{
    QList<Announcement> list;
    for (const Entry &entry : m_servers)
        list << entry.hello;
    std::sort(list.begin(), list.end(), [](const Announcement &a, const Announcement &b) {
        const int byName = a.name.compare(b.name, Qt::CaseInsensitive);
        return byName != 0 ? byName < 0 : a.url.toString() < b.url.toString();
    });
    return list;
}

void Discovery::onReadyRead()
{
    while (m_socket->hasPendingDatagrams()) {
        // One byte more than a beacon may have, so an oversized datagram is seen as such, not cut to fit.
        const QNetworkDatagram datagram = m_socket->receiveDatagram(kMaxBeaconBytes + 1);
        handleDatagram(datagram.data(), datagram.senderAddress());
    }
}

void Discovery::handleDatagram(QByteArrayView datagram, const QHostAddress &sender)
{
    const std::optional<Announcement> beacon = Announcement::fromDatagram(datagram);
    if (!beacon) {
        ++m_ignored;
        return;
    }
    if (beacon->type == Announcement::Type::Query)
        return;
    // A beacon speaks only for the machine that sent it: nobody can list someone else's address.
    if (!QHostAddress(beacon->url.host()).isEqual(sender, QHostAddress::ConvertV4MappedToIPv4)) {
        ++m_ignored;
        return;
    }
    const QString key = beacon->url.toString();
    if (beacon->type == Announcement::Type::Bye) {
        remove(key);
        return;
    }
    const std::chrono::nanoseconds expiresAt = m_clock() + beacon->interval * kMissedHellos;
    auto it = m_servers.find(key);
    if (it == m_servers.end()) {
        if (m_servers.size() >= kMaxServers) {
            ++m_ignored;
            return;
        }
        m_servers.insert(key, Entry{*beacon, expiresAt});
        Q_EMIT serverAdded(*beacon);
        Q_EMIT serversChanged();
        return;
    }
    it->expiresAt = expiresAt;
    Announcement comparable = *beacon;
    comparable.interval = it->hello.interval; // a new interval alone is no news to show
    const bool changed = !(comparable == it->hello);
    it->hello = *beacon;
    if (changed) {
        Q_EMIT serverChanged(*beacon);
        Q_EMIT serversChanged();
    }
}

void Discovery::expire()
{
    const std::chrono::nanoseconds now = m_clock();
    QStringList expired;
    for (auto it = m_servers.cbegin(); it != m_servers.cend(); ++it) {
        if (it->expiresAt <= now)
            expired << it.key();
    }
    for (const QString &key : std::as_const(expired))
        remove(key);
}

void Discovery::remove(const QString &key)
{
    const auto it = m_servers.constFind(key);
    if (it == m_servers.cend())
        return;
    const Announcement gone = it->hello;
    m_servers.erase(it);
    Q_EMIT serverRemoved(gone);
    Q_EMIT serversChanged();
}

} // namespace wslab
