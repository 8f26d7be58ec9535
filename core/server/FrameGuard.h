#pragma once

#include <QObject>
#include <QPointer>

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
class FrameGuard : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FrameGuard)
public:
    // Attach right after the Gate admits the socket, before QWebSocketServer sees it.
    FrameGuard(QTcpSocket *socket, int headBytes);

    // The upgrade is done: from now on frames are checked; `webSocket` is closed with 1002 on a violation.
    // Attach once the Peer has connected to `webSocket`: messages before a bad frame reach it first.
    void attach(QWebSocket *webSocket);

Q_SIGNALS:
    // A violation was found and the connection is being closed; why is for the log.
    void violation(const QString &why);
    // A close frame from the client is next in line for Qt, which will answer it.
    void closeFrameArrived();

private:
    void beforeQt();
    void afterQt();
    void afterMessage();
    void reject(const QString &why);

    QTcpSocket *m_socket;
    QPointer<QWebSocket> m_webSocket;
    int m_headBytes;
    bool m_rejected = false;
    // Absolute offsets in the byte stream after the request head.
    qint64 m_consumed = 0;    // what Qt has read so far
    qint64 m_arrived = 0;     // what had arrived when beforeQt last ran
    qint64 m_nextFrame = 0;   // where the next unchecked frame header starts
    qint64 m_lastMessageEnd = 0; // just past the last final text or binary frame seen
    qint64 m_rejectAt = -1;   // a bad frame is waiting: close once Qt has read up to here
    QString m_pendingWhy;
};

} // namespace wslab
