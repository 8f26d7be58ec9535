#include "tests/support/HardeningTest.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace std::chrono_literals;
using namespace wslab::test;
using State = wslab::Client::State;

namespace {

// The server's close event for one peer; code 0 while there is none.
wslab::LogEvent closeOf(const wslab::EventLog *log, int peerId)
{
    for (const wslab::LogEvent &e : eventsOfKind(log, wslab::EventKind::Close)) {
        if (e.peer == peerId)
            return e;
    }
    return {};
}

// Messages the server received from one peer.
int textsFrom(const wslab::EventLog *log, int peerId)
{
    int n = 0;
    for (const wslab::LogEvent &e : eventsOfKind(log, wslab::EventKind::Text))
        n += e.peer == peerId && e.direction == wslab::Direction::In;
    return n;
}

bool hasInfo(const wslab::EventLog *log, int peerId, const QString &start)
{
    for (const wslab::LogEvent &e : eventsOfKind(log, wslab::EventKind::Info)) {
        if (e.peer == peerId && e.detail.startsWith(start))
            return true;
    }
    return false;
}

} // namespace

// The limits a connection meets after the upgrade. Each test checks the close code the peer sees (or
// that it was cut off), what the server logged, that the peer is gone, and that a client connected
// before keeps getting its echoes.
class tst_PeerLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void messageOverLimitInFragmentsClosesWith1009();
    void frameOverLimitClosesWith1009();
    void burstOverRateLimitClosesWith1008();
    void idlePeerIsClosedAfterIdleTimeout();
    void slowReaderIsDroppedWith1008();
    void oneMessageOverTheBacklogLimitIsNotASlowReader();
    void closeNotAnsweredInTimeIsAborted();
    void kickedPeerIsWaitedForUntilItAnswers();
    void kickedPeerThatNeverAnswersIsAbortedAfterTheCloseTimeout();
};

void tst_PeerLimits::messageOverLimitInFragmentsClosesWith1009()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.maxMessageSize = 1024;
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithBystander(server, config, bystander));
    RawPeer raw;
    const int rawId = upgradedPeerId(raw, server);
    QVERIFY(rawId > 0);

    // Every frame is under the limit; only the message as a whole is over it.
    raw.send(encodeFrame(Opcode::Binary, QByteArray(512, 'a'), true, false) +
             encodeFrame(Opcode::Continuation, QByteArray(512, 'b'), true, true));
    QTRY_COMPARE(raw.messages(Opcode::Binary).size(), 1); // exactly the limit is fine
    raw.send(encodeFrame(Opcode::Binary, QByteArray(512, 'a'), true, false) +
             encodeFrame(Opcode::Continuation, QByteArray(512, 'b'), true, false) + encodeFrame(Opcode::Continuation, "c", true, true));

    QTRY_COMPARE(raw.closeCode(), 1009);
    QVERIFY(raw.answerClose());
    QVERIFY(raw.waitForDisconnected());
    QCOMPARE(raw.messages(Opcode::Binary).size(), 1);
    QTRY_COMPARE(server.peerCount(), 1);
    const wslab::LogEvent close = closeOf(server.log(), rawId);
    QCOMPARE(close.closeCode, 1009);
    QCOMPARE(close.direction, wslab::Direction::Out);
    QVERIFY(bystander.echoes(QStringLiteral("after 1009")));
}

void tst_PeerLimits::frameOverLimitClosesWith1009()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.maxMessageSize = 1024;
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithBystander(server, config, bystander));
    wslab::Client big(QStringLiteral("big"));
    QSignalSpy closed(&big, &wslab::Client::closed);
    QSignalSpy retries(&big, &wslab::Client::retryScheduled);
    QVERIFY(openClient(big, fastClientConfig(server.url())));
    const int bigId = peerOf(server, big)->id();
    QVERIFY(bystander.echoes(QString(1024, u'k'))); // exactly at the limit is fine

    QVERIFY(big.sendText(QString(1025, u'x'))); // one frame, one byte over
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(closed.at(0).at(0).toInt(), 1009);
    QCOMPARE(big.lastCause().kind, wslab::DisconnectCause::Kind::PeerClose);
    QCOMPARE(big.state(), State::Idle); // too big is not transient
    QCOMPARE(retries.size(), 0);
    QTRY_COMPARE(server.peerCount(), 1);
    QCOMPARE(countOfKind(server.log(), wslab::EventKind::Close), 1);
    QCOMPARE(closeOf(server.log(), bigId).closeCode, 1009);
    QCOMPARE(closeOf(server.log(), bigId).direction, wslab::Direction::Out); // Qt's close, sent by the server
    QVERIFY(bystander.echoes(QStringLiteral("after 1009")));
    QSignalSpy binaryEchoed(&bystander.client(), &wslab::Client::binaryReceived);
    QVERIFY(bystander.client().sendBinary("\x01\x02"));
    QTRY_COMPARE(binaryEchoed.size(), 1);
    QCOMPARE(binaryEchoed.at(0).at(0).toByteArray(), QByteArray("\x01\x02"));

    // A close the client starts is logged as coming in.
    const int bystanderId = peerOf(server, bystander.client())->id();
    QVERIFY(bystander.client().close(4001, QStringLiteral("done")));
    QTRY_COMPARE(server.peerCount(), 0);
    QCOMPARE(closeOf(server.log(), bystanderId).closeCode, 4001);
    QCOMPARE(closeOf(server.log(), bystanderId).direction, wslab::Direction::In);
}

void tst_PeerLimits::burstOverRateLimitClosesWith1008()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.rateLimit = 5;
    wslab::ManualClock clock;
    wslab::Server server;
    server.setClock(clock.clock());
    Bystander bystander;
    QVERIFY(startWithBystander(server, config, bystander));
    wslab::Client chatty(QStringLiteral("chatty"));
    QSignalSpy closed(&chatty, &wslab::Client::closed);
    QSignalSpy echoed(&chatty, &wslab::Client::textReceived);
    QVERIFY(openClient(chatty, fastClientConfig(server.url())));
    const int chattyId = peerOf(server, chatty)->id();

    // A burst of one second's worth passes at once.
    for (int i = 0; i < 5; ++i)
        QVERIFY(chatty.sendText(QStringLiteral("burst %1").arg(i)));
    QTRY_COMPARE(echoed.size(), 5);
    // 400 ms refill two messages, whenever they are sent; the third is over the limit.
    clock.advance(400ms);
    for (int i = 5; i < 50; ++i)
        QVERIFY(chatty.sendText(QStringLiteral("burst %1").arg(i)));
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(closed.at(0).at(0).toInt(), 1008);
    QCOMPARE(closed.at(0).at(1).toString(), QStringLiteral("rate limit exceeded"));
    QCOMPARE(chatty.state(), State::Idle);
    QCOMPARE(echoed.size(), 7);
    for (int i = 0; i < 7; ++i)
        QCOMPARE(echoed.at(i).at(0).toString(), QStringLiteral("burst %1").arg(i));

    QTRY_COMPARE(server.peerCount(), 1);
    QVERIFY(hasInfo(server.log(), chattyId, QStringLiteral("rate limit of 5 messages/s exceeded")));
    const wslab::LogEvent close = closeOf(server.log(), chattyId);
    QCOMPARE(close.closeCode, 1008);
    QCOMPARE(close.direction, wslab::Direction::Out);
    QVERIFY(bystander.echoes(QStringLiteral("after 1008")));
}

void tst_PeerLimits::idlePeerIsClosedAfterIdleTimeout()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.idleTimeout = 2s;
    wslab::ManualClock clock;
    wslab::Server server;
    server.setClock(clock.clock());
    QVERIFY(startServer(server, config));
    wslab::Client quiet(QStringLiteral("quiet"));
    QSignalSpy closed(&quiet, &wslab::Client::closed);
    QSignalSpy echoed(&quiet, &wslab::Client::textReceived);
    QVERIFY(openClient(quiet, fastClientConfig(server.url())));
    wslab::Peer *peer = peerOf(server, quiet);
    const int quietId = peer->id();

    clock.advance(1999ms);
    peer->checkTimers();
    // A message just before the limit starts the idle time again.
    QVERIFY(quiet.sendText(QStringLiteral("still here")));
    QTRY_COMPARE(echoed.size(), 1);
    clock.advance(1999ms);
    peer->checkTimers();
    QVERIFY(peer->isOpen());
    QCOMPARE(closed.size(), 0);

    clock.advance(1ms);
    peer->checkTimers();
    QVERIFY(!peer->isOpen());
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(closed.at(0).at(0).toInt(), 1000);
    QCOMPARE(closed.at(0).at(1).toString(), QStringLiteral("idle for 2000 ms"));
    QTRY_COMPARE(server.peerCount(), 0);
    const wslab::LogEvent close = closeOf(server.log(), quietId);
    QCOMPARE(close.closeCode, 1000);
    QCOMPARE(close.direction, wslab::Direction::Out);
}

void tst_PeerLimits::slowReaderIsDroppedWith1008()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.slowReaderLimit = 256 * 1024;
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithBystander(server, config, bystander));
    int bystanderGot = 0;
    connect(&bystander.client(), &wslab::Client::binaryReceived, this, [&] { ++bystanderGot; });
    RawPeer slow;
    slow.stopReading();
    const int slowId = upgradedPeerId(slow, server);
    QVERIFY(slowId > 0);

    // Half the limit to everyone each time the bystander has read the last one: a reader that keeps up
    // never holds more, one that does not read piles up.
    int sent = 0;
    const QString dropped = QStringLiteral("slow reader: ");
    auto feed = [&] {
        if (sent < 1000 && !hasInfo(server.log(), slowId, dropped) && server.sendBinaryToAll(QByteArray(128 * 1024, 's')) > 0)
            ++sent;
    };
    connect(&bystander.client(), &wslab::Client::binaryReceived, this, feed);
    feed();
    QTRY_VERIFY_WITH_TIMEOUT(hasInfo(server.log(), slowId, dropped), 20000);
    QVERIFY(bystander.echoes(QStringLiteral("while the slow reader is dropped")));

    // The close frame waits behind everything queued: once the reader reads again, it gets there.
    slow.resumeReading();
    QTRY_COMPARE(slow.closeCode(), 1008);
    QCOMPARE(slow.frames().last().payload.mid(2), QByteArray("slow reader"));
    QVERIFY(slow.answerClose());
    QVERIFY(slow.waitForDisconnected());
    QTRY_COMPARE(server.peerCount(), 1);
    const wslab::LogEvent close = closeOf(server.log(), slowId);
    QCOMPARE(close.closeCode, 1008);
    QCOMPARE(close.detail, QStringLiteral("slow reader"));
    QCOMPARE(close.direction, wslab::Direction::Out);

    QTRY_COMPARE(bystanderGot, sent); // the fast reader was never dropped
    QVERIFY(bystander.echoes(QStringLiteral("after the slow reader")));
}

// The backlog limit is about a reader that does not drain what it was sent before; a single message
// larger than the limit, to readers that keep up, is delivered to each of them.
void tst_PeerLimits::oneMessageOverTheBacklogLimitIsNotASlowReader()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.slowReaderLimit = 64 * 1024;
    wslab::Server server;
    QVERIFY(startServer(server, config));
    Bystander first(QStringLiteral("first"));
    Bystander second(QStringLiteral("second"));
    QVERIFY(first.open(fastClientConfig(server.url())));
    QVERIFY(second.open(fastClientConfig(server.url())));
    QSignalSpy firstGot(&first.client(), &wslab::Client::binaryReceived);
    QSignalSpy secondGot(&second.client(), &wslab::Client::binaryReceived);

    const QByteArray big(1024 * 1024, 'b');
    QVERIFY(first.client().sendBinary(big)); // echoed back to its sender
    QTRY_COMPARE(firstGot.size(), 1);
    QCOMPARE(server.sendBinaryToAll(big), 2);
    QTRY_COMPARE(secondGot.size(), 1);
    QTRY_COMPARE(firstGot.size(), 2);
    QCOMPARE(firstGot.at(1).at(0).toByteArray(), big);
    QCOMPARE(server.peerCount(), 2);
    QCOMPARE(countOfKind(server.log(), wslab::EventKind::Close), 0);
    QVERIFY(first.echoes(QStringLiteral("first still here")));
    QVERIFY(second.echoes(QStringLiteral("second still here")));
}

// Qt sends its close frame and then closes TCP once the frame is out. A peer that does not read keeps
// that frame stuck behind the data still queued for it; the close timeout then aborts the connection.
void tst_PeerLimits::closeNotAnsweredInTimeIsAborted()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.closeTimeout = 200ms;
    config.slowReaderLimit = 1ll << 30; // this test is about the close, not the backlog
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithBystander(server, config, bystander));
    RawPeer stuck;
    stuck.stopReading();
    const int stuckId = upgradedPeerId(stuck, server);
    QVERIFY(stuckId > 0);

    // More than the kernel buffers on both sides can hold.
    QVERIFY(server.sendBinary(stuckId, QByteArray(8 * 1024 * 1024, 'q')));
    QVERIFY(server.kick(stuckId, 1000, QStringLiteral("bye")));
    QVERIFY(bystander.echoes(QStringLiteral("while the close waits")));
    QTRY_COMPARE(server.peerCount(), 1);
    const wslab::LogEvent close = closeOf(server.log(), stuckId);
    QCOMPARE(close.closeCode, 1006);
    QCOMPARE(close.detail, QStringLiteral("close handshake not answered in time"));

    stuck.resumeReading();
    QVERIFY(stuck.waitForDisconnected());
    QCOMPARE(stuck.closeCode(), 0); // aborted: the close frame never left the server
    QVERIFY(stuck.bytesReceived() < 8 * 1024 * 1024);
    QVERIFY(bystander.echoes(QStringLiteral("after the abort")));
}

// RFC 6455 §7.1.1: after our Close the server reads on until the peer's Close, then closes TCP, so a
// peer that was still sending reads our code instead of a reset. What it sent meanwhile is dropped.
void tst_PeerLimits::kickedPeerIsWaitedForUntilItAnswers()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.closeTimeout = 60s; // far longer than the test may take: only the answer ends it
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithBystander(server, config, bystander));
    RawPeer late;
    const int lateId = upgradedPeerId(late, server);
    QVERIFY(lateId > 0);

    QVERIFY(server.kick(lateId, 4000, QStringLiteral("out")));
    QTRY_COMPARE(late.closeCode(), 4000);
    QCOMPARE(late.frames().last().payload.mid(2), QByteArray("out"));
    // Messages that crossed our Close: neither delivered nor echoed, and the connection stays up.
    for (int i = 0; i < 3; ++i)
        late.sendFrame(Opcode::Text, "crossed the close");
    QVERIFY(bystander.echoes(QStringLiteral("while the kicked peer is still sending")));
    QVERIFY(late.isConnected());
    QCOMPARE(server.peerCount(), 2);

    QVERIFY(late.answerClose());
    QVERIFY(late.waitForDisconnected());
    QTRY_COMPARE(server.peerCount(), 1);
    QCOMPARE(late.frames().size(), 1); // our Close and nothing after it
    QCOMPARE(textsFrom(server.log(), lateId), 0);
    const wslab::LogEvent close = closeOf(server.log(), lateId);
    QCOMPARE(close.closeCode, 4000);
    QCOMPARE(close.direction, wslab::Direction::Out);
    QCOMPARE(close.detail, QStringLiteral("out; 3 messages discarded after close"));
    QVERIFY(bystander.echoes(QStringLiteral("after the kick")));
}

// A peer that keeps sending and never answers our Close is aborted after the close timeout; what it sent
// after our Close is counted in the close event.
void tst_PeerLimits::kickedPeerThatNeverAnswersIsAbortedAfterTheCloseTimeout()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.closeTimeout = 300ms;
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithBystander(server, config, bystander));
    RawPeer chatty;
    const int chattyId = upgradedPeerId(chatty, server);
    QVERIFY(chattyId > 0);
    // Sends every few milliseconds until the server drops it (at most a few seconds' worth).
    QTimer sender;
    int sends = 0;
    connect(&sender, &QTimer::timeout, this, [&] {
        if (chatty.isConnected() && ++sends < 3000)
            chatty.sendFrame(Opcode::Text, "still talking");
    });
    sender.start(2ms);
    QTRY_VERIFY(textsFrom(server.log(), chattyId) > 0);

    QVERIFY(server.kick(chattyId, 4001, QStringLiteral("enough")));
    const int deliveredBeforeKick = textsFrom(server.log(), chattyId);
    QTRY_COMPARE(chatty.closeCode(), 4001);
    QVERIFY(chatty.waitForDisconnected());
    sender.stop();
    QTRY_COMPARE(server.peerCount(), 1);
    QCOMPARE(textsFrom(server.log(), chattyId), deliveredBeforeKick); // nothing after our Close was delivered
    QCOMPARE(chatty.frames().last().opcode, Opcode::Close); // and nothing was sent after it
    const wslab::LogEvent close = closeOf(server.log(), chattyId);
    QCOMPARE(close.closeCode, 1006);
    const QRegularExpression detail(QStringLiteral("^close handshake not answered in time; (\\d+) messages? discarded after close$"));
    const QRegularExpressionMatch match = detail.match(close.detail);
    QVERIFY2(match.hasMatch(), qPrintable(close.detail));
    QVERIFY(match.captured(1).toInt() > 0);
    QVERIFY(bystander.echoes(QStringLiteral("after the abort")));
}

QTEST_GUILESS_MAIN(tst_PeerLimits)
#include "tst_PeerLimits.moc"
