#include "core/server/Listener.h"

#include "core/server/HoldableSocket.h"

#include <QSslSocket>

namespace wslab {

Listener::Listener(QObject *parent)
    : QTcpServer(parent)
{
}

void Listener::incomingConnection(qintptr descriptor)
{
    // Holdable, so a close the server starts can wait for the peer's answer (see HoldableSocket).
    if (!m_tls) {
        auto *socket = new HoldableSocket<QTcpSocket>(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        addPendingConnection(socket);
        return;
    }
    auto *socket = new HoldableSocket<QSslSocket>(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setSslConfiguration(*m_tls);
    addPendingConnection(socket);
    socket->startServerEncryption();
}

} // namespace wslab
