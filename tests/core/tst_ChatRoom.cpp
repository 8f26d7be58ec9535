// The chat room over loopback, spoken to as docs/chat-protocol.md says a client should: join, say,
// resume after a reconnect, and bad input that only its sender hears about.
#include "core/chat/ChatRoom.h"
#include "core/server/Server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

using namespace wslab;

namespace {

// One chat client: a QWebSocket whose received JSON objects are kept in order.
class ChatPeer
{
public:
    explicit ChatPeer(const QUrl &url)
    {
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, &m_socket,
                         [this](const QString &text) { m_received.append(QJsonDocument::fromJson(text.toUtf8()).object()); });
        m_socket.open(url);
    }
    bool waitOpen()
    {
        return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 10000);
    }
    void send(const QJsonObject &o) { m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact))); }
    void sendRaw(const QString &text) { m_socket.sendTextMessage(text); }
    void say(const QString &text, const QString &id = {})
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("say")}, {QStringLiteral("text"), text}};
        if (!id.isEmpty())
            o.insert(QStringLiteral("id"), id);
        send(o);
    }
    QJsonObject join(const QString &nick, const QJsonObject &resume = {})
    {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("join")}, {QStringLiteral("v"), 1}, {QStringLiteral("nick"), nick}};
        if (!resume.isEmpty())
            o.insert(QStringLiteral("resume"), resume);
        send(o);
        return next(QStringLiteral("welcome"));
    }
    // The next object of this type not yet taken (waiting for it), or an empty object after 10 s.
    QJsonObject next(const QString &type)
    {
        QJsonObject found;
        [[maybe_unused]] const bool arrived = QTest::qWaitFor(
            [&] {
                for (qsizetype i = m_taken.value(type); i < m_received.size(); ++i) {
                    if (m_received.at(i).value(QStringLiteral("type")).toString() == type) {
                        found = m_received.at(i);
                        m_taken[type] = i + 1;
                        return true;
                    }
                }
                return false;
            },
            10000);
        return found;
    }
    int countOf(const QString &type) const
    {
        int n = 0;
        for (const QJsonObject &o : m_received)
            n += o.value(QStringLiteral("type")).toString() == type ? 1 : 0;
        return n;
    }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_received;
    QHash<QString, qsizetype> m_taken;
};

QList<qint64> seqsOf(const QJsonArray &messages)
{
    QList<qint64> seqs;
    for (const QJsonValue &m : messages)
        seqs << m.toObject().value(QStringLiteral("seq")).toInteger();
    return seqs;
}

ServerConfig chatConfig()
{
    ServerConfig c;
    c.port = 0;
    c.mode = ServerMode::Chat;
    return c;
}

} // namespace

class tst_ChatRoom : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void joinersGetUniqueNicknamesAndSeeEachOther()
    {
        Server server;
        server.setConfig(chatConfig());
        ChatRoom room(&server);
        QVERIFY(server.start());
        ChatPeer alice(server.url());
        ChatPeer other(server.url());
        QVERIFY(alice.waitOpen() && other.waitOpen());
        const QJsonObject welcome = alice.join(QStringLiteral("alice"));
        QCOMPARE(welcome.value(QStringLiteral("nick")).toString(), QStringLiteral("alice"));
        QCOMPARE(welcome.value(QStringLiteral("v")).toInt(), 1);
        QCOMPARE(welcome.value(QStringLiteral("last_seq")).toInteger(), 0);
        QCOMPARE(welcome.value(QStringLiteral("epoch")).toString(), room.epoch());
        // Taken, whatever the case: a suffix, and the welcome says which name it got.
        const QJsonObject second = other.join(QStringLiteral("ALICE"));
        QCOMPARE(second.value(QStringLiteral("nick")).toString(), QStringLiteral("ALICE-2"));
        QCOMPARE(second.value(QStringLiteral("members")).toArray(), (QJsonArray{QStringLiteral("alice"), QStringLiteral("ALICE-2")}));
        alice.next(QStringLiteral("presence")); // her own join
        const QJsonObject joined = alice.next(QStringLiteral("presence"));
        QCOMPARE(joined.value(QStringLiteral("event")).toString(), QStringLiteral("join"));
        QCOMPARE(joined.value(QStringLiteral("nick")).toString(), QStringLiteral("ALICE-2"));

        other.send({{QStringLiteral("type"), QStringLiteral("rename")}, {QStringLiteral("nick"), QStringLiteral("bob")}});
        const QJsonObject renamed = alice.next(QStringLiteral("presence"));
        QCOMPARE(renamed.value(QStringLiteral("event")).toString(), QStringLiteral("rename"));
        QCOMPARE(renamed.value(QStringLiteral("old")).toString(), QStringLiteral("ALICE-2"));
        QCOMPARE(renamed.value(QStringLiteral("nick")).toString(), QStringLiteral("bob"));

        other.socket().close();
        const QJsonObject left = alice.next(QStringLiteral("presence"));
        QCOMPARE(left.value(QStringLiteral("event")).toString(), QStringLiteral("leave"));
        QCOMPARE(left.value(QStringLiteral("nick")).toString(), QStringLiteral("bob"));
        QCOMPARE(room.members(), QStringList{QStringLiteral("alice")});
    }

    void messagesAreNumberedAndAResendIsNotPostedTwice()
    {
        Server server;
        server.setConfig(chatConfig());
        ChatRoom room(&server);
        QVERIFY(server.start());
        ChatPeer alice(server.url());
        ChatPeer bob(server.url());
        QVERIFY(alice.waitOpen() && bob.waitOpen());
        alice.join(QStringLiteral("alice"));
        bob.join(QStringLiteral("bob"));
        alice.say(QStringLiteral("<b>not bold</b>"), QStringLiteral("a-1"));
        const QJsonObject atBob = bob.next(QStringLiteral("message"));
        QCOMPARE(atBob.value(QStringLiteral("seq")).toInteger(), 1);
        QCOMPARE(atBob.value(QStringLiteral("nick")).toString(), QStringLiteral("alice"));
        QCOMPARE(atBob.value(QStringLiteral("text")).toString(), QStringLiteral("<b>not bold</b>"));
        QCOMPARE(atBob.value(QStringLiteral("id")).toString(), QStringLiteral("a-1"));
        QVERIFY(atBob.value(QStringLiteral("time")).toString().endsWith(u'Z'));
        QCOMPARE(alice.next(QStringLiteral("message")).value(QStringLiteral("seq")).toInteger(), 1); // the sender too

        alice.say(QStringLiteral("<b>not bold</b>"), QStringLiteral("a-1")); // a resend, not knowing it arrived
        const QJsonObject again = alice.next(QStringLiteral("message"));
        QCOMPARE(again.value(QStringLiteral("seq")).toInteger(), 1);
        QVERIFY(again.value(QStringLiteral("duplicate")).toBool());
        bob.say(QStringLiteral("next"));
        QCOMPARE(alice.next(QStringLiteral("message")).value(QStringLiteral("seq")).toInteger(), 2);
        QCOMPARE(bob.countOf(QStringLiteral("message")), 2); // seq 1 once, then its own seq 2
        QCOMPARE(room.lastSeq(), quint64(2));
    }

    void resumeGetsExactlyWhatWasMissed()
    {
        Server server;
        server.setConfig(chatConfig());
        ChatRoom room(&server);
        QVERIFY(server.start());
        ChatPeer alice(server.url());
        QVERIFY(alice.waitOpen());
        alice.join(QStringLiteral("alice"));
        QString epoch;
        {
            ChatPeer bob(server.url());
            QVERIFY(bob.waitOpen());
            epoch = bob.join(QStringLiteral("bob")).value(QStringLiteral("epoch")).toString();
            alice.say(QStringLiteral("one"), QStringLiteral("1"));
            QCOMPARE(bob.next(QStringLiteral("message")).value(QStringLiteral("seq")).toInteger(), 1);
        } // bob's Wi-Fi drops
        QTRY_COMPARE(room.members(), QStringList{QStringLiteral("alice")});
        for (const QString &text : {QStringLiteral("two"), QStringLiteral("three"), QStringLiteral("four")})
            alice.say(text, text);
        QTRY_COMPARE(room.lastSeq(), quint64(4));

        ChatPeer back(server.url());
        QVERIFY(back.waitOpen());
        const QJsonObject welcome = back.join(QStringLiteral("bob"), {{QStringLiteral("epoch"), epoch}, {QStringLiteral("last_seq"), 1}});
        QVERIFY(welcome.value(QStringLiteral("resumed")).toBool());
        QVERIFY(!welcome.contains(QStringLiteral("reset")));
        QCOMPARE(seqsOf(welcome.value(QStringLiteral("history")).toArray()), (QList<qint64>{2, 3, 4}));
        QCOMPARE(welcome.value(QStringLiteral("history")).toArray().at(0).toObject().value(QStringLiteral("text")).toString(),
                 QStringLiteral("two"));

        // Up to date: nothing to catch up on.
        ChatPeer current(server.url());
        QVERIFY(current.waitOpen());
        const QJsonObject upToDate =
            current.join(QStringLiteral("carol"), {{QStringLiteral("epoch"), epoch}, {QStringLiteral("last_seq"), 4}});
        QVERIFY(upToDate.value(QStringLiteral("resumed")).toBool());
        QVERIFY(upToDate.value(QStringLiteral("history")).toArray().isEmpty());
    }

    void aResumeThatCannotBeHonouredSaysWhy_data()
    {
        QTest::addColumn<bool>("sameEpoch");
        QTest::addColumn<int>("lastSeq");
        QTest::addColumn<QString>("reset");
        QTest::newRow("another epoch") << false << 2 << QStringLiteral("epoch_changed");
        QTest::newRow("trimmed") << true << 1 << QStringLiteral("history_trimmed");
        QTest::newRow("ahead of the server") << true << 99 << QStringLiteral("unknown_seq");
    }

    void aResumeThatCannotBeHonouredSaysWhy()
    {
        QFETCH(bool, sameEpoch);
        QFETCH(int, lastSeq);
        QFETCH(QString, reset);
        Server server;
        server.setConfig(chatConfig());
        ChatRoom room(&server);
        ChatRoom::Limits limits;
        limits.historySize = 3;
        room.setLimits(limits);
        QVERIFY(server.start());
        ChatPeer alice(server.url());
        QVERIFY(alice.waitOpen());
        alice.join(QStringLiteral("alice"));
        for (int i = 1; i <= 6; ++i)
            alice.say(QStringLiteral("m%1").arg(i));
        QTRY_COMPARE(room.lastSeq(), quint64(6));
        ChatPeer bob(server.url());
        QVERIFY(bob.waitOpen());
        const QJsonObject welcome =
            bob.join(QStringLiteral("bob"),
                     {{QStringLiteral("epoch"), sameEpoch ? room.epoch() : QStringLiteral("old")}, {QStringLiteral("last_seq"), lastSeq}});
        QVERIFY(!welcome.value(QStringLiteral("resumed")).toBool());
        QCOMPARE(welcome.value(QStringLiteral("reset")).toString(), reset);
        QCOMPARE(seqsOf(welcome.value(QStringLiteral("history")).toArray()), (QList<qint64>{4, 5, 6})); // all that is kept
    }

    void aHistoryFileCarriesTheRoomAcrossARestart()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("chat.jsonl"));
        QString epoch;
        {
            Server server;
            server.setConfig(chatConfig());
            ChatRoom room(&server);
            QString error;
            QVERIFY2(room.setHistoryFile(file, &error), qPrintable(error));
            QVERIFY(server.start());
            ChatPeer alice(server.url());
            QVERIFY(alice.waitOpen());
            epoch = alice.join(QStringLiteral("alice")).value(QStringLiteral("epoch")).toString();
            alice.say(QStringLiteral("before the restart"), QStringLiteral("x1"));
            alice.say(QStringLiteral("grüße 🙂"), QStringLiteral("x2"));
            QTRY_COMPARE(room.lastSeq(), quint64(2));
        }
        Server server;
        server.setConfig(chatConfig());
        ChatRoom room(&server);
        QString error;
        QVERIFY2(room.setHistoryFile(file, &error), qPrintable(error));
        QCOMPARE(room.epoch(), epoch);
        QCOMPARE(room.lastSeq(), quint64(2));
        QVERIFY(server.start());
        ChatPeer alice(server.url());
        QVERIFY(alice.waitOpen());
        const QJsonObject welcome =
            alice.join(QStringLiteral("alice"), {{QStringLiteral("epoch"), epoch}, {QStringLiteral("last_seq"), 1}});
        QVERIFY(welcome.value(QStringLiteral("resumed")).toBool());
        const QJsonArray history = welcome.value(QStringLiteral("history")).toArray();
        QCOMPARE(seqsOf(history), QList<qint64>{2});
        QCOMPARE(history.at(0).toObject().value(QStringLiteral("text")).toString(), QStringLiteral("grüße 🙂"));
        alice.say(QStringLiteral("grüße 🙂"), QStringLiteral("x2")); // a resend from before the restart
        QVERIFY(alice.next(QStringLiteral("message")).value(QStringLiteral("duplicate")).toBool());
        alice.say(QStringLiteral("after"), QStringLiteral("x3"));
        QCOMPARE(alice.next(QStringLiteral("message")).value(QStringLiteral("seq")).toInteger(), 3);

        // A file that is not a chat history is refused, naming the line.
        QFile broken(dir.filePath(QStringLiteral("broken.jsonl")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"type\":\"epoch\",\"epoch\":\"e\"}\nnot json\n");
        broken.close();
        ChatRoom other(&server);
        QVERIFY(!other.setHistoryFile(broken.fileName(), &error));
        QVERIFY2(error.contains(QStringLiteral("broken.jsonl:2")), qPrintable(error));
    }

    void badInputIsAnsweredToItsSenderAlone_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<bool>("joinFirst");
        QTest::addColumn<QString>("code");
        QTest::newRow("not json") << QStringLiteral("hello") << true << QStringLiteral("bad_json");
        QTest::newRow("json array") << QStringLiteral("[1,2]") << true << QStringLiteral("bad_json");
        QTest::newRow("unknown type") << QStringLiteral(R"({"type":"shout"})") << true << QStringLiteral("unknown_type");
        QTest::newRow("say before join") << QStringLiteral(R"({"type":"say","text":"hi"})") << false << QStringLiteral("not_joined");
        QTest::newRow("join twice") << QStringLiteral(R"({"type":"join","nick":"again"})") << true << QStringLiteral("already_joined");
        QTest::newRow("html nick") << QStringLiteral(R"({"type":"join","nick":"<img src=x>"})") << false << QStringLiteral("bad_nick");
        QTest::newRow("control nick") << QStringLiteral("{\"type\":\"join\",\"nick\":\"a\\u0007b\"}") << false
                                      << QStringLiteral("bad_nick");
        QTest::newRow("long nick") << QStringLiteral(R"({"type":"join","nick":"%1"})").arg(QString(33, u'n')) << false
                                   << QStringLiteral("bad_nick");
        QTest::newRow("empty text") << QStringLiteral(R"({"type":"say","text":"  "})") << true << QStringLiteral("bad_text");
        QTest::newRow("text not a string") << QStringLiteral(R"({"type":"say","text":5})") << true << QStringLiteral("bad_text");
        QTest::newRow("control text") << QStringLiteral("{\"type\":\"say\",\"text\":\"a\\u001bb\"}") << true << QStringLiteral("bad_text");
        QTest::newRow("long text") << QStringLiteral(R"({"type":"say","text":"%1"})").arg(QString(4097, u't')) << true
                                   << QStringLiteral("text_too_long");
        QTest::newRow("version 2") << QStringLiteral(R"({"type":"join","v":2,"nick":"future"})") << false << QStringLiteral("bad_version");
    }

    void badInputIsAnsweredToItsSenderAlone()
    {
        QFETCH(QString, raw);
        QFETCH(bool, joinFirst);
        QFETCH(QString, code);
        Server server;
        server.setConfig(chatConfig());
        ChatRoom room(&server);
        QVERIFY(server.start());
        ChatPeer bystander(server.url());
        ChatPeer sender(server.url());
        QVERIFY(bystander.waitOpen() && sender.waitOpen());
        bystander.join(QStringLiteral("bystander"));
        if (joinFirst)
            sender.join(QStringLiteral("sender"));
        sender.sendRaw(raw);
        const QJsonObject error = sender.next(QStringLiteral("error"));
        QCOMPARE(error.value(QStringLiteral("code")).toString(), code);
        QVERIFY(!error.value(QStringLiteral("message")).toString().isEmpty());
        // Nothing reached anyone else, and the room goes on.
        sender.sendRaw(QStringLiteral(R"({"type":"join","nick":"late"})"));
        bystander.say(QStringLiteral("still here"));
        QCOMPARE(bystander.next(QStringLiteral("message")).value(QStringLiteral("text")).toString(), QStringLiteral("still here"));
        QCOMPARE(bystander.countOf(QStringLiteral("error")), 0);
        QCOMPARE(room.lastSeq(), quint64(1));
        QCOMPARE(server.peerCount(), 2);
    }

    void theRoomIsQuietOutsideChatMode()
    {
        ServerConfig config = chatConfig();
        config.mode = ServerMode::Echo;
        Server server;
        server.setConfig(config);
        ChatRoom room(&server);
        QVERIFY(server.start());
        ChatPeer peer(server.url());
        QVERIFY(peer.waitOpen());
        QSignalSpy echoed(&peer.socket(), &QWebSocket::textMessageReceived);
        peer.sendRaw(QStringLiteral("not json at all"));
        QVERIFY(echoed.wait());
        QCOMPARE(echoed.at(0).at(0).toString(), QStringLiteral("not json at all")); // the echo, and no error
        QCOMPARE(peer.countOf(QStringLiteral("error")), 0);
        QVERIFY(room.members().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_ChatRoom)
#include "tst_ChatRoom.moc"
