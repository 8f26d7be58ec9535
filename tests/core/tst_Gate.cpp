#include "tests/support/HardeningTest.h"

#include "core/log/JsonLines.h"
#include "core/server/Gate.h"

#include <QBuffer>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using namespace wslab::test;

namespace {

QByteArray manyHeaders(int count)
{
    QByteArrayList lines;
    for (int i = 0; i < count; ++i)
        lines << "X-Filler-" + QByteArray::number(i) + ": " + QByteArray::number(i);
    return withHeaders(upgradeRequest(0), lines);
}

} // namespace

// The Gate answers a bad upgrade request with a real HTTP status before Qt sees it. Every test checks the
// status the raw peer reads, that the refusal is logged once with the request, and that a client
// connected before keeps getting its echoes.
class tst_Gate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void refusedRequest_data();
    void refusedRequest();
    void requestAtTheLimitsPasses();
    void lineAtTheLimitSplitBeforeItsLineFeedPasses_data();
    void lineAtTheLimitSplitBeforeItsLineFeedPasses();
    void silentConnectionTimesOutWith408();
    void halfRequestTimesOutWith408();
    void otherPathGets404();
    void tokenIsRequiredAndNeverLogged();
    void originMustBeListed();
    void capAnswersWithRetryAfter_data();
    void capAnswersWithRetryAfter();
};

void tst_Gate::refusedRequest_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArrayList>("headers"); // that the answer must carry

    const QByteArray upgrade = upgradeRequest(0);
    const QByteArray longTarget = "/" + QByteArray(8 * 1024 + 10, 'a');
    QTest::newRow("request line over 8 KiB 414") << upgradeRequest(0, longTarget) << 414 << QByteArrayList{};
    QTest::newRow("header line over 8 KiB 431")
        << withHeaders(upgrade, {"X-Big: " + QByteArray(8 * 1024 + 10, 'b')}) << 431 << QByteArrayList{};
    // The upgrade itself takes 5 header fields: 96 more make 101.
    QTest::newRow("101 header fields 431") << manyHeaders(96) << 431 << QByteArrayList{};
    QTest::newRow("plain GET 426") << QByteArray("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") << 426
                                   << QByteArrayList{"Upgrade: websocket", "Sec-WebSocket-Version: 13"};
    QTest::newRow("POST 405") << QByteArray(upgrade).replace("GET ", "POST ") << 405 << QByteArrayList{"Allow: GET"};
    // RFC 6455 §4.1: a client waits for the 101 before it sends a frame.
    QTest::newRow("frame right behind the request 400")
        << QByteArray(upgrade + encodeFrame(Opcode::Text, "too early")) << 400 << QByteArrayList{};
}

void tst_Gate::refusedRequest()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArrayList, headers);
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithBystander(server, loopbackServerConfig(), bystander));
    QSignalSpy serverGot(&server, &wslab::Server::textReceived);

    RawPeer raw;
    QVERIFY(raw.connectTo(server.port()));
    raw.send(request);
    QVERIFY(raw.waitForHead());
    QCOMPARE(raw.status(), status);
    QCOMPARE(raw.header("Connection"), QByteArray("close"));
    for (const QByteArray &h : std::as_const(headers)) {
        const qsizetype colon = h.indexOf(':');
        QCOMPARE(raw.header(h.left(colon)), h.mid(colon + 2));
    }
    QVERIFY(raw.waitForDisconnected());
    QVERIFY(!raw.rest().isEmpty()); // a body that says why

    // What is logged is the head the peer sent, without the frame behind it.
    const QString problem = refusedOnceProblem(server.log(), status, request.left(request.indexOf("\r\n")));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const auto refused = eventsOfKind(server.log(), wslab::EventKind::Refused);
    QVERIFY(refused.first().payload.size() <= 16 * 1024 + 4);
    if (status == 400)
        QCOMPARE(refused.first().payload, upgradeRequest(0));
    QCOMPARE(serverGot.size(), 0);

    QVERIFY(bystander.echoes(QStringLiteral("after %1").arg(status)));
    QCOMPARE(server.peerCount(), 1);
}

void tst_Gate::requestAtTheLimitsPasses()
{
    wslab::Server server;
    QVERIFY(startServer(server, loopbackServerConfig()));
    // 100 header fields, one of them a line of exactly 8 KiB: every limit reached, none passed.
    const QByteArray name = "X-Long: ";
    QByteArray request = manyHeaders(94);
    request = withHeaders(request, {name + QByteArray(8 * 1024 - name.size(), 'c')});
    RawPeer raw;
    QVERIFY(raw.connectTo(server.port()));
    raw.send(request);
    QVERIFY(raw.waitForHead());
    QCOMPARE(raw.statusLine(), QByteArray("HTTP/1.1 101 Switching Protocols"));
    QTRY_COMPARE(server.peerCount(), 1);
    QCOMPARE(countOfKind(server.log(), wslab::EventKind::Refused), 0);
}

void tst_Gate::lineAtTheLimitSplitBeforeItsLineFeedPasses_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("cutAfter");
    const QByteArray target = "/" + QByteArray(8 * 1024 - 14, 't'); // "GET " + target + " HTTP/1.1" is 8 KiB
    QTest::newRow("request line") << upgradeRequest(0, target) << QByteArray(" HTTP/1.1\r");
    const QByteArray name = "X-Long: ";
    QTest::newRow("header line") << withHeaders(upgradeRequest(0), {name + QByteArray(8 * 1024 - name.size(), 'c')}) << QByteArray("cc\r");
}

// A line of exactly the limit is allowed even when its CR and LF arrive in different reads. The Gate is
// driven directly so the test knows when it has seen the first part.
void tst_Gate::lineAtTheLimitSplitBeforeItsLineFeedPasses()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, cutAfter);
    wslab::Gate gate;
    gate.setConfig(loopbackServerConfig());
    int refusedStatus = 0;
    QTcpSocket *admitted = nullptr;
    connect(&gate, &wslab::Gate::refused, this,
            [&](const QHostAddress &, quint16, int status, const QString &, const QByteArray &) { refusedStatus = status; });
    connect(&gate, &wslab::Gate::admitted, this, [&](QTcpSocket *socket, const wslab::HttpRequest &, int) { admitted = socket; });
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, listener.serverPort());
    QVERIFY(listener.waitForNewConnection(5000));
    const QPointer<QTcpSocket> accepted = listener.nextPendingConnection();
    gate.admit(accepted);

    const qsizetype cut = request.indexOf(cutAfter) + cutAfter.size();
    client.write(request.left(cut));
    // Once the bytes are in the socket's buffer the Gate has looked at them; a refused socket is deleted.
    QTRY_VERIFY(refusedStatus || accepted->bytesAvailable() == cut);
    QCOMPARE(refusedStatus, 0);
    client.write(request.mid(cut));
    QTRY_VERIFY(admitted || refusedStatus);
    QCOMPARE(refusedStatus, 0);
    QCOMPARE(admitted, accepted);
    delete admitted; // admitted sockets belong to the receiver
}

void tst_Gate::silentConnectionTimesOutWith408()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.handshakeTimeout = 200ms;
    wslab::Server server;
    QVERIFY(startServer(server, config));
    RawPeer raw;
    QVERIFY(raw.connectTo(server.port()));
    // Connected before the refusal, but after the silent peer, so the server's timer runs meanwhile.
    Bystander bystander;
    QVERIFY(bystander.open(fastClientConfig(server.url())));

    QVERIFY(raw.waitForHead());
    QCOMPARE(raw.statusLine(), QByteArray("HTTP/1.1 408 Request Timeout"));
    QVERIFY(raw.waitForDisconnected());
    const QString problem = refusedOnceProblem(server.log(), 408, {});
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(eventsOfKind(server.log(), wslab::EventKind::Refused).first().payload.isEmpty());
    QVERIFY(bystander.echoes(QStringLiteral("after 408")));
}

void tst_Gate::halfRequestTimesOutWith408()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.handshakeTimeout = 200ms;
    wslab::Server server;
    QVERIFY(startServer(server, config));
    const QByteArray half = upgradeRequest(server.port()).left(60);
    RawPeer raw;
    QVERIFY(raw.connectTo(server.port()));
    raw.send(half);
    Bystander bystander;
    QVERIFY(bystander.open(fastClientConfig(server.url())));

    QVERIFY(raw.waitForHead());
    QCOMPARE(raw.statusLine(), QByteArray("HTTP/1.1 408 Request Timeout"));
    QVERIFY(raw.waitForDisconnected());
    const QString problem = refusedOnceProblem(server.log(), 408, half);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(bystander.echoes(QStringLiteral("after 408")));
    // The bystander's own handshake took well under the timeout and was not cut short by it.
    QCOMPARE(server.peerCount(), 1);
}

void tst_Gate::otherPathGets404()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.path = QStringLiteral("/chat");
    wslab::Server server;
    QVERIFY(startServer(server, config));
    Bystander bystander;
    QVERIFY(bystander.open(fastClientConfig(loopbackUrl(server.port(), QStringLiteral("/chat")))));

    RawPeer other;
    QVERIFY(!other.upgrade(server.port(), "/other"));
    QCOMPARE(other.statusLine(), QByteArray("HTTP/1.1 404 Not Found"));
    QVERIFY(other.waitForDisconnected());
    const QString problem = refusedOnceProblem(server.log(), 404, "GET /other HTTP/1.1\r\n");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    RawPeer chat;
    QVERIFY(chat.upgrade(server.port(), "/chat?room=1"));
    QVERIFY(bystander.echoes(QStringLiteral("after 404")));
    QTRY_COMPARE(server.peerCount(), 2);
}

void tst_Gate::tokenIsRequiredAndNeverLogged()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.token = QStringLiteral("s3cret");
    wslab::Server server;
    QVERIFY(startServer(server, config));
    wslab::ClientConfig bearer = fastClientConfig(server.url());
    bearer.headers = {{"Authorization", "Bearer s3cret"}};
    Bystander bystander;
    QVERIFY(bystander.open(bearer));

    struct Attempt
    {
        QByteArray path;
        QByteArrayList headers;
    };
    const Attempt refusedAttempts[] = {
        {"/", {}},
        {"/", {"Authorization: Bearer guess1"}},
        {"/?token=guess2", {}},
        {"/", {"Authorization: Basic czNjcmV0"}},
    };
    for (const Attempt &a : refusedAttempts) {
        RawPeer raw;
        QVERIFY(!raw.upgrade(server.port(), a.path, a.headers));
        QCOMPARE(raw.statusLine(), QByteArray("HTTP/1.1 401 Unauthorized"));
        QCOMPARE(raw.header("WWW-Authenticate"), QByteArray("Bearer"));
        QVERIFY(raw.waitForDisconnected());
    }
    const auto refused = eventsOfKind(server.log(), wslab::EventKind::Refused);
    QCOMPARE(refused.size(), 4);
    for (const wslab::LogEvent &e : refused)
        QCOMPARE(e.httpStatus, 401);
    QVERIFY(refused.at(1).payload.contains("\r\nAuthorization: <redacted>\r\n"));
    QVERIFY(refused.at(2).payload.startsWith("GET /?token=<redacted> HTTP/1.1\r\n"));
    QVERIFY(refused.at(1).detail.endsWith(QStringLiteral("wrong token")));
    QVERIFY(refused.at(0).detail.contains(QStringLiteral("missing token")));

    Bystander byQuery(QStringLiteral("by query"));
    QUrl url = server.url();
    url.setQuery(QStringLiteral("token=s3cret"));
    QVERIFY(byQuery.open(fastClientConfig(url)));
    QVERIFY(byQuery.echoes(QStringLiteral("by query")));
    // The same parameter with a letter of its name percent-encoded is still the token.
    RawPeer encoded;
    QVERIFY(encoded.upgrade(server.port(), "/?to%6Ben=s3cret"));
    QVERIFY(bystander.echoes(QStringLiteral("after 401")));
    QTRY_COMPARE(server.peerCount(), 3);

    // Neither the secret nor the guesses reach the log or its export (payloads there are base64).
    const QByteArrayList secrets{"s3cret", "guess1", "guess2", "czNjcmV0"};
    const wslab::EventLog *logs[] = {server.log(), bystander.client().log(), byQuery.client().log()};
    for (const wslab::EventLog *log : logs) {
        for (qsizetype i = 0; i < log->size(); ++i) {
            for (const QByteArray &secret : secrets) {
                QVERIFY2(!log->at(i).payload.contains(secret), log->at(i).payload.constData());
                QVERIFY2(!log->at(i).detail.contains(QString::fromLatin1(secret)), qPrintable(log->at(i).detail));
            }
        }
        QBuffer exported;
        QVERIFY(exported.open(QIODevice::ReadWrite));
        QVERIFY(wslab::JsonLines::write(*log, &exported));
        const QByteArray lines = exported.data();
        QVERIFY(lines.contains("<redacted>") || log != server.log());
        QList<wslab::LogEvent> readBack;
        exported.seek(0);
        QVERIFY(wslab::JsonLines::read(&exported, &readBack));
        QCOMPARE(readBack.size(), log->size());
        for (const QByteArray &secret : secrets) {
            QVERIFY(!lines.contains(secret));
            for (const wslab::LogEvent &e : std::as_const(readBack))
                QVERIFY(!e.payload.contains(secret));
        }
    }
}

void tst_Gate::originMustBeListed()
{
    wslab::ServerConfig config = loopbackServerConfig();
    config.allowedOrigins = {QStringLiteral("http://lab.example")};
    wslab::Server server;
    QVERIFY(startServer(server, config));
    wslab::ClientConfig listed = fastClientConfig(server.url());
    listed.origin = QStringLiteral("http://lab.example");
    Bystander bystander;
    QVERIFY(bystander.open(listed));

    RawPeer other;
    QVERIFY(!other.upgrade(server.port(), "/", {"Origin: http://evil.example"}));
    QCOMPARE(other.statusLine(), QByteArray("HTTP/1.1 403 Forbidden"));
    QVERIFY(other.waitForDisconnected());
    RawPeer missing;
    QVERIFY(!missing.upgrade(server.port()));
    QCOMPARE(missing.statusLine(), QByteArray("HTTP/1.1 403 Forbidden"));
    QVERIFY(missing.waitForDisconnected());

    const auto refused = eventsOfKind(server.log(), wslab::EventKind::Refused);
    QCOMPARE(refused.size(), 2);
    QCOMPARE(refused.at(0).httpStatus, 403);
    QVERIFY(refused.at(0).payload.contains("\r\nOrigin: http://evil.example\r\n"));
    QVERIFY(refused.at(0).detail.endsWith(QStringLiteral("origin http://evil.example is not on the allow-list")));
    QCOMPARE(refused.at(1).httpStatus, 403);
    QVERIFY(refused.at(1).detail.contains(QStringLiteral("no Origin header")));

    // A prefix of a listed origin is not that origin.
    RawPeer prefix;
    QVERIFY(!prefix.upgrade(server.port(), "/", {"Origin: http://lab.example.evil"}));
    QCOMPARE(prefix.status(), 403);

    RawPeer listedRaw;
    QVERIFY(listedRaw.upgrade(server.port(), "/", {"Origin: http://lab.example"}));
    QVERIFY(bystander.echoes(QStringLiteral("after 403")));
    QTRY_COMPARE(server.peerCount(), 2);
}

void tst_Gate::capAnswersWithRetryAfter_data()
{
    QTest::addColumn<int>("maxConnections");
    QTest::addColumn<int>("maxPerAddress");
    QTest::addColumn<QByteArray>("statusLine");
    QTest::addColumn<QString>("why");
    QTest::newRow("connections 503") << 2 << 64 << QByteArray("HTTP/1.1 503 Service Unavailable")
                                     << QStringLiteral("connection limit reached: 2 open, limit 2 (raise it in the server's Settings > "
                                                       "Connections, or with serve --max-connections)");
    QTest::newRow("per address 429") << 1000 << 2 << QByteArray("HTTP/1.1 429 Too Many Requests")
                                     << QStringLiteral("per-address limit reached: 2 connections open from 127.0.0.1, limit 2 (raise it "
                                                       "in the server's Settings > Connections > per address, or with "
                                                       "serve --max-per-address)");
}

void tst_Gate::capAnswersWithRetryAfter()
{
    QFETCH(int, maxConnections);
    QFETCH(int, maxPerAddress);
    QFETCH(QByteArray, statusLine);
    QFETCH(QString, why);
    wslab::ServerConfig config = loopbackServerConfig();
    config.maxConnections = maxConnections;
    config.maxPerAddress = maxPerAddress;
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithBystander(server, config, bystander));
    RawPeer second;
    QVERIFY(second.upgrade(server.port()));
    QTRY_COMPARE(server.peerCount(), 2);

    RawPeer third;
    QVERIFY(!third.upgrade(server.port()));
    QCOMPARE(third.statusLine(), statusLine);
    QCOMPARE(third.header("Retry-After"), QByteArray("5"));
    QVERIFY(third.waitForDisconnected());
    const QString problem = refusedOnceProblem(server.log(), third.status(), "GET / HTTP/1.1\r\n");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString detail = eventsOfKind(server.log(), wslab::EventKind::Refused).first().detail;
    QVERIFY2(detail.endsWith(why), qPrintable(detail));
    QVERIFY(bystander.echoes(QStringLiteral("after the cap")));
    QCOMPARE(server.peerCount(), 2);

    // The cap counts open connections: once one leaves, there is room again.
    second.socket().abort();
    QTRY_COMPARE(server.peerCount(), 1);
    RawPeer again;
    QVERIFY(again.upgrade(server.port()));
}

QTEST_GUILESS_MAIN(tst_Gate)
#include "tst_Gate.moc"
