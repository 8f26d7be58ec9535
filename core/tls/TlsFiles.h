#pragma once

#include <QSslConfiguration>
#include <QString>

namespace wslab {

// Reading PEM files into Qt's TLS settings, with errors a person can act on.
namespace TlsFiles {

// A server configuration from a certificate (chain) file and its private key.
bool serverConfiguration(const QString &certFile, const QString &keyFile, QSslConfiguration *out, QString *error);

// Adds the CA (or self-signed) certificates in a PEM file to the trusted set of `config`.
bool addTrustedCertificates(const QString &file, QSslConfiguration *config, QString *error);

// "subject CN=..., issuer CN=..., valid 2026-11-22 to 2029-02-24, SHA-256 AB:CD:..."
QString describe(const QSslCertificate &certificate);

} // namespace TlsFiles
} // namespace wslab
