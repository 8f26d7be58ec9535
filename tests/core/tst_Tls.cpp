#include "tests/support/HardeningTest.h"

#include "core/tls/LabCertificate.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace std::chrono_literals;
using namespace wslab::test;
using State = wslab::Client::State;
using Kind = wslab::DisconnectCause::Kind;

// wss with a lab CA: a client that trusts the CA gets the server's certificate, one that does not fails
// for good, one told to ignore errors connects with a warning, and a plain ws:// client is dropped. A
// client that trusts the CA is served meanwhile in each case.
class tst_Tls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void trustedCaGivesTheServerCertificate();
    void untrustedCertificateFailsWithoutRetry();
    void ignoredCertificateErrorsConnectWithAWarning();
    void plainClientOnTlsPortIsDropped();
    void serverWithoutReadableKeyDoesNotStart();
    void labCertificateRefusesInvalidHosts_data();
    void labCertificateRefusesInvalidHosts();

private:
    QString file(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    wslab::ServerConfig tlsConfig() const;
    wslab::ClientConfig trustingConfig(const QUrl &url) const;
    QString infoDetail(const wslab::EventLog *log, const QString &start) const;
    bool startWithTrustingBystander(wslab::Server &server, Bystander &bystander) const
    {
        return startServer(server, tlsConfig()) && bystander.open(trustingConfig(server.url()));
    }

    QTemporaryDir m_dir;
    wslab::LabCertificate m_cert;
};

void tst_Tls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(wslab::LabCertificate::generate({QStringLiteral("127.0.0.1"), QStringLiteral("localhost")}, 24h, &m_cert, &error),
             qPrintable(error));
    QVERIFY2(m_cert.writeTo(m_dir.path(), &error), qPrintable(error));
    const QFile::Permissions key = QFile::permissions(file("key.pem"));
    QVERIFY(key.testFlags(QFile::ReadOwner | QFile::WriteOwner));
    QVERIFY(!(key & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther))); // the key is private
}

wslab::ServerConfig tst_Tls::tlsConfig() const
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.tlsCertFile = file("cert.pem");
    config.tlsKeyFile = file("key.pem");
    return config;
}

wslab::ClientConfig tst_Tls::trustingConfig(const QUrl &url) const
{
    wslab::ClientConfig config = fastClientConfig(url);
    config.caFile = file("ca.pem");
    return config;
}

QString tst_Tls::infoDetail(const wslab::EventLog *log, const QString &start) const
{
    for (const wslab::LogEvent &e : eventsOfKind(log, wslab::EventKind::Info)) {
        if (e.detail.startsWith(start))
            return e.detail;
    }
    return {};
}

void tst_Tls::trustedCaGivesTheServerCertificate()
{
    wslab::Server server;
    QVERIFY(startServer(server, tlsConfig()));
    QCOMPARE(server.url().scheme(), QStringLiteral("wss"));
    Bystander client(QStringLiteral("trusting"));
    QVERIFY(client.open(trustingConfig(server.url())));
    QVERIFY(client.echoes(QStringLiteral("over TLS")));

    const QSslCertificate peer = client.client().peerCertificate();
    QVERIFY(!peer.isNull());
    QCOMPARE(QString::fromLatin1(peer.digest(QCryptographicHash::Sha256).toHex(':').toUpper()), m_cert.sha256);
    QCOMPARE(peer.subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("127.0.0.1")});
    QCOMPARE(peer.issuerInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("WsLab lab CA")});
    QVERIFY(!client.client().certificateErrorsIgnored());
    const QString tls = infoDetail(client.client().log(), QStringLiteral("TLS: "));
    QVERIFY2(tls.endsWith(QStringLiteral("SHA-256 ") + m_cert.sha256), qPrintable(tls));
    QCOMPARE(countOfKind(client.client().log(), wslab::EventKind::Error), 0);
}

void tst_Tls::untrustedCertificateFailsWithoutRetry()
{
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithTrustingBystander(server, bystander));

    wslab::Client untrusting(QStringLiteral("untrusting"));
    untrusting.setConfig(fastClientConfig(server.url())); // the system's CAs only
    QSignalSpy opened(&untrusting, &wslab::Client::opened);
    QSignalSpy retries(&untrusting, &wslab::Client::retryScheduled);
    QVERIFY(untrusting.open());
    QTRY_COMPARE(untrusting.state(), State::Idle);
    QCOMPARE(untrusting.lastCause().kind, Kind::TlsError);
    QCOMPARE(opened.size(), 0);
    QCOMPARE(retries.size(), 0);
    QVERIFY(!untrusting.certificateErrorsIgnored());
    bool certificateError = false;
    for (const wslab::LogEvent &e : eventsOfKind(untrusting.log(), wslab::EventKind::Error))
        certificateError = certificateError || e.detail.startsWith(QStringLiteral("certificate: "));
    QVERIFY(certificateError);
    QCOMPARE(infoDetail(untrusting.log(), QStringLiteral("not retrying")), QStringLiteral("not retrying: this ending is not transient"));

    QVERIFY(bystander.echoes(QStringLiteral("after the untrusted client")));
    QCOMPARE(retries.size(), 0);
    QCOMPARE(server.peerCount(), 1);
}

void tst_Tls::ignoredCertificateErrorsConnectWithAWarning()
{
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithTrustingBystander(server, bystander));

    Bystander insecure(QStringLiteral("insecure"));
    wslab::ClientConfig config = fastClientConfig(server.url());
    config.ignoreCertificateErrors = true;
    QVERIFY(insecure.open(config));
    QVERIFY(insecure.client().certificateErrorsIgnored());
    QVERIFY(insecure.echoes(QStringLiteral("encrypted, not authenticated")));
    QVERIFY(infoDetail(insecure.client().log(), QStringLiteral("WARNING: certificate errors ignored"))
                .contains(QStringLiteral("NOT authenticated")));
    const QString tls = infoDetail(insecure.client().log(), QStringLiteral("TLS (certificate NOT verified): "));
    QVERIFY2(tls.endsWith(m_cert.sha256), qPrintable(tls));
    QVERIFY(countOfKind(insecure.client().log(), wslab::EventKind::Error) > 0); // each ignored error is logged
    QVERIFY(bystander.echoes(QStringLiteral("after the insecure client")));
}

void tst_Tls::plainClientOnTlsPortIsDropped()
{
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithTrustingBystander(server, bystander));

    wslab::Client plain(QStringLiteral("plain"));
    QUrl url = server.url();
    url.setScheme(QStringLiteral("ws"));
    wslab::ClientConfig config = fastClientConfig(url);
    config.reconnect.enabled = false; // one attempt, one drop
    plain.setConfig(config);
    QSignalSpy opened(&plain, &wslab::Client::opened);
    QVERIFY(plain.open());
    QTRY_COMPARE(plain.state(), State::Idle);
    QCOMPARE(opened.size(), 0);
    // What the plain client sees: the server hangs up on its HTTP request.
    QCOMPARE(plain.lastCause().kind, Kind::NetworkError);
    QCOMPARE(plain.errorString(), QStringLiteral("The remote host closed the connection"));

    QList<wslab::LogEvent> drops;
    QTRY_VERIFY([&] {
        drops.clear();
        for (const wslab::LogEvent &e : eventsOfKind(server.log(), wslab::EventKind::Error)) {
            if (e.detail.contains(QStringLiteral("dropped before the upgrade")))
                drops << e;
        }
        return !drops.isEmpty();
    }());
    QCOMPARE(drops.size(), 1);
    QCOMPARE(countOfKind(server.log(), wslab::EventKind::Refused), 0);
    QVERIFY(bystander.echoes(QStringLiteral("after the plain client")));
    QCOMPARE(server.peerCount(), 1);
}

void tst_Tls::serverWithoutReadableKeyDoesNotStart()
{
    wslab::ServerConfig config = tlsConfig();
    config.tlsKeyFile = file("missing-key.pem");
    wslab::Server server;
    server.setConfig(config);
    QVERIFY(!server.start());
    QVERIFY2(server.errorString().startsWith(QStringLiteral("cannot read ") + config.tlsKeyFile), qPrintable(server.errorString()));
    QCOMPARE(server.state(), wslab::Server::State::Stopped);

    config.tlsKeyFile = file("ca.pem"); // a certificate is not a key
    server.setConfig(config);
    QVERIFY(!server.start());
    QVERIFY2(server.errorString().contains(QStringLiteral("holds no unencrypted PEM private key")), qPrintable(server.errorString()));
}

void tst_Tls::labCertificateRefusesInvalidHosts_data()
{
    QTest::addColumn<QStringList>("hosts");
    QTest::addColumn<QString>("error");
    QTest::newRow("space") << QStringList{QStringLiteral("lab host")} << QStringLiteral("invalid host \"lab host\"");
    QTest::newRow("comma") << QStringList{QStringLiteral("127.0.0.1"), QStringLiteral("a,DNS:evil.example")}
                           << QStringLiteral("invalid host \"a,DNS:evil.example\"");
    QTest::newRow("empty name") << QStringList{QString()} << QStringLiteral("invalid host \"\"");
    QTest::newRow("no host") << QStringList{} << QStringLiteral("at least one host name or address is needed");
}

void tst_Tls::labCertificateRefusesInvalidHosts()
{
    QFETCH(QStringList, hosts);
    QFETCH(QString, error);
    wslab::LabCertificate cert;
    QString why;
    QVERIFY(!wslab::LabCertificate::generate(hosts, 24h, &cert, &why));
    QCOMPARE(why, error);
    QVERIFY(cert.certPem.isEmpty());
    QVERIFY(cert.keyPem.isEmpty());
}

QTEST_GUILESS_MAIN(tst_Tls)
#include "tst_Tls.moc"
