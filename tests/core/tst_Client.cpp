#include "tests/support/WsLabTest.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace std::chrono_literals;
using namespace wslab::test;
using State = wslab::Client::State;
using Kind = wslab::DisconnectCause::Kind;

class tst_Client : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void invalidConfigIsRefused();
    void closeWithReservedCodeSendsNothing_data();
    void closeWithReservedCodeSendsNothing();
    void userCloseReachesServerAndDoesNotRetry();
    void closeAfterDrainReceivesRepliesSentAfterItsPong();
    void closeAfterDrainStopsWaitingForAServerThatNeverGoesQuiet();
    void closeAfterDrainClosesAnywayWithoutAPong();
    void closeDuringADrainClosesAtOnceWithItsCode();
    void aConnectionLostWhileDrainingIsNotRetried();
    void closeAfterDrainWhenNotOpenIsAClose();
    void queuesWhileNotOpenAndFlushesInOrderOnce();
    void outboxFullRefusesWithError();
    void stableAfterRule();
    void droppedConnectionIsAbnormalAndRetried();
    void heartbeatDetectsSilentServer();
    void noRetryAfterHttp4xx_data();
    void noRetryAfterHttp4xx();
    void retriesAfterHttp5xxUntilMaxAttempts();
    void connectTimeoutIsRetried();
    void refusedTcpConnectIsANetworkError();
    void pingMeasuresRtt();
    void httpStatusFromHandshakeError();
};

void tst_Client::initTestCase()
{
    registerMetaTypes();
}

void tst_Client::invalidConfigIsRefused()
{
    wslab::Client client(QStringLiteral("c"));
    wslab::ClientConfig config;
    config.url = QUrl(QStringLiteral("http://127.0.0.1:1/"));
    client.setConfig(config);
    QVERIFY(!client.open());
    QCOMPARE(client.errorString(), QStringLiteral("unsupported scheme \"http\": use ws:// or wss://"));
    QCOMPARE(client.state(), State::Idle);
}

void tst_Client::closeWithReservedCodeSendsNothing_data()
{
    QTest::addColumn<int>("code");
    for (int code : {1005, 1006, 1015, 999, 5000})
        QTest::addRow("%d", code) << code;
}

void tst_Client::closeWithReservedCodeSendsNothing()
{
    QFETCH(int, code);
    wslab::Server server;
    QVERIFY(startServer(server));
    QSignalSpy peerGone(&server, &wslab::Server::peerDisconnected);
    wslab::Client client(QStringLiteral("c"));
    QSignalSpy closed(&client, &wslab::Client::closed);
    QSignalSpy echoed(&client, &wslab::Client::textReceived);
    QVERIFY(openClient(client, fastClientConfig(server.url())));

    QVERIFY(!client.close(code, QStringLiteral("nope")));
    QVERIFY2(client.errorString().contains(QString::number(code)), qPrintable(client.errorString()));
    QCOMPARE(client.state(), State::Open);

    // The link still carries messages both ways: no close frame went out.
    QVERIFY(client.sendText(QStringLiteral("still here")));
    QTRY_COMPARE(echoed.size(), 1);
    QCOMPARE(echoed.at(0).at(0).toString(), QStringLiteral("still here"));
    QCOMPARE(closed.size(), 0);
    QCOMPARE(peerGone.size(), 0);
    QCOMPARE(countOfKind(server.log(), wslab::EventKind::Close), 0);
    QCOMPARE(server.peerCount(), 1);
}

void tst_Client::userCloseReachesServerAndDoesNotRetry()
{
    wslab::Server server;
    QVERIFY(startServer(server));
    wslab::Client client(QStringLiteral("c"));
    QSignalSpy closed(&client, &wslab::Client::closed);
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);
    QVERIFY(openClient(client, fastClientConfig(server.url())));
    QSignalSpy states(&client, &wslab::Client::stateChanged);

    QVERIFY(client.close(4000, QStringLiteral("done for today")));
    QTRY_COMPARE(client.state(), State::Idle);
    QCOMPARE(states.size(), 2);
    QCOMPARE(states.at(0).at(0).value<State>(), State::Closing);
    QCOMPARE(closed.size(), 1);
    QCOMPARE(closed.at(0).at(0).toInt(), 4000);
    QCOMPARE(closed.at(0).at(1).toString(), QStringLiteral("done for today"));
    QCOMPARE(client.lastCause().kind, Kind::UserClose);
    QCOMPARE(retries.size(), 0);

    QTRY_COMPARE(server.peerCount(), 0);
    const auto closes = eventsOfKind(server.log(), wslab::EventKind::Close);
    QCOMPARE(closes.size(), 1);
    QCOMPARE(closes.at(0).direction, wslab::Direction::In);
    QCOMPARE(closes.at(0).closeCode, 4000);
    QCOMPARE(closes.at(0).detail, QStringLiteral("done for today"));
}

namespace {

// A server that only logs, and a client open on it that lingers this long at a drained close.
bool openOnSilentServer(wslab::Server &server, wslab::Client &client, std::chrono::milliseconds linger)
{
    if (!startServer(server, loopbackServerConfig(wslab::ServerMode::Silent)))
        return false;
    wslab::ClientConfig config = fastClientConfig(server.url());
    config.closeLinger = linger;
    return openClient(client, config) && QTest::qWaitFor([&] { return peerOf(server, client) != nullptr; });
}

bool isDrainPong(const QByteArray &payload)
{
    return payload == QByteArrayLiteral("wslab-drain");
}

} // namespace

// What Disconnect and the end of `connect`'s input rely on: a reply the server sends after it has
// read everything (after the drain ping's pong) is still received, then the close goes with its code.
void tst_Client::closeAfterDrainReceivesRepliesSentAfterItsPong()
{
    wslab::Server server;
    wslab::Client client(QStringLiteral("c"));
    QVERIFY(openOnSilentServer(server, client, 2000ms));
    const int peerId = peerOf(server, client)->id();

    QStringList seen; // what the client saw, in order
    connect(&client, &wslab::Client::textReceived, this, [&seen](const QString &text) { seen << text; });
    connect(&client, &wslab::Client::closed, this, [&seen](int code) { seen << QStringLiteral("closed %1").arg(code); });
    connect(&client, &wslab::Client::pongReceived, this, [&](const QByteArray &payload) {
        if (isDrainPong(payload))
            server.sendText(peerId, QStringLiteral("late reply"));
    });
    QSignalSpy draining(&client, &wslab::Client::drainingChanged);
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);

    QVERIFY(client.sendText(QStringLiteral("one")));
    QVERIFY(client.sendText(QStringLiteral("two")));
    QVERIFY(client.closeAfterDrain(1000, QStringLiteral("done")));
    QCOMPARE(client.state(), State::Closing);
    QVERIFY(client.isDraining());
    QCOMPARE(draining.size(), 1);
    QVERIFY(client.closeAfterDrain(1000, QStringLiteral("done"))); // asking twice changes nothing

    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Idle, 10000);
    QCOMPARE(seen, (QStringList{QStringLiteral("late reply"), QStringLiteral("closed 1000")}));
    QVERIFY(!client.isDraining());
    QCOMPARE(draining.size(), 2);
    QCOMPARE(draining.at(1).at(0).toBool(), false);
    QCOMPARE(client.lastCause().kind, Kind::UserClose);
    QCOMPARE(retries.size(), 0);

    // The server read both messages, then the close with its code and reason.
    QTRY_COMPARE(server.peerCount(), 0);
    QList<wslab::LogEvent> in = eventsOfKind(server.log(), wslab::EventKind::Text);
    in.removeIf([](const wslab::LogEvent &e) { return e.direction != wslab::Direction::In; });
    QCOMPARE(in.size(), 2);
    const auto closes = eventsOfKind(server.log(), wslab::EventKind::Close);
    QCOMPARE(closes.size(), 1);
    QCOMPARE(closes.at(0).closeCode, 1000);
    QCOMPARE(closes.at(0).detail, QStringLiteral("done"));
    // The client's log shows why there was a ping before the close.
    const auto pings = eventsOfKind(client.log(), wslab::EventKind::Ping);
    QCOMPARE(pings.size(), 1);
    QCOMPARE(pings.at(0).payload, QByteArrayLiteral("wslab-drain"));
    QCOMPARE(countOfKind(client.log(), wslab::EventKind::Pong), 1);
}

// A server that keeps talking (a busy broadcast) is closed after ten lingers from the pong all the
// same. The client's clock is a test clock: each message received moves it on by one linger, so the
// eleventh message finds the cap reached and the close follows one real linger later.
void tst_Client::closeAfterDrainStopsWaitingForAServerThatNeverGoesQuiet()
{
    wslab::Server server;
    wslab::Client client(QStringLiteral("c"));
    wslab::ManualClock clock;
    client.setClock(clock.clock());
    QVERIFY(openOnSilentServer(server, client, 2000ms));
    const int peerId = peerOf(server, client)->id();

    QTimer chatter; // a message every 5 ms, far more often than the linger (2 s, time enough for a loaded machine)
    chatter.setInterval(5ms);
    connect(&chatter, &QTimer::timeout, this, [&] { server.sendText(peerId, QStringLiteral("news")); });
    int afterPong = 0;
    bool pongSeen = false;
    connect(&client, &wslab::Client::pongReceived, this, [&](const QByteArray &payload) {
        if (isDrainPong(payload)) {
            pongSeen = true;
            chatter.start();
        }
    });
    connect(&client, &wslab::Client::textReceived, this, [&] {
        if (!pongSeen)
            return;
        ++afterPong;
        clock.advance(client.config().closeLinger);
    });

    QVERIFY(client.closeAfterDrain());
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Idle, 10000);
    chatter.stop();
    QVERIFY2(afterPong >= wslab::Client::kDrainLingerCap, qPrintable(QString::number(afterPong)));
    QCOMPARE(client.lastCloseCode(), 1000);
    QCOMPARE(client.lastCause().kind, Kind::UserClose);
}

// A server that never answers the drain ping (it stopped reading) does not keep the close waiting
// past the pong timeout, and the log says why the close went without it.
void tst_Client::closeAfterDrainClosesAnywayWithoutAPong()
{
    HandRolledServer silent(101);
    QVERIFY(silent.listen());
    wslab::Client client(QStringLiteral("c"));
    wslab::ClientConfig config = fastClientConfig(silent.url());
    config.heartbeat.pongTimeout = 100ms;
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);
    QVERIFY(openClient(client, config));

    QVERIFY(client.closeAfterDrain(4000, QStringLiteral("bye")));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Idle, 10000); // the pong timeout, then the close timeout
    QCOMPARE(client.lastCause().kind, Kind::UserClose);
    QCOMPARE(retries.size(), 0);
    QCOMPARE(countOfKind(client.log(), wslab::EventKind::Pong), 0);
    bool said = false;
    for (const wslab::LogEvent &e : eventsOfKind(client.log(), wslab::EventKind::Info))
        said = said || e.detail == QStringLiteral("no pong to the drain ping within 100 ms; closing anyway");
    QVERIFY(said);
}

// Pressing Disconnect again (or Ctrl+C in `connect`) does not wait any longer: the close goes now,
// with the code of the second request.
void tst_Client::closeDuringADrainClosesAtOnceWithItsCode()
{
    wslab::Server server;
    wslab::Client client(QStringLiteral("c"));
    QVERIFY(openOnSilentServer(server, client, 24h)); // only the second request can end this drain in time
    QSignalSpy draining(&client, &wslab::Client::drainingChanged);

    QVERIFY(client.closeAfterDrain(1000, QStringLiteral("end of input")));
    QTRY_COMPARE(countOfKind(client.log(), wslab::EventKind::Pong), 1);
    QVERIFY(client.isDraining());
    QVERIFY(client.close(1001, QStringLiteral("client going away")));
    QVERIFY(!client.isDraining());
    QCOMPARE(draining.size(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Idle, 5000);
    QCOMPARE(client.lastCloseCode(), 1001);
    QTRY_COMPARE(server.peerCount(), 0);
    const auto closes = eventsOfKind(server.log(), wslab::EventKind::Close);
    QCOMPARE(closes.size(), 1);
    QCOMPARE(closes.at(0).closeCode, 1001);
    QCOMPARE(closes.at(0).detail, QStringLiteral("client going away"));
}

// The close was asked for: a server that ends the connection first, even with a code that is
// normally retried (1001, going away: a restart), does not bring a reconnect.
void tst_Client::aConnectionLostWhileDrainingIsNotRetried()
{
    wslab::Server server;
    wslab::Client client(QStringLiteral("c"));
    QVERIFY(openOnSilentServer(server, client, 24h));
    QVERIFY(client.config().reconnect.enabled);
    const int peerId = peerOf(server, client)->id();
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);

    QVERIFY(client.closeAfterDrain());
    QTRY_COMPARE(countOfKind(client.log(), wslab::EventKind::Pong), 1);
    QVERIFY(server.kick(peerId, 1001, QStringLiteral("restarting")));
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Idle, 5000);
    QCOMPARE(client.lastCause().kind, Kind::PeerClose); // what really ended it
    QCOMPARE(client.lastCloseCode(), 1001);
    QCOMPARE(retries.size(), 0);
    QVERIFY(!client.isDraining());
    bool said = false;
    for (const wslab::LogEvent &e : eventsOfKind(client.log(), wslab::EventKind::Info))
        said = said || e.detail == QStringLiteral("not retrying: the close was asked for");
    QVERIFY(said);
}

// Not open, there is nothing to drain: a pending retry is cancelled at once, and a code that may
// not be sent is refused as close() refuses it.
void tst_Client::closeAfterDrainWhenNotOpenIsAClose()
{
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    wslab::Client client(QStringLiteral("c"));
    wslab::ClientConfig config = fastClientConfig(loopbackUrl(port));
    config.reconnect.baseDelay = 60000ms;
    config.reconnect.maxDelay = 60000ms;
    client.setConfig(config);
    QVERIFY(client.open());
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), State::Backoff, 5000);
    QVERIFY(!client.closeAfterDrain(1006));
    QCOMPARE(client.state(), State::Backoff);
    QVERIFY(client.closeAfterDrain());
    QCOMPARE(client.state(), State::Idle);
    QVERIFY(!client.isDraining());
}

void tst_Client::queuesWhileNotOpenAndFlushesInOrderOnce()
{
    wslab::Server server;
    QVERIFY(startServer(server, loopbackServerConfig(wslab::ServerMode::Silent)));
    QStringList received;
    connect(&server, &wslab::Server::textReceived, this, [&received](int, const QString &t) { received << QStringLiteral("t:") + t; });
    connect(&server, &wslab::Server::binaryReceived, this,
            [&received](int, const QByteArray &b) { received << QStringLiteral("b:") + QString::fromLatin1(b.toHex()); });

    wslab::Client client(QStringLiteral("c"));
    client.setConfig(fastClientConfig(server.url()));
    QSignalSpy outbox(&client, &wslab::Client::outboxChanged);

    // Idle: queued.
    QVERIFY(client.sendText(QStringLiteral("one")));
    QVERIFY(client.sendBinary(QByteArray("\x00\xff", 2)));
    QCOMPARE(client.outboxSize(), 2);
    QCOMPARE(client.outboxBytes(), 3 + 2);
    QVERIFY(client.open());
    QCOMPARE(client.state(), State::Connecting);
    // Connecting: queued behind the others.
    QVERIFY(client.sendText(QStringLiteral("thrée")));
    QCOMPARE(client.outboxSize(), 3);
    QCOMPARE(client.counters().messagesOut, quint64(0));

    QTRY_COMPARE(client.state(), State::Open);
    QCOMPARE(client.outboxSize(), 0);
    QVERIFY(client.sendText(QStringLiteral("live")));

    const QStringList expected{QStringLiteral("t:one"), QStringLiteral("b:00ff"), QStringLiteral("t:thrée"), QStringLiteral("t:live")};
    QTRY_COMPARE(received.size(), expected.size());
    QCOMPARE(received, expected);
    QCOMPARE(client.counters().messagesOut, quint64(4));
    QCOMPARE(outbox.size(), 4); // 1, 2, 3 waiting, then 0 after the flush
    QCOMPARE(outbox.last().at(0).value<qsizetype>(), 0);

    const auto flushed = eventsOfKind(client.log(), wslab::EventKind::OutboxFlushed);
    QCOMPARE(flushed.size(), 1);
    QCOMPARE(flushed.at(0).flushed, 3);
    const auto queued = eventsOfKind(client.log(), wslab::EventKind::OutboxQueued);
    QCOMPARE(queued.size(), 3);
    // Each says how many wait with it, and its own message's size.
    for (int i = 0; i < 3; ++i)
        QCOMPARE(queued.at(i).queued, i + 1);
    QCOMPARE(queued.at(0).size, 3);
    QCOMPARE(queued.at(1).size, 2);
    QCOMPARE(queued.at(2).size, QByteArray("thrée").size());

    // A round trip through the server proves nothing else is on its way (nothing sent twice).
    server.sendTextToAll(QStringLiteral("barrier"));
    QSignalSpy got(&client, &wslab::Client::textReceived);
    QVERIFY(got.wait());
    QCOMPARE(received, expected);
}

void tst_Client::outboxFullRefusesWithError()
{
    wslab::Server server;
    QVERIFY(startServer(server, loopbackServerConfig(wslab::ServerMode::Silent)));
    QStringList received;
    connect(&server, &wslab::Server::textReceived, this, [&received](int, const QString &t) { received << t; });

    wslab::ClientConfig config = fastClientConfig(server.url());
    config.outbox = {2, 10};
    wslab::Client client(QStringLiteral("c"));
    client.setConfig(config);

    QVERIFY(client.sendText(QStringLiteral("12345")));
    QVERIFY(!client.sendText(QStringLiteral("123456")));
    QCOMPARE(client.errorString(), QStringLiteral("outbox full: 5 + 6 bytes would pass the limit of 10 bytes"));
    QVERIFY(client.sendText(QStringLiteral("abc")));
    QVERIFY(!client.sendText(QStringLiteral("x")));
    QCOMPARE(client.errorString(), QStringLiteral("outbox full: 2 messages already waiting (limit 2)"));
    QVERIFY(!client.sendBinary("y"));
    QCOMPARE(client.outboxSize(), 2);
    QCOMPARE(client.outboxBytes(), 8);

    QVERIFY(client.open());
    QTRY_COMPARE(received.size(), 2);
    QCOMPARE(received, (QStringList{QStringLiteral("12345"), QStringLiteral("abc")}));
    // Open with an empty outbox: sends go straight out, no limit applies.
    QVERIFY(client.sendText(QString(100, u'z')));
    QTRY_COMPARE(received.size(), 3);
}

void tst_Client::stableAfterRule()
{
    wslab::Server server;
    QVERIFY(startServer(server));
    wslab::Client client(QStringLiteral("c"));
    wslab::ClientConfig config = fastClientConfig(server.url());
    config.reconnect.baseDelay = 20ms;
    config.reconnect.maxDelay = 200ms;
    config.reconnect.minDelay = 10ms;
    // Whether a connection was stable is the clock's verdict: the clock moves only when the test says,
    // however long the connections really take. The timer looks again every 300 ms meanwhile.
    config.reconnect.stableAfter = 300ms;
    client.setConfig(config);
    client.setRandomSource(fixedRandom(0.75));
    wslab::ManualClock clock;
    client.setClock(clock.clock());

    // A server that accepts and drops at once: every connection opens, none stays open stableAfter.
    bool dropping = true;
    connect(&client, &wslab::Client::opened, this, [&] {
        if (dropping)
            peerOf(server, client)->abort(QStringLiteral("drop at once"));
    });
    QSignalSpy opened(&client, &wslab::Client::opened);
    QSignalSpy closed(&client, &wslab::Client::closed);
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);
    QVERIFY(client.open());

    // delay(n) = max(10, 0.75 * min(200, 20 * 2^(n-1)))
    const QList<std::chrono::milliseconds> expected{15ms, 30ms, 60ms, 120ms, 150ms};
    QTRY_VERIFY(retries.size() >= expected.size());
    dropping = false;
    for (int i = 0; i < expected.size(); ++i) {
        QCOMPARE(retries.at(i).at(0).toInt(), i + 1);
        QCOMPARE(retries.at(i).at(1).value<std::chrono::milliseconds>(), expected.at(i));
        QCOMPARE(closed.at(i).at(0).toInt(), 1006);
    }
    QCOMPARE(opened.size(), expected.size()); // each retry did connect: the counter kept growing anyway

    // Open for 1 ms less than stableAfter, then dropped: not stable, the counter goes on.
    QTRY_COMPARE(opened.size(), expected.size() + 1);
    QCOMPARE(client.state(), State::Open);
    clock.advance(299ms);
    peerOf(server, client)->abort(QStringLiteral("drop just before stable"));
    QTRY_COMPARE(retries.size(), expected.size() + 1);
    QCOMPARE(retries.last().at(0).toInt(), expected.size() + 1);
    QCOMPARE(client.attempt(), expected.size() + 1);

    // Now one connection stays open stableAfter: the counter resets while it is open, and the next
    // drop is retry 1 again.
    QTRY_COMPARE(opened.size(), expected.size() + 2);
    QCOMPARE(client.state(), State::Open);
    QCOMPARE(client.attempt(), expected.size() + 1);
    clock.advance(300ms);
    QTRY_COMPARE(client.attempt(), 0);
    QCOMPARE(client.state(), State::Open);
    retries.clear();
    peerOf(server, client)->abort(QStringLiteral("drop after a while"));
    QTRY_COMPARE(retries.size(), 1);
    QCOMPARE(retries.at(0).at(0).toInt(), 1);
    QCOMPARE(retries.at(0).at(1).value<std::chrono::milliseconds>(), 15ms);
    QTRY_COMPARE(client.state(), State::Open);
    QCOMPARE(client.counters().reconnects, quint64(expected.size() + 2));
}

void tst_Client::droppedConnectionIsAbnormalAndRetried()
{
    wslab::Server server;
    QVERIFY(startServer(server));
    wslab::Client client(QStringLiteral("c"));
    client.setRandomSource(fixedRandom(0.5));
    QSignalSpy opened(&client, &wslab::Client::opened);
    QSignalSpy closed(&client, &wslab::Client::closed);
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);
    QVERIFY(openClient(client, fastClientConfig(server.url())));

    // The server drops the TCP connection without a close frame.
    peerOf(server, client)->abort(QStringLiteral("pulled the plug"));
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(closed.at(0).at(0).toInt(), 1006);
    QCOMPARE(closed.at(0).at(1).toString(), QStringLiteral("connection dropped without a close frame"));
    QCOMPARE(client.lastCloseCode(), 1006);
    QCOMPARE(client.lastCause().kind, Kind::Abnormal);
    QCOMPARE(retries.size(), 1);
    QCOMPARE(retries.at(0).at(0).toInt(), 1);
    QCOMPARE(retries.at(0).at(1).value<std::chrono::milliseconds>(), 10ms); // max(10, 0.5 * 20)
    const auto closes = eventsOfKind(client.log(), wslab::EventKind::Close);
    QCOMPARE(closes.size(), 1);
    QCOMPARE(closes.at(0).direction, wslab::Direction::Local);

    QTRY_COMPARE(opened.size(), 2);
    QCOMPARE(client.state(), State::Open);
}

void tst_Client::heartbeatDetectsSilentServer()
{
    HandRolledServer silent(101);
    QVERIFY(silent.listen());
    wslab::Client client(QStringLiteral("c"));
    wslab::ClientConfig config = fastClientConfig(silent.url());
    config.heartbeat = {50ms, 50ms};
    config.reconnect.baseDelay = 200ms;
    client.setRandomSource(fixedRandom(0.5));
    QSignalSpy closed(&client, &wslab::Client::closed);
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);
    QVERIFY(openClient(client, config));

    QTRY_COMPARE_WITH_TIMEOUT(closed.size(), 1, 2000);
    QCOMPARE(closed.at(0).at(0).toInt(), 1006);
    QCOMPARE(closed.at(0).at(1).toString(), QStringLiteral("heartbeat timeout"));
    QCOMPARE(client.lastCloseCode(), 1006);
    QCOMPARE(client.lastCloseReason(), QStringLiteral("heartbeat timeout"));
    QCOMPARE(client.lastCause().kind, Kind::HeartbeatTimeout);
    QCOMPARE(client.state(), State::Backoff);
    QCOMPARE(retries.size(), 1);
    QCOMPARE(retries.at(0).at(0).toInt(), 1);
    QCOMPARE(retries.at(0).at(1).value<std::chrono::milliseconds>(), 100ms);

    const auto timeouts = eventsOfKind(client.log(), wslab::EventKind::HeartbeatTimeout);
    QCOMPARE(timeouts.size(), 1);
    QCOMPARE(timeouts.at(0).detail, QStringLiteral("no pong within 50 ms"));
    QCOMPARE(countOfKind(client.log(), wslab::EventKind::Ping), 1); // one ping, never answered
    QCOMPARE(countOfKind(client.log(), wslab::EventKind::Pong), 0);
    client.close();
    QCOMPARE(client.state(), State::Idle);
}

void tst_Client::noRetryAfterHttp4xx_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");
    QTest::newRow("400") << 400 << QByteArray("Bad Request");
    QTest::newRow("401") << 401 << QByteArray("Unauthorized");
    QTest::newRow("403") << 403 << QByteArray("Forbidden");
    QTest::newRow("404") << 404 << QByteArray("Not Found");
    QTest::newRow("429") << 429 << QByteArray("Too Many Requests");
}

void tst_Client::noRetryAfterHttp4xx()
{
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    HandRolledServer refusing(status, reason);
    QVERIFY(refusing.listen());
    wslab::Client client(QStringLiteral("c"));
    client.setConfig(fastClientConfig(refusing.url()));
    QSignalSpy states(&client, &wslab::Client::stateChanged);
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);
    QSignalSpy opened(&client, &wslab::Client::opened);
    QVERIFY(client.open());

    QTRY_COMPARE(client.state(), State::Idle);
    QCOMPARE(states.size(), 2);
    QCOMPARE(states.at(0).at(0).value<State>(), State::Connecting);
    QCOMPARE(states.at(1).at(0).value<State>(), State::Idle);
    QCOMPARE(client.lastCause().kind, Kind::HandshakeRefused);
    QCOMPARE(client.lastCause().httpStatus, status);
    QCOMPARE(retries.size(), 0);
    QCOMPARE(opened.size(), 0);
    QCOMPARE(client.attempt(), 0);
    QCOMPARE(client.backoffRemaining(), 0ms);
    QCOMPARE(refusing.connections(), 1);
    const auto infos = eventsOfKind(client.log(), wslab::EventKind::Info);
    QCOMPARE(infos.size(), 1);
    QCOMPARE(infos.at(0).detail, QStringLiteral("not retrying: this ending is not transient"));
}

void tst_Client::retriesAfterHttp5xxUntilMaxAttempts()
{
    HandRolledServer busy(503, "Service Unavailable");
    QVERIFY(busy.listen());
    wslab::Client client(QStringLiteral("c"));
    wslab::ClientConfig config = fastClientConfig(busy.url());
    config.reconnect.maxAttempts = 2;
    client.setConfig(config);
    client.setRandomSource(fixedRandom(0.9));
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);
    QVERIFY(client.open());

    QTRY_COMPARE(retries.size(), 2);
    QTRY_COMPARE(client.state(), State::Idle);
    QCOMPARE(retries.at(0).at(0).toInt(), 1);
    QCOMPARE(retries.at(0).at(1).value<std::chrono::milliseconds>(), 18ms); // 0.9 * 20
    QCOMPARE(retries.at(1).at(0).toInt(), 2);
    QCOMPARE(retries.at(1).at(1).value<std::chrono::milliseconds>(), 36ms); // 0.9 * 40
    QCOMPARE(busy.connections(), 3); // the first try and two retries
    QCOMPARE(client.lastCause().kind, Kind::HandshakeRefused);
    QCOMPARE(client.lastCause().httpStatus, 503);
    QVERIFY2(client.errorString().contains(QStringLiteral("503")), qPrintable(client.errorString()));
    const auto infos = eventsOfKind(client.log(), wslab::EventKind::Info);
    QCOMPARE(infos.size(), 1);
    QCOMPARE(infos.at(0).detail, QStringLiteral("giving up after 2 retries"));
}

void tst_Client::connectTimeoutIsRetried()
{
    HandRolledServer mute(0); // accepts TCP, never answers the upgrade
    QVERIFY(mute.listen());
    wslab::Client client(QStringLiteral("c"));
    wslab::ClientConfig config = fastClientConfig(mute.url());
    config.connectTimeout = 100ms;
    client.setConfig(config);
    client.setRandomSource(fixedRandom(0.5));
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);
    QVERIFY(client.open());

    QTRY_COMPARE(retries.size(), 1);
    QCOMPARE(client.lastCause().kind, Kind::ConnectTimeout);
    QCOMPARE(client.errorString(), QStringLiteral("connect timeout after 100 ms"));
    QCOMPARE(retries.at(0).at(1).value<std::chrono::milliseconds>(), 10ms);
    QTRY_COMPARE(mute.connections(), 2); // and it did try again
    QVERIFY(client.close());
    QCOMPARE(client.state(), State::Idle);
}

void tst_Client::refusedTcpConnectIsANetworkError()
{
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    wslab::Client client(QStringLiteral("c"));
    client.setConfig(fastClientConfig(loopbackUrl(port)));
    client.setRandomSource(fixedRandom(0.5));
    QSignalSpy closed(&client, &wslab::Client::closed);
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);
    QVERIFY(client.open());

    QTRY_COMPARE(retries.size(), 1);
    QCOMPARE(retries.at(0).at(0).toInt(), 1);
    // The log says the same as the signal, each in its own field; a retry carries no payload.
    const auto retryEvents = eventsOfKind(client.log(), wslab::EventKind::RetryScheduled);
    QCOMPARE(retryEvents.size(), 1);
    QCOMPARE(retryEvents.at(0).attempt, 1);
    QCOMPARE(retryEvents.at(0).delayMs, qint64(retries.at(0).at(1).value<std::chrono::milliseconds>().count()));
    QVERIFY(retryEvents.at(0).delayMs > 0);
    QCOMPARE(retryEvents.at(0).size, 0);
    QCOMPARE(client.lastCause().kind, Kind::NetworkError);
    QCOMPARE(client.errorString(), QStringLiteral("Connection refused"));
    // It never opened, so there is no close to report.
    QCOMPARE(closed.size(), 0);
    QCOMPARE(client.lastCloseCode(), 0);
    QCOMPARE(countOfKind(client.log(), wslab::EventKind::Close), 0);
    QVERIFY(client.close());
}

void tst_Client::pingMeasuresRtt()
{
    wslab::Server server;
    QVERIFY(startServer(server));
    wslab::Client client(QStringLiteral("c"));
    QVERIFY(!client.ping("early"));
    QCOMPARE(client.errorString(), QStringLiteral("cannot ping: the connection is idle"));
    QSignalSpy pongs(&client, &wslab::Client::pongReceived);
    QVERIFY(openClient(client, fastClientConfig(server.url())));
    QCOMPARE(client.counters().rtt.samples, quint64(0));

    QVERIFY(client.ping("rtt-1"));
    QTRY_COMPARE(pongs.size(), 1);
    QCOMPARE(pongs.at(0).at(0).toByteArray(), QByteArray("rtt-1"));
    QCOMPARE(pongs.at(0).at(1).toBool(), true);
    QCOMPARE(client.counters().pingsOut, quint64(1));
    QCOMPARE(client.counters().pongsIn, quint64(1));
    QCOMPARE(client.counters().rtt.samples, quint64(1));
    QVERIFY(client.counters().rtt.last.count() > 0);
    QCOMPARE(client.counters().rtt.max, client.counters().rtt.last);
    const auto pongEvents = eventsOfKind(client.log(), wslab::EventKind::Pong);
    QCOMPARE(pongEvents.size(), 1);
    QCOMPARE(pongEvents.at(0).rttUs, qint64(client.counters().rtt.last.count()));
}

void tst_Client::httpStatusFromHandshakeError()
{
    QCOMPARE(wslab::httpStatusFromHandshakeError(
                 QStringLiteral("QWebSocketPrivate::processHandshake: Unhandled http status code: 401 (Unauthorized).")),
             401);
    // Qt 6.4 leaves the number out for 400 (both wordings of its 400 branch).
    QCOMPARE(wslab::httpStatusFromHandshakeError(
                 QStringLiteral("QWebSocketPrivate::processHandshake: Unknown error condition encountered. Aborting connection.")),
             400);
    QCOMPARE(wslab::httpStatusFromHandshakeError(QStringLiteral("Handshake: Server requests a version that we don't support: 8.")), 400);
    QCOMPARE(wslab::httpStatusFromHandshakeError(QStringLiteral("Connection refused")), 0);
}

QTEST_GUILESS_MAIN(tst_Client)
#include "tst_Client.moc"
