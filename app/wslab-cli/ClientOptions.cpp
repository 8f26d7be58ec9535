#include "app/wslab-cli/ClientOptions.h"

#include "app/wslab-cli/CliArgs.h"
#include "core/client/Client.h"
#include "core/client/WebSocketUrl.h"
#include "core/settings/SettingsTable.h"

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
    // Reconnect, heartbeat and timeouts, as the window offers them: help, defaults and ranges from the
    // table. The table's TLS switch is already one of the handshake's options.
    QList<QCommandLineOption> options = handshakeOptions();
    for (const QCommandLineOption &option : settingOptions(clientSettings())) {
        if (!option.names().contains(QStringLiteral("insecure")))
            options.append(option);
    }
    return options;
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
    args.readSettings(clientSettings(), &c);
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
