// WsLab against peers nobody here wrote: Debian's python3-websockets and node-ws, driven through
// wslab-cli as a user would run it. Everything on 127.0.0.1, port 0; every child is killed at cleanup.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

QString cli()
{
    return qEnvironmentVariable("WSLAB_CLI");
}

QString peer(const QString &name)
{
    return QDir(qEnvironmentVariable("WSLAB_PEERS_DIR")).filePath(name);
}

// A child process whose stdout is read line by line.
class Child
{
public:
    Child(const QString &program, const QStringList &args)
    {
        m_process.setProgram(program);
        m_process.setArguments(args);
        m_process.start();
    }
    ~Child()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    QProcess &process() { return m_process; }

    QStringList lines()
    {
        m_out += m_process.readAllStandardOutput();
        return QString::fromUtf8(m_out).split(u'\n', Qt::SkipEmptyParts);
    }
    QString stderrText()
    {
        m_err += m_process.readAllStandardError();
        return QString::fromUtf8(m_err);
    }
    // The first stdout line starting with prefix, waiting for it up to timeoutMs.
    QString waitLine(const QString &prefix, int timeoutMs = 15000)
    {
        QString found;
        [[maybe_unused]] const bool seen = QTest::qWaitFor(
            [&] {
                for (const QString &line : lines()) {
                    if (line.startsWith(prefix)) {
                        found = line;
                        return true;
                    }
                }
                return m_process.state() == QProcess::NotRunning && !m_process.bytesAvailable();
            },
            timeoutMs);
        return found;
    }
    bool finish(int timeoutMs = 15000)
    {
        return m_process.state() == QProcess::NotRunning || m_process.waitForFinished(timeoutMs);
    }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

// "listening on ws://127.0.0.1:PORT" -> the URL.
QString serveUrl(Child &serve)
{
    const QString line = serve.waitLine(QStringLiteral("listening on "));
    return line.mid(QStringLiteral("listening on ").size());
}

QString peerPort(Child &server)
{
    return server.waitLine(QStringLiteral("port ")).mid(5);
}

} // namespace

class tst_Interop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(cli()), "WSLAB_CLI does not point at a built wslab-cli");
        // A missing peer is an install bug (scripts/install-deps.sh), never a reason to skip.
        QProcess python;
        python.start(kPython, {QStringLiteral("-c"), QStringLiteral("import websockets")});
        QVERIFY2(python.waitForFinished(20000) && python.exitCode() == 0,
                 "python3-websockets is missing: run scripts/install-deps.sh");
        QVERIFY2(QFile::exists(QStringLiteral("/usr/share/nodejs/ws/package.json")), "node-ws is missing: run scripts/install-deps.sh");
        QProcess node;
        node.start(QStringLiteral("node"), {QStringLiteral("--version")});
        QVERIFY2(node.waitForFinished(20000) && node.exitCode() == 0, "node is missing: run scripts/install-deps.sh");
    }

    void pythonClientAgainstServe()
    {
        Child serve(cli(), {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0")});
        const QString url = serveUrl(serve);
        QVERIFY2(url.startsWith(QStringLiteral("ws://127.0.0.1:")), qPrintable(url));
        Child client(kPython, {peer(QStringLiteral("py_client.py")), QStringLiteral("echo"), url});
        QVERIFY(client.finish());
        QCOMPARE(client.process().exitCode(), 0);
        QCOMPARE(client.lines(), (QStringList{QStringLiteral("echo ok"), QStringLiteral("closed 1000")}));
        QTRY_VERIFY_WITH_TIMEOUT(serve.stderrText().contains(QStringLiteral("close 1000 Normal Closure: done")), 10000);
    }

    void serveClosesPythonWith1001OnSigterm()
    {
        Child serve(cli(), {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0")});
        const QString url = serveUrl(serve);
        Child client(kPython, {peer(QStringLiteral("py_client.py")), QStringLiteral("hold"), url});
        QCOMPARE(client.waitLine(QStringLiteral("open")), QStringLiteral("open"));
        QTRY_VERIFY_WITH_TIMEOUT(serve.stderrText().contains(QStringLiteral("open peer 1")), 10000);
        serve.process().terminate();
        QCOMPARE(client.waitLine(QStringLiteral("closed")), QStringLiteral("closed 1001"));
        QVERIFY(serve.finish());
        QCOMPARE(serve.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.process().exitCode(), 0);
    }

    void connectAgainstPythonServer()
    {
        Child server(kPython, {peer(QStringLiteral("py_echo_server.py"))});
        const QString port = peerPort(server);
        QVERIFY(!port.isEmpty());
        Child connect(cli(), {QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:") + port + u'/'});
        connect.process().write("first\nzweite Zeile äöü\nthird\n");
        connect.process().closeWriteChannel();
        QVERIFY(connect.finish());
        QCOMPARE(connect.process().exitCode(), 0);
        QCOMPARE(connect.lines(), (QStringList{QStringLiteral("first"), QStringLiteral("zweite Zeile äöü"), QStringLiteral("third")}));
        QCOMPARE(server.waitLine(QStringLiteral("closed")), QStringLiteral("closed 1000"));
    }

    void connectAgainstNodeServerWithSubprotocolAndHeader()
    {
        Child server(QStringLiteral("node"), {peer(QStringLiteral("node_server.js")), QStringLiteral("echo")});
        const QString port = peerPort(server);
        QVERIFY(!port.isEmpty());
        Child connect(cli(), {QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:") + port + u'/', QStringLiteral("--subprotocol"),
                              QStringLiteral("chat"), QStringLiteral("--header"), QStringLiteral("X-Lab: 1"), QStringLiteral("--verbose")});
        // The header's echo comes first, as soon as the connection opens; then our lines.
        QCOMPARE(connect.waitLine(QStringLiteral("x-lab")), QStringLiteral("x-lab: 1"));
        connect.process().write("one\ntwo\n");
        connect.process().closeWriteChannel();
        QVERIFY(connect.finish());
        QCOMPARE(connect.process().exitCode(), 0);
        QCOMPARE(connect.lines(), (QStringList{QStringLiteral("x-lab: 1"), QStringLiteral("one"), QStringLiteral("two")}));
        QVERIFY2(connect.stderrText().contains(QStringLiteral("open subprotocol chat")), qPrintable(connect.stderrText()));
        QCOMPARE(server.waitLine(QStringLiteral("closed")), QStringLiteral("closed 1000"));
    }

    void refused401IsNotRetried_data()
    {
        QTest::addColumn<bool>("noReconnect");
        QTest::newRow("--no-reconnect") << true;
        QTest::newRow("reconnect on") << false;
    }

    void refused401IsNotRetried()
    {
        QFETCH(bool, noReconnect);
        Child server(QStringLiteral("node"), {peer(QStringLiteral("node_server.js")), QStringLiteral("reject")});
        const QString port = peerPort(server);
        QStringList args{QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:") + port + u'/', QStringLiteral("--reconnect-base"),
                         QStringLiteral("20")};
        if (noReconnect)
            args << QStringLiteral("--no-reconnect");
        Child connect(cli(), args);
        connect.process().closeWriteChannel();
        QVERIFY(connect.finish());
        QCOMPARE(connect.process().exitCode(), 1);
        QVERIFY2(connect.stderrText().contains(QStringLiteral("401")), qPrintable(connect.stderrText()));
        QVERIFY2(connect.stderrText().contains(QStringLiteral("not retrying")), qPrintable(connect.stderrText()));
        // The client has exited after one attempt; had it retried (every 20 ms) the server would have
        // counted more before the client gave up.
        QCOMPARE(server.waitLine(QStringLiteral("attempt")), QStringLiteral("attempt 1"));
        QCOMPARE(server.lines().filter(QStringLiteral("attempt")), QStringList{QStringLiteral("attempt 1")});
    }

    void badFlagsHelpAndVersion()
    {
        Child bad(cli(), {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("seventy")});
        QVERIFY(bad.finish());
        QCOMPARE(bad.process().exitCode(), 2);
        QCOMPARE(bad.stderrText().trimmed().count(u'\n'), 0);
        QVERIFY(bad.stderrText().startsWith(QStringLiteral("wslab-cli: serve: --port")));
        Child unknown(cli(), {QStringLiteral("connect"), QStringLiteral("ws://127.0.0.1:1/"), QStringLiteral("--frobnicate")});
        QVERIFY(unknown.finish());
        QCOMPARE(unknown.process().exitCode(), 2);
        for (const QStringList &args : {QStringList{QStringLiteral("--help")}, QStringList{QStringLiteral("--version")},
                                        QStringList{QStringLiteral("serve"), QStringLiteral("--help")},
                                        QStringList{QStringLiteral("connect"), QStringLiteral("--help")}}) {
            Child ok(cli(), args);
            QVERIFY(ok.finish());
            QCOMPARE(ok.process().exitCode(), 0);
            QVERIFY(!ok.lines().isEmpty());
        }
    }

    void oversizedMessageGets1009AndOthersKeepEchoing()
    {
        Child serve(cli(), {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--max-message-size"),
                            QStringLiteral("1024")});
        const QString url = serveUrl(serve);
        Child bystander(kPython, {peer(QStringLiteral("py_client.py")), QStringLiteral("hold"), url});
        QCOMPARE(bystander.waitLine(QStringLiteral("open")), QStringLiteral("open"));
        Child big(kPython, {peer(QStringLiteral("py_client.py")), QStringLiteral("oversize"), url, QStringLiteral("2048")});
        QCOMPARE(big.waitLine(QStringLiteral("closed")), QStringLiteral("closed 1009"));
        // The server is still fine for everyone else: a fresh echo round trip (small messages) works.
        Child after(cli(), {QStringLiteral("connect"), url});
        after.process().write("still here\n");
        after.process().closeWriteChannel();
        QVERIFY(after.finish());
        QCOMPARE(after.lines(), QStringList{QStringLiteral("still here")});
        QVERIFY(bystander.process().state() == QProcess::Running); // not dropped by the other's 1009
    }

    void wssWithLabCertificate()
    {
        QTemporaryDir dir;
        Child cert(cli(), {QStringLiteral("cert"), QStringLiteral("--out"), dir.path(), QStringLiteral("--host"), QStringLiteral("localhost"),
                           QStringLiteral("--host"), QStringLiteral("127.0.0.1")});
        QVERIFY(cert.finish());
        QCOMPARE(cert.process().exitCode(), 0);
        const QString ca = dir.filePath(QStringLiteral("ca.pem"));
        const QString certFile = dir.filePath(QStringLiteral("cert.pem"));
        const QString keyFile = dir.filePath(QStringLiteral("key.pem"));

        // python3-websockets, trusting only our CA, against wslab-cli serve over TLS.
        Child serve(cli(), {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--tls-cert"), certFile,
                            QStringLiteral("--tls-key"), keyFile});
        const QString url = serveUrl(serve);
        QVERIFY2(url.startsWith(QStringLiteral("wss://")), qPrintable(url));
        Child python(kPython, {peer(QStringLiteral("py_client.py")), QStringLiteral("tls"), url, ca});
        QVERIFY(python.finish());
        QCOMPARE(python.lines().value(0), QStringLiteral("echo ok"));

        // wslab-cli connect, trusting the same CA, against a node-ws server using our certificate.
        Child node(QStringLiteral("node"), {peer(QStringLiteral("node_server.js")), QStringLiteral("tls"), certFile, keyFile});
        const QString port = peerPort(node);
        Child connect(cli(), {QStringLiteral("connect"), QStringLiteral("wss://127.0.0.1:") + port + u'/', QStringLiteral("--ca"), ca});
        connect.process().write("over tls\n");
        connect.process().closeWriteChannel();
        QVERIFY(connect.finish());
        QCOMPARE(connect.process().exitCode(), 0);
        QCOMPARE(connect.lines(), QStringList{QStringLiteral("over tls")});
        QVERIFY2(connect.stderrText().contains(QStringLiteral("TLS: subject CN=localhost")), qPrintable(connect.stderrText()));
    }

    void tokenRefusedWithout401AndNeverLogged()
    {
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("serve.jsonl"));
        Child serve(cli(), {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--token"),
                            QStringLiteral("s3cret"), QStringLiteral("--log"), log, QStringLiteral("--verbose")});
        const QString url = serveUrl(serve);
        Child without(kPython, {peer(QStringLiteral("py_client.py")), QStringLiteral("token"), url});
        QCOMPARE(without.waitLine(QStringLiteral("status")), QStringLiteral("status 401"));
        Child wrong(kPython, {peer(QStringLiteral("py_client.py")), QStringLiteral("token"), url + QStringLiteral("?token=guess")});
        QCOMPARE(wrong.waitLine(QStringLiteral("status")), QStringLiteral("status 401"));
        Child with(kPython, {peer(QStringLiteral("py_client.py")), QStringLiteral("token"), url, QStringLiteral("s3cret")});
        QCOMPARE(with.waitLine(QStringLiteral("echo")), QStringLiteral("echo ok"));
        serve.process().terminate();
        QVERIFY(serve.finish());
        QFile file(log);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray written = file.readAll();
        QVERIFY(written.contains("\"kind\":\"refused\""));
        QVERIFY(!written.contains("s3cret"));
        QVERIFY(!written.contains("guess"));
        QVERIFY(!serve.stderrText().contains(QStringLiteral("s3cret")));
    }
};

QTEST_GUILESS_MAIN(tst_Interop)
#include "tst_Interop.moc"
