#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <chrono>

namespace wslab {

// A certificate set for a classroom's wss:// in one step: a small private CA and a server certificate
// it signed for the given names and addresses. Clients trust ca.pem (a browser or phone can import
// it); the server uses cert.pem and key.pem. Keys are ECDSA P-256.
struct LabCertificate
{
    QByteArray caPem; // the CA certificate to trust
    QByteArray certPem; // the server certificate followed by the CA: the chain the server sends
    QByteArray keyPem; // the server's private key (PKCS#8, unencrypted)
    QString sha256; // fingerprint of the server certificate, "AB:CD:..."

    // hosts: DNS names or IP addresses for the subjectAltName; the first also becomes the CN.
    static bool generate(const QStringList &hosts, std::chrono::hours validity, LabCertificate *out, QString *error);

    // Writes ca.pem, cert.pem and key.pem (mode 0600) into dir, creating it if needed.
    bool writeTo(const QString &dir, QString *error) const;

    // localhost, 127.0.0.1, ::1 and every non-loopback IP address of this machine.
    static QStringList defaultHosts();
};

} // namespace wslab
