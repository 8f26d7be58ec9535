// A text message that is not UTF-8 ends the connection with 1007 (RFC 6455 §8.1), whole or with the
// bad sequence split across fragments, on our server and on our client; everyone else carries on.
#include "tests/support/HardeningTest.h"
#include "tests/support/RawHttp.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace wslab;
using namespace wslab::test;

namespace {

// Rows: the frames a peer sends, each {opcode, payload, fin}.
struct Fragment
{
    quint8 opcode;
    QByteArray payload;
    bool fin;
};
using Fragments = QList<Fragment>;

void addInvalidRows()
{
    QTest::addColumn<Fragments>("fragments");
    QTest::newRow("one frame, bad continuation byte") << Fragments{{Opcode::Text, "caf\xc3\x28", true}};
    QTest::newRow("one frame, overlong encoding") << Fragments{{Opcode::Text, "a\xc0\xafz", true}};
    QTest::newRow("one frame, surrogate") << Fragments{{Opcode::Text, "\xed\xa0\x80", true}};
    QTest::newRow("one frame, cut at the end") << Fragments{{Opcode::Text, "euro \xe2\x82", true}};
    // Each fragment alone is a valid beginning; the sequence breaks where they meet.
    QTest::newRow("split across fragments") << Fragments{{Opcode::Text, "first part \xe2\x82", false},
                                                         {Opcode::Continuation, "\x28 second part", true}};
    QTest::newRow("split, cut at the very end")
        << Fragments{{Opcode::Text, "first part ", false}, {Opcode::Continuation, "\xf0\x9f\x99", true}};
}

} // namespace

Q_DECLARE_METATYPE(Fragments)

class tst_InvalidUtf8 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serverClosesWith1007_data() { addInvalidRows(); }
    void serverClosesWith1007();
    void validUtf8SplitAcrossFragments_data();
    void validUtf8SplitAcrossFragments();
    void clientClosesWith1007_data() { addInvalidRows(); }
    void clientClosesWith1007();
};

void tst_InvalidUtf8::serverClosesWith1007()
{
    QFETCH(Fragments, fragments);
    Server server;
    Bystander bystander;
    QVERIFY(startWithBystander(server, loopbackServerConfig(), bystander));
    QSignalSpy serverText(&server, &Server::textReceived);
    RawPeer raw;
    const int rawId = upgradedPeerId(raw, server);
    QVERIFY(rawId > 0);
    for (const Fragment &f : fragments)
        raw.sendFrame(f.opcode, f.payload, true, f.fin);

    QTRY_COMPARE(raw.closeCode(), 1007);
    QCOMPARE(raw.messages(Opcode::Text).size(), 0); // nothing was echoed
    QCOMPARE(serverText.size(), 0);
    raw.sendFrame(Opcode::Close, closePayload(1007));
    QVERIFY(raw.waitForDisconnected());
    // The log says it, on the right peer.
    QTRY_COMPARE(server.peerCount(), 1);
    const QList<LogEvent> closes = eventsOfKind(server.log(), EventKind::Close);
    QCOMPARE(closes.size(), 1);
    QCOMPARE(closes.at(0).peer, rawId);
    QCOMPARE(closes.at(0).closeCode, 1007);
    // Others are not affected.
    QVERIFY(bystander.echoes(QStringLiteral("still here after a peer's bad UTF-8")));
}

void tst_InvalidUtf8::validUtf8SplitAcrossFragments_data()
{
    QTest::addColumn<Fragments>("fragments");
    QTest::addColumn<QString>("text");
    QTest::newRow("split between characters") << Fragments{{Opcode::Text, "price \xe2\x82\xac", false},
                                                           {Opcode::Continuation, " and \xf0\x9f\x99\x82", true}}
                                              << QStringLiteral("price € and 🙂");
    QTest::newRow("split inside é") << Fragments{{Opcode::Text, "caf\xc3", false}, {Opcode::Continuation, "\xa9", true}}
                                    << QStringLiteral("café");
    QTest::newRow("split inside €") << Fragments{{Opcode::Text, "price \xe2\x82", false}, {Opcode::Continuation, "\xac", true}}
                                    << QStringLiteral("price €");
}

void tst_InvalidUtf8::validUtf8SplitAcrossFragments()
{
    QFETCH(Fragments, fragments);
    QFETCH(QString, text);
    Server server;
    QVERIFY(startServer(server));
    RawPeer raw;
    QVERIFY(upgradedPeerId(raw, server) > 0);
    for (const Fragment &f : fragments)
        raw.sendFrame(f.opcode, f.payload, true, f.fin);
    QTRY_VERIFY(!raw.frames().isEmpty()); // the echo, or a close
    // Known, not ours to fix here: Qt 6.4.2 checks UTF-8 frame by frame, so a character cut between
    // fragments (which RFC 6455 allows: only the whole message must be valid) is refused with 1007.
    // When this passes (a fixed Qt, or a FrameGuard that moves a cut character whole into the next
    // fragment), drop the expectation.
    if (QByteArray(QTest::currentDataTag()).startsWith("split inside"))
        QEXPECT_FAIL("", "Qt 6.4 refuses a UTF-8 character split across fragments with 1007", Abort);
    QCOMPARE(raw.closeCode(), 0);
    QCOMPARE(raw.messages(Opcode::Text), QList<QByteArray>{text.toUtf8()});
}

void tst_InvalidUtf8::clientClosesWith1007()
{
    QFETCH(Fragments, fragments);
    // A hand-made server: answers the upgrade, then sends the frames unmasked, as a server does.
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    QTcpSocket *peer = nullptr;
    QByteArray head;
    QByteArray fromClient; // after the head: the client's frames
    connect(&listener, &QTcpServer::newConnection, &listener, [&] {
        peer = listener.nextPendingConnection();
        connect(peer, &QTcpSocket::readyRead, &listener, [&] {
            if (head.endsWith("\r\n\r\n")) {
                fromClient += peer->readAll();
                return;
            }
            head += peer->readAll();
            const qsizetype end = head.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            fromClient = head.mid(end + 4);
            head.truncate(end + 4);
            QByteArray answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: " +
                                acceptKeyFor(headerValue(head, "Sec-WebSocket-Key")) + "\r\n\r\n";
            for (const Fragment &f : fragments)
                answer += encodeFrame(f.opcode, f.payload, false, f.fin);
            peer->write(answer);
        });
    });

    Client client(QStringLiteral("client 1"));
    ClientConfig config = fastClientConfig(loopbackUrl(listener.serverPort(), QStringLiteral("/")));
    config.reconnect.enabled = false;
    client.setConfig(config);
    QSignalSpy texts(&client, &Client::textReceived);
    QVERIFY(client.open());

    // The client sends close 1007 and reports it; no text reaches the user.
    const auto framesSoFar = [&fromClient] {
        QByteArray copy = fromClient;
        return takeFrames(&copy);
    };
    QTRY_VERIFY(!framesSoFar().isEmpty());
    const QList<RawFrame> sent = framesSoFar();
    QCOMPARE(sent.at(0).opcode, quint8(Opcode::Close));
    QCOMPARE(sent.at(0).closeCode(), 1007);
    QCOMPARE(texts.size(), 0);
    QTRY_COMPARE(client.state(), Client::State::Idle);
    QCOMPARE(eventsOfKind(client.log(), EventKind::Text).size(), 0);
    const QList<LogEvent> closes = eventsOfKind(client.log(), EventKind::Close);
    QCOMPARE(closes.size(), 1);
    QCOMPARE(closes.at(0).closeCode, 1007);
}

QTEST_GUILESS_MAIN(tst_InvalidUtf8)
#include "tst_InvalidUtf8.moc"
