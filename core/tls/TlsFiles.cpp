#include "core/tls/TlsFiles.h"

#include <QFile>
#include <QSslKey>

namespace wslab::TlsFiles {

namespace {

bool readAll(const QString &path, QByteArray *data, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    *data = file.readAll();
    return true;
}

} // namespace

bool serverConfiguration(const QString &certFile, const QString &keyFile, QSslConfiguration *out, QString *error)
{
    QByteArray certData;
    QByteArray keyData;
    if (!readAll(certFile, &certData, error) || !readAll(keyFile, &keyData, error))
        return false;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certData, QSsl::Pem);
    if (chain.isEmpty()) {
        if (error)
            *error = QStringLiteral("%1 holds no PEM certificate").arg(certFile);
        return false;
    }
    QSslKey key(keyData, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyData, QSsl::Rsa, QSsl::Pem);
    if (key.isNull()) {
        if (error)
            *error = QStringLiteral("%1 holds no unencrypted PEM private key (EC or RSA)").arg(keyFile);
        return false;
    }
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // clients are not asked for certificates
    *out = config;
    return true;
}

bool addTrustedCertificates(const QString &file, QSslConfiguration *config, QString *error)
{
    QByteArray data;
    if (!readAll(file, &data, error))
        return false;
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(data, QSsl::Pem);
    if (certificates.isEmpty()) {
        if (error)
            *error = QStringLiteral("%1 holds no PEM certificate").arg(file);
        return false;
    }
    config->addCaCertificates(certificates);
    return true;
}

QString describe(const QSslCertificate &c)
{
    if (c.isNull())
        return QStringLiteral("no certificate");
    const auto name = [](const QStringList &parts) { return parts.join(QStringLiteral(", ")); };
    return QStringLiteral("subject CN=%1, issuer CN=%2, valid %3 to %4, SHA-256 %5")
        .arg(name(c.subjectInfo(QSslCertificate::CommonName)), name(c.issuerInfo(QSslCertificate::CommonName)),
             c.effectiveDate().toString(Qt::ISODate), c.expiryDate().toString(Qt::ISODate),
             QString::fromLatin1(c.digest(QCryptographicHash::Sha256).toHex(':').toUpper()));
}

} // namespace wslab::TlsFiles
