#include "core/protocol/HttpRequest.h"

#include <QTest>

using Status = wslab::HttpRequestParse::Status;

namespace {

const QByteArray kUpgrade = "GET /chat?room=1 HTTP/1.1\r\n"
                            "Host: 127.0.0.1:9000\r\n"
                            "Upgrade: websocket\r\n"
                            "Connection: keep-alive, Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            "Sec-WebSocket-Version: 13\r\n"
                            "X-Empty:\r\n"
                            "\r\n";

QByteArray requestWithHeaders(int count)
{
    QByteArray r = "GET / HTTP/1.1\r\n";
    for (int i = 0; i < count; ++i)
        r += "X-H" + QByteArray::number(i) + ": v\r\n";
    return r + "\r\n";
}

} // namespace

class tst_HttpRequest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void complete();
    void bodyBytesAreNotPartOfTheHead();
    void bareLineFeedsAreAccepted();
    void incomplete_data();
    void incomplete();
    void requestLineTooLong();
    void lineTooLongBeforeItEnds_data();
    void lineTooLongBeforeItEnds();
    void headerLineTooLong();
    void tooManyHeaders();
    void exactlyMaxHeadersIsFine();
    void malformed_data();
    void malformed();
    void notAnUpgrade();
    void refusalFormat();
    void refusalWithExtraHeaders();
    void reasonPhrases();
};

void tst_HttpRequest::complete()
{
    const auto p = wslab::HttpRequestParse::parse(kUpgrade);
    QCOMPARE(p.status, Status::Complete);
    QCOMPARE(p.headBytes, int(kUpgrade.size()));
    QCOMPARE(p.request.method, QByteArray("GET"));
    QCOMPARE(p.request.target, QByteArray("/chat?room=1"));
    QCOMPARE(p.request.version, QByteArray("HTTP/1.1"));
    QCOMPARE(p.request.path(), QByteArray("/chat"));
    QCOMPARE(p.request.query(), QByteArray("room=1"));
    QCOMPARE(p.request.headers.size(), 6);
    QCOMPARE(p.request.header("sec-websocket-key"), QByteArray("dGhlIHNhbXBsZSBub25jZQ=="));
    QCOMPARE(p.request.header("HOST"), QByteArray("127.0.0.1:9000"));
    QVERIFY(p.request.hasHeader("x-empty"));
    QCOMPARE(p.request.header("X-Empty"), QByteArray());
    QVERIFY(!p.request.hasHeader("Origin"));
    QVERIFY(p.request.headerHasToken("connection", "UPGRADE"));
    QVERIFY(!p.request.headerHasToken("connection", "close"));
    QVERIFY(p.request.isWebSocketUpgrade());
    QCOMPARE(p.errorStatus, 0);
}

void tst_HttpRequest::bodyBytesAreNotPartOfTheHead()
{
    // A WebSocket frame may follow the head in the same read; it must stay unparsed.
    const auto p = wslab::HttpRequestParse::parse(QByteArray(kUpgrade + "\x81\x05hello"));
    QCOMPARE(p.status, Status::Complete);
    QCOMPARE(p.headBytes, int(kUpgrade.size()));
}

void tst_HttpRequest::bareLineFeedsAreAccepted()
{
    QByteArray lf = kUpgrade;
    lf.replace("\r\n", "\n");
    const auto p = wslab::HttpRequestParse::parse(lf);
    QCOMPARE(p.status, Status::Complete);
    QCOMPARE(p.headBytes, int(lf.size()));
    QCOMPARE(p.request.header("Upgrade"), QByteArray("websocket"));
}

void tst_HttpRequest::incomplete_data()
{
    QTest::addColumn<QByteArray>("received");
    QTest::newRow("nothing") << QByteArray();
    QTest::newRow("half a request line") << QByteArray("GET /ch");
    QTest::newRow("request line only") << QByteArray("GET / HTTP/1.1\r\n");
    QTest::newRow("no blank line yet") << kUpgrade.left(kUpgrade.size() - 2);
    QTest::newRow("blank line half there") << kUpgrade.left(kUpgrade.size() - 1);
}

void tst_HttpRequest::incomplete()
{
    QFETCH(QByteArray, received);
    const auto p = wslab::HttpRequestParse::parse(received);
    QCOMPARE(p.status, Status::Incomplete);
    QCOMPARE(p.errorStatus, 0);
}

void tst_HttpRequest::requestLineTooLong()
{
    const wslab::HttpLimits limits; // 8 KiB lines
    const QByteArray line = "GET /" + QByteArray(limits.maxLineBytes, 'a') + " HTTP/1.1\r\n\r\n";
    const auto p = wslab::HttpRequestParse::parse(line, limits);
    QCOMPARE(p.status, Status::Error);
    QCOMPARE(p.errorStatus, 414);
    QCOMPARE(p.errorText, QByteArray("request line too long"));

    // One byte under the limit is still fine.
    const QByteArray fits = "GET /" + QByteArray(limits.maxLineBytes - 14, 'a') + " HTTP/1.1\r\n\r\n";
    QCOMPARE(fits.indexOf('\r'), limits.maxLineBytes);
    QCOMPARE(wslab::HttpRequestParse::parse(fits, limits).status, Status::Complete);
}

void tst_HttpRequest::lineTooLongBeforeItEnds_data()
{
    QTest::addColumn<QByteArray>("received");
    QTest::addColumn<int>("status");
    QTest::newRow("request line") << QByteArray("GET /" + QByteArray(100, 'a')) << 414;
    QTest::newRow("header line") << QByteArray("GET / HTTP/1.1\r\nX-Big: " + QByteArray(80, 'b')) << 431;
}

void tst_HttpRequest::lineTooLongBeforeItEnds()
{
    // A peer that never ends its line is refused without waiting for the end.
    QFETCH(QByteArray, received);
    QFETCH(int, status);
    wslab::HttpLimits limits;
    limits.maxLineBytes = 64;
    const auto p = wslab::HttpRequestParse::parse(received, limits);
    QCOMPARE(p.status, Status::Error);
    QCOMPARE(p.errorStatus, status);
}

void tst_HttpRequest::headerLineTooLong()
{
    wslab::HttpLimits limits;
    limits.maxLineBytes = 64;
    const QByteArray r = "GET / HTTP/1.1\r\nX-Big: " + QByteArray(64, 'b') + "\r\n\r\n";
    const auto p = wslab::HttpRequestParse::parse(r, limits);
    QCOMPARE(p.status, Status::Error);
    QCOMPARE(p.errorStatus, 431);
    QCOMPARE(p.errorText, QByteArray("header line too long"));
}

void tst_HttpRequest::tooManyHeaders()
{
    const auto p = wslab::HttpRequestParse::parse(requestWithHeaders(101));
    QCOMPARE(p.status, Status::Error);
    QCOMPARE(p.errorStatus, 431);
    QCOMPARE(p.errorText, QByteArray("too many header fields"));
}

void tst_HttpRequest::exactlyMaxHeadersIsFine()
{
    const auto p = wslab::HttpRequestParse::parse(requestWithHeaders(100));
    QCOMPARE(p.status, Status::Complete);
    QCOMPARE(p.request.headers.size(), 100);
}

void tst_HttpRequest::malformed_data()
{
    QTest::addColumn<QByteArray>("received");
    QTest::addColumn<QByteArray>("why");
    QTest::newRow("two words") << QByteArray("GET /\r\n\r\n") << QByteArray("malformed request line");
    QTest::newRow("four words") << QByteArray("GET / x HTTP/1.1\r\n\r\n") << QByteArray("malformed request line");
    QTest::newRow("not HTTP") << QByteArray("GET / FTP/1.0\r\n\r\n") << QByteArray("malformed request line");
    QTest::newRow("empty method") << QByteArray(" / HTTP/1.1\r\n\r\n") << QByteArray("malformed request line");
    QTest::newRow("no colon") << QByteArray("GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n") << QByteArray("malformed header line");
    QTest::newRow("empty name") << QByteArray("GET / HTTP/1.1\r\n: value\r\n\r\n") << QByteArray("malformed header line");
    QTest::newRow("space in name") << QByteArray("GET / HTTP/1.1\r\nHo st: x\r\n\r\n") << QByteArray("white space in a header name");
    QTest::newRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << QByteArray("white space in a header name");
    QTest::newRow("folded line") << QByteArray("GET / HTTP/1.1\r\nX-A: 1\r\n 2\r\n\r\n") << QByteArray("obsolete header line folding");
}

void tst_HttpRequest::malformed()
{
    QFETCH(QByteArray, received);
    QFETCH(QByteArray, why);
    const auto p = wslab::HttpRequestParse::parse(received);
    QCOMPARE(p.status, Status::Error);
    QCOMPARE(p.errorStatus, 400);
    QCOMPARE(p.errorText, why);
}

void tst_HttpRequest::notAnUpgrade()
{
    const auto p = wslab::HttpRequestParse::parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n");
    QCOMPARE(p.status, Status::Complete);
    QVERIFY(!p.request.isWebSocketUpgrade());
}

void tst_HttpRequest::refusalFormat()
{
    const QByteArray r = wslab::httpRefusal(503, "connection limit reached");
    QCOMPARE(r, QByteArray("HTTP/1.1 503 Service Unavailable\r\n"
                           "Content-Type: text/plain; charset=utf-8\r\n"
                           "Content-Length: 25\r\n"
                           "Connection: close\r\n"
                           "\r\n"
                           "connection limit reached\n"));
    // Content-Length counts exactly the body after the blank line.
    const qsizetype bodyStart = r.indexOf("\r\n\r\n") + 4;
    QCOMPARE(r.size() - bodyStart, 25);
}

void tst_HttpRequest::refusalWithExtraHeaders()
{
    const QByteArray r = wslab::httpRefusal(426, "", {{"Upgrade", "websocket"}, {"Sec-WebSocket-Version", "13"}});
    QCOMPARE(r, QByteArray("HTTP/1.1 426 Upgrade Required\r\n"
                           "Content-Type: text/plain; charset=utf-8\r\n"
                           "Content-Length: 1\r\n"
                           "Connection: close\r\n"
                           "Upgrade: websocket\r\n"
                           "Sec-WebSocket-Version: 13\r\n"
                           "\r\n"
                           "\n"));
}

void tst_HttpRequest::reasonPhrases()
{
    QCOMPARE(wslab::httpReasonPhrase(400), QByteArray("Bad Request"));
    QCOMPARE(wslab::httpReasonPhrase(414), QByteArray("URI Too Long"));
    QCOMPARE(wslab::httpReasonPhrase(431), QByteArray("Request Header Fields Too Large"));
    QCOMPARE(wslab::httpReasonPhrase(426), QByteArray("Upgrade Required"));
    QCOMPARE(wslab::httpReasonPhrase(503), QByteArray("Service Unavailable"));
    QCOMPARE(wslab::httpReasonPhrase(599), QByteArray("Error"));
}

QTEST_GUILESS_MAIN(tst_HttpRequest)
#include "tst_HttpRequest.moc"
