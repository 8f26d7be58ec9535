#include "core/inspect/Relay.h"
#include "core/sequence/SequenceModel.h"
#include "tests/support/WsLabTest.h"

#include <QElapsedTimer>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using namespace wslab::test;
using wslab::Arrow;
using wslab::ArrowKind;
using wslab::Direction;
using wslab::EventKind;
using wslab::LogEvent;

namespace {

// The arrows of one kind, in time order.
QList<Arrow> arrowsOfKind(const wslab::SequenceModel &model, ArrowKind kind)
{
    QList<Arrow> out;
    for (qsizetype i = 0; i < model.arrowCount(); ++i) {
        if (model.arrow(i).kind == kind)
            out.append(model.arrow(i));
    }
    return out;
}

LogEvent synthetic(EventKind kind, Direction direction, qint64 monoUs, int peer = -1, qint64 size = 0)
{
    LogEvent e;
    e.kind = kind;
    e.direction = direction;
    e.monoUs = monoUs;
    e.peer = peer;
    e.size = size;
    return e;
}

} // namespace

class tst_SequenceModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oneArrowPerMessageAcrossTheLogs();
    void retryIsAMarkOnItsLane();
    void serverWithoutALaneGetsHalfArrows();
    void disagreeingSizesAreNotMatched();
    void manyEventsStayBounded();
    void theInspectorLaneShowsEachFrameAndItsWay();
};

void tst_SequenceModel::oneArrowPerMessageAcrossTheLogs()
{
    wslab::Server server;
    QVERIFY(startServer(server));
    wslab::Client one(QStringLiteral("client 1"));
    wslab::Client two(QStringLiteral("client 2"));
    QVERIFY(openClient(one, fastClientConfig(server.url())));
    QVERIFY(openClient(two, fastClientConfig(server.url())));
    QTRY_COMPARE(server.peers().size(), 2);

    wslab::SequenceModel model;
    model.setLanes(
        {{QStringLiteral("server"), server.log()}, {QStringLiteral("client 1"), one.log()}, {QStringLiteral("client 2"), two.log()}});
    QCOMPARE(model.lanes().size(), 3);

    QVERIFY(one.sendText(QStringLiteral("hello")));
    QVERIFY(two.sendBinary(QByteArray("\x01\x02\x03", 3)));
    QVERIFY(one.ping(QByteArrayLiteral("p1")));
    QTRY_COMPARE(countOfKind(one.log(), EventKind::Text), 2); // sent and echoed
    QTRY_COMPARE(countOfKind(two.log(), EventKind::Binary), 2);
    QTRY_COMPARE(countOfKind(one.log(), EventKind::Pong), 1);
    QVERIFY(one.close(4001, QStringLiteral("lesson over")));
    QTRY_COMPARE(countOfKind(one.log(), EventKind::Close), 1);
    QTRY_COMPARE(countOfKind(server.log(), EventKind::Close), 1);
    model.refresh();

    const QList<Arrow> opens = arrowsOfKind(model, ArrowKind::Open);
    QCOMPARE(opens.size(), 2);
    for (const Arrow &open : opens) {
        QVERIFY(open.isMatched());
        QCOMPARE(open.toLane, 0);
    }
    QCOMPARE(QSet<int>({opens.at(0).fromLane, opens.at(1).fromLane}), QSet<int>({1, 2}));

    const QList<Arrow> texts = arrowsOfKind(model, ArrowKind::Text);
    QCOMPARE(texts.size(), 2);
    QCOMPARE(texts.at(0).fromLane, 1);
    QCOMPARE(texts.at(0).toLane, 0);
    QCOMPARE(texts.at(0).size, 5);
    QCOMPARE(texts.at(0).label, QStringLiteral("hello"));
    QVERIFY(texts.at(0).isMatched());
    QVERIFY(texts.at(0).receivedUs >= texts.at(0).sentUs);
    QCOMPARE(one.log()->bySeq(texts.at(0).sent.seq)->direction, Direction::Out);
    QCOMPARE(texts.at(0).received.lane, 0);
    QCOMPARE(server.log()->bySeq(texts.at(0).received.seq)->kind, EventKind::Text);
    QCOMPARE(texts.at(1).fromLane, 0); // the echo
    QCOMPARE(texts.at(1).toLane, 1);
    QVERIFY(texts.at(1).isMatched());

    const QList<Arrow> binaries = arrowsOfKind(model, ArrowKind::Binary);
    QCOMPARE(binaries.size(), 2);
    QCOMPARE(binaries.at(0).fromLane, 2);
    QCOMPARE(binaries.at(0).toLane, 0);
    QCOMPARE(binaries.at(0).size, 3);
    QVERIFY(binaries.at(0).isMatched());
    QCOMPARE(binaries.at(1).fromLane, 0);
    QCOMPARE(binaries.at(1).toLane, 2);

    // Qt answers pings by itself and the server logs neither the ping nor its pong: each arrow has one
    // logged end, and still goes between the two lanes, because the connection is known.
    const QList<Arrow> pings = arrowsOfKind(model, ArrowKind::Ping);
    QCOMPARE(pings.size(), 1);
    QCOMPARE(pings.at(0).fromLane, 1);
    QCOMPARE(pings.at(0).toLane, 0);
    QCOMPARE(pings.at(0).size, 2);
    const QList<Arrow> pongs = arrowsOfKind(model, ArrowKind::Pong);
    QCOMPARE(pongs.size(), 1);
    QCOMPARE(pongs.at(0).fromLane, 0);
    QCOMPARE(pongs.at(0).toLane, 1);
    QVERIFY(pongs.at(0).received.isValid());

    const QList<Arrow> closes = arrowsOfKind(model, ArrowKind::Close);
    QCOMPARE(closes.size(), 1);
    QCOMPARE(closes.at(0).fromLane, 1);
    QCOMPARE(closes.at(0).toLane, 0);
    QVERIFY(closes.at(0).isMatched());
    QCOMPARE(closes.at(0).closeCode, 4001);
    QCOMPARE(closes.at(0).label, QStringLiteral("4001 lesson over"));

    for (qsizetype i = 1; i < model.arrowCount(); ++i)
        QVERIFY(model.arrow(i - 1).t <= model.arrow(i).t);
    QCOMPARE(model.waitingCount(), qsizetype(0)); // what waited on client 1's connection went with its close
}

void tst_SequenceModel::retryIsAMarkOnItsLane()
{
    const quint16 port = closedPort();
    QVERIFY(port != 0);
    wslab::Client client(QStringLiteral("client 1"));
    wslab::SequenceModel model;
    model.setLanes({{QStringLiteral("client 1"), client.log()}});
    QSignalSpy retries(&client, &wslab::Client::retryScheduled);
    wslab::ClientConfig config = fastClientConfig(loopbackUrl(port));
    config.reconnect.maxAttempts = 1;
    client.setConfig(config);
    QVERIFY(client.open());
    QVERIFY(retries.wait(5000));
    QTRY_VERIFY(countOfKind(client.log(), EventKind::Error) > 0);
    model.refresh();

    const QList<Arrow> marks = arrowsOfKind(model, ArrowKind::Retry);
    QCOMPARE(marks.size(), 1);
    QVERIFY(marks.at(0).isMark());
    QCOMPARE(marks.at(0).fromLane, 0);
    QVERIFY2(marks.at(0).label.startsWith(QStringLiteral("retry #1 in ")), qPrintable(marks.at(0).label));
    QCOMPARE(client.log()->bySeq(marks.at(0).sent.seq)->kind, EventKind::RetryScheduled);
    QVERIFY(!arrowsOfKind(model, ArrowKind::Error).isEmpty());
}

void tst_SequenceModel::serverWithoutALaneGetsHalfArrows()
{
    wslab::Server server;
    QVERIFY(startServer(server));
    wslab::Client client(QStringLiteral("client 1"));
    wslab::SequenceModel model;
    model.setLanes({{QStringLiteral("client 1"), client.log()}});
    QVERIFY(openClient(client, fastClientConfig(server.url())));
    QVERIFY(client.sendText(QStringLiteral("anyone there?")));
    QTRY_COMPARE(countOfKind(client.log(), EventKind::Text), 2);
    QSignalSpy changed(&model, &wslab::SequenceModel::changed);
    QVERIFY(changed.wait(2000)); // read on the model's own tick

    const QList<Arrow> texts = arrowsOfKind(model, ArrowKind::Text);
    QCOMPARE(texts.size(), 2);
    QCOMPARE(texts.at(0).fromLane, 0);
    QCOMPARE(texts.at(0).toLane, Arrow::kOutside);
    QCOMPARE(texts.at(1).fromLane, Arrow::kOutside);
    QCOMPARE(texts.at(1).toLane, 0);
    QVERIFY(!texts.at(0).isMatched());
}

void tst_SequenceModel::disagreeingSizesAreNotMatched()
{
    wslab::EventLog clientLog;
    wslab::EventLog serverLog;
    LogEvent clientOpen = synthetic(EventKind::Open, Direction::Local, 10);
    clientOpen.detail = QStringLiteral("from 127.0.0.1:5000 to 127.0.0.1:8080");
    clientLog.append(clientOpen);
    LogEvent serverOpen = synthetic(EventKind::Open, Direction::Local, 20, 1);
    serverOpen.detail = QStringLiteral("peer 1 from ::ffff:127.0.0.1:5000 path /");
    serverLog.append(serverOpen);
    clientLog.append(synthetic(EventKind::Text, Direction::Out, 30, -1, 5));
    serverLog.append(synthetic(EventKind::Text, Direction::In, 40, 1, 6));
    clientLog.append(synthetic(EventKind::Text, Direction::Out, 50, -1, 7));
    serverLog.append(synthetic(EventKind::Text, Direction::In, 60, 1, 7));

    wslab::SequenceModel model;
    model.setLanes({{QStringLiteral("server"), &serverLog}, {QStringLiteral("client"), &clientLog}});
    QVERIFY(arrowsOfKind(model, ArrowKind::Open).value(0).isMatched()); // IPv4-mapped or not, the same end
    const QList<Arrow> texts = arrowsOfKind(model, ArrowKind::Text);
    QCOMPARE(texts.size(), 3);
    QCOMPARE(texts.at(0).toLane, Arrow::kOutside);
    QCOMPARE(texts.at(1).fromLane, Arrow::kOutside);
    QCOMPARE(texts.at(1).size, 6);
    QVERIFY(texts.at(2).isMatched()); // the next pair agrees again
}

void tst_SequenceModel::manyEventsStayBounded()
{
    constexpr int kEvents = 100000;
    constexpr qsizetype kCapacity = 20000;
    wslab::EventLog clientLog;
    wslab::EventLog serverLog;
    clientLog.setLimits({kCapacity, 256ll * 1024 * 1024});
    serverLog.setLimits({kCapacity, 256ll * 1024 * 1024});
    wslab::SequenceModel model;
    model.setLanes({{QStringLiteral("server"), &serverLog}, {QStringLiteral("client"), &clientLog}});
    QCOMPARE(model.maxArrows(), 2 * kCapacity);

    QElapsedTimer timer;
    timer.start();
    qint64 us = 0;
    LogEvent clientOpen = synthetic(EventKind::Open, Direction::Local, ++us);
    clientOpen.detail = QStringLiteral("from 127.0.0.1:5000 to 127.0.0.1:8080");
    clientLog.append(clientOpen);
    LogEvent serverOpen = synthetic(EventKind::Open, Direction::Local, ++us, 1);
    serverOpen.detail = QStringLiteral("peer 1 from 127.0.0.1:5000 path /");
    serverLog.append(serverOpen);
    // A client that texts and pings a server which never logs the pings: a queue that never drains.
    for (int i = 0; i < kEvents / 3; ++i) {
        clientLog.append(synthetic(EventKind::Text, Direction::Out, ++us, -1, 10 + i % 7));
        serverLog.append(synthetic(EventKind::Text, Direction::In, ++us, 1, 10 + i % 7));
        clientLog.append(synthetic(EventKind::Ping, Direction::Out, ++us, -1, 4));
        if (i % 1000 == 999)
            model.refresh(); // as the model's tick would
    }
    model.refresh();
    const qint64 elapsedMs = timer.elapsed();
    qInfo("%d events read in %lld ms (appends included): %lld arrows, %lld waiting, %llu missed", kEvents, elapsedMs,
          qlonglong(model.arrowCount()), qlonglong(model.waitingCount()), model.missedCount());

    QVERIFY(model.arrowCount() <= model.maxArrows());
    QVERIFY(model.waitingCount() <= wslab::SequenceModel::kMaxWaitingPerKind * 6 * 2);
    QCOMPARE(model.missedCount(), quint64(0));
    const Arrow &last = model.arrow(model.arrowCount() - 2); // the last text
    QCOMPARE(last.kind, ArrowKind::Text);
    QVERIFY(last.isMatched());
    // The open arrow's events are long evicted from both logs: it went with them.
    QVERIFY(arrowsOfKind(model, ArrowKind::Open).isEmpty());

    // Everything at once, more than a log holds: the rest is counted as missed.
    model.setLanes(model.lanes());
    QVERIFY(model.arrowCount() <= model.maxArrows());
    QVERIFY(model.arrowCount() > 0);
}

void tst_SequenceModel::theInspectorLaneShowsEachFrameAndItsWay()
{
    wslab::Server server;
    QVERIFY(startServer(server));
    wslab::Relay relay;
    wslab::RelayConfig relayConfig;
    relayConfig.target = server.url();
    relay.setConfig(relayConfig);
    QVERIFY2(relay.start(), qPrintable(relay.errorString()));
    wslab::Client client(QStringLiteral("client 1"));
    wslab::ClientConfig clientConfig = fastClientConfig(relay.url());
    clientConfig.reconnect.enabled = false;
    QVERIFY(openClient(client, clientConfig));

    // Lanes as the window orders them: the server, the inspector, then the clients.
    wslab::SequenceModel model;
    model.setLanes(
        {{QStringLiteral("server"), server.log()}, {QStringLiteral("inspector"), relay.log()}, {QStringLiteral("client 1"), client.log()}});
    QVERIFY(client.sendText(QStringLiteral("hello")));
    QTRY_COMPARE(countOfKind(client.log(), EventKind::Text), 2); // sent and echoed
    model.refresh();

    QList<Arrow> frames;
    for (const Arrow &a : arrowsOfKind(model, ArrowKind::Text)) {
        if (a.fromLane == 1)
            frames.append(a);
    }
    QCOMPARE(frames.size(), 2);
    const Arrow &sent = frames.at(0);
    QVERIFY(sent.isMark());
    QCOMPARE(sent.heading, Arrow::Heading::TowardsServer);
    QCOMPARE(sent.size, 5);
    QCOMPARE(sent.label, QStringLiteral("hello"));
    QVERIFY(sent.fin);
    QCOMPARE(sent.sent.lane, 1);
    QVERIFY(relay.log()->bySeq(sent.sent.seq));
    QCOMPARE(relay.log()->bySeq(sent.sent.seq)->kind, EventKind::Frame);
    const Arrow &echo = frames.at(1);
    QVERIFY(echo.isMark());
    QCOMPARE(echo.heading, Arrow::Heading::TowardsClient);
    QCOMPARE(echo.label, QStringLiteral("hello"));
    QVERIFY(sent.t <= echo.t);

    // The relay's own connection opening is a mark on its lane too, not half of a connection.
    bool relayOpen = false;
    for (const Arrow &a : arrowsOfKind(model, ArrowKind::Open))
        relayOpen = relayOpen || (a.fromLane == 1 && a.isMark());
    QVERIFY(relayOpen);
    // Frames are not matched to the endpoints' messages (see SequenceModel): those stay half-arrows.
    for (const Arrow &a : arrowsOfKind(model, ArrowKind::Text)) {
        if (a.fromLane != 1)
            QVERIFY(!a.isMatched());
    }
}

QTEST_GUILESS_MAIN(tst_SequenceModel)
#include "tst_SequenceModel.moc"
