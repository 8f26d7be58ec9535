#include "tests/support/HardeningTest.h"

#include "core/chat/ChatPage.h"
#include "core/chat/ChatRoom.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QTest>

Q_DECLARE_METATYPE(wslab::ServerMode)

using namespace wslab::test;

namespace {

QByteArray pageRequest(quint16 port, const QByteArray &path = "/", const QByteArray &method = "GET")
{
    return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
           "\r\nUser-Agent: tst_ChatPage\r\nAccept: text/html\r\n\r\n";
}

// Sends `request` on a fresh connection and waits for the whole answer (the server closes after it).
bool fetch(RawPeer &raw, quint16 port, const QByteArray &request)
{
    if (!raw.connectTo(port))
        return false;
    raw.send(request);
    return raw.waitForHead() && raw.waitForDisconnected();
}

// The text between the first `open` tag and its closing tag.
QByteArray between(const QByteArray &body, const QByteArray &open, const QByteArray &close)
{
    const qsizetype start = body.indexOf(open);
    if (start < 0)
        return {};
    const qsizetype from = start + open.size();
    const qsizetype end = body.indexOf(close, from);
    return end < 0 ? QByteArray() : body.mid(from, end - from);
}

QByteArray sha256Source(const QByteArray &text)
{
    return "'sha256-" + QCryptographicHash::hash(text, QCryptographicHash::Sha256).toBase64() + "'";
}

// The directives of a Content-Security-Policy by name, each with its sources.
QHash<QByteArray, QByteArrayList> directives(const QByteArray &policy)
{
    QHash<QByteArray, QByteArrayList> out;
    for (const QByteArray &part : policy.split(';')) {
        QByteArrayList words = part.simplified().split(' ');
        if (words.isEmpty() || words.first().isEmpty())
            continue;
        const QByteArray name = words.takeFirst();
        out.insert(name, words);
    }
    return out;
}

QByteArray pagePolicy(QByteArrayView host, bool tls)
{
    const wslab::ChatPage page = wslab::ChatPage::make(host, tls, QStringLiteral("/"));
    for (const auto &[name, value] : page.headers) {
        if (name == "Content-Security-Policy")
            return value;
    }
    return {};
}

} // namespace

// In chat mode a browser gets the chat page from the server's own address, and a browser on another
// site cannot join. Other requests and other modes are answered as before.
class tst_ChatPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void pageInChatMode();
    void pageNamesOnlyTheHostItCameFrom();
    void otherRequestsKeepTheirAnswers_data();
    void otherRequestsKeepTheirAnswers();
    void pageAtTheConfiguredPathToo();
    void switchingToChatModeServesThePage();
    void originDefaultsToTheServersOwnHost_data();
    void originDefaultsToTheServersOwnHost();
    void configuredOriginsReplaceTheDefault();
    void originsCompareAsBrowsersSendThem();
};

void tst_ChatPage::pageInChatMode()
{
    wslab::Server server;
    Bystander bystander;
    QVERIFY(startWithBystander(server, loopbackServerConfig(wslab::ServerMode::Chat), bystander));

    RawPeer raw;
    QVERIFY(fetch(raw, server.port(), pageRequest(server.port())));
    QCOMPARE(raw.statusLine(), QByteArray("HTTP/1.1 200 OK"));
    QCOMPARE(raw.header("Content-Type"), QByteArray("text/html; charset=utf-8"));
    QCOMPARE(raw.header("X-Content-Type-Options"), QByteArray("nosniff"));
    QCOMPARE(raw.header("Referrer-Policy"), QByteArray("no-referrer"));
    QCOMPARE(raw.header("Cache-Control"), QByteArray("no-store"));
    QCOMPARE(raw.header("Connection"), QByteArray("close"));
    const QByteArray body = raw.rest();
    QCOMPARE(raw.header("Content-Length"), QByteArray::number(body.size()));
    QVERIFY(body.startsWith("<!DOCTYPE html>"));
    QVERIFY(body.contains("data-ws-path=\"/\""));

    // Self-contained: nothing to fetch from another host, no event handler attributes, one script and
    // one style element, each allowed by its exact hash and nothing else allowed.
    QVERIFY2(!body.contains("http://") && !body.contains("https://"), "the page names another host");
    QVERIFY(!body.contains("src="));
    const QRegularExpression handlerAttribute(QStringLiteral("<[^>]*\\son[a-z]+\\s*="), QRegularExpression::CaseInsensitiveOption);
    QVERIFY(!handlerAttribute.match(QString::fromUtf8(body)).hasMatch());
    QCOMPARE(body.count("<script"), 1);
    QCOMPARE(body.count("<style"), 1);
    const QByteArray script = between(body, "<script>", "</script>");
    const QByteArray style = between(body, "<style>", "</style>");
    QVERIFY(script.contains("new WebSocket("));
    QVERIFY(script.contains("textContent"));
    QVERIFY(!script.contains("innerHTML"));
    QVERIFY(!style.isEmpty());

    const auto csp = directives(raw.header("Content-Security-Policy"));
    QCOMPARE(csp.value("default-src"), QByteArrayList{"'none'"});
    QCOMPARE(csp.value("script-src"), QByteArrayList{sha256Source(script)});
    QCOMPARE(csp.value("style-src"), QByteArrayList{sha256Source(style)});
    QCOMPARE(csp.value("base-uri"), QByteArrayList{"'none'"});
    QCOMPARE(csp.value("form-action"), QByteArrayList{"'none'"});
    QCOMPARE(csp.value("frame-ancestors"), QByteArrayList{"'none'"});
    QCOMPARE(csp.value("img-src"), QByteArrayList{"data:"});

    // Serving the page is not a refusal, and the server keeps serving its WebSocket peers.
    QCOMPARE(countOfKind(server.log(), wslab::EventKind::Refused), 0);
    QCOMPARE(server.peerCount(), 1);
}

void tst_ChatPage::pageNamesOnlyTheHostItCameFrom()
{
    wslab::Server server;
    QVERIFY(startServer(server, loopbackServerConfig(wslab::ServerMode::Chat)));
    const QByteArray port = QByteArray::number(server.port());

    RawPeer raw;
    QVERIFY(fetch(raw, server.port(), pageRequest(server.port())));
    QCOMPARE(directives(raw.header("Content-Security-Policy")).value("connect-src"), QByteArrayList{"ws://127.0.0.1:" + port});

    // A Host header that is not a plain host:port never reaches the policy.
    RawPeer odd;
    QVERIFY(fetch(odd, server.port(), "GET / HTTP/1.1\r\nHost: x; script-src *\r\n\r\n"));
    QCOMPARE(odd.status(), 200);
    const QByteArray policy = odd.header("Content-Security-Policy");
    QCOMPARE(directives(policy).value("connect-src"), QByteArrayList{"'self'"});
    QVERIFY(!policy.contains("*"));

    // Nor does an IPv6 literal, which CSP's host grammar cannot express.
    QCOMPARE(directives(pagePolicy("[::1]:8080", false)).value("connect-src"), QByteArrayList{"'self'"});
    QCOMPARE(directives(pagePolicy("lab.example:8443", true)).value("connect-src"), QByteArrayList{"wss://lab.example:8443"});
}

void tst_ChatPage::otherRequestsKeepTheirAnswers_data()
{
    QTest::addColumn<wslab::ServerMode>("mode");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<int>("status");

    QTest::newRow("echo GET / 426") << wslab::ServerMode::Echo << QByteArray("/") << QByteArray("GET") << 426;
    QTest::newRow("broadcast GET / 426") << wslab::ServerMode::Broadcast << QByteArray("/") << QByteArray("GET") << 426;
    QTest::newRow("silent GET / 426") << wslab::ServerMode::Silent << QByteArray("/") << QByteArray("GET") << 426;
    QTest::newRow("chat GET /other 426") << wslab::ServerMode::Chat << QByteArray("/other") << QByteArray("GET") << 426;
    QTest::newRow("chat GET /favicon.ico 426") << wslab::ServerMode::Chat << QByteArray("/favicon.ico") << QByteArray("GET") << 426;
    QTest::newRow("chat HEAD / 405") << wslab::ServerMode::Chat << QByteArray("/") << QByteArray("HEAD") << 405;
    QTest::newRow("chat POST / 405") << wslab::ServerMode::Chat << QByteArray("/") << QByteArray("POST") << 405;
}

void tst_ChatPage::otherRequestsKeepTheirAnswers()
{
    QFETCH(wslab::ServerMode, mode);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, method);
    QFETCH(int, status);
    wslab::Server server;
    QVERIFY(startServer(server, loopbackServerConfig(mode)));
    RawPeer raw;
    QVERIFY(fetch(raw, server.port(), pageRequest(server.port(), path, method)));
    QCOMPARE(raw.status(), status);
    QVERIFY(!raw.rest().contains("<html"));
    QCOMPARE(countOfKind(server.log(), wslab::EventKind::Refused), 1);

    // A GET that asks for an upgrade but gets it wrong is still told so, in chat mode too.
    if (mode == wslab::ServerMode::Chat && path == "/" && method == "GET") {
        RawPeer half;
        QVERIFY(fetch(half, server.port(), withHeaders(pageRequest(server.port()), {"Upgrade: websocket"})));
        QCOMPARE(half.status(), 426);
    }
}

void tst_ChatPage::pageAtTheConfiguredPathToo()
{
    wslab::ServerConfig config = loopbackServerConfig(wslab::ServerMode::Chat);
    config.path = QStringLiteral("/chat");
    wslab::Server server;
    QVERIFY(startServer(server, config));

    for (const QByteArray path : {"/chat", "/"}) {
        RawPeer raw;
        QVERIFY(fetch(raw, server.port(), pageRequest(server.port(), path)));
        QCOMPARE(raw.status(), 200);
        // Wherever the page is opened, it connects to the WebSocket at the configured path.
        QVERIFY(raw.rest().contains("data-ws-path=\"/chat\""));
    }
    RawPeer other;
    QVERIFY(fetch(other, server.port(), pageRequest(server.port(), "/other")));
    QCOMPARE(other.status(), 404);

    RawPeer socket;
    QVERIFY(socket.upgrade(server.port(), "/chat"));
}

void tst_ChatPage::switchingToChatModeServesThePage()
{
    wslab::Server server;
    QVERIFY(startServer(server, loopbackServerConfig(wslab::ServerMode::Echo)));
    RawPeer before;
    QVERIFY(fetch(before, server.port(), pageRequest(server.port())));
    QCOMPARE(before.status(), 426);

    server.setMode(wslab::ServerMode::Chat);
    RawPeer during;
    QVERIFY(fetch(during, server.port(), pageRequest(server.port())));
    QCOMPARE(during.status(), 200);

    server.setMode(wslab::ServerMode::Echo);
    RawPeer after;
    QVERIFY(fetch(after, server.port(), pageRequest(server.port())));
    QCOMPARE(after.status(), 426);
}

void tst_ChatPage::originDefaultsToTheServersOwnHost_data()
{
    QTest::addColumn<wslab::ServerMode>("mode");
    QTest::addColumn<QByteArray>("origin"); // {PORT} stands for the server's port; empty: no Origin header
    QTest::addColumn<int>("status");

    const auto chat = wslab::ServerMode::Chat;
    QTest::newRow("chat, no Origin") << chat << QByteArray() << 101;
    QTest::newRow("chat, own host") << chat << QByteArray("http://127.0.0.1:{PORT}") << 101;
    QTest::newRow("chat, own host in capitals") << chat << QByteArray("HTTP://127.0.0.1:{PORT}") << 101;
    QTest::newRow("chat, another host") << chat << QByteArray("http://evil.example") << 403;
    QTest::newRow("chat, another host same port") << chat << QByteArray("http://evil.example:{PORT}") << 403;
    QTest::newRow("chat, own host other port") << chat << QByteArray("http://127.0.0.1:1") << 403;
    QTest::newRow("chat, own host over https") << chat << QByteArray("https://127.0.0.1:{PORT}") << 403;
    QTest::newRow("chat, own host as prefix") << chat << QByteArray("http://127.0.0.1:{PORT}.evil.example") << 403;
    QTest::newRow("chat, null") << chat << QByteArray("null") << 403;
    QTest::newRow("echo, another host") << wslab::ServerMode::Echo << QByteArray("http://evil.example") << 101;
}

void tst_ChatPage::originDefaultsToTheServersOwnHost()
{
    QFETCH(wslab::ServerMode, mode);
    QFETCH(QByteArray, origin);
    QFETCH(int, status);
    wslab::Server server;
    wslab::ChatRoom room(&server);
    Bystander bystander;
    QVERIFY(startWithBystander(server, loopbackServerConfig(mode), bystander));
    origin.replace("{PORT}", QByteArray::number(server.port()));

    RawPeer raw;
    const QByteArrayList headers = origin.isEmpty() ? QByteArrayList{} : QByteArrayList{"Origin: " + origin};
    QCOMPARE(raw.upgrade(server.port(), "/", headers), status == 101);
    QCOMPARE(raw.status(), status);
    if (status == 101) {
        QTRY_COMPARE(server.peerCount(), 2);
        QCOMPARE(countOfKind(server.log(), wslab::EventKind::Refused), 0);
        return;
    }
    QVERIFY(raw.waitForDisconnected());
    const QString problem = refusedOnceProblem(server.log(), 403, "GET / HTTP/1.1");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const auto refused = eventsOfKind(server.log(), wslab::EventKind::Refused);
    QVERIFY2(
        refused.first().detail.contains(
            QStringLiteral("origin %1 is not this server's own (http://127.0.0.1:%2)").arg(QString::fromUtf8(origin)).arg(server.port())),
        qPrintable(refused.first().detail));
    // The room still answers the client connected before (a say before a join gets not_joined).
    const qsizetype before = bystander.received().size();
    QVERIFY(bystander.client().sendText(QStringLiteral("{\"type\":\"say\",\"text\":\"after 403\"}")));
    QTRY_VERIFY(bystander.received().size() > before);
}

void tst_ChatPage::configuredOriginsReplaceTheDefault()
{
    wslab::ServerConfig config = loopbackServerConfig(wslab::ServerMode::Chat);
    config.allowedOrigins = {QStringLiteral("http://lab.example")};
    wslab::Server server;
    QVERIFY(startServer(server, config));
    const QByteArray own = "Origin: http://127.0.0.1:" + QByteArray::number(server.port());

    RawPeer ownHost;
    QVERIFY(!ownHost.upgrade(server.port(), "/", {own}));
    QCOMPARE(ownHost.status(), 403);
    RawPeer listed;
    QVERIFY(listed.upgrade(server.port(), "/", {"Origin: http://lab.example"}));
    // The list also asks every client for an Origin, as it did before the chat page.
    RawPeer none;
    QVERIFY(!none.upgrade(server.port()));
    QCOMPARE(none.status(), 403);
}

void tst_ChatPage::originsCompareAsBrowsersSendThem()
{
    using wslab::ChatPage;
    QCOMPARE(ChatPage::originOf("127.0.0.1:8080", false), QByteArray("http://127.0.0.1:8080"));
    QCOMPARE(ChatPage::originOf("Lab.Example:443", true), QByteArray("https://lab.example"));
    QCOMPARE(ChatPage::originOf("lab.example:80", false), QByteArray("http://lab.example"));
    QCOMPARE(ChatPage::originOf("[::1]:8080", false), QByteArray("http://[::1]:8080"));
    QCOMPARE(ChatPage::originOf("", false), QByteArray());
    QCOMPARE(ChatPage::originOf("a b", false), QByteArray());
    QCOMPARE(ChatPage::normalizedOrigin("http://lab.example:80"), QByteArray("http://lab.example"));
    QCOMPARE(ChatPage::normalizedOrigin("ftp://lab.example"), QByteArray());
    QCOMPARE(ChatPage::normalizedOrigin("http://lab.example/path"), QByteArray());
}

QTEST_GUILESS_MAIN(tst_ChatPage)
#include "tst_ChatPage.moc"
