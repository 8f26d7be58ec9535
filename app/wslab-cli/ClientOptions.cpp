#include "app/wslab-cli/ClientOptions.h"

#include "app/wslab-cli/CliArgs.h"
#include "core/client/Client.h"
#include "core/client/WebSocketUrl.h"

namespace wslab::cli {

using O = QCommandLineOption;

QList<QCommandLineOption> handshakeOptions()
{
    return {
        O(QStringLiteral("header"), QStringLiteral("Extra request header (repeatable)."), QStringLiteral("'Name: value'")),
        O(QStringLiteral("subprotocol"), QStringLiteral("Subprotocol to offer (repeatable, in order of preference)."), QStringLiteral("P")),
        O(QStringLiteral("origin"), QStringLiteral("Origin header to send."), QStringLiteral("O")),
        O(QStringLiteral("ca"), QStringLiteral("wss: also trust the CA or self-signed certificate(s) in this PEM file."),
          QStringLiteral("FILE")),
        O(QStringLiteral("insecure"), QStringLiteral("wss: connect even if the certificate is not trusted (a warning is printed).")),
    };
}

QList<QCommandLineOption> clientOptions()
{
    return handshakeOptions() +
           QList<QCommandLineOption>{
               O(QStringLiteral("no-reconnect"), QStringLiteral("Do not reconnect after the connection drops or fails.")),
               O(QStringLiteral("reconnect-base"), QStringLiteral("First reconnect delay bound in ms (default 1000)."),
                 QStringLiteral("MS")),
               O(QStringLiteral("reconnect-cap"), QStringLiteral("Largest reconnect delay in ms (default 30000)."), QStringLiteral("MS")),
               O(QStringLiteral("max-attempts"), QStringLiteral("Give up after this many retries in a row (default 0: never)."),
                 QStringLiteral("N")),
               O(QStringLiteral("ping-interval"), QStringLiteral("Heartbeat ping interval in ms, 0 for none (default 20000)."),
                 QStringLiteral("MS")),
               O(QStringLiteral("pong-timeout"),
                 QStringLiteral("Declare the server dead after this many ms without a pong (default 20000)."), QStringLiteral("MS")),
               O(QStringLiteral("connect-timeout"), QStringLiteral("Give up on one connection attempt after this many ms (default 10000)."),
                 QStringLiteral("MS")),
           };
}

void applyHandshakeOptions(const CliArgs &args, const QString &command, ClientConfig *config)
{
    for (const QString &h : args.values(QStringLiteral("header"))) {
        const qsizetype colon = h.indexOf(u':');
        if (colon <= 0)
            throw UsageError(command + QStringLiteral(": --header expects 'Name: value', got \"%1\"").arg(h));
        config->headers.append({h.left(colon).trimmed().toUtf8(), h.mid(colon + 1).trimmed().toUtf8()});
    }
    config->subprotocols = args.values(QStringLiteral("subprotocol"));
    config->origin = args.value(QStringLiteral("origin"));
    config->caFile = args.value(QStringLiteral("ca"));
    config->ignoreCertificateErrors = args.isSet(QStringLiteral("insecure"));
}

ClientConfig clientConfigFrom(const CliArgs &args, const QString &command)
{
    const QStringList positional = args.positional();
    if (positional.size() != 1)
        throw UsageError(positional.isEmpty() ? command + QStringLiteral(": missing URL (e.g. ws://127.0.0.1:8080/)")
                                              : command + QStringLiteral(": one URL expected, got %1 arguments").arg(positional.size()));
    ClientConfig c;
    QString urlError;
    c.url = webSocketUrlFromUserInput(positional.first(), &urlError);
    if (!urlError.isEmpty())
        throw UsageError(command + QStringLiteral(": ") + urlError);
    applyHandshakeOptions(args, command, &c);
    c.reconnect.enabled = !args.isSet(QStringLiteral("no-reconnect"));
    c.reconnect.baseDelay = args.millis(QStringLiteral("reconnect-base"), c.reconnect.baseDelay, 1);
    c.reconnect.maxDelay = args.millis(QStringLiteral("reconnect-cap"), c.reconnect.maxDelay, 1);
    if (c.reconnect.minDelay > c.reconnect.baseDelay)
        c.reconnect.minDelay = c.reconnect.baseDelay; // a script asking for 10 ms retries gets them
    c.reconnect.maxAttempts = int(args.integer(QStringLiteral("max-attempts"), 0, 0, 1000000));
    c.heartbeat.interval = args.millis(QStringLiteral("ping-interval"), c.heartbeat.interval);
    c.heartbeat.pongTimeout = args.millis(QStringLiteral("pong-timeout"), c.heartbeat.pongTimeout, 1);
    c.connectTimeout = args.millis(QStringLiteral("connect-timeout"), c.connectTimeout, 1);
    const QString problem = c.validate();
    if (!problem.isEmpty())
        throw UsageError(command + QStringLiteral(": ") + problem);
    return c;
}

QString whyClientEnded(const Client &client)
{
    return client.errorString().isEmpty() ? QStringLiteral("connection closed with %1").arg(client.lastCloseCode()) : client.errorString();
}

} // namespace wslab::cli
