#include "core/protocol/Redaction.h"

#include <QTest>

// Secrets never reach a log, a view or an export: Authorization, Proxy-Authorization and Cookie values
// and token= / access_token= query parameters become "<redacted>"; everything else stays as it was.
class tst_Redaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void text_data();
    void text();
    void bytesKeepEveryOtherByte();
    void request();
    void message_data();
    void message();
};

void tst_Redaction::text_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");

    QTest::newRow("bearer") << QStringLiteral("Authorization: Bearer s3cret") << QStringLiteral("Authorization: <redacted>");
    QTest::newRow("any case, no space") << QStringLiteral("authorization:Basic dXNlcjpwdw==")
                                        << QStringLiteral("authorization: <redacted>");
    QTest::newRow("proxy") << QStringLiteral("Proxy-Authorization: Basic eDp5") << QStringLiteral("Proxy-Authorization: <redacted>");
    QTest::newRow("cookie") << QStringLiteral("Cookie: session=abc; theme=dark") << QStringLiteral("Cookie: <redacted>");
    QTest::newRow("space before colon") << QStringLiteral("COOKIE \t: a=b") << QStringLiteral("COOKIE: <redacted>");
    QTest::newRow("head, line by line") << QStringLiteral(
                                               "GET /chat?room=1&token=s3cret HTTP/1.1\r\nHost: lab\r\nAuthorization: Bearer s3cret\r\n"
                                               "X-Trace: keep\r\nCookie: id=7\r\n\r\n")
                                        << QStringLiteral(
                                               "GET /chat?room=1&token=<redacted> HTTP/1.1\r\nHost: lab\r\nAuthorization: <redacted>\r\n"
                                               "X-Trace: keep\r\nCookie: <redacted>\r\n\r\n");
    // Only whole header names at the start of a line are secrets.
    QTest::newRow("other headers") << QStringLiteral("X-Authorization-Hint: Bearer\r\nX-Cookie-Policy: strict")
                                   << QStringLiteral("X-Authorization-Hint: Bearer\r\nX-Cookie-Policy: strict");
    QTest::newRow("the word in a value") << QStringLiteral("X-Note: authorization: none") << QStringLiteral("X-Note: authorization: none");

    QTest::newRow("token first") << QStringLiteral("ws://lab:8080/chat?token=s3cret")
                                 << QStringLiteral("ws://lab:8080/chat?token=<redacted>");
    QTest::newRow("token among others") << QStringLiteral("wss://lab/chat?a=1&token=s3cret&b=2#frag")
                                        << QStringLiteral("wss://lab/chat?a=1&token=<redacted>&b=2#frag");
    QTest::newRow("token before a fragment") << QStringLiteral("/p?token=s3cret#top") << QStringLiteral("/p?token=<redacted>#top");
    QTest::newRow("access_token, any case") << QStringLiteral("/p?ACCESS_TOKEN=abc&Token=def")
                                            << QStringLiteral("/p?ACCESS_TOKEN=<redacted>&Token=<redacted>");
    QTest::newRow("percent-encoded name") << QStringLiteral("/p?to%6Ben=s3cret&%61ccess_token=abc")
                                          << QStringLiteral("/p?to%6Ben=<redacted>&%61ccess_token=<redacted>");
    QTest::newRow("empty token") << QStringLiteral("/p?token=&x=1") << QStringLiteral("/p?token=<redacted>&x=1");
    QTest::newRow("names that only end in token")
        << QStringLiteral("/p?mytoken=abc&csrf_token=def&tokens=ghi") << QStringLiteral("/p?mytoken=abc&csrf_token=def&tokens=ghi");
    QTest::newRow("token in the path") << QStringLiteral("/token=abc/x") << QStringLiteral("/token=abc/x");
    QTest::newRow("nothing secret") << QStringLiteral("ws://127.0.0.1:8080/") << QStringLiteral("ws://127.0.0.1:8080/");
    QTest::newRow("empty") << QString() << QString();
}

void tst_Redaction::text()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(wslab::redactSecrets(input), expected);
    QCOMPARE(wslab::redactSecrets(expected), expected); // redacting again changes nothing
}

// A message typed into a composer, as a session saved without secrets keeps it.
void tst_Redaction::message_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("auth message") << QStringLiteral(R"({"type":"auth","token":"abc123"})")
                                  << QStringLiteral(R"({"token":"<redacted>","type":"auth"})");
    QTest::newRow("names by their ending")
        << QStringLiteral(R"({"accessToken":"a","refresh_token":"b","API-Key":"c","user":{"password":"d","name":"e"}})")
        << QStringLiteral(R"({"API-Key":"<redacted>","accessToken":"<redacted>","refresh_token":"<redacted>",)"
                          R"("user":{"name":"e","password":"<redacted>"}})");
    QTest::newRow("in arrays, any value") << QStringLiteral(R"([{"secret":42},{"credentials":{"u":"x"}},{"secret":null}])")
                                          << QStringLiteral(R"([{"secret":"<redacted>"},{"credentials":"<redacted>"},{"secret":null}])");
    QTest::newRow("lookalikes stay") << QStringLiteral(R"({"tokens":3,"tokenizer":"bpe","keys":["token"]})")
                                     << QStringLiteral(R"({"tokens":3,"tokenizer":"bpe","keys":["token"]})");
    QTest::newRow("indented stays indented") << QStringLiteral("{\n    \"password\": \"p\"\n}")
                                             << QStringLiteral("{\n    \"password\": \"<redacted>\"\n}");
    QTest::newRow("text: header line") << QStringLiteral("hello\nAuthorization: Bearer xyz")
                                       << QStringLiteral("hello\nAuthorization: <redacted>");
    QTest::newRow("text: URL") << QStringLiteral("join ws://lab/chat?token=abc") << QStringLiteral("join ws://lab/chat?token=<redacted>");
    QTest::newRow("plain text untouched") << QStringLiteral("the password is in the drawer")
                                          << QStringLiteral("the password is in the drawer");
    QTest::newRow("not JSON untouched") << QStringLiteral(R"({"token": "unterminated)") << QStringLiteral(R"({"token": "unterminated)");
}

void tst_Redaction::message()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(wslab::redactSecretsInMessage(input), expected);
    QCOMPARE(wslab::redactSecretsInMessage(expected), expected); // redacting again changes nothing
}

void tst_Redaction::bytesKeepEveryOtherByte()
{
    // A request head may carry any byte; only the secret changes.
    QByteArray head("GET /caf\xe9?token=\xff\xfe HTTP/1.1\r\nX-Bin: \x01\x7f\x80\xff\r\nCookie: \xc3\xa9t\xe9\r\n\r\n");
    QCOMPARE(wslab::redactSecrets(head),
             QByteArray("GET /caf\xe9?token=<redacted> HTTP/1.1\r\nX-Bin: \x01\x7f\x80\xff\r\nCookie: <redacted>\r\n\r\n"));
}

void tst_Redaction::request()
{
    wslab::HttpRequest request;
    request.method = "GET";
    request.target = "/chat?access_token=abc&room=2";
    request.version = "HTTP/1.1";
    request.headers = {{"Host", "lab"},
                       {"authorization", "Bearer s3cret"},
                       {"Proxy-Authorization", "Basic eDp5"},
                       {"Cookie", "id=7"},
                       {"X-Token", "kept: not one of the secret headers"}};
    const wslab::HttpRequest redacted = wslab::redactSecrets(request);
    QCOMPARE(redacted.method, request.method);
    QCOMPARE(redacted.version, request.version);
    QCOMPARE(redacted.target, QByteArray("/chat?access_token=<redacted>&room=2"));
    QCOMPARE(redacted.path(), QByteArray("/chat"));
    QCOMPARE(redacted.headers.size(), request.headers.size());
    QCOMPARE(redacted.header("Host"), QByteArray("lab"));
    QCOMPARE(redacted.header("Authorization"), QByteArray("<redacted>"));
    QCOMPARE(redacted.header("proxy-authorization"), QByteArray("<redacted>"));
    QCOMPARE(redacted.header("Cookie"), QByteArray("<redacted>"));
    QCOMPARE(redacted.header("X-Token"), QByteArray("kept: not one of the secret headers"));
    QCOMPARE(redacted.headers.at(1).first, QByteArray("authorization")); // names as sent
}

QTEST_GUILESS_MAIN(tst_Redaction)
#include "tst_Redaction.moc"
