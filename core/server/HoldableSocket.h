#pragma once

#include <QObject>

#include <functional>

namespace wslab {

// Qt 6.4's QWebSocket closes TCP right after it writes a Close frame, whoever started the close. If the
// peer's data is still unread then, the kernel answers with a reset and the peer never reads our Close
// (it sees 1006). RFC 6455 §7.1.1 wants the server to wait for the peer's Close first. Every server
// socket is made holdable so the FrameGuard can keep a close Qt asks for until the handshake is done.
class CloseHolder
{
public:
    virtual ~CloseHolder() = default;

    // Asked on every close(); while it answers true the connection stays open.
    void setHold(std::function<bool()> hold) { m_hold = std::move(hold); }
    // Closes for real (gracefully: what is queued is still sent), past any hold.
    virtual void closeNow() = 0;

protected:
    bool holds() const { return m_hold && m_hold(); }

private:
    std::function<bool()> m_hold;
};

// Socket is QTcpSocket or QSslSocket; close() is virtual, so Qt's own calls reach the hold.
template <class Socket>
class HoldableSocket final : public Socket, public CloseHolder
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
        setHold({});
        Socket::close();
    }
};

} // namespace wslab
