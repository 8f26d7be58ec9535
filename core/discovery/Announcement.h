#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>
#include <QString>
#include <QUrl>

#include <chrono>
#include <optional>

namespace wslab {

// Where LAN beacons travel (docs/discovery.md). The group is in the administratively scoped range
// 239.255.0.0/16, meant for one site and never routed to the Internet; beacons are sent with TTL 1
// so no router forwards them at all.
QHostAddress discoveryGroup(); // 239.255.87.83 (87.83: "WS")
constexpr quint16 kDiscoveryPort = 48083;
// The beacon format's version: a listener ignores any other, so a future format cannot be misread.
constexpr int kBeaconVersion = 1;
// Larger datagrams are not ours (a beacon is a few hundred bytes) and are dropped unparsed.
constexpr qsizetype kMaxBeaconBytes = 2048;
constexpr qsizetype kMaxServerNameLength = 64;

// One beacon datagram: a server saying hello (or bye), or a listener asking servers to say hello now.
struct Announcement
{
    enum class Type { Hello, Bye, Query };

    Type type = Type::Hello;
    QString name; // what people call the server; shown next to its URL
    QUrl url; // ws:// or wss://ADDR:PORT/path, ADDR being the address the beacon is sent from
    QString mode; // serverModeName(): echo, broadcast, silent, chat
    QString version; // the WsLab version of the server
    QUrl pageUrl; // http(s)://ADDR:PORT/ when the server serves the chat page; else empty
    // When the next hello comes; a listener forgets the server after three of these without one.
    std::chrono::milliseconds interval{0};

    QByteArray toDatagram() const;
    // A datagram as received: nullopt, with the reason in *error, for anything that is not a valid
    // beacon of this version (oversized, not JSON, a missing or malformed field, an unknown type).
    static std::optional<Announcement> fromDatagram(QByteArrayView datagram, QString *error = nullptr);
    static Announcement query();

    bool operator==(const Announcement &) const = default;
};

} // namespace wslab
