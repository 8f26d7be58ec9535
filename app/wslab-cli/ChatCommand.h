#pragma once

#include <QStringList>

namespace wslab::cli {

// wslab-cli chat: joins a chat server (docs/chat-protocol.md) with a nickname; each stdin line is said,
// each chat message is printed as "NICK: TEXT" on stdout, presence and errors go to stderr. Reconnects
// and resumes like the window's Chat view. Returns the exit code.
int runChat(const QStringList &arguments);

} // namespace wslab::cli
