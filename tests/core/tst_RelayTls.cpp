// The inspecting relay with TLS on either side: it terminates wss:// for its clients with a lab
// certificate, connects to a wss:// target verified against a CA file (or, when told, not verified at
// all, with a warning), and decodes the frames in between. A target it cannot trust, or cannot reach,
// is answered to the client as a gateway would: 502 with the reason. Loopback only.
#include "core/inspect/Relay.h"
#include "core/protocol/Frame.h"
#include "core/tls/LabCertificate.h"
#include "tests/support/WsLabTest.h"

#include <QSignalSpy>
#include <QTemporaryDir>

#include <QtTest>

using namespace wslab;
using namespace wslab::test;
using namespace std::chrono_literals;

class tst_RelayTls : public QObject
{
    Q_OBJECT

private:
    QString file(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

    ServerConfig wssServerConfig() const
    {
        ServerConfig config = loopbackServerConfig();
        config.tlsCertFile = file("cert.pem");
        config.tlsKeyFile = file("key.pem");
        return config;
    }

    static bool startRelay(Relay &relay, const RelayConfig &config)
    {
        relay.setConfig(config);
        if (relay.start())
            return true;
        qWarning("relay did not start: %s", qPrintable(relay.errorString()));
        return false;
    }

    // Opens a client through the relay, sends one text, and checks it comes back and the relay decoded it.
    void echoThrough(Relay &relay, const QString &caFile)
    {
        Client client(QStringLiteral("client"));
        ClientConfig config = fastClientConfig(relay.url());
        config.caFile = caFile;
        config.reconnect.enabled = false;
        QVERIFY(openClient(client, config));
        QSignalSpy texts(&client, &Client::textReceived);
        QVERIFY(client.sendText(QStringLiteral("through TLS twice")));
        QVERIFY(texts.wait(5000));
        QCOMPARE(texts.first().first().toString(), QStringLiteral("through TLS twice"));
        // The relay sees plaintext frames between the two TLS sessions: the client's masked, the echo not.
        QTRY_VERIFY(!framesFrom(relay.log(), false, Opcode::Text).isEmpty());
        const QList<LogEvent> fromClient = framesFrom(relay.log(), true, Opcode::Text);
        QVERIFY(!fromClient.isEmpty());
        QVERIFY(fromClient.first().frame.masked);
        QCOMPARE(fromClient.first().payload, QByteArray("through TLS twice"));
    }

    QTemporaryDir m_dir;
    LabCertificate m_cert;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(LabCertificate::generate({QStringLiteral("127.0.0.1"), QStringLiteral("localhost")}, 24h, &m_cert, &error),
                 qPrintable(error));
        QVERIFY2(m_cert.writeTo(m_dir.path(), &error), qPrintable(error));
    }

    void wssOnBothSidesWithAVerifiedTarget()
    {
        Server server;
        QVERIFY(startServer(server, wssServerConfig()));
        Relay relay;
        RelayConfig config;
        config.target = server.url();
        config.tls.certFile = file("cert.pem");
        config.tls.keyFile = file("key.pem");
        config.tls.caFile = file("ca.pem");
        QVERIFY(startRelay(relay, config));
        QCOMPARE(relay.url().scheme(), QStringLiteral("wss"));
        echoThrough(relay, file("ca.pem"));
        QVERIFY(!hasEventWith(relay.log(), EventKind::Info, QStringLiteral("not verified")));
    }

    void untrustedTargetIsAnsweredWith502()
    {
        Server server;
        QVERIFY(startServer(server, wssServerConfig()));
        Relay relay;
        RelayConfig config;
        config.target = server.url(); // the system's CAs only: the lab CA is not among them
        QVERIFY(startRelay(relay, config));

        Client client(QStringLiteral("client"));
        ClientConfig clientConfig = fastClientConfig(relay.url());
        clientConfig.reconnect.enabled = false;
        client.setConfig(clientConfig);
        QSignalSpy opened(&client, &Client::opened);
        QVERIFY(client.open());
        QTRY_COMPARE(client.state(), Client::State::Idle);
        QCOMPARE(opened.size(), 0);
        QCOMPARE(client.lastCause().kind, DisconnectCause::Kind::HandshakeRefused);
        QCOMPARE(client.lastCause().httpStatus, 502);
        QVERIFY(hasEventWith(relay.log(), EventKind::Error, QStringLiteral("cannot reach ")));
        QCOMPARE(server.peerCount(), 0);
    }

    void insecureTargetPassesWithAWarning()
    {
        Server server;
        QVERIFY(startServer(server, wssServerConfig()));
        Relay relay;
        RelayConfig config;
        config.target = server.url();
        config.tls.insecure = true;
        QVERIFY(startRelay(relay, config));
        QCOMPARE(relay.url().scheme(), QStringLiteral("ws"));
        echoThrough(relay, QString());
        QVERIFY(hasEventWith(relay.log(), EventKind::Info, QStringLiteral("certificate is not verified")));
    }

    void unreachableTargetIsAnsweredWith502()
    {
        const quint16 port = closedPort();
        QVERIFY(port != 0);
        Relay relay;
        RelayConfig config;
        config.target = QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(port));
        QVERIFY(startRelay(relay, config));

        Client client(QStringLiteral("client"));
        ClientConfig clientConfig = fastClientConfig(relay.url());
        clientConfig.reconnect.enabled = false;
        client.setConfig(clientConfig);
        QVERIFY(client.open());
        QTRY_COMPARE(client.state(), Client::State::Idle);
        QCOMPARE(client.lastCause().kind, DisconnectCause::Kind::HandshakeRefused);
        QCOMPARE(client.lastCause().httpStatus, 502);
        QVERIFY(hasEventWith(relay.log(), EventKind::Error, QStringLiteral("cannot reach ")));
    }
};

QTEST_GUILESS_MAIN(tst_RelayTls)
#include "tst_RelayTls.moc"
