// HAR 1.2 with Chrome's WebSocket extension: what WsLab writes reads back as the same connection,
// a HAR shaped like Chrome's imports, and a broken file is refused with a reason.
#include "core/har/Har.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace wslab;

namespace {

LogEvent logged(EventKind kind, Direction dir, qint64 wallMs, const QByteArray &payload = {})
{
    LogEvent e;
    e.kind = kind;
    e.direction = dir;
    e.wallMs = wallMs;
    e.endpoint = QStringLiteral("client");
    e.payload = payload;
    e.size = payload.size();
    return e;
}

// What `connect --log` writes for a client that reconnected once.
QList<LogEvent> clientLog()
{
    const qint64 t0 = 1796156836000;
    LogEvent handshake = logged(EventKind::Handshake, Direction::Out, t0);
    handshake.detail = QStringLiteral("ws://127.0.0.1:9001/echo subprotocols: chat");
    LogEvent state = logged(EventKind::State, Direction::Local, t0 + 1);
    state.detail = QStringLiteral("Open");
    LogEvent close = logged(EventKind::Close, Direction::In, t0 + 400);
    close.closeCode = 1001;
    LogEvent again = logged(EventKind::Handshake, Direction::Out, t0 + 900);
    again.detail = QStringLiteral("ws://127.0.0.1:9001/echo");
    return {
        handshake,
        logged(EventKind::Open, Direction::Local, t0 + 3),
        state,
        logged(EventKind::Text, Direction::Out, t0 + 10, "héllo"),
        logged(EventKind::Text, Direction::In, t0 + 12, "héllo"),
        logged(EventKind::Binary, Direction::Out, t0 + 250, QByteArray("\x00\xff\x10 binary", 10)),
        logged(EventKind::Binary, Direction::In, t0 + 251, QByteArray("\x00\xff\x10 binary", 10)),
        close,
        again,
        logged(EventKind::Open, Direction::Local, t0 + 905),
        logged(EventKind::Text, Direction::Out, t0 + 1000, "second"),
    };
}

LogEvent serverEvent(EventKind kind, Direction dir, qint64 wallMs, int peer, const QString &detail, const QByteArray &payload = {})
{
    LogEvent e = logged(kind, dir, wallMs, payload);
    e.endpoint = QStringLiteral("server");
    e.peer = peer;
    e.detail = detail;
    return e;
}

// What `serve --log` writes: each request before its peer has an id, then the answer with the id,
// two connections upgrading at once, and two requests the server turned away.
QList<LogEvent> serverLog()
{
    const qint64 t0 = 1796156836000;
    const QByteArray request = "GET /chat?room=1 HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgrade: websocket\r\n"
                               "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n";
    const QByteArray answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                              "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
    const QByteArray refusedHead = "GET /admin HTTP/1.1\r\nHost: 127.0.0.1:9001\r\n";
    using K = EventKind;
    using D = Direction;
    QList<LogEvent> log{
        serverEvent(K::Listening, D::Local, t0, -1, QStringLiteral("ws://127.0.0.1:9001")),
        serverEvent(K::Handshake, D::In, t0 + 10, -1, QStringLiteral("127.0.0.1:50001 GET /chat?room=1"), request),
        serverEvent(K::Handshake, D::In, t0 + 11, -1, QStringLiteral("127.0.0.1:50002 GET /chat?room=1"), request),
        serverEvent(K::Handshake, D::Out, t0 + 12, 2, QStringLiteral("127.0.0.1:50002 answered 101: ..."), answer),
        serverEvent(K::Open, D::Local, t0 + 12, 2, QStringLiteral("peer 2 from 127.0.0.1:50002 path /chat")),
        serverEvent(K::Handshake, D::Out, t0 + 13, 1, QStringLiteral("127.0.0.1:50001 answered 101: ..."), answer),
        serverEvent(K::Open, D::Local, t0 + 14, 1, QStringLiteral("peer 1 from 127.0.0.1:50001 path /chat")),
        serverEvent(K::Text, D::In, t0 + 20, 1, {}, "from one"),
        serverEvent(K::Text, D::Out, t0 + 21, 1, {}, "from one"),
        serverEvent(K::Text, D::In, t0 + 22, 2, {}, "from two"),
        serverEvent(K::Refused, D::Out, t0 + 30, -1, QStringLiteral("127.0.0.1:50003 refused with HTTP 401: no token"), refusedHead),
        serverEvent(K::Refused, D::Out, t0 + 31, -1, QStringLiteral("127.0.0.1:50004 refused with HTTP 429: too many"), refusedHead),
        serverEvent(K::Stopped, D::Local, t0 + 40, -1, QStringLiteral("stopped listening")),
    };
    log[10].httpStatus = 401;
    log[11].httpStatus = 429;
    return log;
}

// A HAR headers list's names, in order, joined by spaces.
QString headerNames(const QJsonValue &headers)
{
    QStringList names;
    for (const QJsonValue &h : headers.toArray())
        names << h[u"name"].toString();
    return names.join(u' ');
}

// The events a HAR can carry, in a form QCOMPARE can print when they differ.
QStringList carried(const QList<LogEvent> &events)
{
    QStringList out;
    for (const LogEvent &e : events) {
        if (e.kind == EventKind::State || e.kind == EventKind::Close)
            continue;
        out << QStringLiteral("%1 %2 %3 %4 %5 %6")
                   .arg(e.endpoint, kindName(e.kind), directionName(e.direction))
                   .arg(e.wallMs)
                   .arg(QString::fromLatin1(e.payload.toBase64()))
                   .arg(e.kind == EventKind::Handshake ? e.detail.section(u' ', 0, 0) : QString());
    }
    return out;
}

QJsonObject harOf(const QList<LogEvent> &events)
{
    QBuffer buffer;
    buffer.open(QIODevice::ReadWrite);
    if (!Har::write(events, &buffer))
        qFatal("HAR write failed");
    return QJsonDocument::fromJson(buffer.data()).object();
}

bool readHar(const QByteArray &bytes, QList<LogEvent> *events, QString *error)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    return Har::read(&buffer, events, error);
}

// Shaped like what Chrome's DevTools saves: a page load, then the WebSocket entry with fields
// WsLab does not use (_initiator, serverIPAddress, connection, priority) and without optional ones.
// An ordinary literal, not a raw one: moc 6.4 takes the "//" of a URL in a raw string for a comment.
const char kChromeHar[] =
    "{\n"
    "  \"log\": {\n"
    "    \"version\": \"1.2\",\n"
    "    \"creator\": {\"name\": \"WebInspector\", \"version\": \"537.36\"},\n"
    "    \"pages\": [{\"startedDateTime\": \"2026-12-01T10:00:00.000Z\", \"id\": \"page_1\", \"title\": \"http://127.0.0.1:8080/\", "
    "\"pageTimings\": {}}],\n"
    "    \"entries\": [\n"
    "      {\"_initiator\": {\"type\": \"other\"}, \"_priority\": \"VeryHigh\", \"_resourceType\": \"document\", \"cache\": {},\n"
    "       \"pageref\": \"page_1\", \"startedDateTime\": \"2026-12-01T10:00:00.100Z\", \"time\": 12.5,\n"
    "       \"request\": {\"method\": \"GET\", \"url\": \"http://127.0.0.1:8080/\", \"httpVersion\": \"HTTP/1.1\", \"headers\": [], "
    "\"queryString\": [], \"cookies\": [], \"headersSize\": -1, \"bodySize\": 0},\n"
    "       \"response\": {\"status\": 200, \"statusText\": \"OK\", \"httpVersion\": \"HTTP/1.1\", \"headers\": [], \"cookies\": [], "
    "\"content\": {\"size\": 10, \"mimeType\": \"text/html\"}, \"redirectURL\": \"\", \"headersSize\": -1, \"bodySize\": -1, "
    "\"_transferSize\": 200},\n"
    "       \"serverIPAddress\": \"127.0.0.1\", \"timings\": {\"blocked\": 1, \"dns\": -1, \"ssl\": -1, \"connect\": -1, \"send\": 0, "
    "\"wait\": 10, \"receive\": 1.5}},\n"
    "      {\"_initiator\": {\"type\": \"script\"}, \"_resourceType\": \"websocket\", \"cache\": {}, \"connection\": \"2861\",\n"
    "       \"pageref\": \"page_1\", \"startedDateTime\": \"2026-12-01T10:00:01.000Z\", \"time\": 4.25,\n"
    "       \"request\": {\"method\": \"GET\", \"url\": \"ws://127.0.0.1:9001/chat\", \"httpVersion\": \"HTTP/1.1\",\n"
    "                   \"headers\": [{\"name\": \"Host\", \"value\": \"127.0.0.1:9001\"}, {\"name\": \"Upgrade\", \"value\": "
    "\"websocket\"}, {\"name\": \"Sec-WebSocket-Version\", \"value\": \"13\"}],\n"
    "                   \"queryString\": [], \"cookies\": [], \"headersSize\": -1, \"bodySize\": 0},\n"
    "       \"response\": {\"status\": 101, \"statusText\": \"Switching Protocols\", \"httpVersion\": \"HTTP/1.1\",\n"
    "                    \"headers\": [{\"name\": \"Upgrade\", \"value\": \"websocket\"}], \"cookies\": [], \"content\": {\"size\": 0, "
    "\"mimeType\": \"x-unknown\"},\n"
    "                    \"redirectURL\": \"\", \"headersSize\": -1, \"bodySize\": 0, \"_transferSize\": 0, \"_error\": null},\n"
    "       \"serverIPAddress\": \"127.0.0.1\", \"timings\": {\"blocked\": -1, \"dns\": -1, \"ssl\": -1, \"connect\": -1, \"send\": 0, "
    "\"wait\": 4.25, \"receive\": 0},\n"
    "       \"_webSocketMessages\": [\n"
    "         {\"type\": \"send\", \"time\": 1796119201.5, \"opcode\": 1, \"data\": \"say hi\"},\n"
    "         {\"type\": \"receive\", \"time\": 1796119201.512345, \"opcode\": 1, \"data\": \"said hi\"},\n"
    "         {\"type\": \"send\", \"time\": 1796119202.25, \"opcode\": 2, \"data\": \"AAEC/w==\"},\n"
    "         {\"type\": \"receive\", \"time\": 1796119202.3, \"opcode\": 1}\n"
    "       ]}\n"
    "    ]\n"
    "  }\n"
    "}\n";

} // namespace

class tst_Har : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitsAtEveryHandshake()
    {
        const QList<RecordedConnection> connections = splitConnections(clientLog());
        QCOMPARE(connections.size(), 2);
        QCOMPARE(connections[0].url(), QStringLiteral("ws://127.0.0.1:9001/echo"));
        QCOMPARE(connections[0].outgoingMessages().size(), 2);
        QCOMPARE(connections[1].outgoingMessages().size(), 1);
        QCOMPARE(connections[1].outgoingMessages().first().payload, QByteArray("second"));
    }

    void joinsAServersRequestToItsAnswer()
    {
        const QList<RecordedConnection> connections = splitConnections(serverLog());
        QCOMPARE(connections.size(), 4);
        QCOMPARE(connections[0].peer, 1);
        QCOMPARE(connections[0].events.size(), 5); // request, answer, open, two messages
        QCOMPARE(connections[0].outgoingMessages().size(), 1);
        QCOMPARE(connections[1].peer, 2);
        QCOMPARE(connections[1].events.size(), 4);
        QCOMPARE(connections[2].events.size(), 1);
        QCOMPARE(connections[3].events.size(), 1);
    }

    // Chrome's DevTools shows a server's connection with its URL, both heads and its status.
    void writesAServersConnectionAsOneEntry()
    {
        const QJsonArray entries = harOf(serverLog())[u"log"][u"entries"].toArray();
        QCOMPARE(entries.size(), 4);
        const QJsonObject first = entries[0].toObject();
        QCOMPARE(first[u"request"][u"url"].toString(), QStringLiteral("ws://127.0.0.1:9001/chat?room=1"));
        QCOMPARE(headerNames(first[u"request"][u"headers"]), QStringLiteral("Host Upgrade Connection Sec-WebSocket-Version"));
        QCOMPARE(first[u"response"][u"status"].toInt(), 101);
        QCOMPARE(first[u"response"][u"statusText"].toString(), QStringLiteral("Switching Protocols"));
        QCOMPARE(headerNames(first[u"response"][u"headers"]), QStringLiteral("Upgrade Connection Sec-WebSocket-Accept"));
        QCOMPARE(first[u"time"].toDouble(), 4.0); // from the request to the open
        QCOMPARE(first[u"_wslabPeer"].toInt(), 1);
        const QJsonArray messages = first[u"_webSocketMessages"].toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[0][u"type"].toString(), QStringLiteral("receive"));
        QCOMPARE(messages[1][u"type"].toString(), QStringLiteral("send"));
        QCOMPARE(entries[1][u"_wslabPeer"].toInt(), 2);
        QCOMPARE(entries[1][u"_webSocketMessages"].toArray().size(), 1);
        const QJsonObject refused = entries[2].toObject();
        QCOMPARE(refused[u"request"][u"url"].toString(), QStringLiteral("ws://127.0.0.1:9001/admin"));
        QCOMPARE(refused[u"response"][u"status"].toInt(), 401);
        QCOMPARE(entries[3][u"response"][u"status"].toInt(), 429);
    }

    void writesChromesWebSocketEntries()
    {
        const QJsonObject har = harOf(clientLog());
        QCOMPARE(har[u"log"][u"version"].toString(), QStringLiteral("1.2"));
        const QJsonArray entries = har[u"log"][u"entries"].toArray();
        QCOMPARE(entries.size(), 2);
        const QJsonObject first = entries[0].toObject();
        QCOMPARE(first[u"_resourceType"].toString(), QStringLiteral("websocket"));
        QCOMPARE(first[u"request"][u"method"].toString(), QStringLiteral("GET"));
        QCOMPARE(first[u"request"][u"url"].toString(), QStringLiteral("ws://127.0.0.1:9001/echo"));
        QCOMPARE(first[u"response"][u"status"].toInt(), 101);
        QCOMPARE(first[u"startedDateTime"].toString(), QStringLiteral("2026-12-01T20:27:16.000Z"));
        const QJsonArray messages = first[u"_webSocketMessages"].toArray();
        QCOMPARE(messages.size(), 4);
        QCOMPARE(messages[0][u"type"].toString(), QStringLiteral("send"));
        QCOMPARE(messages[0][u"opcode"].toInt(), 1);
        QCOMPARE(messages[0][u"data"].toString(), QStringLiteral("héllo"));
        QCOMPARE(messages[0][u"time"].toDouble(), 1796156836.010);
        QCOMPARE(messages[1][u"type"].toString(), QStringLiteral("receive"));
        QCOMPARE(messages[2][u"opcode"].toInt(), 2);
        QCOMPARE(messages[2][u"data"].toString(), QStringLiteral("AP8QIGJpbmFyeQ=="));
    }

    void roundTripKeepsConnectionsAndMessages()
    {
        const QList<LogEvent> original = clientLog();
        QList<LogEvent> back;
        QString error;
        QVERIFY2(Har::fromHar(harOf(original), &back, &error), qPrintable(error));
        QCOMPARE(carried(back), carried(original));
        for (qsizetype i = 1; i < back.size(); ++i)
            QVERIFY(back[i].seq == back[i - 1].seq + 1 && back[i].monoUs >= back[i - 1].monoUs);
        QCOMPARE(back.first().monoUs, 0);
    }

    // A server's answer survives a HAR and back: read again, it is the server's outgoing handshake, and
    // written again it gives the same response.
    void roundTripKeepsTheServersAnswer()
    {
        const QJsonObject har = harOf(serverLog());
        QList<LogEvent> back;
        QString error;
        QVERIFY2(Har::fromHar(har, &back, &error), qPrintable(error));
        const QList<RecordedConnection> connections = splitConnections(back);
        QCOMPARE(connections.size(), 4);
        const QList<LogEvent> &first = connections.first().events;
        QCOMPARE(first[1].kind, EventKind::Handshake);
        QCOMPARE(first[1].direction, Direction::Out);
        QVERIFY2(first[1].payload.startsWith("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"), first[1].payload.constData());
        const QJsonArray again = harOf(back)[u"log"][u"entries"].toArray();
        const QJsonArray entries = har[u"log"][u"entries"].toArray();
        QCOMPARE(again.size(), entries.size());
        for (qsizetype i = 0; i < entries.size(); ++i)
            QCOMPARE(again[i][u"response"].toObject(), entries[i][u"response"].toObject());
    }

    void importsChromesHar()
    {
        QList<LogEvent> events;
        QString error;
        QVERIFY2(readHar(kChromeHar, &events, &error), qPrintable(error));
        // The page load is not a WebSocket: one connection, its handshake, open and four messages.
        const QList<RecordedConnection> connections = splitConnections(events);
        QCOMPARE(connections.size(), 1);
        const QList<LogEvent> &c = connections.first().events;
        QCOMPARE(c.size(), 7);
        QCOMPARE(c[0].kind, EventKind::Handshake);
        QCOMPARE(c[0].detail, QStringLiteral("ws://127.0.0.1:9001/chat"));
        QVERIFY2(c[0].payload.startsWith("GET /chat HTTP/1.1\r\nHost: 127.0.0.1:9001\r\n"), c[0].payload.constData());
        // The server's answer, as the client received it: what the Handshake tab shows.
        QCOMPARE(c[1].kind, EventKind::Handshake);
        QCOMPARE(c[1].direction, Direction::In);
        QCOMPARE(c[1].detail, QStringLiteral("101 Switching Protocols"));
        QCOMPARE(c[1].payload, QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"));
        QCOMPARE(c[1].wallMs, c[0].wallMs + 4);
        QCOMPARE(c[2].kind, EventKind::Open);
        QCOMPARE(c[2].wallMs, c[0].wallMs + 4);
        QCOMPARE(c[3].kind, EventKind::Text);
        QCOMPARE(c[3].direction, Direction::Out);
        QCOMPARE(c[3].payload, QByteArray("say hi"));
        QCOMPARE(c[3].wallMs, 1796119201500);
        QCOMPARE(c[4].direction, Direction::In);
        QCOMPARE(c[4].wallMs, 1796119201512);
        QCOMPARE(c[5].kind, EventKind::Binary);
        QCOMPARE(c[5].payload, QByteArray("\x00\x01\x02\xff", 4));
        QCOMPARE(c[6].payload, QByteArray()); // no data: an empty message
        QCOMPARE(connections.first().outgoingMessages().size(), 2);
    }

    void importedClockStartsAtTheEarliestEvent()
    {
        // A message stamped before its entry started (clocks of a hand-edited file): none goes negative.
        const QByteArray har = "{\"log\": {\"entries\": [{\"_resourceType\": \"websocket\", \"startedDateTime\": "
                               "\"2026-12-01T10:00:05Z\", \"request\": {\"url\": \"ws://a/\"}, \"response\": {\"status\": 101}, "
                               "\"_webSocketMessages\": [{\"type\": \"send\", \"time\": 1796119201.0, \"data\": \"early\"}]}]}}";
        QList<LogEvent> events;
        QString error;
        QVERIFY2(readHar(har, &events, &error), qPrintable(error));
        QCOMPARE(events.size(), 3);
        QCOMPARE(events.last().monoUs, 0);
        QCOMPARE(events.first().monoUs, 4000000);
    }

    void refusesBrokenFiles_data()
    {
        QTest::addColumn<QByteArray>("har");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not JSON") << QByteArray("{\"log\": ") << QStringLiteral("not JSON");
        QTest::newRow("no log") << QByteArray("{\"entries\": []}") << QStringLiteral("no \"log\"");
        QTest::newRow("entries not a list") << QByteArray("{\"log\": {\"entries\": {}}}") << QStringLiteral("log.entries");
        QTest::newRow("no url") << QByteArray("{\"log\": {\"entries\": [{\"_resourceType\": \"websocket\", \"startedDateTime\": "
                                              "\"2026-12-01T10:00:00Z\", \"request\": {}}]}}")
                                << QStringLiteral("entry 1: request.url");
        QTest::newRow("bad time") << QByteArray("{\"log\": {\"entries\": [{\"_resourceType\": \"websocket\", \"startedDateTime\": "
                                                "\"yesterday\", \"request\": {\"url\": \"ws://a/\"}}]}}")
                                  << QStringLiteral("entry 1: startedDateTime");
        const QByteArray entry = "{\"log\": {\"entries\": [{\"_resourceType\": \"websocket\", \"startedDateTime\": "
                                 "\"2026-12-01T10:00:00Z\", \"request\": {\"url\": \"ws://a/\"}, \"_webSocketMessages\": [%1]}]}}";
        QTest::newRow("bad type") << QByteArray(entry).replace("%1", "{\"type\": \"sent\", \"time\": 1, \"opcode\": 1, \"data\": \"x\"}")
                                  << QStringLiteral("entry 1, message 1: \"type\"");
        QTest::newRow("time a string") << QByteArray(entry).replace("%1",
                                                                    "{\"type\": \"send\", \"time\": \"1\", \"opcode\": 1, \"data\": \"x\"}")
                                       << QStringLiteral("\"time\"");
        QTest::newRow("binary not base64") << QByteArray(entry).replace(
                                                  "%1", "{\"type\": \"send\", \"time\": 1, \"opcode\": 2, \"data\": \"*not*\"}")
                                           << QStringLiteral("not Base64");
    }

    void refusesBrokenFiles()
    {
        QFETCH(QByteArray, har);
        QFETCH(QString, reason);
        QList<LogEvent> events{logged(EventKind::Info, Direction::Local, 1)};
        QString error;
        QVERIFY(!readHar(har, &events, &error));
        QVERIFY2(error.contains(reason), qPrintable(error));
        QCOMPARE(events.size(), 1); // left as it was
    }
};

QTEST_GUILESS_MAIN(tst_Har)
#include "tst_Har.moc"
