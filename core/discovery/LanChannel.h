#pragma once

#include <QHostAddress>
#include <QList>
#include <QNetworkInterface>

class QUdpSocket;

namespace wslab {

// One IPv4 address of one interface that is up, and how a beacon reaches that address's LAN: the
// discovery group, or the subnet's broadcast address on an interface without multicast.
struct LanChannel
{
    QNetworkInterface interface;
    QHostAddress address; // the interface's own address: the beacon's source and the host in its URL
    QHostAddress target;
    bool multicast = false;
};

// Whether a server bound to this address is meant for other machines: loopback is not.
bool isLanAddress(const QHostAddress &boundTo);
// The channels a server bound to boundTo is reachable on: every LAN channel for 0.0.0.0 (or ::), else
// the one of that address. Loopback and interfaces that are down or can neither multicast nor
// broadcast have none.
QList<LanChannel> lanChannels(const QHostAddress &boundTo);
// Sends one datagram to the channel's target on the discovery port, from the channel's address, with
// TTL 1 so that no router forwards it. False with the reason in *error.
bool sendOnChannel(const LanChannel &channel, const QByteArray &datagram, QString *error = nullptr);
// Binds socket to the discovery port, shared with every other WsLab on this machine (each gets a copy
// of each beacon), and joins the group on every interface that can multicast. False when the port
// cannot be bound; an interface that refuses the group still hears beacons broadcast to it.
bool joinDiscoveryGroup(QUdpSocket *socket, QString *error);

} // namespace wslab
