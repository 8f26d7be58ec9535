#include "core/discovery/LanChannel.h"

#include "core/discovery/Announcement.h"

#include <QUdpSocket>
#include <QVariant>

namespace wslab {

namespace {

bool isUsable(const QNetworkInterface &interface)
{
    const auto flags = interface.flags();
    return flags.testFlag(QNetworkInterface::IsUp) && flags.testFlag(QNetworkInterface::IsRunning) &&
           !flags.testFlag(QNetworkInterface::IsLoopBack);
}

bool isAnyAddress(const QHostAddress &address)
{
    return address == QHostAddress(QHostAddress::AnyIPv4) || address == QHostAddress(QHostAddress::AnyIPv6) ||
           address == QHostAddress(QHostAddress::Any);
}

} // namespace

bool isLanAddress(const QHostAddress &boundTo)
{
    return !boundTo.isNull() && !boundTo.isLoopback();
}

QList<LanChannel> lanChannels(const QHostAddress &boundTo)
{
    QList<LanChannel> channels;
    if (!isLanAddress(boundTo))
        return channels;
    const bool everyInterface = isAnyAddress(boundTo);
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        if (!isUsable(interface))
            continue;
        const bool canMulticast = interface.flags().testFlag(QNetworkInterface::CanMulticast);
        const auto entries = interface.addressEntries();
        for (const QNetworkAddressEntry &entry : entries) {
            const QHostAddress address = entry.ip();
            if (address.protocol() != QAbstractSocket::IPv4Protocol)
                continue;
            if (!everyInterface && !address.isEqual(boundTo, QHostAddress::ConvertV4MappedToIPv4))
                continue;
            LanChannel channel{interface, address, {}, canMulticast};
            if (canMulticast)
                channel.target = discoveryGroup();
            else if (interface.flags().testFlag(QNetworkInterface::CanBroadcast) && !entry.broadcast().isNull())
                channel.target = entry.broadcast();
            else
                continue;
            channels << channel;
        }
    }
    return channels;
}

bool sendOnChannel(const LanChannel &channel, const QByteArray &datagram, QString *error)
{
    QUdpSocket socket;
    // Bound to the channel's address so the datagram's source is the address its URL names, which is
    // what listeners check it against.
    if (!socket.bind(channel.address, 0)) {
        if (error)
            *error = socket.errorString();
        return false;
    }
    if (channel.multicast) {
        socket.setMulticastInterface(channel.interface);
        socket.setSocketOption(QAbstractSocket::MulticastTtlOption, 1);
        // Listeners on this same machine (another WsLab, wslab-cli discover) hear it too.
        socket.setSocketOption(QAbstractSocket::MulticastLoopbackOption, 1);
    }
    if (socket.writeDatagram(datagram, channel.target, kDiscoveryPort) != datagram.size()) {
        if (error)
            *error = socket.errorString();
        return false;
    }
    return true;
}

bool joinDiscoveryGroup(QUdpSocket *socket, QString *error)
{
    if (!socket->bind(QHostAddress::AnyIPv4, kDiscoveryPort, QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint)) {
        if (error)
            *error = QStringLiteral("cannot listen on UDP port %1: %2").arg(kDiscoveryPort).arg(socket->errorString());
        return false;
    }
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        if (isUsable(interface) && interface.flags().testFlag(QNetworkInterface::CanMulticast))
            socket->joinMulticastGroup(discoveryGroup(), interface);
    }
    return true;
}

} // namespace wslab
