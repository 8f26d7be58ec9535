#pragma once

#include "core/client/ClientConfig.h"

#include <QCommandLineOption>
#include <QList>

namespace wslab {
class Client;
}

namespace wslab::cli {

class CliArgs;

// What the opening handshake carries and how a wss:// server is trusted (headers, subprotocols,
// origin, CA, insecure): one definition for every command that opens a connection (connect, chat, replay).
QList<QCommandLineOption> handshakeOptions();
// handshakeOptions() and how the connection is kept (reconnect, heartbeat, connect timeout): the
// options of the commands that hold a client open (connect, chat).
QList<QCommandLineOption> clientOptions();
// Sets config's headers, subprotocols, origin and TLS trust from handshakeOptions(). Throws
// UsageError naming `command` when a header is not 'Name: value'.
void applyHandshakeOptions(const CliArgs &args, const QString &command, ClientConfig *config);
// The ClientConfig clientOptions() and the single positional URL describe. Throws UsageError naming
// `command` when they are wrong.
ClientConfig clientConfigFrom(const CliArgs &args, const QString &command);
// Why a client that went Idle on its own ended, for the one line a command prints then: its error,
// else the close code it got.
QString whyClientEnded(const Client &client);

} // namespace wslab::cli
