// The replay engine behind `wslab-cli replay` and the window's Replay to…: against an echo server on
// loopback it sends every recorded outgoing message in order and logs the echoes, keeps the recorded
// gaps (divided by the speed), carries the config's headers and subprotocols, and a closed port or a
// recording without messages ends it with the reason.
#include "tests/support/WsLabTest.h"

#include "core/replay/Replayer.h"

#include <QSignalSpy>

using namespace std::chrono_literals;
using namespace wslab;
using namespace wslab::test;

namespace {

// A client's recorded connection: each message sent and its echo received, `gapMs` apart.
RecordedConnection recording(const QList<QByteArray> &texts, qint64 gapMs, const QByteArray &binary = {})
{
    RecordedConnection c;
    c.endpoint = QStringLiteral("client 1");
    qint64 wallMs = 1796119200000;
    auto add = [&](EventKind kind, Direction dir, const QByteArray &data) {
        LogEvent e = LogEvent::make(kind, dir, data);
        e.endpoint = c.endpoint;
        e.wallMs = wallMs;
        c.events.append(e);
    };
    add(EventKind::Handshake, Direction::Out, {});
    add(EventKind::Open, Direction::Local, {});
    for (const QByteArray &text : texts) {
        add(EventKind::Text, Direction::Out, text);
        add(EventKind::Text, Direction::In, QByteArray("recorded reply to " + text));
        wallMs += gapMs;
    }
    if (!binary.isEmpty())
        add(EventKind::Binary, Direction::Out, binary);
    return c;
}

QList<LogEvent> messages(const EventLog *log, Direction dir)
{
    QList<LogEvent> out;
    for (qsizetype i = 0; i < log->size(); ++i) {
        const LogEvent &e = log->at(i);
        if ((e.kind == EventKind::Text || e.kind == EventKind::Binary) && e.direction == dir)
            out.append(e);
    }
    return out;
}

QList<QByteArray> payloads(const QList<LogEvent> &events)
{
    QList<QByteArray> out;
    for (const LogEvent &e : events)
        out.append(e.payload);
    return out;
}

ClientConfig replayConfig(const QUrl &url, std::chrono::milliseconds linger = 50ms)
{
    ClientConfig config = fastClientConfig(url);
    config.closeLinger = linger;
    config.reconnect.enabled = true; // the replayer must switch it off itself
    return config;
}

} // namespace

class tst_Replayer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void atMaxSpeedSendsEveryMessageInOrderAndLogsTheEchoes()
    {
        Server server;
        QVERIFY(startServer(server));
        const QList<QByteArray> texts{"one", "two", "three", "four"};
        Replayer replayer(QStringLiteral("replay"));
        QSignalSpy finished(&replayer, &Replayer::finished);
        QSignalSpy replies(&replayer, &Replayer::replyReceived);
        QVERIFY(replayer.start(recording(texts, 5000, QByteArray("\x00\x01\xff", 3)), replayConfig(server.url(), 100ms), {0.0}));
        QVERIFY(replayer.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000); // 5 s gaps: only max speed ends in time
        QCOMPARE(finished.first().at(0).toBool(), true);
        QVERIFY(!replayer.isRunning());
        const QList<QByteArray> expected = texts + QList<QByteArray>{QByteArray("\x00\x01\xff", 3)};
        QCOMPARE(payloads(messages(replayer.log(), Direction::Out)), expected);
        QCOMPARE(payloads(messages(replayer.log(), Direction::In)), expected); // the echoes, in the order sent
        QCOMPARE(messages(replayer.log(), Direction::Out).constLast().kind, EventKind::Binary);
        QCOMPARE(replies.size(), expected.size());
        QCOMPARE(replayer.sentCount(), expected.size());
        QCOMPARE(replayer.summary(), QStringLiteral("5 of 5 messages sent, 5 replies"));
        QCOMPARE(replayer.client()->lastCloseCode(), 1000); // closed by the replay, not dropped
        QCOMPARE(replayer.client()->state(), Client::State::Idle); // and not reconnecting
    }

    void keepsTheRecordedGapsDividedByTheSpeed()
    {
        Server server;
        QVERIFY(startServer(server));
        Replayer replayer(QStringLiteral("replay"));
        QSignalSpy finished(&replayer, &Replayer::finished);
        // 400 ms recorded between messages, replayed twice as fast: never less than 200 ms apart.
        QVERIFY(replayer.start(recording({"a", "b", "c"}, 400, {}), replayConfig(server.url()), {2.0}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY(finished.first().at(0).toBool());
        const QList<LogEvent> sent = messages(replayer.log(), Direction::Out);
        QCOMPARE(sent.size(), 3);
        for (qsizetype i = 1; i < sent.size(); ++i)
            QVERIFY2(sent[i].monoUs - sent[0].monoUs >= i * 200'000 - 1000,
                     qPrintable(QStringLiteral("message %1 went %2 µs after the first").arg(i).arg(sent[i].monoUs - sent[0].monoUs)));
    }

    void carriesTheConfigsHeadersAndSubprotocols()
    {
        ServerConfig serverConfig = loopbackServerConfig();
        serverConfig.subprotocols = {QStringLiteral("lab.v2")};
        Server server;
        QVERIFY(startServer(server, serverConfig));
        ClientConfig config = replayConfig(server.url());
        config.headers.append({QByteArray("X-Replay"), QByteArray("yes")});
        config.subprotocols = {QStringLiteral("lab.v1"), QStringLiteral("lab.v2")};
        Replayer replayer(QStringLiteral("replay"));
        QSignalSpy finished(&replayer, &Replayer::finished);
        QVERIFY(replayer.start(recording({"hello"}, 10), config, {0.0}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY(finished.first().at(0).toBool());
        QList<LogEvent> requests = eventsOfKind(server.log(), EventKind::Handshake); // the request in, the answer out
        requests.removeIf([](const LogEvent &e) { return e.direction != Direction::In; });
        QCOMPARE(requests.size(), 1);
        QVERIFY2(requests.first().payload.contains("X-Replay: yes"), requests.first().payload.constData());
        QVERIFY(hasEventWith(server.log(), EventKind::Open, QStringLiteral("lab.v2")));
    }

    void aClosedPortFinishesWithTheError()
    {
        const quint16 port = closedPort();
        QVERIFY(port != 0);
        Replayer replayer(QStringLiteral("replay"));
        QSignalSpy finished(&replayer, &Replayer::finished);
        QVERIFY(replayer.start(recording({"a", "b"}, 10), replayConfig(loopbackUrl(port)), {0.0}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(finished.first().at(0).toBool(), false);
        const QString reason = finished.first().at(1).toString();
        QVERIFY2(reason.contains(QStringLiteral("refused"), Qt::CaseInsensitive), qPrintable(reason));
        QCOMPARE(replayer.summary(), QStringLiteral("0 of 2 messages sent, 0 replies"));
        QVERIFY(countOfKind(replayer.log(), EventKind::Error) >= 1);
        QCOMPARE(replayer.client()->state(), Client::State::Idle); // no retry
    }

    void refusesARecordingWithoutMessagesAndABadConfig()
    {
        Replayer replayer(QStringLiteral("replay"));
        QSignalSpy finished(&replayer, &Replayer::finished);
        RecordedConnection silent = recording({}, 10);
        QVERIFY(!replayer.start(silent, replayConfig(loopbackUrl(9)), {}));
        QVERIFY(replayer.errorString().contains(QStringLiteral("no message")));
        ClientConfig bad = replayConfig(QUrl(QStringLiteral("ftp://127.0.0.1/")));
        QVERIFY(!replayer.start(recording({"a"}, 10), bad, {}));
        QVERIFY2(replayer.errorString().contains(QStringLiteral("scheme")), qPrintable(replayer.errorString()));
        QCOMPARE(countOfKind(replayer.log(), EventKind::Error), 2); // both shown in its log
        QCOMPARE(finished.size(), 2); // and each ends the replay at once
        QVERIFY(!replayer.isRunning());
        replayer.refuse(QStringLiteral("not a WebSocket URL"));
        QCOMPARE(finished.size(), 3);
        for (const QList<QVariant> &ending : std::as_const(finished))
            QCOMPARE(ending.at(0).toBool(), false);
        QVERIFY(hasEventWith(replayer.log(), EventKind::Error, QStringLiteral("not a WebSocket URL")));
    }
};

QTEST_GUILESS_MAIN(tst_Replayer)
#include "tst_Replayer.moc"
