#include "FrameGuard.h"

#include "protocol/CloseCode.h"

#include <QTcpSocket>
#include <QWebSocket>

namespace wslab {

namespace {
constexpr int kLongestHeader = 14; // 2 + 8 bytes of length + 4 bytes of mask
}

FrameGuard::FrameGuard(QTcpSocket *socket, int headBytes)
    : QObject(socket)
    , m_socket(socket)
    , m_headBytes(headBytes)
{
    connect(m_socket, &QTcpSocket::readyRead, this, &FrameGuard::beforeQt);
}

void FrameGuard::attach(QWebSocket *webSocket)
{
    m_webSocket = webSocket;
    // Qt has skipped exactly the request head; whatever it holds now came after it.
    m_consumed = 0;
    m_arrived = m_socket->bytesAvailable();
    connect(m_socket, &QTcpSocket::readyRead, this, &FrameGuard::afterQt);
    // Connected after the Peer's own slots, so a message before a bad frame is handled before we close.
    connect(webSocket, &QWebSocket::textMessageReceived, this, &FrameGuard::afterMessage);
    connect(webSocket, &QWebSocket::binaryMessageReceived, this, &FrameGuard::afterMessage);
    if (m_arrived > 0)
        reject(QStringLiteral("data sent before the handshake completed"));
}

void FrameGuard::beforeQt()
{
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
    while (m_nextFrame + 2 <= m_arrived) {
        const qint64 offset = m_nextFrame - m_consumed;
        const qint64 needed = std::min(offset + kLongestHeader, available);
        if (peeked.size() < needed)
            peeked = m_socket->peek(std::min(available, std::max(needed, 2 * qint64(peeked.size()))));
        if (peeked.size() < offset + 2)
            return; // the socket gave fewer bytes than it said it holds; judge on the next read
        const QByteArrayView bytes = QByteArrayView(peeked).sliced(offset, std::min<qint64>(needed, peeked.size()) - offset);
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
        if (bytes.size() < 2 + lengthBytes)
            return; // the extended length is still on its way
        quint64 length = shortLength;
        if (lengthBytes) {
            length = 0;
            for (int i = 0; i < lengthBytes; ++i)
                length = (length << 8) | quint8(bytes.at(2 + i));
        }
        // Qt refuses frames over its size limit itself; past that point the stream is closed anyway.
        if (length > quint64(std::numeric_limits<qint64>::max() / 2))
            return;
        m_nextFrame += headerBytes + qint64(length);
        const auto b0 = quint8(bytes.at(0));
        if ((b0 & 0x80) && (b0 & 0x0f) < 0x8) // the final frame of a text or binary message
            m_lastMessageEnd = m_nextFrame;
        else if ((b0 & 0x0f) == 0x8)
            Q_EMIT closeFrameArrived();
    }
}

void FrameGuard::afterMessage()
{
    if (m_rejectAt >= 0 && m_arrived - m_socket->bytesAvailable() >= m_rejectAt)
        reject(m_pendingWhy);
}

void FrameGuard::afterQt()
{
    if (!m_webSocket)
        return;
    m_consumed = m_arrived - m_socket->bytesAvailable();
    // Qt stopped before the messages we waited for (it closed the connection itself): close anyway.
    if (m_rejectAt >= 0)
        reject(m_pendingWhy);
}

void FrameGuard::reject(const QString &why)
{
    if (m_rejected)
        return;
    m_rejected = true;
    Q_EMIT violation(why);
    if (m_webSocket)
        m_webSocket->close(QWebSocketProtocol::CloseCodeProtocolError, why);
    else
        m_socket->abort();
}

} // namespace wslab
