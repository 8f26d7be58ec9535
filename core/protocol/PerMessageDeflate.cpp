#include "core/protocol/PerMessageDeflate.h"

#include <zlib.h>

#include <algorithm>

namespace wslab {

namespace {

constexpr char kTail[] = {'\x00', '\x00', '\xff', '\xff'};

// zlib's deflate cannot make an 8-bit raw window and silently uses 9, so peers built on it send
// 9-bit distances after agreeing on 8: inflating with at least 9 bits reads what they really send.
int zlibWindowBits(int negotiated)
{
    return -std::clamp(negotiated, 9, 15);
}

bool parseWindowBits(const WebSocketExtension::Param &p, int *out)
{
    if (!p.hasValue || p.value.isEmpty() || p.value.size() > 2)
        return false;
    bool ok = false;
    const int bits = p.value.toInt(&ok);
    if (!ok || bits < 8 || bits > 15 || p.value.front() == '0' || p.value.front() == '+')
        return false;
    *out = bits;
    return true;
}

} // namespace

bool PerMessageDeflateParams::fromResponse(const WebSocketExtension &accepted, PerMessageDeflateParams *out, QString *why)
{
    PerMessageDeflateParams params;
    QList<QByteArray> seen;
    auto refuse = [why](const QString &text) {
        if (why)
            *why = text;
        return false;
    };
    for (const WebSocketExtension::Param &p : accepted.params) {
        const QByteArray name = p.name.toLower();
        if (seen.contains(name))
            return refuse(QStringLiteral("permessage-deflate parameter %1 appears twice").arg(QString::fromLatin1(name)));
        seen.append(name);
        if (name == "server_no_context_takeover" || name == "client_no_context_takeover") {
            if (p.hasValue)
                return refuse(QStringLiteral("%1 takes no value").arg(QString::fromLatin1(name)));
            (name.startsWith("server") ? params.serverNoContextTakeover : params.clientNoContextTakeover) = true;
        } else if (name == "server_max_window_bits" || name == "client_max_window_bits") {
            int bits = 0;
            if (!parseWindowBits(p, &bits))
                return refuse(QStringLiteral("%1 must be a number from 8 to 15").arg(QString::fromLatin1(name)));
            (name.startsWith("server") ? params.serverMaxWindowBits : params.clientMaxWindowBits) = bits;
        } else {
            return refuse(QStringLiteral("unknown permessage-deflate parameter %1").arg(QString::fromLatin1(p.name)));
        }
    }
    *out = params;
    return true;
}

PerMessageInflater::PerMessageInflater(int windowBits, bool noContextTakeover)
    : m_stream(new z_stream{})
    , m_noContextTakeover(noContextTakeover)
{
    inflateInit2(m_stream, zlibWindowBits(windowBits));
}

PerMessageInflater::~PerMessageInflater()
{
    inflateEnd(m_stream);
    delete m_stream;
}

bool PerMessageInflater::inflate(QByteArrayView data, bool last, QByteArray *out, qint64 maxSize, QString *why)
{
    if (!run(data, out, maxSize, why))
        return false;
    if (!last)
        return true;
    if (!run(QByteArrayView(kTail, sizeof kTail), out, maxSize, why))
        return false;
    if (m_noContextTakeover)
        inflateReset(m_stream);
    else if (m_streamEnded)
        restartKeepingWindow();
    m_streamEnded = false;
    return true;
}

bool PerMessageInflater::run(QByteArrayView data, QByteArray *out, qint64 maxSize, QString *why)
{
    // Bytes after a final block belong to no deflate stream; RFC 7692 §7.2.3.4 shows such a block
    // followed by the tail, which must be ignored.
    if (m_streamEnded || data.isEmpty())
        return true;
    m_stream->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    m_stream->avail_in = uInt(data.size());
    while (true) {
        const qsizetype used = out->size();
        // One byte over the limit is room enough to learn that the limit is exceeded.
        const qsizetype room = std::min<qint64>(maxSize + 1 - used, std::max<qsizetype>(16 * 1024, used));
        // Grow geometrically so a large message costs a handful of reallocations, not one per chunk.
        if (out->capacity() < used + room)
            out->reserve(std::max<qsizetype>(used + room, 2 * out->capacity()));
        out->resize(used + room);
        m_stream->next_out = reinterpret_cast<Bytef *>(out->data() + used);
        m_stream->avail_out = uInt(room);
        const uInt inBefore = m_stream->avail_in;
        const int rc = ::inflate(m_stream, Z_SYNC_FLUSH);
        out->resize(used + room - m_stream->avail_out);
        if (rc == Z_BUF_ERROR && m_stream->avail_in == inBefore && m_stream->avail_out == uInt(room))
            return true; // zlib can make no progress with what it has: wait for the next frame
        if (out->size() > maxSize) {
            if (why)
                *why = QStringLiteral("inflated message exceeds %1 bytes").arg(maxSize);
            return false;
        }
        if (rc == Z_STREAM_END) {
            m_streamEnded = true;
            return true;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            if (why)
                *why =
                    QStringLiteral("invalid deflate data: %1").arg(QString::fromLatin1(m_stream->msg ? m_stream->msg : "corrupt stream"));
            return false;
        }
        // Done when all input is taken and zlib stopped short of filling the output: nothing is pending.
        if (m_stream->avail_in == 0 && m_stream->avail_out > 0)
            return true;
    }
}

void PerMessageInflater::restartKeepingWindow()
{
    // A final block ends zlib's stream, but with context takeover the next message may still refer
    // back into this one's bytes: carry the window over as a preset dictionary.
    Bytef window[32768];
    uInt size = sizeof window;
    inflateGetDictionary(m_stream, window, &size);
    inflateReset(m_stream);
    inflateSetDictionary(m_stream, window, size);
}

PerMessageDeflater::PerMessageDeflater(int windowBits, bool noContextTakeover)
    : m_stream(new z_stream{})
    , m_noContextTakeover(noContextTakeover)
{
    deflateInit2(m_stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, zlibWindowBits(windowBits), 8, Z_DEFAULT_STRATEGY);
}

PerMessageDeflater::~PerMessageDeflater()
{
    deflateEnd(m_stream);
    delete m_stream;
}

QByteArray PerMessageDeflater::compress(QByteArrayView message)
{
    QByteArray out;
    out.resize(qsizetype(deflateBound(m_stream, uLong(message.size()))) + 16);
    m_stream->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(message.data()));
    m_stream->avail_in = uInt(message.size());
    qsizetype used = 0;
    while (true) {
        m_stream->next_out = reinterpret_cast<Bytef *>(out.data() + used);
        m_stream->avail_out = uInt(out.size() - used);
        ::deflate(m_stream, Z_SYNC_FLUSH);
        used = out.size() - m_stream->avail_out;
        if (m_stream->avail_out > 0)
            break;
        out.resize(out.size() * 2);
    }
    out.resize(used);
    if (out.endsWith(QByteArrayView(kTail, sizeof kTail)))
        out.chop(sizeof kTail);
    if (m_noContextTakeover)
        deflateReset(m_stream);
    return out;
}

} // namespace wslab
