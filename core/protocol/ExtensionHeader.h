#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace wslab {

// One entry of a Sec-WebSocket-Extensions header (RFC 6455 §9.1): a name and its parameters, in order.
// A parameter without a value has an empty value and hasValue false; quoted values are unquoted.
struct WebSocketExtension
{
    struct Param
    {
        QByteArray name;
        QByteArray value;
        bool hasValue = false;
    };
    QByteArray name;
    QList<Param> params;

    const Param *param(QByteArrayView name) const;
};

// Parses "permessage-deflate; client_max_window_bits, x-foo; a=\"1\"". Returns false on a malformed
// list (an empty name, an unterminated quote); `out` then holds what was read before the error.
bool parseExtensionHeader(QByteArrayView value, QList<WebSocketExtension> *out);

} // namespace wslab
