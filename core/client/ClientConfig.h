#pragma once

#include "core/client/Outbox.h"
#include "core/policy/HeartbeatPolicy.h"
#include "core/policy/ReconnectPolicy.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

namespace wslab {

// Everything a Client needs to connect; the GUI and wslab-cli fill the same struct.
struct ClientConfig
{
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; // extra request headers, sent as given
    QStringList subprotocols; // offered in Sec-WebSocket-Protocol, in order
    QString origin; // sent as Origin when not empty
    ReconnectPolicy reconnect;
    HeartbeatPolicy heartbeat;
    // Qt's client has no connect timeout of its own; this one covers TCP, TLS and the upgrade.
    std::chrono::milliseconds connectTimeout{10000};
    // How long our close handshake may take before the connection is aborted.
    std::chrono::milliseconds closeTimeout{5000};
    // A close asked for after the last send (end of input, Disconnect) first waits, once the server
    // has everything, until no message has arrived for this long: see Client::closeAfterDrain().
    std::chrono::milliseconds closeLinger{300};
    Outbox::Limits outbox;
    qint64 maxIncomingMessageSize = 0; // 0: Qt's own limit
    // wss: also trust the CA or self-signed certificates in this PEM file (besides the system's).
    QString caFile;
    // wss: connect even when the certificate is not trusted; every ignored error is logged as a warning.
    bool ignoreCertificateErrors = false;

    // Empty when the config can be used; otherwise what is wrong, in one line.
    QString validate() const;
};

} // namespace wslab
