#pragma once

#include "core/protocol/ExtensionHeader.h"

#include <QByteArray>
#include <QString>

struct z_stream_s;

namespace wslab {

// What a permessage-deflate handshake agreed (RFC 7692 §7.1). "client_*" parameters govern the frames
// the client sends, "server_*" those the server sends.
struct PerMessageDeflateParams
{
    bool serverNoContextTakeover = false;
    bool clientNoContextTakeover = false;
    int serverMaxWindowBits = 15;
    int clientMaxWindowBits = 15;

    // From the extension the server accepted in its Sec-WebSocket-Extensions answer. False with `why` on
    // a parameter RFC 7692 §7.1 does not allow there: unknown, repeated, or a window size outside 8..15.
    static bool fromResponse(const WebSocketExtension &accepted, PerMessageDeflateParams *out, QString *why);

    int windowBits(bool sentByClient) const { return sentByClient ? clientMaxWindowBits : serverMaxWindowBits; }
    bool noContextTakeover(bool sentByClient) const { return sentByClient ? clientNoContextTakeover : serverNoContextTakeover; }
    friend bool operator==(const PerMessageDeflateParams &, const PerMessageDeflateParams &) = default;
};

// Inflates the compressed messages one side sends (RFC 7692 §7.2.2), one frame's payload at a time.
// With context takeover the window carries over from message to message, so messages must be fed in order.
class PerMessageInflater
{
public:
    PerMessageInflater(int windowBits, bool noContextTakeover);
    ~PerMessageInflater();
    PerMessageInflater(const PerMessageInflater &) = delete;
    PerMessageInflater &operator=(const PerMessageInflater &) = delete;

    // Appends the inflated bytes of `data` to `out`. On the message's last frame (`last`) the 00 00 ff ff
    // tail the sender removed is put back. False with `why` on corrupt data, or when `out` would grow past
    // `maxSize` (a small message that inflates to gigabytes must not get the chance).
    bool inflate(QByteArrayView data, bool last, QByteArray *out, qint64 maxSize, QString *why);

private:
    bool run(QByteArrayView data, QByteArray *out, qint64 maxSize, QString *why);
    void restartKeepingWindow();

    z_stream_s *m_stream;
    bool m_noContextTakeover;
    bool m_streamEnded = false; // a block with BFINAL ended the deflate stream inside this message
};

// Compresses messages as a sender would (RFC 7692 §7.2.1): for tests and for a relay that re-sends.
class PerMessageDeflater
{
public:
    PerMessageDeflater(int windowBits, bool noContextTakeover);
    ~PerMessageDeflater();
    PerMessageDeflater(const PerMessageDeflater &) = delete;
    PerMessageDeflater &operator=(const PerMessageDeflater &) = delete;

    // One message's compressed payload, without the 00 00 ff ff tail.
    QByteArray compress(QByteArrayView message);

private:
    z_stream_s *m_stream;
    bool m_noContextTakeover;
};

} // namespace wslab
