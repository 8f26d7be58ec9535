// The inspecting relay in process, between WsLab's own Server and Client: bytes pass unchanged, every
// frame becomes one Frame event with its header fields, and each fault shows at the peers as a user
// would see it. Loopback only; every wait is on a signal or a condition.
#include "WsLabTest.h"
#include "inspect/Relay.h"
#include "log/JsonLines.h"
#include "protocol/Frame.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

using namespace wslab;
using namespace wslab::test;

namespace {

QList<LogEvent> framesFrom(const EventLog *log, bool fromClient, quint8 opcode)
{
    QList<LogEvent> out;
    for (const LogEvent &e : eventsOfKind(log, EventKind::Frame)) {
        if (e.frame.fromClient == fromClient && e.frame.opcode == opcode)
            out << e;
    }
    return out;
}

bool hasInfo(const EventLog *log, const QString &part)
{
    const auto infos = eventsOfKind(log, EventKind::Info);
    return std::any_of(infos.begin(), infos.end(), [&](const LogEvent &e) { return e.detail.contains(part); });
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

    bool openLab(Lab &lab, const RelayFaults &faults = {}, const HeartbeatPolicy &heartbeat = {0ms, 20000ms})
    {
        if (!startServer(lab.server))
            return false;
        RelayConfig config;
        config.target = lab.server.url();
        lab.relay.setConfig(config);
        lab.relay.setFaults(faults);
        lab.relay.setRandomSeed(1);
        if (!lab.relay.start()) {
            qWarning("relay did not start: %s", qPrintable(lab.relay.errorString()));
            return false;
        }
        ClientConfig clientConfig = fastClientConfig(lab.relay.url());
        clientConfig.heartbeat = heartbeat;
        clientConfig.reconnect.enabled = false;
        return openClient(lab.client, clientConfig);
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
};

QTEST_GUILESS_MAIN(tst_Relay)
#include "tst_Relay.moc"
