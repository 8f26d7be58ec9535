#pragma once

#include <QByteArrayView>
#include <QString>

namespace wslab::HttpGrammar {

// RFC 9110 §5.6.2 token: one or more of letters, digits and !#$%&'*+-.^_`|~. Header names and
// WebSocket subprotocol names (RFC 6455 §4.1) are tokens; anything else makes a request malformed.
bool isToken(QByteArrayView text);

// Empty when "name: value" can go into a request as given; otherwise what is wrong, in one line.
// The window's headers table and wslab-cli's --header both ask here, so they accept the same.
QString headerProblem(QByteArrayView name, QByteArrayView value);

// Empty when the name can be offered in Sec-WebSocket-Protocol; otherwise what is wrong.
QString subprotocolProblem(QByteArrayView name);

} // namespace wslab::HttpGrammar
