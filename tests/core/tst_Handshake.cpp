#include "core/protocol/ExtensionHeader.h"
#include "core/protocol/FrameDecoder.h"
#include "core/protocol/Handshake.h"
#include "core/protocol/HttpResponse.h"

#include <QTest>

using namespace wslab;

namespace {

// RFC 6455 §1.3 and §4.1.
const QByteArray kRfcRequest = "GET /chat HTTP/1.1\r\n"
                               "Host: server.example.com\r\n"
                               "Upgrade: websocket\r\n"
                               "Connection: Upgrade\r\n"
                               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                               "Origin: http://example.com\r\n"
                               "Sec-WebSocket-Protocol: chat, superchat\r\n"
                               "Sec-WebSocket-Version: 13\r\n"
                               "\r\n";

const QByteArray kRfcResponse = "HTTP/1.1 101 Switching Protocols\r\n"
                                "Upgrade: websocket\r\n"
                                "Connection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                                "Sec-WebSocket-Protocol: chat\r\n"
                                "\r\n";

HttpRequest request(const QByteArray &head)
{
    const auto p = HttpRequestParse::parse(head);
    return p.request;
}

HttpResponse response(const QByteArray &head)
{
    const auto p = HttpResponseParse::parse(head);
    return p.response;
}

// The RFC pair with one header line replaced (or removed, with an empty replacement).
QByteArray replaced(QByteArray head, const QByteArray &line, const QByteArray &with)
{
    const qsizetype at = head.indexOf(line);
    Q_ASSERT(at >= 0);
    head.replace(at, line.size() + 2, with.isEmpty() ? QByteArray() : with + "\r\n");
    return head;
}

QByteArray withHeader(QByteArray head, const QByteArray &line)
{
    head.insert(head.size() - 2, line + "\r\n");
    return head;
}

bool mentions(const Handshake &h, const QString &section)
{
    for (const ProtocolViolation &p : h.problems) {
        if (p.section == section && p.kind == ProtocolViolation::Kind::Handshake && !p.text.isEmpty())
            return true;
    }
    return false;
}

QString problems(const Handshake &h)
{
    QStringList out;
    for (const ProtocolViolation &p : h.problems)
        out.append(p.describe());
    return out.join(QStringLiteral("; "));
}

} // namespace

class tst_Handshake : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rfcAcceptValue();
    void rfcHandshakeIsValid();
    void responseParsesInAnySplit();
    void responseParseErrors_data();
    void responseParseErrors();
    void wrongAccept();
    void refusedUpgrade();
    void subprotocolNotOffered();
    void requestProblems_data();
    void requestProblems();
    void extensionHeader();
    void deflateNegotiated();
    void deflateParametersChecked_data();
    void deflateParametersChecked();
    void extensionNotOffered();
    void negotiatedDeflateDrivesTheDecoder();
};

void tst_Handshake::rfcAcceptValue()
{
    QCOMPARE(Handshake::acceptFor("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QVERIFY(Handshake::acceptFor("dGhlIHNhbXBsZSBub25jZR==") != QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void tst_Handshake::rfcHandshakeIsValid()
{
    const Handshake h = Handshake::check(request(kRfcRequest), response(kRfcResponse));
    QVERIFY2(h.isValid(), qPrintable(problems(h)));
    QCOMPARE(h.key, QByteArray("dGhlIHNhbXBsZSBub25jZQ=="));
    QCOMPARE(h.expectedAccept, QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QVERIFY(h.acceptMatches());
    QCOMPARE(h.offeredSubprotocols, (QList<QByteArray>{"chat", "superchat"}));
    QCOMPARE(h.subprotocol, QByteArray("chat"));
    QVERIFY(h.extensions.isEmpty());
    QVERIFY(!h.deflate);
}

void tst_Handshake::responseParsesInAnySplit()
{
    const QByteArray withFrame = kRfcResponse + "\x81\x05Hello";
    for (qsizetype n = 0; n < kRfcResponse.size(); ++n)
        QCOMPARE(HttpResponseParse::parse(QByteArrayView(kRfcResponse).first(n)).status, HttpResponseParse::Status::Incomplete);
    const auto p = HttpResponseParse::parse(withFrame);
    QCOMPARE(p.status, HttpResponseParse::Status::Complete);
    QCOMPARE(p.headBytes, int(kRfcResponse.size()));
    QCOMPARE(p.response.version, QByteArray("HTTP/1.1"));
    QCOMPARE(p.response.statusCode, 101);
    QCOMPARE(p.response.reasonPhrase, QByteArray("Switching Protocols"));
    QCOMPARE(p.response.headers.size(), 4);
    QCOMPARE(p.response.header("sec-websocket-protocol"), QByteArray("chat"));
}

void tst_Handshake::responseParseErrors_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::newRow("not HTTP") << QByteArray("SIP/2.0 200 OK\r\n\r\n");
    QTest::newRow("no status") << QByteArray("HTTP/1.1\r\n\r\n");
    QTest::newRow("status not numeric") << QByteArray("HTTP/1.1 1x1 Switching\r\n\r\n");
    QTest::newRow("status of four digits") << QByteArray("HTTP/1.1 1010 Switching\r\n\r\n");
    QTest::newRow("header without colon") << QByteArray("HTTP/1.1 101 OK\r\nUpgrade websocket\r\n\r\n");
    QTest::newRow("folded header") << QByteArray("HTTP/1.1 101 OK\r\nUpgrade: a\r\n b\r\n\r\n");
    QTest::newRow("status line too long") << (QByteArray("HTTP/1.1 101 ") + QByteArray(9000, 'x'));
}

void tst_Handshake::responseParseErrors()
{
    QFETCH(QByteArray, head);
    const auto p = HttpResponseParse::parse(head);
    QCOMPARE(p.status, HttpResponseParse::Status::Error);
    QVERIFY(!p.errorText.isEmpty());
}

void tst_Handshake::wrongAccept()
{
    const QByteArray bad =
        replaced(kRfcResponse, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    const Handshake h = Handshake::check(request(kRfcRequest), response(bad));
    QVERIFY(!h.isValid());
    QVERIFY(!h.acceptMatches());
    QVERIFY(mentions(h, QStringLiteral("RFC 6455 §4.1")));
    QVERIFY(problems(h).contains(QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")));

    const Handshake missing =
        Handshake::check(request(kRfcRequest), response(replaced(kRfcResponse, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", {})));
    QVERIFY(!missing.acceptMatches());
    QVERIFY(mentions(missing, QStringLiteral("RFC 6455 §4.1")));
}

void tst_Handshake::refusedUpgrade()
{
    const Handshake h = Handshake::check(request(kRfcRequest), response("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"));
    QCOMPARE(h.problems.size(), 1);
    QVERIFY(h.problems[0].text.contains(QStringLiteral("401 Unauthorized")));
    QCOMPARE(h.problems[0].section, QStringLiteral("RFC 6455 §4.1"));
}

void tst_Handshake::subprotocolNotOffered()
{
    const QByteArray bad = replaced(kRfcResponse, "Sec-WebSocket-Protocol: chat", "Sec-WebSocket-Protocol: mqtt");
    const Handshake h = Handshake::check(request(kRfcRequest), response(bad));
    QCOMPARE(h.problems.size(), 1);
    QCOMPARE(h.subprotocol, QByteArray("mqtt"));
    QVERIFY(mentions(h, QStringLiteral("RFC 6455 §4.1")));

    // None chosen is fine: the server may decline every offer.
    const Handshake none = Handshake::check(request(kRfcRequest), response(replaced(kRfcResponse, "Sec-WebSocket-Protocol: chat", {})));
    QVERIFY2(none.isValid(), qPrintable(problems(none)));
    QCOMPARE(none.subprotocol, QByteArray());
}

void tst_Handshake::requestProblems_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("with");
    QTest::newRow("POST") << QByteArray("GET /chat HTTP/1.1") << QByteArray("POST /chat HTTP/1.1");
    QTest::newRow("HTTP/1.0") << QByteArray("GET /chat HTTP/1.1") << QByteArray("GET /chat HTTP/1.0");
    QTest::newRow("no Host") << QByteArray("Host: server.example.com") << QByteArray();
    QTest::newRow("no Upgrade") << QByteArray("Upgrade: websocket") << QByteArray();
    QTest::newRow("Connection: close") << QByteArray("Connection: Upgrade") << QByteArray("Connection: close");
    QTest::newRow("no key") << QByteArray("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==") << QByteArray();
    QTest::newRow("short key") << QByteArray("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==") << QByteArray("Sec-WebSocket-Key: c2hvcnQ=");
    QTest::newRow("key not Base64") << QByteArray("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")
                                    << QByteArray("Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==");
    QTest::newRow("version 8") << QByteArray("Sec-WebSocket-Version: 13") << QByteArray("Sec-WebSocket-Version: 8");
}

void tst_Handshake::requestProblems()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, with);
    const HttpRequest r = request(replaced(kRfcRequest, line, with));
    const QList<ProtocolViolation> found = Handshake::checkRequest(r);
    QCOMPARE(found.size(), 1);
    QCOMPARE(found[0].section, QStringLiteral("RFC 6455 §4.2.1"));
    QVERIFY(Handshake::checkRequest(request(kRfcRequest)).isEmpty());
    QVERIFY(!Handshake::check(r, response(kRfcResponse)).isValid());
}

void tst_Handshake::extensionHeader()
{
    QList<WebSocketExtension> list;
    QVERIFY(parseExtensionHeader("permessage-deflate; client_max_window_bits; server_max_window_bits=\"10\", x-foo;a=1 ; b , ,", &list));
    QCOMPARE(list.size(), 2);
    QCOMPARE(list[0].name, QByteArray("permessage-deflate"));
    QCOMPARE(list[0].params.size(), 2);
    QVERIFY(!list[0].param("client_max_window_bits")->hasValue);
    QCOMPARE(list[0].param("SERVER_MAX_WINDOW_BITS")->value, QByteArray("10"));
    QVERIFY(list[0].param("server_max_window_bits")->hasValue);
    QCOMPARE(list[1].name, QByteArray("x-foo"));
    QCOMPARE(list[1].param("a")->value, QByteArray("1"));
    QVERIFY(list[1].param("b"));
    QVERIFY(!list[1].param("c"));

    QList<WebSocketExtension> bad;
    QVERIFY(!parseExtensionHeader("permessage-deflate; a=\"unterminated", &bad));
    QVERIFY(!parseExtensionHeader("; a=1", &bad));
    QList<WebSocketExtension> empty;
    QVERIFY(parseExtensionHeader("", &empty));
    QVERIFY(empty.isEmpty());
}

void tst_Handshake::deflateNegotiated()
{
    const QByteArray offer = withHeader(kRfcRequest, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits");
    const QByteArray answer =
        withHeader(kRfcResponse, "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=10");
    const Handshake h = Handshake::check(request(offer), response(answer));
    QVERIFY2(h.isValid(), qPrintable(problems(h)));
    QCOMPARE(h.extensions.size(), 1);
    QVERIFY(h.deflate);
    QVERIFY(h.deflate->serverNoContextTakeover);
    QVERIFY(!h.deflate->clientNoContextTakeover);
    QCOMPARE(h.deflate->clientMaxWindowBits, 10);
    QCOMPARE(h.deflate->serverMaxWindowBits, 15);
    QCOMPARE(h.deflate->windowBits(true), 10);
    QVERIFY(h.deflate->noContextTakeover(false));

    // The server may not limit the client's window when the client did not say it could honour it.
    const Handshake unasked =
        Handshake::check(request(withHeader(kRfcRequest, "Sec-WebSocket-Extensions: permessage-deflate")), response(answer));
    QVERIFY(!unasked.deflate);
    QVERIFY(mentions(unasked, QStringLiteral("RFC 7692 §7.1.2.2")));
}

void tst_Handshake::deflateParametersChecked_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::newRow("window 16") << QByteArray("permessage-deflate; server_max_window_bits=16");
    QTest::newRow("window 7") << QByteArray("permessage-deflate; server_max_window_bits=7");
    QTest::newRow("window without value") << QByteArray("permessage-deflate; server_max_window_bits");
    QTest::newRow("window with leading zero") << QByteArray("permessage-deflate; server_max_window_bits=09");
    QTest::newRow("takeover with a value") << QByteArray("permessage-deflate; server_no_context_takeover=1");
    QTest::newRow("repeated") << QByteArray("permessage-deflate; server_no_context_takeover; server_no_context_takeover");
    QTest::newRow("unknown") << QByteArray("permessage-deflate; fast=yes");
}

void tst_Handshake::deflateParametersChecked()
{
    QFETCH(QByteArray, answer);
    const QByteArray offer = withHeader(kRfcRequest, "Sec-WebSocket-Extensions: permessage-deflate");
    const Handshake h = Handshake::check(request(offer), response(withHeader(kRfcResponse, "Sec-WebSocket-Extensions: " + answer)));
    QVERIFY(!h.deflate);
    QCOMPARE(h.problems.size(), 1);
    QCOMPARE(h.problems[0].section, QStringLiteral("RFC 7692 §7.1"));
}

void tst_Handshake::extensionNotOffered()
{
    const Handshake h =
        Handshake::check(request(kRfcRequest), response(withHeader(kRfcResponse, "Sec-WebSocket-Extensions: permessage-deflate")));
    QVERIFY(!h.deflate);
    QCOMPARE(h.problems.size(), 1);
    QVERIFY(mentions(h, QStringLiteral("RFC 6455 §4.1")));
}

void tst_Handshake::negotiatedDeflateDrivesTheDecoder()
{
    // What the relay will do: negotiate from the two heads, then decode the server's frames with it.
    const Handshake h = Handshake::check(request(withHeader(kRfcRequest, "Sec-WebSocket-Extensions: permessage-deflate")),
                                         response(withHeader(kRfcResponse, "Sec-WebSocket-Extensions: permessage-deflate")));
    QVERIFY2(h.isValid(), qPrintable(problems(h)));
    FrameDecoder::Options options;
    options.deflate = h.deflate;
    FrameDecoder decoder(FrameDecoder::Sender::Server, options);
    QList<Frame> out;
    decoder.feed(QByteArray::fromHex("c107f248cdc9c90700c105f200110000"), &out);
    QCOMPARE(out.size(), 2);
    QCOMPARE(out[0].message->payload, QByteArray("Hello"));
    QCOMPARE(out[1].message->payload, QByteArray("Hello"));
}

QTEST_GUILESS_MAIN(tst_Handshake)
#include "tst_Handshake.moc"
