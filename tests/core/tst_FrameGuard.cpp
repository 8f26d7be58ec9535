#include "tests/support/HardeningTest.h"

#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using namespace wslab::test;

// The FrameGuard enforces RFC 6455 §5.1, which Qt 6.4 does not: a server closes with 1002 on a frame a
// client did not mask. It follows frame boundaries in the byte stream without reading, so it must
// neither miss a bad frame nor mistake a payload byte for a header.
class tst_FrameGuard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void unmaskedFrameClosesWith1002_data();
    void unmaskedFrameClosesWith1002();
    void maskedFramesOfEveryLengthPass();
};

void tst_FrameGuard::unmaskedFrameClosesWith1002_data()
{
    QTest::addColumn<quint8>("opcode");
    QTest::addColumn<bool>("sameRead"); // the masked message and the bad frame arrive together
    QTest::newRow("text, after the echo") << quint8(Opcode::Text) << false;
    QTest::newRow("text, in the same read") << quint8(Opcode::Text) << true;
    QTest::newRow("binary, in the same read") << quint8(Opcode::Binary) << true;
    QTest::newRow("ping, in the same read") << quint8(Opcode::Ping) << true;
    // The masked first fragment's message never completes, so it is never delivered.
    QTest::newRow("continuation of a masked fragment") << quint8(Opcode::Continuation) << true;
}

void tst_FrameGuard::unmaskedFrameClosesWith1002()
{
    QFETCH(quint8, opcode);
    QFETCH(bool, sameRead);
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithBystander(server, loopbackServerConfig(), bystander));
    QSignalSpy serverText(&server, &wslab::Server::textReceived);
    QSignalSpy serverBinary(&server, &wslab::Server::binaryReceived);
    RawPeer raw;
    const int rawId = upgradedPeerId(raw, server);
    QVERIFY(rawId > 0);

    const QByteArray masked = encodeFrame(Opcode::Text, "masked, just before");
    QByteArray unmasked = encodeFrame(opcode, "not masked", false);
    if (opcode == Opcode::Continuation)
        unmasked.prepend(encodeFrame(Opcode::Text, "first fragment, ", true, false));
    if (sameRead) {
        raw.send(masked + unmasked);
    } else {
        raw.send(masked);
        QTRY_COMPARE(raw.messages(Opcode::Text).size(), 1);
        raw.send(unmasked);
    }

    QTRY_COMPARE(raw.closeCode(), 1002);
    QVERIFY(raw.answerClose());
    QVERIFY(raw.waitForDisconnected());
    QCOMPARE(raw.messages(Opcode::Text), QList<QByteArray>{"masked, just before"});
    QCOMPARE(raw.messages(Opcode::Pong).size(), 0); // an unmasked ping is not answered
    QCOMPARE(serverText.size(), 1);
    QCOMPARE(serverText.at(0).at(1).toString(), QStringLiteral("masked, just before"));
    QCOMPARE(serverBinary.size(), 0);

    const auto errors = eventsOfKind(server.log(), wslab::EventKind::Error);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0).closeCode, 1002);
    QVERIFY2(errors.at(0).detail.endsWith(QStringLiteral("unmasked frame from a client (RFC 6455 §5.1)")), qPrintable(errors.at(0).detail));
    QTRY_COMPARE(server.peerCount(), 1);
    const auto closes = eventsOfKind(server.log(), wslab::EventKind::Close);
    QCOMPARE(closes.size(), 1);
    QCOMPARE(closes.at(0).peer, rawId);
    QCOMPARE(closes.at(0).direction, wslab::Direction::Out);
    QCOMPARE(closes.at(0).closeCode, 1002);

    QVERIFY(bystander.echoes(QStringLiteral("after 1002")));
}

// Every length encoding (7 bit, 16 bit, 64 bit) and their edges, fragments and a ping, all in one read:
// a guard that lost a frame boundary would read a payload byte as a header and see a clear mask bit.
void tst_FrameGuard::maskedFramesOfEveryLengthPass()
{
    wslab::Server server;
    QVERIFY(startServer(server, loopbackServerConfig()));
    RawPeer raw;
    QVERIFY(raw.upgrade(server.port()));
    QTRY_COMPARE(server.peerCount(), 1);

    QByteArray stream;
    QList<QByteArray> expected;
    for (int size : {0, 1, 125, 126, 127, 65535, 65536, 200000}) {
        // Payload bytes with the mask bit clear everywhere, which is what a lost boundary would trip on.
        const QByteArray payload(size, char(0x01));
        stream += encodeFrame(Opcode::Binary, payload);
        expected << payload;
    }
    stream += encodeFrame(Opcode::Text, "frag", true, false);
    stream += encodeFrame(Opcode::Ping, "ping in the middle");
    stream += encodeFrame(Opcode::Continuation, QByteArray(300, 'm'), true, false);
    stream += encodeFrame(Opcode::Continuation, "ent", true, true);
    raw.send(stream);

    QTRY_COMPARE(raw.messages(Opcode::Binary).size(), expected.size());
    QCOMPARE(raw.messages(Opcode::Binary), expected);
    QTRY_COMPARE(raw.messages(Opcode::Text).size(), 1);
    QCOMPARE(raw.messages(Opcode::Text).first(), "frag" + QByteArray(300, 'm') + "ent");
    QCOMPARE(raw.messages(Opcode::Pong), QList<QByteArray>{"ping in the middle"});
    QCOMPARE(raw.closeCode(), 0);
    QCOMPARE(countOfKind(server.log(), wslab::EventKind::Error), 0);
    QCOMPARE(server.peerCount(), 1);

    // And the guard still judges the frame after all of them.
    raw.sendFrame(Opcode::Text, "late and unmasked", false);
    QTRY_COMPARE(raw.closeCode(), 1002);
}

QTEST_GUILESS_MAIN(tst_FrameGuard)
#include "tst_FrameGuard.moc"
