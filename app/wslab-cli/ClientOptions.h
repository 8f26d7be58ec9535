#pragma once

#include "core/client/ClientConfig.h"

#include <QCommandLineOption>
#include <QList>

namespace wslab {
class Client;
}

namespace wslab::cli {

class CliArgs;

// The options that say how to reach a server (URL, headers, subprotocols, reconnect, heartbeat, TLS):
// one definition for every command that opens a client (connect, chat).
QList<QCommandLineOption> clientOptions();
// The ClientConfig those options and the single positional URL describe. Throws UsageError naming
// `command` when they are wrong.
ClientConfig clientConfigFrom(const CliArgs &args, const QString &command);
// Why a client that went Idle on its own ended, for the one line a command prints then: its error,
// else the close code it got.
QString whyClientEnded(const Client &client);

} // namespace wslab::cli
