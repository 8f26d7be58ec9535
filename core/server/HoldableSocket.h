#pragma once

#include "core/server/FrameGuard.h"

#include <QByteArray>
#include <QObject>

#include <algorithm>
#include <memory>
#include <utility>

namespace wslab {

// Qt 6.4's QWebSocket closes TCP right after it writes a Close frame, whoever started the close. If the
// peer's data is still unread then, the kernel answers with a reset and the peer never reads our Close
// (it sees 1006). RFC 6455 §7.1.1 wants the server to wait for the peer's Close first. Every server
// socket is made holdable so the FrameGuard can keep a close Qt asks for until the handshake is done.
// The socket owns that guard: it goes when the socket does, before the socket's QObject part.
class CloseHolder
{
public:
    virtual ~CloseHolder() = default;

    void adoptGuard(std::unique_ptr<FrameGuard> guard) { m_guard = std::move(guard); }
    // Closes for real (gracefully: what is queued is still sent), past any hold.
    virtual void closeNow() = 0;

protected:
    // Asked on every close(); while the guard answers true the connection stays open.
    bool holds() const { return !m_released && m_guard && m_guard->holdClose(); }
    void release() { m_released = true; }

private:
    std::unique_ptr<FrameGuard> m_guard;
    bool m_released = false;
};

// Keeps the head of the first HTTP answer written on a socket: the 101 QWebSocketServer writes is
// never shown to us otherwise, and the handshake is something a student should see as it was sent.
// Recording stops at the end of that head (or 8 KiB), and takeAnswerHead() hands it over and frees it.
class AnswerRecorder
{
public:
    virtual ~AnswerRecorder() = default;
    QByteArray takeAnswerHead()
    {
        m_recording = false;
        return std::exchange(m_head, {});
    }

protected:
    void record(const char *data, qint64 size)
    {
        if (!m_recording)
            return;
        m_head.append(data, qsizetype(std::min<qint64>(size, kLimit - m_head.size())));
        if (const qsizetype end = m_head.indexOf("\r\n\r\n"); end >= 0) {
            m_head.truncate(end + 2); // without the empty line, as request heads are logged
            m_recording = false;
        } else if (m_head.size() >= kLimit) {
            m_recording = false;
        }
    }

private:
    static constexpr qsizetype kLimit = 8 * 1024;
    QByteArray m_head;
    bool m_recording = true;
};

// Socket is QTcpSocket or QSslSocket; close() is virtual, so Qt's own calls reach the hold.
template <class Socket>
class HoldableSocket final
    : public Socket
    , public CloseHolder
    , public AnswerRecorder
{
public:
    explicit HoldableSocket(QObject *parent = nullptr)
        : Socket(parent)
    {
    }

    void close() override
    {
        if (!holds())
            Socket::close();
    }

    void closeNow() override
    {
        release();
        Socket::close();
    }

protected:
    // Plain bytes, before TLS: what the peer reads once decrypted.
    qint64 writeData(const char *data, qint64 size) override
    {
        record(data, size);
        return Socket::writeData(data, size);
    }
};

} // namespace wslab
