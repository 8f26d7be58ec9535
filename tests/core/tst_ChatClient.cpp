// The chat client against the chat room, both WsLab's, over loopback: a dropped link that comes back
// loses nothing and shows nothing twice, and what was said meanwhile is posted once.
#include "core/chat/ChatClient.h"
#include "core/chat/ChatRoom.h"
#include "core/client/Client.h"
#include "core/server/Peer.h"
#include "core/server/Server.h"

#include <QtTest>

using namespace wslab;
using namespace std::chrono_literals;

namespace {

ClientConfig quickClient(const QUrl &url)
{
    ClientConfig c;
    c.url = url;
    c.reconnect.baseDelay = 50ms;
    c.reconnect.maxDelay = 50ms;
    c.reconnect.minDelay = 10ms;
    return c;
}

QStringList texts(const ChatClient &chat)
{
    QStringList out;
    for (const ChatClient::Message &m : chat.messages())
        out << m.text;
    return out;
}

} // namespace

class tst_ChatClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aDroppedLinkLosesNothingAndRepeatsNothing()
    {
        Server server;
        ServerConfig config;
        config.port = 0;
        config.mode = ServerMode::Chat;
        server.setConfig(config);
        ChatRoom room(&server);
        QVERIFY(server.start());

        Client aliceLink(QStringLiteral("alice"));
        aliceLink.setConfig(quickClient(server.url()));
        ChatClient alice(&aliceLink);
        Client bobLink(QStringLiteral("bob"));
        bobLink.setConfig(quickClient(server.url()));
        bobLink.setRandomSource([] { return 0.5; });
        ChatClient bob(&bobLink);
        alice.join(QStringLiteral("alice"));
        bob.join(QStringLiteral("bob"));
        QVERIFY(aliceLink.open());
        QTRY_VERIFY(alice.isJoined());
        QVERIFY(bobLink.open()); // after alice's, so bob's peer has the higher id
        QTRY_COMPARE(room.members().size(), 2);
        QTRY_VERIFY(bob.isJoined());

        QVERIFY(alice.say(QStringLiteral("one")));
        QTRY_COMPARE(texts(bob), QStringList{QStringLiteral("one")});

        // Bob's link drops (the server goes away for him, so he retries) and comes back.
        QSignalSpy bobJoined(&bob, &ChatClient::joined);
        QVERIFY(server.kick(server.peers().constLast()->id(), 1001, QStringLiteral("wifi dropped")));
        QTRY_VERIFY(!bob.isJoined());
        QVERIFY(alice.say(QStringLiteral("two")));
        QVERIFY(alice.say(QStringLiteral("three")));
        QVERIFY(bob.say(QStringLiteral("said while away"))); // waits, then goes with its id
        QTRY_VERIFY_WITH_TIMEOUT(bobJoined.size() >= 1, 10000);
        QVERIFY(bobJoined.last().at(1).toBool()); // resumed

        const QStringList expected{QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three"),
                                   QStringLiteral("said while away")};
        QTRY_COMPARE(texts(bob), expected);
        QTRY_COMPARE(texts(alice), expected);
        QCOMPARE(room.lastSeq(), quint64(4));
        QCOMPARE(bob.pendingCount(), 0);
        QCOMPARE(bob.lastSeq(), 4);
    }

    void aServerThatLostItsHistoryIsNoticed()
    {
        Server server;
        ServerConfig config;
        config.port = 0;
        config.mode = ServerMode::Chat;
        server.setConfig(config);
        auto room = std::make_unique<ChatRoom>(&server);
        QVERIFY(server.start());
        Client link(QStringLiteral("alice"));
        link.setConfig(quickClient(server.url()));
        ChatClient alice(&link);
        alice.join(QStringLiteral("alice"));
        QVERIFY(link.open());
        QTRY_VERIFY(alice.isJoined());
        QVERIFY(alice.say(QStringLiteral("before")));
        QTRY_COMPARE(alice.lastSeq(), 1);
        const QString oldEpoch = alice.epoch();

        // A new room (a restart without --history) on the same server, then the link drops.
        room = std::make_unique<ChatRoom>(&server);
        QSignalSpy reset(&alice, &ChatClient::historyReset);
        QVERIFY(server.kick(server.peers().constFirst()->id(), 1001, QStringLiteral("restart")));
        QTRY_COMPARE_WITH_TIMEOUT(reset.size(), 1, 10000);
        QCOMPARE(reset.at(0).at(0).toString(), QStringLiteral("epoch_changed"));
        QVERIFY(alice.epoch() != oldEpoch);
        QVERIFY(alice.messages().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_ChatClient)
#include "tst_ChatClient.moc"
