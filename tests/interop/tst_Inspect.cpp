// wslab-cli inspect between peers nobody here wrote: a python-websockets client and a node-ws echo
// server, each a child process on 127.0.0.1. What passes must arrive intact, every frame must be in
// the --log file with its fields, and each fault must show at the peers as a user expects it to.
#include "tests/support/ChildProcess.h"

#include <QDir>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace wslab::test;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

QString peer(const QString &name)
{
    return QDir(qEnvironmentVariable("WSLAB_PEERS_DIR")).filePath(name);
}

// A node-ws echo server and wslab-cli inspect in front of it, with these extra inspect arguments.
struct RelayedEcho
{
    QTemporaryDir dir;
    std::unique_ptr<Child> server;
    std::unique_ptr<Child> inspect;
    QString url; // where clients connect
    QString logPath;

    bool start(const QStringList &extra)
    {
        server =
            std::make_unique<Child>(QStringLiteral("node"), QStringList{peer(QStringLiteral("node_server.js")), QStringLiteral("echo")});
        const QString port = server->waitLine(QStringLiteral("port ")).mid(5);
        if (port.isEmpty())
            return false;
        logPath = dir.filePath(QStringLiteral("inspect.jsonl"));
        inspect = std::make_unique<Child>(QStringList{QStringLiteral("inspect"), QStringLiteral("--listen"), QStringLiteral("0"),
                                                      QStringLiteral("--target"), QStringLiteral("ws://127.0.0.1:") + port,
                                                      QStringLiteral("--log"), logPath} +
                                          extra);
        const QString line = inspect->waitLine(QStringLiteral("listening on "));
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("^listening on (ws://127\\.0\\.0\\.1:\\d+) -> ws://127\\.0\\.0\\.1:\\d+$")).match(line);
        url = m.captured(1);
        return m.hasMatch();
    }

    QList<QJsonObject> frames(const QString &from, int opcode) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &e : logEvents(logPath, QStringLiteral("frame"))) {
            if (e[u"from"].toString() == from && e[u"opcode"].toInt() == opcode)
                out << e;
        }
        return out;
    }
};

} // namespace

class tst_Inspect : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(peer(QStringLiteral("py_inspect_client.py"))), "WSLAB_PEERS_DIR does not point at tests/interop/peers");
        QVERIFY2(QFileInfo(cli()).isExecutable(), "WSLAB_CLI does not point at wslab-cli");
    }

    void badArgumentsExitTwoWithOneLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no target") << QStringList{QStringLiteral("--listen"), QStringLiteral("0")};
        QTest::newRow("bad port") << QStringList{QStringLiteral("--listen"), QStringLiteral("70000"), QStringLiteral("--target"),
                                                 QStringLiteral("ws://127.0.0.1:1")};
        QTest::newRow("http target") << QStringList{QStringLiteral("--listen"), QStringLiteral("0"), QStringLiteral("--target"),
                                                    QStringLiteral("ftp://x")};
        QTest::newRow("reserved close code") << QStringList{QStringLiteral("--listen"),      QStringLiteral("0"),
                                                            QStringLiteral("--target"),      QStringLiteral("ws://127.0.0.1:1"),
                                                            QStringLiteral("--close-after"), QStringLiteral("1:1006")};
        QTest::newRow("insecure on ws") << QStringList{QStringLiteral("--listen"), QStringLiteral("0"), QStringLiteral("--target"),
                                                       QStringLiteral("ws://127.0.0.1:1"), QStringLiteral("--insecure")};
    }
    void badArgumentsExitTwoWithOneLine()
    {
        QFETCH(QStringList, args);
        Child inspect(QStringList{QStringLiteral("inspect")} + args);
        QVERIFY(inspect.finish(10000));
        QCOMPARE(inspect.process().exitCode(), 2);
        const QStringList err = inspect.stderrText().split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(err.size(), 1);
        QVERIFY2(err.first().startsWith(QStringLiteral("wslab-cli: inspect")), qPrintable(err.first()));
        QVERIFY(inspect.stdoutText().isEmpty());
    }

    void messagesArriveIntactAndEveryFrameIsLogged()
    {
        RelayedEcho lab;
        QVERIFY(lab.start({}));
        // Text, UTF-8, 1 MiB, binary, fragmented and a ping, each checked at the python end.
        Child client(kPython, {peer(QStringLiteral("py_client.py")), QStringLiteral("echo"), lab.url});
        QCOMPARE(client.waitLine(QStringLiteral("echo ok"), 30000), QStringLiteral("echo ok"));
        QCOMPARE(client.waitLine(QStringLiteral("closed")), QStringLiteral("closed 1000"));
        QCOMPARE(lab.server->waitLine(QStringLiteral("closed")), QStringLiteral("closed 1000"));

        QTRY_VERIFY_WITH_TIMEOUT(lab.frames(QStringLiteral("server"), 8).size() == 1, 10000); // the close, both ways
        QCOMPARE(logEvents(lab.logPath, QStringLiteral("handshake")).size(), 2);

        const QList<QJsonObject> clientText = lab.frames(QStringLiteral("client"), 1);
        QVERIFY(clientText.size() >= 4); // hello, UTF-8, 1 MiB, the first fragment
        const QJsonObject hello = clientText.first();
        QCOMPARE(hello[u"text"].toString(), QStringLiteral("hello"));
        QCOMPARE(hello[u"fin"].toBool(), true);
        QCOMPARE(hello[u"rsv"].toInt(), 0);
        QCOMPARE(hello[u"masked"].toBool(), true);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{8}$")).match(hello[u"mask_key"].toString()).hasMatch());
        QCOMPARE(hello[u"length"].toInt(), 5);
        QCOMPARE(hello[u"header_size"].toInt(), 6);
        QVERIFY(!hello.contains(u"error"));
        QCOMPARE(clientText.at(1)[u"text"].toString(), QStringLiteral("grüße, 世界 🙂"));
        QCOMPARE(clientText.at(2)[u"length"].toInt(), 1024 * 1024);
        QCOMPARE(clientText.at(2)[u"header_size"].toInt(), 14);

        const QList<QJsonObject> serverText = lab.frames(QStringLiteral("server"), 1);
        QVERIFY(serverText.size() >= 4);
        QCOMPARE(serverText.first()[u"text"].toString(), QStringLiteral("hello"));
        QCOMPARE(serverText.first()[u"masked"].toBool(), false);
        QVERIFY(!serverText.first().contains(u"mask_key"));
        QCOMPARE(serverText.first()[u"header_size"].toInt(), 2);
        QCOMPARE(serverText.at(2)[u"header_size"].toInt(), 10);

        const QList<QJsonObject> binary = lab.frames(QStringLiteral("client"), 2);
        QCOMPARE(binary.size(), 1);
        QCOMPARE(binary.first()[u"base64"].toString(), QStringLiteral("AAH+/w=="));
        // ["frag", "mented ", "grüße"]: a text frame without FIN, then continuations, the last with FIN.
        const QJsonObject first = clientText.last();
        QCOMPARE(first[u"text"].toString(), QStringLiteral("frag"));
        QCOMPARE(first[u"fin"].toBool(), false);
        // python-websockets ends a fragmented message with an empty continuation frame.
        const QList<QJsonObject> continuations = lab.frames(QStringLiteral("client"), 0);
        QCOMPARE(continuations.size(), 3);
        QCOMPARE(continuations.at(0)[u"base64"].toString(), QStringLiteral("bWVudGVkIA==")); // "mented ": only opcode 1 frames are text
        QCOMPARE(continuations.at(0)[u"fin"].toBool(), false);
        QCOMPARE(continuations.at(2)[u"fin"].toBool(), true);
        QCOMPARE(continuations.at(2)[u"length"].toInt(), 0);
        QCOMPARE(lab.frames(QStringLiteral("client"), 9).value(0)[u"base64"].toString(), QStringLiteral("d3NsYWI=")); // ping "wslab"
        QCOMPARE(lab.frames(QStringLiteral("server"), 10).value(0)[u"base64"].toString(), QStringLiteral("d3NsYWI="));
        // One stderr line per frame.
        QVERIFY(lab.inspect->stderrText().count(QStringLiteral(" frame client→server ")) >= clientText.size());

        ::kill(pid_t(lab.inspect->process().processId()), SIGTERM);
        QVERIFY(lab.inspect->finish(10000));
        QCOMPARE(lab.inspect->process().exitCode(), 0);
    }

    void refragmentedAndSlicedMessagesArriveTheSame_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("logged");
        QTest::newRow("fragment 3") << QStringList{QStringLiteral("--fragment"), QStringLiteral("3")}
                                    << QStringLiteral("re-fragmented a text message of 4096 bytes from the client into 3 frames");
        QTest::newRow("slice 1") << QStringList{QStringLiteral("--slice"), QStringLiteral("1")}
                                 << QStringLiteral("slicing: writing what the server sends 1 bytes at a time");
    }
    void refragmentedAndSlicedMessagesArriveTheSame()
    {
        QFETCH(QStringList, flags);
        QFETCH(QString, logged);
        RelayedEcho lab;
        QVERIFY(lab.start(flags));
        // Checked at the python end: text, UTF-8, 4 KiB, binary and a message python sent fragmented.
        Child client(kPython, {peer(QStringLiteral("py_inspect_client.py")), QStringLiteral("echo"), lab.url});
        QCOMPARE(client.waitLine(QStringLiteral("echo "), 60000), QStringLiteral("echo ok"));
        QCOMPARE(client.waitLine(QStringLiteral("closed")), QStringLiteral("closed 1000"));
        QCOMPARE(lab.server->waitLine(QStringLiteral("closed")), QStringLiteral("closed 1000"));
        QVERIFY2(lab.inspect->stderrText().contains(logged), qPrintable(lab.inspect->stderrText().right(2000)));
    }

    void withheldPongsMakeTheKeepaliveFail()
    {
        RelayedEcho lab;
        QVERIFY(lab.start({QStringLiteral("--drop-pongs")}));
        Child client(kPython, {peer(QStringLiteral("py_inspect_client.py")), QStringLiteral("keepalive"), lab.url});
        QCOMPARE(client.waitLine(QStringLiteral("open")), QStringLiteral("open"));
        // 1011 is what python-websockets sends when its keepalive ping got no pong in time.
        QVERIFY(client.waitLine(QStringLiteral("closed")).startsWith(QStringLiteral("closed 1011 ")));
        QVERIFY(lab.inspect->stderrText().contains(QStringLiteral("withheld a pong from the server")));
    }

    void cutGivesAbnormalClosureAtBothPeers()
    {
        RelayedEcho lab;
        QVERIFY(lab.start({QStringLiteral("--cut-after"), QStringLiteral("1")}));
        Child client(kPython, {peer(QStringLiteral("py_inspect_client.py")), QStringLiteral("send"), lab.url});
        QCOMPARE(client.waitLine(QStringLiteral("closed")), QStringLiteral("closed 1006"));
        QCOMPARE(lab.server->waitLine(QStringLiteral("closed")), QStringLiteral("closed 1006"));
    }

    void injectedCloseArrivesAsItsCode()
    {
        RelayedEcho lab;
        QVERIFY(lab.start({QStringLiteral("--close-after"), QStringLiteral("1:4001:lab")}));
        Child client(kPython, {peer(QStringLiteral("py_inspect_client.py")), QStringLiteral("send"), lab.url});
        QCOMPARE(client.waitLine(QStringLiteral("closed")), QStringLiteral("closed 4001"));
        // The client answers the Close it got; the server sees that answer.
        QCOMPARE(lab.server->waitLine(QStringLiteral("closed")), QStringLiteral("closed 4001"));
    }

    void latencyShowsInTheRoundTrip()
    {
        RelayedEcho lab;
        QVERIFY(lab.start({QStringLiteral("--latency"), QStringLiteral("200")}));
        Child client(kPython, {peer(QStringLiteral("py_inspect_client.py")), QStringLiteral("rtt"), lab.url});
        const QString line = client.waitLine(QStringLiteral("rtt "));
        QVERIFY2(!line.isEmpty(), qPrintable(client.stderrText()));
        // A lower bound only: how much more it takes depends on the machine.
        QVERIFY2(line.mid(4).toInt() >= 200, qPrintable(line));
    }

    void blackHoleIsFoundOnlyByAHeartbeat()
    {
        RelayedEcho lab;
        QVERIFY(lab.start({QStringLiteral("--blackhole-after"), QStringLiteral("300")}));
        Child watcher(kPython, {peer(QStringLiteral("py_inspect_client.py")), QStringLiteral("keepalive"), lab.url});
        Child holder(kPython, {peer(QStringLiteral("py_client.py")), QStringLiteral("hold"), lab.url});
        QCOMPARE(watcher.waitLine(QStringLiteral("open")), QStringLiteral("open"));
        QCOMPARE(holder.waitLine(QStringLiteral("open")), QStringLiteral("open"));
        // The client with a keepalive gives up (1011 sent, no close received); the one without and the
        // server have noticed nothing: TCP is still open.
        QCOMPARE(watcher.waitLine(QStringLiteral("closed")), QStringLiteral("closed 1011 1006"));
        QVERIFY(!holder.stdoutText().contains(QStringLiteral("closed")));
        QVERIFY(holder.process().state() == QProcess::Running);
        QVERIFY(!lab.server->stdoutText().contains(QStringLiteral("closed")));
    }
};

QTEST_GUILESS_MAIN(tst_Inspect)
#include "tst_Inspect.moc"
