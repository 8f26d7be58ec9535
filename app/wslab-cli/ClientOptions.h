#pragma once

#include "client/ClientConfig.h"

#include <QCommandLineOption>
#include <QList>

namespace wslab::cli {

class CliArgs;

// The options that say how to reach a server (URL, headers, subprotocols, reconnect, heartbeat, TLS):
// one definition for every command that opens a client (connect, chat).
QList<QCommandLineOption> clientOptions();
// The ClientConfig those options and the single positional URL describe. Throws UsageError naming
// `command` when they are wrong.
ClientConfig clientConfigFrom(const CliArgs &args, const QString &command);

} // namespace wslab::cli
