#include "core/server/FrameGuard.h"

#include "core/server/HoldableSocket.h"

#include <QTcpSocket>
#include <QWebSocket>

#include <algorithm>
#include <limits>

namespace wslab {

namespace {
constexpr int kLongestHeader = 14; // 2 + 8 bytes of length + 4 bytes of mask
constexpr quint8 kCloseOpcode = 0x8;

// The size of a frame header whose first two bytes are `b1`'s pair: length bytes and mask included.
int headerSize(quint8 b1)
{
    const quint8 shortLength = b1 & 0x7f;
    return 2 + (shortLength == 126 ? 2 : (shortLength == 127 ? 8 : 0)) + ((b1 & 0x80) ? 4 : 0);
}
} // namespace

FrameGuard *FrameGuard::install(QTcpSocket *socket, int headBytes, Events *events)
{
    auto *holder = dynamic_cast<CloseHolder *>(socket);
    if (!holder)
        return nullptr;
    std::unique_ptr<FrameGuard> guard(new FrameGuard(socket, headBytes, events));
    FrameGuard *installed = guard.get();
    holder->adoptGuard(std::move(guard));
    return installed;
}

FrameGuard::FrameGuard(QTcpSocket *socket, int headBytes, Events *events)
    : m_socket(socket)
    , m_events(events)
    , m_headBytes(headBytes)
{
    // The socket is the context: the guard goes with it, and disconnects first (see ~FrameGuard).
    m_beforeQt = QObject::connect(m_socket, &QTcpSocket::readyRead, m_socket, [this] { beforeQt(); });
}

FrameGuard::~FrameGuard()
{
    // Run by the socket's destructor, before its QObject part is gone and could still emit.
    QObject::disconnect(m_beforeQt);
    QObject::disconnect(m_afterQt);
    if (m_events)
        m_events->guardGone(this);
}

qint64 FrameGuard::consumedNow() const
{
    // Only beforeQt brings bytes into the socket's buffer, so what is gone since then Qt has read.
    return m_arrived - m_socket->bytesAvailable();
}

bool FrameGuard::holdClose()
{
    if (!m_webSocket || m_answered || m_released)
        return false;
    if (m_draining)
        return true;
    const qint64 position = consumedNow();
    // Qt read the client's Close and answered it: the handshake is complete.
    if (m_clientCloseEnd >= 0 && position >= m_clientCloseEnd)
        return false;
    startDraining(position);
    return !m_answered;
}

void FrameGuard::startDraining(qint64 position)
{
    m_draining = true;
    // Qt's reader stops here: after an error of its own it may be lost inside a frame, and anything it
    // still delivered would be a message after our Close.
    QObject::disconnect(m_socket, &QIODevice::readyRead, m_webSocket.data(), nullptr);
    // Pick up the stream where Qt stopped, which may be inside a frame or inside its header.
    while (!m_frames.isEmpty() && m_frames.first().end <= position)
        m_frames.removeFirst();
    if (!m_frames.isEmpty() && m_frames.first().start < position) {
        m_inFrame = true;
        m_frameB0 = m_frames.first().b0;
        m_frameLeft = m_frames.first().end - position;
    } else if (position > m_nextFrame) {
        m_head = m_partialHeader.left(position - m_nextFrame);
    }
    m_frames.clear();
    if (m_events)
        m_events->guardClosing();
    // Read everything now: when Qt asked to close from inside its own read loop, that loop then finds
    // nothing more to read.
    drain();
}

void FrameGuard::drain()
{
    while (!m_answered) {
        const qint64 available = m_socket->bytesAvailable();
        if (available <= 0)
            return;
        if (!m_inFrame) {
            const qsizetype needed = m_head.size() < 2 ? 2 : headerSize(quint8(m_head.at(1)));
            if (m_head.size() < needed) {
                m_head += m_socket->read(std::min<qint64>(needed - m_head.size(), available));
                continue;
            }
            const quint8 shortLength = quint8(m_head.at(1)) & 0x7f;
            const int lengthBytes = shortLength == 126 ? 2 : (shortLength == 127 ? 8 : 0);
            quint64 length = shortLength;
            if (lengthBytes) {
                length = 0;
                for (int i = 0; i < lengthBytes; ++i)
                    length = (length << 8) | quint8(m_head.at(2 + i));
            }
            m_frameB0 = quint8(m_head.at(0));
            m_frameLeft = qint64(std::min<quint64>(length, quint64(std::numeric_limits<qint64>::max())));
            m_head.clear();
            m_inFrame = true;
        }
        if (m_frameLeft > 0) {
            const qint64 skipped = m_socket->skip(std::min(m_frameLeft, available));
            if (skipped <= 0)
                return;
            m_frameLeft -= skipped;
            if (m_frameLeft > 0)
                continue;
        }
        m_inFrame = false;
        const quint8 opcode = m_frameB0 & 0x0f;
        if (opcode == kCloseOpcode) {
            m_answered = true;
        } else if ((m_frameB0 & 0x80) && opcode < kCloseOpcode) {
            ++m_discarded;
        }
    }
}

void FrameGuard::attach(QWebSocket *webSocket, Events *events)
{
    m_webSocket = webSocket;
    m_attached = true;
    m_events = events;
    // Qt has skipped exactly the request head; whatever it holds now came after it.
    m_consumed = 0;
    m_arrived = m_socket->bytesAvailable();
    m_afterQt = QObject::connect(m_socket, &QTcpSocket::readyRead, m_socket, [this] { afterQt(); });
    if (m_arrived > 0)
        reject(QStringLiteral("data sent before the handshake completed"));
}

void FrameGuard::beforeQt()
{
    if (m_draining) {
        drain();
        // The peer's Close is in: close TCP now, gracefully (our Close is already on its way).
        if (m_answered && m_socket->state() == QAbstractSocket::ConnectedState) {
            if (auto *holder = dynamic_cast<CloseHolder *>(m_socket))
                holder->closeNow();
        }
        return;
    }
    if (m_rejected || m_rejectAt >= 0)
        return;
    const qint64 available = m_socket->bytesAvailable();
    if (!m_webSocket) {
        // Before the upgrade the buffer holds the request head and nothing more, or nothing once Qt skipped it.
        const bool headStillThere = m_socket->peek(4) == "GET ";
        if (available > (headStillThere ? m_headBytes : 0))
            reject(QStringLiteral("data sent before the handshake completed"));
        return;
    }
    m_arrived = m_consumed + available;
    // A peek copies from the start of the buffer: peeking anew for each frame would be quadratic in the
    // frames one read brings. The peeked bytes are reused and grown by doubling, so a read costs at
    // most twice the bytes up to its last header, and a lone header only its own bytes.
    QByteArray peeked;
    QByteArray resumed; // a header Qt has begun to read: its start as peeked before, then what is in the buffer
    while (m_nextFrame + 2 <= m_arrived) {
        const qint64 offset = m_nextFrame - m_consumed;
        QByteArrayView bytes;
        if (offset < 0) {
            // Qt reads a header in parts as they arrive (the first two bytes, then the extended length,
            // then the mask), so with a header that comes in pieces it may already have read the start of
            // the one we wait for. That start was peeked on an earlier read and kept in m_partialHeader.
            const qint64 alreadyRead = -offset;
            if (m_partialHeader.size() < alreadyRead)
                return; // not seen before Qt read it; cannot happen, since this runs before Qt on each read
            resumed = m_partialHeader.left(alreadyRead) + m_socket->peek(std::min<qint64>(available, kLongestHeader - alreadyRead));
            bytes = resumed;
        } else {
            const qint64 needed = std::min(offset + kLongestHeader, available);
            if (peeked.size() < needed)
                peeked = m_socket->peek(std::min(available, std::max(needed, 2 * qint64(peeked.size()))));
            if (peeked.size() < offset + 2)
                return; // the socket gave fewer bytes than it said it holds; judge on the next read
            bytes = QByteArrayView(peeked).sliced(offset, std::min<qint64>(needed, peeked.size()) - offset);
        }
        if (bytes.size() < 2)
            return;
        const auto b1 = quint8(bytes.at(1));
        const quint8 shortLength = b1 & 0x7f;
        const int lengthBytes = shortLength == 126 ? 2 : (shortLength == 127 ? 8 : 0);
        if (!(b1 & 0x80)) {
            // Whole messages that came before the bad frame in this read are the client's too: let Qt
            // deliver them and close right after the last one, before Qt reads the bad frame.
            const QString why = QStringLiteral("unmasked frame from a client (RFC 6455 §5.1)");
            if (m_lastMessageEnd <= m_consumed) {
                reject(why);
            } else {
                m_rejectAt = m_lastMessageEnd;
                m_pendingWhy = why;
            }
            return;
        }
        const int headerBytes = 2 + lengthBytes + 4;
        if (bytes.size() < 2 + lengthBytes) {
            // The extended length is still on its way; Qt may read the first two bytes meanwhile.
            m_partialHeader = bytes.toByteArray();
            return;
        }
        quint64 length = shortLength;
        if (lengthBytes) {
            length = 0;
            for (int i = 0; i < lengthBytes; ++i)
                length = (length << 8) | quint8(bytes.at(2 + i));
        }
        // Qt refuses frames over its size limit itself; past that point the stream is closed anyway.
        if (length > quint64(std::numeric_limits<qint64>::max() / 2)) {
            m_partialHeader = bytes.toByteArray(); // for a close after Qt's error on it
            return;
        }
        const auto b0 = quint8(bytes.at(0));
        m_frames.append({m_nextFrame, m_nextFrame + headerBytes + qint64(length), b0});
        m_nextFrame += headerBytes + qint64(length);
        if ((b0 & 0x0f) < kCloseOpcode && m_events)
            m_events->guardDataFrameArrived();
        if ((b0 & 0x80) && (b0 & 0x0f) < kCloseOpcode) { // the final frame of a text or binary message
            m_lastMessageEnd = m_nextFrame;
        } else if ((b0 & 0x0f) == kCloseOpcode && m_clientCloseEnd < 0) {
            m_clientCloseEnd = m_nextFrame;
            if (m_events)
                m_events->guardCloseFrameArrived();
        }
    }
}

void FrameGuard::messageHandled()
{
    if (m_rejectAt >= 0 && m_arrived - m_socket->bytesAvailable() >= m_rejectAt)
        reject(m_pendingWhy);
}

void FrameGuard::afterQt()
{
    if (!m_webSocket)
        return;
    if (m_draining)
        return;
    m_consumed = m_arrived - m_socket->bytesAvailable();
    while (!m_frames.isEmpty() && m_frames.first().end <= m_consumed)
        m_frames.removeFirst();
    // Qt stopped before the messages we waited for (it closed the connection itself): close anyway.
    if (m_rejectAt >= 0)
        reject(m_pendingWhy);
}

void FrameGuard::reject(const QString &why)
{
    if (m_rejected)
        return;
    m_rejected = true;
    if (m_events)
        m_events->guardViolation(this, why);
    if (m_webSocket)
        m_webSocket->close(QWebSocketProtocol::CloseCodeProtocolError, why);
    else
        m_socket->abort();
}

} // namespace wslab
