#pragma once

// Hand-made peers for the hardening tests: HTTP requests and WebSocket frames written byte by byte over a
// QTcpSocket, so a test can send what no WebSocket library would (half a request, frames before the 101,
// unmasked frames, a reader that stops reading) and see exactly what the server answers.

#include "tests/support/WsLabTest.h"

#include <QByteArrayList>
#include <QTcpSocket>
#include <QTest>

namespace wslab::test {

namespace Opcode {
enum : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };
}

// One frame as RFC 6455 §5.2 lays it out. A client masks (with a fixed key, so failures reproduce);
// masked = false makes the frame a server would send, or a broken client.
inline QByteArray encodeFrame(quint8 opcode, const QByteArray &payload, bool masked = true, bool fin = true)
{
    QByteArray out;
    out += char((fin ? 0x80 : 0x00) | opcode);
    const int maskBit = masked ? 0x80 : 0x00;
    const quint64 size = quint64(payload.size());
    if (size < 126) {
        out += char(maskBit | int(size));
    } else if (size <= 0xffff) {
        out += char(maskBit | 126);
        out += char(size >> 8);
        out += char(size & 0xff);
    } else {
        out += char(maskBit | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            out += char((size >> shift) & 0xff);
    }
    if (!masked)
        return out + payload;
    static constexpr char key[4] = {0x37, char(0xfa), 0x21, 0x3d};
    out.append(key, 4);
    QByteArray body = payload;
    for (qsizetype i = 0; i < body.size(); ++i)
        body[i] = char(body[i] ^ key[i % 4]);
    return out + body;
}

inline QByteArray closePayload(int code, const QByteArray &reason = {})
{
    return QByteArray(1, char(code >> 8)) + char(code & 0xff) + reason;
}

struct RawFrame
{
    bool fin = true;
    quint8 opcode = 0;
    QByteArray payload;

    // The code of a close frame, 1005 for one without a code, 0 for other frames.
    int closeCode() const
    {
        if (opcode != Opcode::Close)
            return 0;
        if (payload.size() < 2)
            return 1005;
        return (quint8(payload.at(0)) << 8) | quint8(payload.at(1));
    }
};

// Takes every complete frame off the front of `stream`; an incomplete one stays for the next call.
inline QList<RawFrame> takeFrames(QByteArray *stream)
{
    QList<RawFrame> frames;
    while (stream->size() >= 2) {
        const auto b0 = quint8(stream->at(0));
        const auto b1 = quint8(stream->at(1));
        const bool masked = b1 & 0x80;
        quint64 length = b1 & 0x7f;
        qsizetype pos = 2;
        const int lengthBytes = length == 126 ? 2 : (length == 127 ? 8 : 0);
        if (stream->size() < pos + lengthBytes)
            break;
        if (lengthBytes) {
            length = 0;
            for (int i = 0; i < lengthBytes; ++i)
                length = (length << 8) | quint8(stream->at(pos + i));
            pos += lengthBytes;
        }
        const qsizetype maskAt = pos;
        if (masked)
            pos += 4;
        if (quint64(stream->size() - pos) < length)
            break;
        RawFrame frame;
        frame.fin = b0 & 0x80;
        frame.opcode = b0 & 0x0f;
        frame.payload = stream->mid(pos, qsizetype(length));
        if (masked) {
            for (qsizetype i = 0; i < frame.payload.size(); ++i)
                frame.payload[i] = char(frame.payload[i] ^ stream->at(maskAt + i % 4));
        }
        stream->remove(0, pos + qsizetype(length));
        frames.append(frame);
    }
    return frames;
}

// Inserts header lines (each "Name: value") just before the blank line that ends a request head.
inline QByteArray withHeaders(const QByteArray &request, const QByteArrayList &headers)
{
    QByteArray lines;
    for (const QByteArray &h : headers)
        lines += h + "\r\n";
    QByteArray out = request;
    return out.insert(out.indexOf("\r\n\r\n") + 2, lines);
}

// A TCP client on loopback that collects everything the server says: first the HTTP answer head, then
// (after a 101) the frames, which it parses as they come. It answers nothing on its own, not even pings
// or a close frame; the test decides what it sends.
class RawPeer
{
public:
    RawPeer()
    {
        QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket, [this] { collect(); });
    }

    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        if (!m_socket.waitForConnected(5000))
            return false;
        shrinkWindowIfNotReading();
        return true;
    }

    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }
    void sendFrame(quint8 opcode, const QByteArray &payload, bool masked = true, bool fin = true)
    {
        send(encodeFrame(opcode, payload, masked, fin));
    }

    // Whether the server's answer head is complete; the status line and headers are then in head().
    bool waitForHead(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([this] { return m_headDone; }, timeoutMs);
    }
    QByteArray head() const { return m_head; }
    int status() const { return m_head.mid(9, 3).toInt(); }
    QByteArray statusLine() const { return m_head.left(m_head.indexOf("\r\n")); }
    QByteArray header(const QByteArray &name) const { return headerValue(m_head, name); }
    // What followed the head and is not a frame (an HTTP refusal's body).
    QByteArray rest() const { return m_rest; }

    bool waitForDisconnected(int timeoutMs = 5000)
    {
        return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    }
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }

    // Connects and upgrades with `request` (by default a plain upgrade to `path`); true on a 101 whose
    // Sec-WebSocket-Accept is right. From then on, everything received is parsed into frames().
    bool upgrade(quint16 port, const QByteArray &path = "/", const QByteArrayList &extraHeaders = {})
    {
        if (!connectTo(port))
            return false;
        m_expectFrames = true;
        send(withHeaders(upgradeRequest(port, path), extraHeaders));
        return waitForHead() && status() == 101 && header("Sec-WebSocket-Accept") == acceptKeyFor("dGhlIHNhbXBsZSBub25jZQ==");
    }

    const QList<RawFrame> &frames() const { return m_frames; }
    QList<QByteArray> messages(quint8 opcode) const
    {
        QList<QByteArray> out;
        for (const RawFrame &f : m_frames) {
            if (f.opcode == opcode)
                out.append(f.payload);
        }
        return out;
    }
    // Answers the server's close frame with the same code, as RFC 6455 §5.5.1 asks; the server closes
    // TCP only once the answer is in. Waits for the server's close frame first.
    bool answerClose(int timeoutMs = 5000)
    {
        if (!QTest::qWaitFor([this] { return closeCode() != 0; }, timeoutMs))
            return false;
        sendFrame(Opcode::Close, closePayload(closeCode()));
        return true;
    }

    // The code of the first close frame received, 0 while none has come.
    int closeCode() const
    {
        for (const RawFrame &f : m_frames) {
            if (f.opcode == Opcode::Close)
                return f.closeCode();
        }
        return 0;
    }
    qint64 bytesReceived() const { return m_bytesReceived; }

    // Stops reading once the answer head is in: Qt keeps at most 64 KiB and the kernel a modest window,
    // so whatever the server sends next soon piles up on the server's side.
    void stopReading()
    {
        m_reading = false;
        m_socket.setReadBufferSize(64 * 1024);
        shrinkWindowIfNotReading();
    }
    void resumeReading()
    {
        m_reading = true;
        m_socket.setReadBufferSize(0);
        collect();
    }

    QTcpSocket &socket() { return m_socket; }

private:
    void shrinkWindowIfNotReading()
    {
        // Qt drops socket options set before there is a socket, so this waits for the connection. Not
        // smaller: a window under loopback's MSS slows reading to a trickle once it resumes.
        if (!m_reading && m_socket.state() == QAbstractSocket::ConnectedState)
            m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 256 * 1024);
    }

    void collect()
    {
        if (!m_reading && m_headDone)
            return;
        const QByteArray bytes = m_socket.readAll();
        m_bytesReceived += bytes.size();
        m_pending += bytes;
        if (!m_headDone) {
            const qsizetype end = m_pending.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            m_head = m_pending.left(end + 4);
            m_pending.remove(0, end + 4);
            m_headDone = true;
        }
        if (m_expectFrames && status() == 101)
            m_frames += takeFrames(&m_pending);
        else
            m_rest += std::exchange(m_pending, {});
    }

    QTcpSocket m_socket;
    QByteArray m_pending;
    QByteArray m_head;
    QByteArray m_rest;
    QList<RawFrame> m_frames;
    qint64 m_bytesReceived = 0;
    bool m_headDone = false;
    bool m_expectFrames = false;
    bool m_reading = true;
};

} // namespace wslab::test
