#pragma once

#include <QString>
#include <QUrl>

#include <chrono>

namespace wslab {

// The two ends of a relayed connection; a fault names the side it acts towards or comes from.
enum class RelaySide { Client, Server };

// The relay's TLS, both ways: the certificate and key it serves wss:// to its clients with (a lab
// certificate from `wslab-cli cert` will do), and how it checks a wss:// target: against the system's
// CAs plus a PEM file's, or not at all. The window's TLS… dialog edits it as it is.
struct RelayTls
{
    // Terminate TLS on the listening side (wss:// towards the clients) with this certificate and key.
    QString certFile;
    QString keyFile;
    // A wss:// target is verified against the system's CAs plus this PEM file's, or not at all.
    QString caFile;
    bool insecure = false;
    bool operator==(const RelayTls &) const = default;
};

// Where the inspecting relay listens and what it connects each accepted connection to.
struct RelayConfig
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    QUrl target; // ws:// or wss://
    RelayTls tls;

    bool isTls() const { return !tls.certFile.isEmpty(); }
    // Empty when usable; otherwise what is wrong, in one sentence.
    QString validate() const;
};

// The faults the relay applies on the way, switchable live: each connection reads the relay's current
// settings every time it forwards, so a change acts at once on every connection. Counted faults
// (the *After ones) count each connection's data messages from the client and act once per connection.
struct RelayFaults
{
    std::chrono::milliseconds latency{0}; // added to every forwarded chunk, both ways
    std::chrono::milliseconds jitter{0}; // plus a random share of this; order is always kept
    bool withholdPongsFromClient = false; // swallow the pongs the client sends
    bool withholdPongsFromServer = false;
    int dropPercent = 0; // this share of data messages, either way, is swallowed whole (every fragment)
    bool blackHole = false; // forward nothing, keep both TCP connections open
    std::chrono::milliseconds blackHoleAfter{0}; // 0: off; else turn into a black hole this long after the 101

    int closeAfterMessages = 0; // 0: off; else inject a Close after this many client data messages
    int closeCode = 1000;
    QString closeReason;
    RelaySide closeTowards = RelaySide::Client;
    int cutAfterMessages = 0; // 0: off; else reset both sides after this many client data messages

    // A slow link: at most this many bytes a second in each direction (0: unlimited), order kept.
    qint64 bandwidthFromClient = 0;
    qint64 bandwidthFromServer = 0;
    // 0: off; else every write carries at most this many bytes, each on a later event-loop turn, both
    // ways, so the receiver gets every message in pieces (down to one byte at a time).
    int sliceBytes = 0;
    // 0 or 1: off; else each unfragmented data message is re-sent as this many frames (fewer when it
    // has fewer bytes, or when a text message's characters leave fewer places to cut), both ways.
    int fragmentCount = 0;
    // -1: off; else the client's data message that follows this many (0: its first one) has one payload
    // byte corrupted, once per connection: text becomes invalid UTF-8, binary has its bits flipped.
    int corruptAfterMessages = -1;

    qint64 bandwidth(RelaySide from) const { return from == RelaySide::Client ? bandwidthFromClient : bandwidthFromServer; }

    // Whether the relay must see frame boundaries in a direction, rather than pass chunks through.
    // Bandwidth and slicing act on bytes, so they do not need them.
    bool needsFrames(RelaySide from) const
    {
        return dropPercent > 0 || fragmentCount > 1 || (from == RelaySide::Client ? withholdPongsFromClient : withholdPongsFromServer) ||
               (from == RelaySide::Client && corruptAfterMessages >= 0);
    }
};

} // namespace wslab
