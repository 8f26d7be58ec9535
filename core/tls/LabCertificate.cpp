#include "core/tls/LabCertificate.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QNetworkInterface>
#include <QSslCertificate>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace wslab {

namespace {

template <auto Free> struct Deleter
{
    template <typename T> void operator()(T *p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;

KeyPtr newKey()
{
    return KeyPtr(EVP_EC_gen("P-256"));
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

CertPtr newCert(EVP_PKEY *subjectKey, const QString &commonName, std::chrono::hours validity)
{
    CertPtr cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // a positive serial number
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600); // tolerate a classroom's clock skew
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(std::chrono::seconds(validity).count()));
    X509_set_pubkey(cert.get(), subjectKey);
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>("WsLab"), -1, -1, 0);
    const QByteArray cn = commonName.toUtf8().left(64);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(cn.constData()), -1, -1, 0);
    return cert;
}

QByteArray certToPem(X509 *cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

QByteArray keyToPem(EVP_PKEY *key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

} // namespace

bool LabCertificate::generate(const QStringList &hosts, std::chrono::hours validity, LabCertificate *out, QString *error)
{
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    if (hosts.isEmpty())
        return fail(QStringLiteral("at least one host name or address is needed"));
    QStringList altNames;
    for (const QString &host : hosts) {
        if (host.isEmpty() || host.contains(u',') || host.contains(u' '))
            return fail(QStringLiteral("invalid host \"%1\"").arg(host));
        QHostAddress address;
        altNames << (address.setAddress(host) ? QStringLiteral("IP:") : QStringLiteral("DNS:")) + host;
    }

    KeyPtr caKey = newKey();
    KeyPtr serverKey = newKey();
    if (!caKey || !serverKey)
        return fail(QStringLiteral("could not generate an EC P-256 key"));

    CertPtr ca = newCert(caKey.get(), QStringLiteral("WsLab lab CA"), validity);
    X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get()));
    const bool caOk = addExtension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
                      addExtension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign") &&
                      addExtension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
    if (!caOk || X509_sign(ca.get(), caKey.get(), EVP_sha256()) == 0)
        return fail(QStringLiteral("could not sign the CA certificate"));

    CertPtr server = newCert(serverKey.get(), hosts.first(), validity);
    X509_set_issuer_name(server.get(), X509_get_subject_name(ca.get()));
    const QByteArray san = altNames.join(u',').toUtf8();
    const bool serverOk = addExtension(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE") &&
                          addExtension(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature") &&
                          addExtension(server.get(), ca.get(), NID_ext_key_usage, "serverAuth") &&
                          addExtension(server.get(), ca.get(), NID_subject_alt_name, san.constData()) &&
                          addExtension(server.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
    if (!serverOk || X509_sign(server.get(), caKey.get(), EVP_sha256()) == 0)
        return fail(QStringLiteral("could not sign the server certificate"));

    out->caPem = certToPem(ca.get());
    const QByteArray serverPem = certToPem(server.get());
    out->certPem = serverPem + out->caPem;
    out->keyPem = keyToPem(serverKey.get());
    const QSslCertificate qtCert(serverPem, QSsl::Pem);
    out->sha256 = QString::fromLatin1(qtCert.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    return true;
}

bool LabCertificate::writeTo(const QString &dir, QString *error) const
{
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("cannot create directory %1").arg(dir);
        return false;
    }
    const struct
    {
        const char *name;
        const QByteArray *data;
        bool secret;
    } files[] = {{"ca.pem", &caPem, false}, {"cert.pem", &certPem, false}, {"key.pem", &keyPem, true}};
    for (const auto &f : files) {
        QFile file(QDir(dir).filePath(QString::fromLatin1(f.name)));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            if (error)
                *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
            return false;
        }
        if (f.secret)
            file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        file.write(*f.data);
    }
    return true;
}

QStringList LabCertificate::defaultHosts()
{
    QStringList hosts{QStringLiteral("localhost"), QStringLiteral("127.0.0.1"), QStringLiteral("::1")};
    const auto addresses = QNetworkInterface::allAddresses();
    for (const QHostAddress &address : addresses) {
        if (address.isLoopback() || address.isLinkLocal())
            continue;
        QHostAddress plain = address;
        plain.setScopeId(QString());
        if (!hosts.contains(plain.toString()))
            hosts << plain.toString();
    }
    return hosts;
}

} // namespace wslab
