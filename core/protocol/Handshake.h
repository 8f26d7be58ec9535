#pragma once

#include "core/protocol/ExtensionHeader.h"
#include "core/protocol/HttpRequest.h"
#include "core/protocol/HttpResponse.h"
#include "core/protocol/PerMessageDeflate.h"
#include "core/protocol/ProtocolViolation.h"

#include <QByteArray>
#include <QList>

#include <optional>

namespace wslab {

// The opening handshake (RFC 6455 §4) as an inspector sees it: the client's upgrade request and the
// server's answer, checked against each other.
struct Handshake
{
    // The GUID every server appends to the key (RFC 6455 §1.3).
    static constexpr const char *kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    // Sec-WebSocket-Accept worked out one step at a time, as the lab shows it to a student.
    struct AcceptSteps
    {
        QByteArray key; // as the client sent it: 16 random bytes in Base64
        QByteArray keyAndGuid; // the key with the GUID appended
        QByteArray sha1; // SHA-1 of that: 20 bytes
        QByteArray accept; // their Base64: what the server must answer
    };
    static AcceptSteps acceptSteps(QByteArrayView key);
    // Sec-WebSocket-Accept for a Sec-WebSocket-Key: Base64(SHA-1(key + the GUID of §1.3)).
    static QByteArray acceptFor(QByteArrayView key) { return acceptSteps(key).accept; }

    // What a handshake header is for, and where the RFC says so, for a header in a request
    // (`inRequest`) or in the server's answer. Headers WebSocket does not use get a role saying so.
    struct HeaderRole
    {
        QString role;
        QString section;
    };
    static HeaderRole headerRole(QByteArrayView name, bool inRequest);

    // The request alone, as a server must judge it (§4.2.1); empty when it is a valid upgrade.
    static QList<ProtocolViolation> checkRequest(const HttpRequest &request);
    // Both sides (§4.1, §4.2.2, RFC 7692 §7.1): what was agreed, and every rule broken.
    static Handshake check(const HttpRequest &request, const HttpResponse &response);

    QList<ProtocolViolation> problems; // empty when the handshake is valid
    QByteArray key;
    QByteArray expectedAccept; // computed from the key
    QByteArray accept; // as the server sent it
    QList<QByteArray> offeredSubprotocols;
    QByteArray subprotocol; // the server's choice, or empty
    QList<WebSocketExtension> offeredExtensions;
    QList<WebSocketExtension> extensions; // as the server accepted them
    std::optional<PerMessageDeflateParams> deflate; // set when permessage-deflate was agreed

    bool isValid() const { return problems.isEmpty(); }
    bool acceptMatches() const { return !accept.isEmpty() && accept == expectedAccept; }
};

} // namespace wslab
