#pragma once

#include <QString>
#include <QUrl>

namespace wslab {

// What a person types as a server address, made into the ws:// or wss:// URL it means, so the window
// and wslab-cli accept exactly the same input:
//   localhost:8080/chat  -> ws://localhost:8080/chat   (no scheme: plain WebSocket)
//   http://host/x        -> ws://host/x                (what a browser's address bar holds)
//   https://host/x       -> wss://host/x
//   ws:// and wss://     as given
// Any other scheme, or no host, is refused: an empty QUrl with *error saying what was expected.
QUrl webSocketUrlFromUserInput(const QString &input, QString *error);

} // namespace wslab
