// The inspecting relay in process, between WsLab's own Server and Client: bytes pass unchanged, every
// frame becomes one Frame event with its header fields, and each fault shows at the peers as a user
// would see it. Loopback only; every wait is on a signal or a condition.
#include "core/inspect/Relay.h"
#include "core/inspect/RelayConnection.h"
#include "core/log/JsonLines.h"
#include "core/protocol/Frame.h"
#include "tests/support/WsLabTest.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

using namespace wslab;
using namespace wslab::test;

namespace {

bool hasInfo(const EventLog *log, const QString &part)
{
    return hasEventWith(log, EventKind::Info, part);
}

// Waits in a real event loop until `spy` has `count` signals. QTRY_* sleeps 10 ms between rounds of
// events, and a relay writing one byte per round would take minutes under it.
bool waitForSignals(QSignalSpy &spy, qsizetype count, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (spy.size() < count && !deadline.hasExpired())
        spy.wait(int(std::max<qint64>(1, deadline.remainingTime())));
    return spy.size() >= count;
}

} // namespace

class tst_Relay : public QObject
{
    Q_OBJECT

private:
    // An echo server, a relay in front of it and a client through the relay, open.
    struct Lab
    {
        Server server;
        Relay relay;
        Client client{QStringLiteral("client")};
    };

    static bool startRelay(Relay &relay, const QUrl &target, const RelayFaults &faults = {})
    {
        RelayConfig config;
        config.target = target;
        relay.setConfig(config);
        relay.setFaults(faults);
        relay.setRandomSeed(1);
        if (relay.start())
            return true;
        qWarning("relay did not start: %s", qPrintable(relay.errorString()));
        return false;
    }

    bool openLab(Lab &lab, const RelayFaults &faults = {}, const HeartbeatPolicy &heartbeat = {0ms, 20000ms},
                 ServerMode mode = ServerMode::Echo)
    {
        if (!startServer(lab.server, loopbackServerConfig(mode)) || !startRelay(lab.relay, lab.server.url(), faults))
            return false;
        ClientConfig clientConfig = fastClientConfig(lab.relay.url());
        clientConfig.heartbeat = heartbeat;
        clientConfig.reconnect.enabled = false;
        return openClient(lab.client, clientConfig);
    }

    // A lab whose relay writes one byte at a time once the connection is open: Qt 6.4's client does not
    // complete an upgrade whose 101 comes in one-byte pieces (python-websockets does: tst_Inspect), and
    // messages are what the slicing tests are about.
    bool openSlicedLab(Lab &lab)
    {
        if (!openLab(lab))
            return false;
        RelayFaults faults;
        faults.sliceBytes = 1;
        lab.relay.setFaults(faults);
        return true;
    }

private Q_SLOTS:
    void echoPassesAndEveryFrameIsLogged()
    {
        Lab lab;
        QVERIFY(openLab(lab));
        QSignalSpy texts(&lab.client, &Client::textReceived);
        QVERIFY(lab.client.sendText(QStringLiteral("grüße")));
        QVERIFY(texts.wait(5000));
        QCOMPARE(texts.first().first().toString(), QStringLiteral("grüße"));

        const EventLog *log = lab.relay.log();
        QCOMPARE(countOfKind(log, EventKind::Handshake), 2); // the request and the 101
        QTRY_COMPARE(framesFrom(log, false, Opcode::Text).size(), 1);
        const LogEvent fromClient = framesFrom(log, true, Opcode::Text).value(0);
        QVERIFY(fromClient.frame.masked);
        QVERIFY(fromClient.frame.fin);
        QCOMPARE(fromClient.frame.rsv, 0);
        QCOMPARE(fromClient.frame.headerSize, 6);
        QCOMPARE(fromClient.size, QByteArray("grüße").size());
        QCOMPARE(fromClient.payload, QByteArray("grüße")); // unmasked
        QCOMPARE(fromClient.direction, Direction::Out);
        const LogEvent fromServer = framesFrom(log, false, Opcode::Text).first();
        QVERIFY(!fromServer.frame.masked);
        QCOMPARE(fromServer.frame.headerSize, 2);
        QCOMPARE(fromServer.direction, Direction::In);

        // The JSON Lines fields the docs promise, and back.
        const QJsonObject json = JsonLines::toJson(fromClient);
        QCOMPARE(json[u"kind"].toString(), QStringLiteral("frame"));
        QCOMPARE(json[u"from"].toString(), QStringLiteral("client"));
        QCOMPARE(json[u"opcode"].toInt(), 1);
        QCOMPARE(json[u"length"].toInt(), 7);
        QCOMPARE(json[u"header_size"].toInt(), 6);
        QCOMPARE(json[u"mask_key"].toString().size(), 8);
        QCOMPARE(json[u"text"].toString(), QStringLiteral("grüße"));
        QVERIFY(!json.contains(u"error"));
        LogEvent back;
        QVERIFY(JsonLines::fromJson(json, &back));
        QCOMPARE(back.frame.maskKey, fromClient.frame.maskKey);
        QCOMPARE(back.payload, fromClient.payload);
        QVERIFY(!JsonLines::toJson(fromServer).contains(u"mask_key"));
    }

    void injectedCloseArrivesWithItsCode()
    {
        Lab lab;
        QVERIFY(openLab(lab));
        QSignalSpy closed(&lab.client, &Client::closed);
        lab.relay.injectClose(RelaySide::Client, 4001, QStringLiteral("lab says bye"));
        QVERIFY(closed.wait(5000));
        QCOMPARE(closed.first().at(0).toInt(), 4001);
        QCOMPARE(closed.first().at(1).toString(), QStringLiteral("lab says bye"));
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral("injecting close 4001")));
    }

    void cutGivesAbnormalClosureAtBothPeers()
    {
        Lab lab;
        QVERIFY(openLab(lab));
        QSignalSpy closed(&lab.client, &Client::closed);
        QSignalSpy peerGone(&lab.server, &Server::peerDisconnected);
        lab.relay.cut();
        QVERIFY(closed.wait(5000));
        QCOMPARE(closed.first().at(0).toInt(), 1006);
        QVERIFY(peerGone.count() > 0 || peerGone.wait(5000));
        const auto closes = eventsOfKind(lab.server.log(), EventKind::Close);
        QVERIFY(!closes.isEmpty());
        QCOMPARE(closes.last().closeCode, 1006);
        QTRY_COMPARE(lab.relay.connectionCount(), 0);
    }

    void withheldPongsFailTheHeartbeat()
    {
        Lab lab;
        RelayFaults faults;
        faults.withholdPongsFromServer = true;
        QVERIFY(openLab(lab, faults, HeartbeatPolicy{50ms, 200ms}));
        QTRY_VERIFY_WITH_TIMEOUT(countOfKind(lab.client.log(), EventKind::HeartbeatTimeout) > 0, 5000);
        QVERIFY(!framesFrom(lab.relay.log(), false, Opcode::Pong).isEmpty()); // seen, logged, not forwarded
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral("withheld a pong from the server")));
    }

    void latencyDelaysTheRoundTrip()
    {
        Lab lab;
        RelayFaults faults;
        faults.latency = 200ms;
        QVERIFY(openLab(lab, faults));
        QSignalSpy texts(&lab.client, &Client::textReceived);
        QElapsedTimer roundTrip;
        roundTrip.start();
        QVERIFY(lab.client.sendText(QStringLiteral("slow")));
        QVERIFY(texts.wait(5000));
        // Both ways are delayed; only the lower bound is a fact, the upper one depends on the machine.
        QVERIFY2(roundTrip.elapsed() >= 400, qPrintable(QString::number(roundTrip.elapsed())));
    }

    void droppedMessagesNeverArriveAndOthersDo()
    {
        Lab lab;
        RelayFaults faults;
        faults.dropPercent = 100;
        QVERIFY(openLab(lab, faults));
        QSignalSpy texts(&lab.client, &Client::textReceived);
        QVERIFY(lab.client.sendText(QStringLiteral("lost")));
        QTRY_VERIFY(hasInfo(lab.relay.log(), QStringLiteral("dropped a text message from the client")));
        faults.dropPercent = 0;
        lab.relay.setFaults(faults); // live: acts on the next message
        QVERIFY(lab.client.sendText(QStringLiteral("kept")));
        QVERIFY(texts.wait(5000));
        QCOMPARE(texts.first().first().toString(), QStringLiteral("kept"));
    }

    void blackHoleKeepsTheLinkOpenButSilent()
    {
        Lab lab;
        QVERIFY(openLab(lab, {}, HeartbeatPolicy{100ms, 300ms}));
        RelayFaults faults;
        faults.blackHole = true;
        lab.relay.setFaults(faults);
        // Only the heartbeat finds out: the link stays up until no pong comes.
        QTRY_VERIFY_WITH_TIMEOUT(countOfKind(lab.client.log(), EventKind::HeartbeatTimeout) > 0, 5000);
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral("black hole")));
        QCOMPARE(countOfKind(lab.server.log(), EventKind::Close), 0);
    }

    void bandwidthPacesButKeepsEveryByte()
    {
        Lab lab;
        RelayFaults faults;
        faults.bandwidthFromClient = 32 * 1024;
        QVERIFY(openLab(lab, faults));
        QSignalSpy atServer(&lab.server, &Server::binaryReceived);
        QSignalSpy echoes(&lab.client, &Client::binaryReceived);
        QByteArray data(64 * 1024, Qt::Uninitialized);
        for (qsizetype i = 0; i < data.size(); ++i)
            data[i] = char(i * 31 % 251);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(lab.client.sendBinary(data));
        QVERIFY(atServer.wait(20000));
        // 64 KiB at 32 KiB/s is two seconds; only the lower bound is a fact on a shared machine.
        QVERIFY2(clock.elapsed() >= 1500, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(atServer.first().at(1).toByteArray(), data);
        QVERIFY(echoes.wait(5000)); // the other direction is not limited
        QCOMPARE(echoes.first().first().toByteArray(), data);
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral("bandwidth: pacing what the client sends at 32768 bytes/s")));
    }

    void oneByteSlicesStillMakeWholeMessages()
    {
        Lab lab;
        QVERIFY(openSlicedLab(lab));
        QSignalSpy texts(&lab.client, &Client::textReceived);
        QSignalSpy binaries(&lab.client, &Client::binaryReceived);
        const QString utf8 = QStringLiteral("grüße, 世界 🙂");
        const QByteArray bytes("\x00\x01\xfe\xff", 4);
        // Short frames here; an extended length towards our server has its own test below.
        QVERIFY(lab.client.sendText(utf8));
        QVERIFY(lab.client.sendBinary(bytes));
        QVERIFY(waitForSignals(texts, 1, 20000));
        QVERIFY(waitForSignals(binaries, 1, 20000));
        QCOMPARE(texts.at(0).first().toString(), utf8);
        QCOMPARE(binaries.first().first().toByteArray(), bytes);

        // 4 KiB (a 16-bit length) and 70 KiB (a 64-bit length) towards the client, one byte at a time.
        const QString medium(4096, u'm');
        const QString large(70 * 1024, u'z');
        QCOMPARE(lab.server.sendTextToAll(medium), 1);
        QCOMPARE(lab.server.sendTextToAll(large), 1);
        QVERIFY(waitForSignals(texts, 3, 60000));
        QCOMPARE(texts.at(1).first().toString(), medium);
        QCOMPARE(texts.at(2).first().toString(), large);

        // Messages the relay fragments, cut into single bytes as well.
        RelayFaults faults = lab.relay.faults();
        faults.fragmentCount = 3;
        lab.relay.setFaults(faults);
        QVERIFY(lab.client.sendText(utf8));
        QVERIFY(lab.client.sendBinary(bytes));
        QVERIFY(waitForSignals(texts, 4, 20000));
        QVERIFY(waitForSignals(binaries, 2, 20000));
        QCOMPARE(texts.at(3).first().toString(), utf8);
        QCOMPARE(binaries.at(1).first().toByteArray(), bytes);
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral("slicing: writing what the client sends 1 bytes at a time")));
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral("re-fragmented a text message")));
        QCOMPARE(countOfKind(lab.server.log(), EventKind::Error), 0);
    }

    void oneByteSlicesOfAnExtendedLengthReachOurServer()
    {
        Lab lab;
        QVERIFY(openSlicedLab(lab));
        QSignalSpy texts(&lab.client, &Client::textReceived);
        QSignalSpy closed(&lab.client, &Client::closed);
        const QString medium(4096, u'm');
        QVERIFY(lab.client.sendText(medium));
        // Whichever comes first: the echo, or the close.
        QEventLoop outcome;
        connect(&lab.client, &Client::textReceived, &outcome, &QEventLoop::quit);
        connect(&lab.client, &Client::closed, &outcome, &QEventLoop::quit);
        QTimer::singleShot(60000, &outcome, &QEventLoop::quit);
        outcome.exec();
        // Found by this fault: Qt reads a header in parts as they arrive, and the server's FrameGuard
        // once took the mask bit from the extended length it found first in the buffer, closing with
        // "unmasked frame from a client".
        QCOMPARE(closed.size(), 0);
        QCOMPARE(texts.value(0).value(0).toString(), medium);
    }

    void refragmentedMessagesArriveTheSame()
    {
        // Observers on each side of the relay that re-fragments see what it sends in each direction.
        Server server;
        Relay nearServer;
        Relay fragmenting;
        Relay nearClient;
        Client client{QStringLiteral("client")};
        RelayFaults faults;
        faults.fragmentCount = 3;
        QVERIFY(startServer(server));
        QVERIFY(startRelay(nearServer, server.url()));
        QVERIFY(startRelay(fragmenting, nearServer.url(), faults));
        QVERIFY(startRelay(nearClient, fragmenting.url()));
        ClientConfig config = fastClientConfig(nearClient.url());
        config.reconnect.enabled = false;
        QVERIFY(openClient(client, config));

        QSignalSpy texts(&client, &Client::textReceived);
        QSignalSpy binaries(&client, &Client::binaryReceived);
        const QString text = QStringLiteral("a€b€c€, 70 characters or so, fragmented three ways by the relay");
        QByteArray bytes(300, Qt::Uninitialized);
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytes[i] = char(i);
        QVERIFY(client.sendText(text));
        QVERIFY(client.sendBinary(bytes));
        QVERIFY(client.sendText(QStringLiteral("ab"))); // fewer bytes than frames: two frames
        QTRY_COMPARE(texts.size(), 2);
        QTRY_COMPARE(binaries.size(), 1);
        QCOMPARE(texts.at(0).first().toString(), text);
        QCOMPARE(binaries.first().first().toByteArray(), bytes);
        QCOMPARE(texts.at(1).first().toString(), QStringLiteral("ab"));

        for (const bool fromClient : {true, false}) {
            const EventLog *seen = fromClient ? nearServer.log() : nearClient.log();
            QList<LogEvent> frames;
            for (const LogEvent &e : eventsOfKind(seen, EventKind::Frame)) {
                if (e.frame.fromClient == fromClient && !Opcode::isControl(e.frame.opcode))
                    frames << e;
            }
            QCOMPARE(frames.size(), 3 + 3 + 2);
            const QList<quint8> opcodes{Opcode::Text,         Opcode::Continuation, Opcode::Continuation, Opcode::Binary,
                                        Opcode::Continuation, Opcode::Continuation, Opcode::Text,         Opcode::Continuation};
            const QList<bool> fins{false, false, true, false, false, true, false, true};
            QSet<quint32> keys;
            for (qsizetype i = 0; i < frames.size(); ++i) {
                QCOMPARE(frames.at(i).frame.opcode, opcodes.at(i));
                QCOMPARE(frames.at(i).frame.fin, fins.at(i));
                QCOMPARE(frames.at(i).frame.masked, fromClient);
                QVERIFY2(frames.at(i).detail.isEmpty(), qPrintable(frames.at(i).detail)); // no rule broken
                keys << frames.at(i).frame.maskKey;
            }
            if (fromClient)
                QCOMPARE(keys.size(), frames.size()); // a fresh key for every frame
        }
        QVERIFY(hasInfo(fragmenting.log(), QStringLiteral("re-fragmented a binary message of 300 bytes from the client into 3 frames")));
        QVERIFY(hasInfo(fragmenting.log(), QStringLiteral("re-fragmented a text message of 2 bytes from the server into 2 frames")));
    }

    void corruptedTextIsRefusedWith1007()
    {
        Lab lab;
        QVERIFY(openLab(lab));
        QSignalSpy closed(&lab.client, &Client::closed);
        lab.relay.corruptNextMessage(RelaySide::Client);
        QVERIFY(lab.client.sendText(QStringLiteral("valid until the relay")));
        QVERIFY(closed.wait(5000));
        // Our Qt server refuses the invalid UTF-8 with 1007, and its Close reaches the client.
        QCOMPARE(closed.first().at(0).toInt(), 1007);
        QTRY_VERIFY(!eventsOfKind(lab.server.log(), EventKind::Close).isEmpty());
        QCOMPARE(eventsOfKind(lab.server.log(), EventKind::Close).last().closeCode, 1007);
        QCOMPARE(countOfKind(lab.server.log(), EventKind::Text), 0);
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral("of a text message from the client (0x")));
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral(" -> 0xff)")));
    }

    void corruptAfterFlipsOneByteOfOneBinaryMessage()
    {
        Lab lab;
        RelayFaults faults;
        faults.corruptAfterMessages = 1;
        QVERIFY(openLab(lab, faults));
        QSignalSpy echoes(&lab.client, &Client::binaryReceived);
        const QByteArray data(100, '\x5a');
        for (int i = 0; i < 3; ++i)
            QVERIFY(lab.client.sendBinary(data));
        QTRY_COMPARE(echoes.size(), 3);
        QCOMPARE(echoes.at(0).first().toByteArray(), data);
        QCOMPARE(echoes.at(2).first().toByteArray(), data); // once per connection
        const QByteArray corrupted = echoes.at(1).first().toByteArray();
        QCOMPARE(corrupted.size(), data.size());
        qsizetype changed = 0;
        for (qsizetype i = 0; i < data.size(); ++i) {
            if (corrupted[i] != data[i]) {
                QCOMPARE(quint8(corrupted[i]), quint8(0xa5)); // every bit flipped
                ++changed;
            }
        }
        QCOMPARE(changed, 1);
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral("of a binary message from the client (0x5a -> 0xa5)")));
    }

    void pausedFramesWaitForStepAndResume()
    {
        Lab lab;
        QVERIFY(openLab(lab));
        QSignalSpy held(&lab.relay, &Relay::heldFramesChanged);
        QSignalSpy atServer(&lab.server, &Server::textReceived);
        QSignalSpy echoes(&lab.client, &Client::textReceived);
        lab.relay.setPaused(true);
        QVERIFY(lab.client.sendText(QStringLiteral("one")));
        QVERIFY(held.wait(5000));
        QCOMPARE(held.last().first().toInt(), 1);
        // Held, not on its way: the relay has it and the server has seen no message.
        QCOMPARE(countOfKind(lab.server.log(), EventKind::Text), 0);
        QVERIFY(lab.client.sendText(QStringLiteral("two")));
        QVERIFY(lab.client.sendText(QStringLiteral("three")));
        QTRY_COMPARE(lab.relay.heldFrameCount(), 3);
        QCOMPARE(atServer.size(), 0);

        lab.relay.step(); // "one" goes on; its echo is held in turn
        QTRY_COMPARE(atServer.size(), 1);
        QCOMPARE(atServer.first().at(1).toString(), QStringLiteral("one"));
        QTRY_COMPARE(lab.relay.heldFrameCount(), 3);
        QCOMPARE(held.last().first().toInt(), 3);
        QCOMPARE(echoes.size(), 0);
        QCOMPARE(atServer.size(), 1);

        lab.relay.setPaused(false);
        QTRY_COMPARE(echoes.size(), 3);
        QCOMPARE(echoes.at(0).first().toString(), QStringLiteral("one"));
        QCOMPARE(echoes.at(1).first().toString(), QStringLiteral("two"));
        QCOMPARE(echoes.at(2).first().toString(), QStringLiteral("three"));
        QCOMPARE(lab.relay.heldFrameCount(), 0);
        QCOMPARE(held.last().first().toInt(), 0);
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral("paused: holding a text frame from the client (1 frame held)")));
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral("stepped: forwarded a text frame from the client (2 frames held)")));
        QVERIFY(hasInfo(lab.relay.log(), QStringLiteral("resumed: forwarding 3 frames in the order they came")));
    }

    void pausedRelayStopsReadingOnceItHoldsTheBound()
    {
        Lab lab;
        QVERIFY(openLab(lab, {}, {0ms, 20000ms}, ServerMode::Silent));
        QSignalSpy held(&lab.relay, &Relay::heldFramesChanged);
        QSignalSpy atServer(&lab.server, &Server::binaryReceived);
        lab.relay.setPaused(true);
        // 3 MiB in frames of 64 KiB + 14 header bytes: 16 of them are the first to reach the 1 MiB bound.
        const QByteArray chunk(64 * 1024, 'p');
        const int messages = 48;
        const int bound = 16;
        static_assert(bound * (64 * 1024 + 14) >= RelayConnection::kMaxInFlight);
        static_assert((bound - 1) * (64 * 1024 + 14) < RelayConnection::kMaxInFlight);
        for (int i = 0; i < messages; ++i)
            QVERIFY(lab.client.sendBinary(chunk));
        QTRY_COMPARE(lab.relay.heldFrameCount(), bound);
        // Each step makes room for one more frame, and the relay reads exactly that one.
        for (int i = 1; i <= messages - bound; ++i) {
            lab.relay.step();
            QTRY_COMPARE(atServer.size(), i);
            QTRY_COMPARE(lab.relay.heldFrameCount(), bound);
        }
        lab.relay.setPaused(false);
        QTRY_COMPARE(atServer.size(), messages);
        int most = 0;
        for (const QList<QVariant> &count : std::as_const(held))
            most = std::max(most, count.first().toInt());
        QCOMPARE(most, bound);
        QCOMPARE(lab.relay.heldFrameCount(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_Relay)
#include "tst_Relay.moc"
