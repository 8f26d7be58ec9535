// wslab-cli convert and replay as a user runs them: a recorded session becomes a HAR with one
// WebSocket entry and back without losing a message, a HAR shaped like Chrome's converts, a replay
// against `wslab-cli serve` gets every message echoed in the recorded order at any speed, carries the
// headers, origin and subprotocols asked for, reaches a wss:// server whose CA it is given, a dead
// server exits 1, and bad files and flags exit 2 with one line.
#include "tests/support/ChildProcess.h"
#include "tests/support/HarRecording.h"
#include "tests/support/WsLabTest.h"

#include <QJsonArray>

using namespace wslab::test;

namespace {

// The text messages of a --log file, one direction, in order.
QStringList texts(const QString &logPath, const QString &dir)
{
    QStringList out;
    for (const QJsonObject &e : logEvents(logPath, QStringLiteral("text")))
        if (e[u"dir"].toString() == dir)
            out << e[u"text"].toString();
    return out;
}

// Runs wslab-cli to its end; the exit code, -1 when it crashed or hung.
int exitCodeOf(Child &child)
{
    return child.finish() ? child.process().exitCode() : -1;
}

} // namespace

class tst_HarReplay : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFileInfo(cli()).isExecutable(), "WSLAB_CLI must name the wslab-cli binary"); }

    void convertsARecordedSessionBothWays()
    {
        Serve serve;
        QVERIFY(!serve.url().isEmpty());
        QTemporaryDir dir;
        const QString recorded = dir.filePath(QStringLiteral("session.jsonl"));
        Child connect({QStringLiteral("connect"), serve.url(), QStringLiteral("--log"), recorded});
        connect.process().write("one\ntwo\nthree\n");
        connect.process().closeWriteChannel();
        QCOMPARE(exitCodeOf(connect), 0);
        const QStringList sent{QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")};
        QCOMPARE(texts(recorded, QStringLiteral("out")), sent);

        const QString har = dir.filePath(QStringLiteral("session.har"));
        Child toHar({QStringLiteral("convert"), recorded, har});
        QVERIFY2(exitCodeOf(toHar) == 0, qPrintable(toHar.stderrText()));
        QFile harFile(har);
        QVERIFY(harFile.open(QIODevice::ReadOnly));
        const QJsonArray entries = QJsonDocument::fromJson(harFile.readAll())[u"log"][u"entries"].toArray();
        QCOMPARE(entries.size(), 1);
        const QJsonObject entry = entries.first().toObject();
        QCOMPARE(entry[u"_resourceType"].toString(), QStringLiteral("websocket"));
        QCOMPARE(entry[u"request"][u"url"].toString(), serve.url());
        QCOMPARE(entry[u"response"][u"status"].toInt(), 101);
        QStringList harSent;
        QStringList harReceived;
        for (const QJsonValue &m : entry[u"_webSocketMessages"].toArray())
            (m[u"type"].toString() == u"send" ? harSent : harReceived) << m[u"data"].toString();
        QCOMPARE(harSent, sent);
        QCOMPARE(harReceived, sent);

        const QString back = dir.filePath(QStringLiteral("back.jsonl"));
        Child toJsonLines({QStringLiteral("convert"), har, back});
        QVERIFY2(exitCodeOf(toJsonLines) == 0, qPrintable(toJsonLines.stderrText()));
        QCOMPARE(texts(back, QStringLiteral("out")), sent);
        QCOMPARE(texts(back, QStringLiteral("in")), texts(recorded, QStringLiteral("in")));
        QCOMPARE(logEvents(back, QStringLiteral("handshake")).size(), 1);
        QCOMPARE(logEvents(back, QStringLiteral("open")).size(), 1);
    }

    void convertsAChromeHarKeepingOneConnection()
    {
        QTemporaryDir dir;
        const QString har = writeFile(dir, QStringLiteral("chrome.har"), recordingHar());
        const QString out = dir.filePath(QStringLiteral("second.jsonl"));
        Child convert({QStringLiteral("convert"), har, out, QStringLiteral("--connection"), QStringLiteral("2")});
        QVERIFY2(exitCodeOf(convert) == 0, qPrintable(convert.stderrText()));
        QCOMPARE(texts(out, QStringLiteral("out")), (QStringList{QStringLiteral("b1"), QStringLiteral("b2"), QStringLiteral("b3")}));
        QCOMPARE(logEvents(out, QStringLiteral("handshake")).size(), 1);
    }

    void replayGetsEveryEchoInOrder_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("speed");
        QTest::addColumn<QString>("connection");
        QTest::addColumn<QStringList>("expected");
        const QStringList first{QStringLiteral("a1"), QStringLiteral("a2")};
        const QStringList second{QStringLiteral("b1"), QStringLiteral("b2"), QStringLiteral("b3")};
        QTest::newRow("HAR, recorded pace") << QStringLiteral("har") << QStringLiteral("1") << QString() << first;
        QTest::newRow("HAR, 4 times faster, second") << QStringLiteral("har") << QStringLiteral("4") << QStringLiteral("2") << second;
        QTest::newRow("JSON Lines, max") << QStringLiteral("jsonl") << QStringLiteral("max") << QStringLiteral("2") << second;
        QTest::newRow("JSON Lines, 0") << QStringLiteral("jsonl") << QStringLiteral("0") << QString() << first;
    }

    void replayGetsEveryEchoInOrder()
    {
        QFETCH(QString, format);
        QFETCH(QString, speed);
        QFETCH(QString, connection);
        QFETCH(QStringList, expected);
        QTemporaryDir dir;
        QString recording = writeFile(dir, QStringLiteral("recording.har"), recordingHar());
        if (format == u"jsonl") {
            const QString jsonl = dir.filePath(QStringLiteral("recording.jsonl"));
            Child convert({QStringLiteral("convert"), recording, jsonl});
            QCOMPARE(exitCodeOf(convert), 0);
            recording = jsonl;
        }
        Serve serve;
        QVERIFY(!serve.url().isEmpty());
        const QString log = dir.filePath(QStringLiteral("replay.jsonl"));
        QStringList args{QStringLiteral("replay"),  recording, QStringLiteral("--url"), serve.url(),
                         QStringLiteral("--speed"), speed,     QStringLiteral("--log"), log};
        if (!connection.isEmpty())
            args << QStringLiteral("--connection") << connection;
        Child replay(args);
        QVERIFY2(exitCodeOf(replay) == 0, qPrintable(replay.stderrText()));
        QCOMPARE(texts(log, QStringLiteral("out")), expected);
        QCOMPARE(texts(log, QStringLiteral("in")), expected); // the echoes, in the order sent
        QCOMPARE(replay.lines(), expected); // and on stdout, one line each, as connect prints them
    }

    // The handshake options of connect: the server sees the header and agrees on the subprotocol.
    void replaySendsTheHeadersAndSubprotocolsAsked()
    {
        QTemporaryDir dir;
        const QString recording = writeFile(dir, QStringLiteral("recording.har"), recordingHar());
        const QString serveLog = dir.filePath(QStringLiteral("serve.jsonl"));
        Serve serve({QStringLiteral("--subprotocol"), QStringLiteral("lab.v2"), QStringLiteral("--log"), serveLog});
        QVERIFY(!serve.url().isEmpty());
        Child replay({QStringLiteral("replay"), recording, QStringLiteral("--url"), serve.url(), QStringLiteral("--speed"),
                      QStringLiteral("max"), QStringLiteral("--header"), QStringLiteral("X-Replay: yes"), QStringLiteral("--subprotocol"),
                      QStringLiteral("lab.v1"), QStringLiteral("--subprotocol"), QStringLiteral("lab.v2"), QStringLiteral("--origin"),
                      QStringLiteral("http://lab.example")});
        QVERIFY2(exitCodeOf(replay) == 0, qPrintable(replay.stderrText()));
        QCOMPARE(replay.lines(), (QStringList{QStringLiteral("a1"), QStringLiteral("a2")}));
        QTRY_COMPARE(logEvents(serveLog, QStringLiteral("open")).size(), 1);
        QList<QJsonObject> requests = logEvents(serveLog, QStringLiteral("handshake")); // the request in, the answer out
        requests.removeIf([](const QJsonObject &e) { return e[u"dir"].toString() != u"in"; });
        QCOMPARE(requests.size(), 1);
        const QByteArray head = QByteArray::fromBase64(requests.first()[u"base64"].toString().toLatin1());
        QVERIFY2(head.contains("X-Replay: yes"), head.constData());
        QVERIFY2(head.contains("Origin: http://lab.example"), head.constData());
        const QString open = logEvents(serveLog, QStringLiteral("open")).first()[u"detail"].toString();
        QVERIFY2(open.contains(QStringLiteral("lab.v2")), qPrintable(open));
    }

    // wss:// to `serve --tls` with a lab certificate: trusted with --ca, refused without it.
    void replayOverTlsTrustsTheCaGiven()
    {
        QTemporaryDir dir;
        const QString recording = writeFile(dir, QStringLiteral("recording.har"), recordingHar());
        const QString certs = dir.filePath(QStringLiteral("certs"));
        Child cert({QStringLiteral("cert"), QStringLiteral("--out"), certs, QStringLiteral("--host"), QStringLiteral("127.0.0.1")});
        QVERIFY2(exitCodeOf(cert) == 0, qPrintable(cert.stderrText()));
        Serve serve({QStringLiteral("--tls-cert"), certs + QStringLiteral("/cert.pem"), QStringLiteral("--tls-key"),
                     certs + QStringLiteral("/key.pem")});
        QVERIFY2(serve.url().startsWith(QStringLiteral("wss://127.0.0.1:")), qPrintable(serve.url()));
        const QString log = dir.filePath(QStringLiteral("replay.jsonl"));
        Child trusted({QStringLiteral("replay"), recording, QStringLiteral("--url"), serve.url(), QStringLiteral("--speed"),
                       QStringLiteral("max"), QStringLiteral("--ca"), certs + QStringLiteral("/ca.pem"), QStringLiteral("--log"), log});
        QVERIFY2(exitCodeOf(trusted) == 0, qPrintable(trusted.stderrText()));
        QCOMPARE(texts(log, QStringLiteral("in")), (QStringList{QStringLiteral("a1"), QStringLiteral("a2")}));

        Child untrusted(
            {QStringLiteral("replay"), recording, QStringLiteral("--url"), serve.url(), QStringLiteral("--speed"), QStringLiteral("max")});
        QCOMPARE(exitCodeOf(untrusted), 1);
        QVERIFY2(untrusted.stderrText().contains(QStringLiteral("0 of 2 messages sent")), qPrintable(untrusted.stderrText()));
    }

    void replayExitsOneWhenTheServerIsGone()
    {
        QTemporaryDir dir;
        const QString recording = writeFile(dir, QStringLiteral("recording.har"), recordingHar());
        const quint16 port = closedPort();
        QVERIFY(port != 0);
        Child replay({QStringLiteral("replay"), recording, QStringLiteral("--url"), QStringLiteral("ws://127.0.0.1:%1/").arg(port)});
        QCOMPARE(exitCodeOf(replay), 1);
        QVERIFY2(replay.stderrText().contains(QStringLiteral("0 of 2 messages sent")), qPrintable(replay.stderrText()));
    }

    void badFilesAndFlagsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString har = QStringLiteral("$DIR/recording.har");
        const QString url = QStringLiteral("ws://127.0.0.1:9/");
        auto replay = [&](const QStringList &extra) { return QStringList{QStringLiteral("replay")} + extra; };
        QTest::newRow("replay without --url") << replay({har}) << QStringLiteral("--url is required");
        QTest::newRow("replay without file") << replay({QStringLiteral("--url"), url}) << QStringLiteral("missing FILE");
        QTest::newRow("negative speed") << replay({har, QStringLiteral("--url"), url, QStringLiteral("--speed"), QStringLiteral("-1")})
                                        << QStringLiteral("--speed");
        QTest::newRow("speed a word") << replay({har, QStringLiteral("--url"), url, QStringLiteral("--speed"), QStringLiteral("fast")})
                                      << QStringLiteral("--speed");
        QTest::newRow("connection 0") << replay({har, QStringLiteral("--url"), url, QStringLiteral("--connection"), QStringLiteral("0")})
                                      << QStringLiteral("--connection");
        QTest::newRow("connection 3 of 2") << replay(
                                                  {har, QStringLiteral("--url"), url, QStringLiteral("--connection"), QStringLiteral("3")})
                                           << QStringLiteral("from 1 to 2");
        QTest::newRow("header without colon") << replay({har, QStringLiteral("--url"), url, QStringLiteral("--header"),
                                                         QStringLiteral("X-Nothing")})
                                              << QStringLiteral("--header expects 'Name: value'");
        QTest::newRow("bad subprotocol") << replay(
                                                {har, QStringLiteral("--url"), url, QStringLiteral("--subprotocol"), QStringLiteral("a b")})
                                         << QStringLiteral("subprotocol");
        QTest::newRow("CA file with ws://") << replay({har, QStringLiteral("--url"), url, QStringLiteral("--ca"),
                                                       QStringLiteral("$DIR/ca.pem")})
                                            << QStringLiteral("only makes sense with a wss:// URL");
        QTest::newRow("bad url") << replay({har, QStringLiteral("--url"), QStringLiteral("ftp://x/")}) << QStringLiteral("--url");
        QTest::newRow("missing file") << replay({QStringLiteral("$DIR/none.har"), QStringLiteral("--url"), url})
                                      << QStringLiteral("none.har");
        QTest::newRow("malformed HAR") << replay({QStringLiteral("$DIR/broken.har"), QStringLiteral("--url"), url})
                                       << QStringLiteral("not a HAR file");
        QTest::newRow("convert, one file") << QStringList{QStringLiteral("convert"), har} << QStringLiteral("expects IN and OUT");
        QTest::newRow("convert, malformed HAR")
            << QStringList{QStringLiteral("convert"), QStringLiteral("$DIR/broken.har"), QStringLiteral("$DIR/x.jsonl")}
            << QStringLiteral("broken.har: not a HAR file");
        QTest::newRow("convert, bad JSON Lines")
            << QStringList{QStringLiteral("convert"), QStringLiteral("$DIR/broken.jsonl"), QStringLiteral("$DIR/x.har")}
            << QStringLiteral("broken.jsonl");
    }

    void badFilesAndFlagsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QTemporaryDir dir;
        writeFile(dir, QStringLiteral("recording.har"), recordingHar());
        writeFile(dir, QStringLiteral("broken.har"), R"({"log": {"pages": []}})");
        writeFile(dir, QStringLiteral("broken.jsonl"), "{\"v\":2,\"kind\":\"no such kind\"}\n");
        args.replaceInStrings(QStringLiteral("$DIR"), dir.path());
        Child child(args);
        QCOMPARE(exitCodeOf(child), 2);
        const QString err = child.stderrText();
        QVERIFY2(err.startsWith(QStringLiteral("wslab-cli: ")) && err.count(u'\n') == 1, qPrintable(err));
        QVERIFY2(err.contains(message), qPrintable(err));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("x.jsonl"))) && !QFileInfo::exists(dir.filePath(QStringLiteral("x.har"))));
    }
};

QTEST_GUILESS_MAIN(tst_HarReplay)
#include "tst_HarReplay.moc"
