#include "app/wslab-cli/CertCommand.h"

#include "app/wslab-cli/CliArgs.h"
#include "core/tls/LabCertificate.h"

#include <QDir>

#include <cstdio>

namespace wslab::cli {

int runCert(const QStringList &arguments)
{
    CliArgs args(
        QStringLiteral("cert"),
        QStringLiteral("Make a self-signed certificate set for wss://: ca.pem (trust this), cert.pem and key.pem (serve with these)."));
    QCommandLineParser &p = args.parser();
    p.addOptions({
        QCommandLineOption(QStringLiteral("out"), QStringLiteral("Directory to write ca.pem, cert.pem and key.pem into."),
                           QStringLiteral("DIR")),
        QCommandLineOption(
            QStringLiteral("host"),
            QStringLiteral(
                "Name or address the certificate is for (repeatable; default: localhost, 127.0.0.1, ::1 and this machine's addresses)."),
            QStringLiteral("NAME")),
        QCommandLineOption(QStringLiteral("days"), QStringLiteral("Validity in days (default 825)."), QStringLiteral("N")),
    });
    if (!args.parse(arguments))
        return 0;
    if (!args.positional().isEmpty())
        throw UsageError(QStringLiteral("cert: unexpected argument \"%1\"").arg(args.positional().first()));
    if (!args.isSet(QStringLiteral("out")))
        throw UsageError(QStringLiteral("cert: --out DIR is required"));
    const QStringList hosts = args.isSet(QStringLiteral("host")) ? args.values(QStringLiteral("host")) : LabCertificate::defaultHosts();
    const qint64 days = args.integer(QStringLiteral("days"), 825, 1, 3650);

    LabCertificate cert;
    QString error;
    if (!LabCertificate::generate(hosts, std::chrono::hours(24 * days), &cert, &error)) {
        std::fprintf(stderr, "wslab-cli: cert: %s\n", qPrintable(error));
        return 1;
    }
    const QString dir = args.value(QStringLiteral("out"));
    if (!cert.writeTo(dir, &error)) {
        std::fprintf(stderr, "wslab-cli: cert: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("wrote %s/{ca.pem,cert.pem,key.pem} for %s\nSHA-256 %s\n"
                "serve:   wslab-cli serve --tls-cert %s/cert.pem --tls-key %s/key.pem\n"
                "connect: wslab-cli connect wss://HOST:PORT --ca %s/ca.pem\n",
                qPrintable(QDir::cleanPath(dir)), qPrintable(hosts.join(QStringLiteral(", "))), qPrintable(cert.sha256), qPrintable(dir),
                qPrintable(dir), qPrintable(dir));
    return 0;
}

} // namespace wslab::cli
