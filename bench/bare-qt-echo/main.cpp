// The floor of what a Qt WebSocket echo costs: QWebSocketServer and QWebSocket with nothing of
// WsLab's around them (no gate, log, heartbeat or limits). wslab-cli serve is measured against it.
#include <QCoreApplication>
#include <QHostAddress>
#include <QWebSocket>
#include <QWebSocketServer>

#include <cstdio>
#include <malloc.h>

// bench/run.sh raises the open-file limit before it starts any server, for the idle load.
int main(int argc, char *argv[])
{
    // The allocator settings of wslab-cli's main(), so the ratio to this floor is what WsLab's wrapper,
    // log and policies cost, not what a process-wide setting gains on large messages.
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
    QCoreApplication app(argc, argv);
    const quint16 port = argc > 1 ? quint16(QByteArray(argv[1]).toUInt()) : 0;

    QWebSocketServer server(QStringLiteral("bare-qt-echo"), QWebSocketServer::NonSecureMode);
    // Qt's default of 30 pending connections would refuse a burst of idle connections.
    server.setMaxPendingConnections(1 << 20);
    QObject::connect(&server, &QWebSocketServer::newConnection, &server, [&server] {
        while (QWebSocket *socket = server.nextPendingConnection()) {
            // The same incoming limit as wslab-cli serve's default, so 1 MiB messages are handled alike.
            socket->setMaxAllowedIncomingMessageSize(16 * 1024 * 1024);
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                             [socket](const QString &text) { socket->sendTextMessage(text); });
            QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                             [socket](const QByteArray &data) { socket->sendBinaryMessage(data); });
            QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    if (!server.listen(QHostAddress::LocalHost, port)) {
        std::fprintf(stderr, "bench-bare-qt-echo: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("listening on ws://127.0.0.1:%u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
