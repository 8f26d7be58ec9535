#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaObject>
#include <QPointer>
#include <QString>

#include <memory>

class QTcpSocket;
class QWebSocket;

namespace wslab {

// Reads the header of every frame a client sends, before QWebSocket does, to enforce what Qt 6.4 lets
// through: RFC 6455 §5.1 says a server MUST close the connection on an unmasked client frame (1002),
// and a client MUST NOT send frames before it has seen the server's 101 answer.
//
// It sits on the raw socket's readyRead twice: once connected before QWebSocket's own slot (to judge
// new bytes before Qt consumes them) and once after (to learn how far Qt has read), so it can follow
// frame boundaries in the byte stream without ever reading a byte itself. It only peeks at headers,
// never at payloads, so a large message costs it nothing.
//
// It also finishes every close the server starts (RFC 6455 §7.1.1): Qt closes TCP as soon as its Close
// frame is written, which resets a peer whose data we have not read, so the socket holds that close
// (see HoldableSocket). From then on the guard reads the stream itself, Qt no longer does: data frames
// are discarded and counted, and TCP is closed once the peer's Close has arrived. The Peer's close
// timeout aborts a peer that never answers.
//
// The socket owns its guard (see CloseHolder), so the guard lives exactly as long as the socket. It is
// not a QObject: one per connection, and a QObject with the connections that would watch its lifetime
// costs more than the guard's own state.
class FrameGuard
{
    Q_DISABLE_COPY_MOVE(FrameGuard)
public:
    // What the guard tells the Server during the upgrade and the Peer after it. Plain calls, not
    // signals: every connection holds one guard, and four signal connections per guard cost more
    // memory than the guard itself.
    class Events
    {
    public:
        // A violation was found and the connection is being closed; why is for the log.
        virtual void guardViolation(FrameGuard *guard, const QString &why) = 0;
        // The header of a text, binary or continuation frame arrived: the peer is alive and sending.
        virtual void guardDataFrameArrived() {}
        // A close frame from the client is next in line for Qt, which will answer it.
        virtual void guardCloseFrameArrived() {}
        // The server started a close (ours or Qt's own): nothing more is delivered, and the connection
        // stays open until the peer's Close arrives.
        virtual void guardClosing() {}
        // The guard is going, with its socket (before the upgrade is done, the socket died; after it,
        // QWebSocketServer deletes the socket of a finished connection on its own schedule).
        virtual void guardGone(FrameGuard *) {}

    protected:
        ~Events() = default;
    };

    // Installs a guard on a socket right after the Gate admits it, before QWebSocketServer sees it, and
    // gives it to the socket to own. `events` hears of a violation during the upgrade. Only a socket that
    // can hold a close (every socket the Listener makes) can take one: nullptr for any other.
    static FrameGuard *install(QTcpSocket *socket, int headBytes, Events *events);
    ~FrameGuard();

    QTcpSocket *socket() const { return m_socket; }
    // The upgrade is done: from now on frames are checked; `webSocket` is closed with 1002 on a violation,
    // and `events` (the Peer) hears of everything.
    // Attach once the Peer has connected to `webSocket`: messages before a bad frame reach it first.
    void attach(QWebSocket *webSocket, Events *events);

    // Messages that arrived after our Close and were dropped unread.
    int discardedMessages() const { return m_discarded; }
    // The peer answered our Close with its own.
    bool closeAnswered() const { return m_answered; }
    // The connection is being aborted: QAbstractSocket::abort() goes through close(), which must pass.
    void releaseHold() { m_released = true; }
    // Asked by the socket on every close(): true while the close must wait for the peer's Close.
    bool holdClose();
    // `events` is being destroyed and must hear nothing more.
    void forgetEvents() { m_events = nullptr; }
    // The Peer has handled a text or binary message Qt delivered; a bad frame waiting behind it is
    // rejected now. A call from the Peer rather than two more connections on every socket.
    void messageHandled();

private:
    // Where one frame lies in the stream, kept until Qt has read past it.
    struct Frame
    {
        qint64 start;
        qint64 end;
        quint8 b0;
    };

    FrameGuard(QTcpSocket *socket, int headBytes, Events *events);
    void startDraining(qint64 position);
    void drain();
    qint64 consumedNow() const;
    void beforeQt();
    void afterQt();
    void reject(const QString &why);

    QTcpSocket *m_socket;
    Events *m_events;
    QPointer<QWebSocket> m_webSocket;
    bool m_attached = false;
    // On the socket's readyRead, before and after QWebSocket's own slot.
    QMetaObject::Connection m_beforeQt;
    QMetaObject::Connection m_afterQt;
    int m_headBytes;
    bool m_rejected = false;
    // Absolute offsets in the byte stream after the request head.
    qint64 m_consumed = 0; // what Qt has read so far
    qint64 m_arrived = 0; // what had arrived when beforeQt last ran
    qint64 m_nextFrame = 0; // where the next unchecked frame header starts
    qint64 m_lastMessageEnd = 0; // just past the last final text or binary frame seen
    qint64 m_rejectAt = -1; // a bad frame is waiting: close once Qt has read up to here
    qint64 m_clientCloseEnd = -1; // just past the first close frame from the client
    QString m_pendingWhy;
    QList<Frame> m_frames; // headers seen that Qt has not read past yet (an empty QList allocates nothing)
    QByteArray m_partialHeader; // the start of the header at m_nextFrame, while it is incomplete

    // After a close the server started, the guard reads instead of Qt.
    bool m_draining = false;
    bool m_answered = false;
    bool m_released = false;
    bool m_inFrame = false; // inside a frame whose header is known; else reading a header into m_head
    QByteArray m_head;
    quint8 m_frameB0 = 0;
    qint64 m_frameLeft = 0; // bytes of the current frame still to skip
    int m_discarded = 0;
};

} // namespace wslab
