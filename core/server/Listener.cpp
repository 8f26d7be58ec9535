#include "Listener.h"

#include <QSslSocket>

namespace wslab {

Listener::Listener(QObject *parent)
    : QTcpServer(parent)
{
}

void Listener::incomingConnection(qintptr descriptor)
{
    if (!m_tls) {
        QTcpServer::incomingConnection(descriptor);
        return;
    }
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setSslConfiguration(*m_tls);
    addPendingConnection(socket);
    socket->startServerEncryption();
}

} // namespace wslab
