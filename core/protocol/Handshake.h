#pragma once

#include "protocol/ExtensionHeader.h"
#include "protocol/HttpRequest.h"
#include "protocol/HttpResponse.h"
#include "protocol/PerMessageDeflate.h"
#include "protocol/ProtocolViolation.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace wslab {

// The opening handshake (RFC 6455 §4) as an inspector sees it: the client's upgrade request and the
// server's answer, checked against each other.
struct Handshake
{
    // Sec-WebSocket-Accept for a Sec-WebSocket-Key: Base64(SHA-1(key + the GUID of §1.3)).
    static QByteArray acceptFor(QByteArrayView key);

    // The request alone, as a server must judge it (§4.2.1); empty when it is a valid upgrade.
    static QList<ProtocolViolation> checkRequest(const HttpRequest &request);
    // Both sides (§4.1, §4.2.2, RFC 7692 §7.1): what was agreed, and every rule broken.
    static Handshake check(const HttpRequest &request, const HttpResponse &response);

    QList<ProtocolViolation> problems; // empty when the handshake is valid
    QByteArray key;
    QByteArray expectedAccept; // computed from the key
    QByteArray accept;         // as the server sent it
    QList<QByteArray> offeredSubprotocols;
    QByteArray subprotocol; // the server's choice, or empty
    QList<WebSocketExtension> offeredExtensions;
    QList<WebSocketExtension> extensions;           // as the server accepted them
    std::optional<PerMessageDeflateParams> deflate; // set when permessage-deflate was agreed

    bool isValid() const { return problems.isEmpty(); }
    bool acceptMatches() const { return !accept.isEmpty() && accept == expectedAccept; }
};

} // namespace wslab
