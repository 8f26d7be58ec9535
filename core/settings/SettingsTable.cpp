#include "core/settings/SettingsTable.h"

#include <algorithm>
#include <chrono>
#include <type_traits>

namespace wslab {

namespace {

using ms = std::chrono::milliseconds;

constexpr qint64 kDay = 24ll * 3600 * 1000;
constexpr qint64 kMillion = 1000000;

// What an entry needs besides the field it reads and writes.
struct Row
{
    const char *key;
    const char *flag;
    SettingUnit unit;
    qint64 min;
    qint64 max;
    const char *help;
    const char *zeroMeans = "";
    qint64 formScale = 1;
};

// An entry over one field of the config: `field` is a generic lambda giving that field of a config,
// const or not (ints, qint64, double, bool, quint16 or a duration in ms).
template <class Config, class Field> Setting<Config> entry(const Row &row, Field field)
{
    Setting<Config> s;
    s.key = QString::fromLatin1(row.key);
    s.flag = QString::fromLatin1(row.flag);
    s.unit = row.unit;
    s.min = row.min;
    s.max = row.max;
    s.help = QString::fromUtf8(row.help);
    s.zeroMeans = QString::fromUtf8(row.zeroMeans);
    s.formScale = row.formScale;
    s.read = [field](const Config &c) {
        const auto &v = field(c);
        if constexpr (std::is_same_v<std::decay_t<decltype(v)>, ms>)
            return qint64(v.count());
        else
            return qint64(v);
    };
    s.write = [field](Config &c, qint64 v) {
        auto &target = field(c);
        using T = std::decay_t<decltype(target)>;
        if constexpr (std::is_same_v<T, bool>)
            target = v != 0;
        else
            target = T(v);
    };
    return s;
}

} // namespace

const QList<Setting<ServerConfig>> &serverSettings()
{
    using U = SettingUnit;
    auto row = [](const Row &r, auto field) { return entry<ServerConfig>(r, field); };
    static const QList<Setting<ServerConfig>> table{
        row(
            {"port", "port", U::Port, 0, 65535, "Port to listen on; 0 picks a free one"}, [](auto &c) -> auto & { return c.port; }),
        row(
            {"maxConnections", "max-connections", U::Count, 1, kMillion, "Open connections allowed; the next gets HTTP 503"},
            [](auto &c) -> auto & { return c.maxConnections; }),
        row(
            {"maxPerAddress", "max-per-address", U::Count, 1, kMillion,
             "Open connections allowed from one address; the next gets HTTP 429"},
            [](auto &c) -> auto & { return c.maxPerAddress; }),
        row(
            {"maxPendingHandshakes", "max-pending-handshakes", U::Count, 1, kMillion,
             "Connections that may be sending their upgrade request at once; past it new ones get HTTP 503 at once"},
            [](auto &c) -> auto & { return c.maxPendingHandshakes; }),
        row(
            {"maxMessageKiB", "max-message-size", U::Bytes, 1, 1ll << 31,
             "Largest incoming message; a larger one gets close 1009 (Message Too Big)", "", 1024},
            [](auto &c) -> auto & { return c.maxMessageSize; }),
        row(
            {"rateLimit", "rate-limit", U::MessagesPerSecond, 0, 1000 * kMillion,
             "Messages per second allowed per connection; over it: close 1008 (Policy Violation)", "no rate limit"},
            [](auto &c) -> auto & { return c.rateLimit; }),
        row(
            {"slowReaderKiB", "slow-reader-limit", U::Bytes, 1, 1ll << 40,
             "Unsent bytes a peer may hold (it does not read) before it is dropped with 1008", "", 1024},
            [](auto &c) -> auto & { return c.slowReaderLimit; }),
        row(
            {"pingInterval", "ping-interval", U::Millis, 0, kDay, "Heartbeat: how often each peer is pinged", "no heartbeat"},
            [](auto &c) -> auto & { return c.heartbeat.interval; }),
        row(
            {"pongTimeout", "pong-timeout", U::Millis, 1, kDay, "A peer that does not answer a ping within this time is dropped"},
            [](auto &c) -> auto & { return c.heartbeat.pongTimeout; }),
        row(
            {"idleTimeout", "idle-timeout", U::Millis, 0, kDay, "Close peers that send nothing for this long", "no idle limit"},
            [](auto &c) -> auto & { return c.idleTimeout; }),
        row(
            {"handshakeTimeout", "handshake-timeout", U::Millis, 1, kDay,
             "Time a client has to send its complete upgrade request; then HTTP 408"},
            [](auto &c) -> auto & { return c.handshakeTimeout; }),
        row(
            {"closeTimeout", "close-timeout", U::Millis, 1, kDay, "Time a peer has to answer our close frame; then it is aborted"},
            [](auto &c) -> auto & { return c.closeTimeout; }),
        row(
            {"maxHeaderLine", "max-header-line", U::Bytes, 64, 1 << 20, "Longest request or header line; longer gets HTTP 414 or 431"},
            [](auto &c) -> auto & { return c.httpLimits.maxLineBytes; }),
        row(
            {"maxHeaders", "max-headers", U::Count, 1, 10000, "Most header fields in an upgrade request; more gets HTTP 431"},
            [](auto &c) -> auto & { return c.httpLimits.maxHeaders; }),
        row(
            {"announce", "no-announce", U::Switch, 0, 1,
             "Do not announce the server on the LAN. Announced by default when --host is not loopback (docs/discovery.md)."},
            [](auto &c) -> auto & { return c.announce; }),
    };
    return table;
}

const QList<Setting<ClientConfig>> &clientSettings()
{
    using U = SettingUnit;
    auto row = [](const Row &r, auto field) { return entry<ClientConfig>(r, field); };
    static const QList<Setting<ClientConfig>> table = [&] {
        QList<Setting<ClientConfig>> t{
            row(
                {"reconnect", "no-reconnect", U::Switch, 0, 1, "Do not reconnect after the connection drops or fails."},
                [](auto &c) -> auto & { return c.reconnect.enabled; }),
            row(
                {"reconnectBase", "reconnect-base", U::Millis, 1, kDay, "First reconnect delay bound; each retry doubles it up to the cap"},
                [](auto &c) -> auto & { return c.reconnect.baseDelay; }),
            row(
                {"reconnectCap", "reconnect-cap", U::Millis, 1, kDay, "Largest reconnect delay"},
                [](auto &c) -> auto & { return c.reconnect.maxDelay; }),
            row(
                {"maxAttempts", "max-attempts", U::Count, 0, kMillion, "Give up after this many retries in a row", "unlimited"},
                [](auto &c) -> auto & { return c.reconnect.maxAttempts; }),
            row(
                {"pingInterval", "ping-interval", U::Millis, 0, kDay, "Heartbeat: how often the server is pinged", "no heartbeat"},
                [](auto &c) -> auto & { return c.heartbeat.interval; }),
            row(
                {"pongTimeout", "pong-timeout", U::Millis, 1, kDay, "Declare the server dead after this long without a pong or any data"},
                [](auto &c) -> auto & { return c.heartbeat.pongTimeout; }),
            row(
                {"connectTimeout", "connect-timeout", U::Millis, 1, kDay,
                 "Give up on one connection attempt (TCP, TLS and the upgrade) after this long"},
                [](auto &c) -> auto & { return c.connectTimeout; }),
            row(
                {"closeLinger", "linger", U::Millis, 0, kDay,
                 "At a close you ask for (end of input, Disconnect): once a ping's pong shows the server has every message, wait "
                 "until none has arrived for this long, ten times at most",
                 "close at the pong"},
                [](auto &c) -> auto & { return c.closeLinger; }),
            row(
                {"insecure", "insecure", U::Switch, 0, 1, "wss: connect even if the certificate is not trusted (a warning is printed)."},
                [](auto &c) -> auto & { return c.ignoreCertificateErrors; }),
        };
        // Asking for 10 ms retries gets them: the floor under every delay never stands above the base.
        for (Setting<ClientConfig> &s : t) {
            if (s.key == u"reconnectBase") {
                s.write = [write = s.write](ClientConfig &c, qint64 v) {
                    write(c, v);
                    c.reconnect.minDelay = std::min(c.reconnect.minDelay, c.reconnect.baseDelay);
                };
            }
        }
        return t;
    }();
    return table;
}

} // namespace wslab
