#include "core/discovery/Beacon.h"
#include "core/discovery/LanChannel.h"
#include "core/server/Server.h"

#include "tests/support/WsLabTest.h"

#include <QSysInfo>
#include <QTest>

// What a beacon says and when, and that loopback servers say nothing. Nothing here sends a datagram:
// the beacon on a real interface is tested inside a private network namespace (tests/lan).

using namespace std::chrono_literals;
using wslab::Beacon;

class tst_Beacon : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void scheduleBacksOff();
    void displayName_data();
    void displayName();
    void helloCarriesTheChannelsAddress();
    void helloParsesBack();
    void loopbackHasNoChannel();
    void loopbackServerAnnouncesNothing();
};

void tst_Beacon::scheduleBacksOff()
{
    QList<qint64> intervals;
    for (int sent = 0; sent < 10; ++sent)
        intervals << Beacon::intervalAfter(sent).count();
    QCOMPARE(intervals, (QList<qint64>{2000, 2000, 2000, 2000, 2000, 4000, 8000, 8000, 8000, 8000}));
    QCOMPARE(Beacon::intervalAfter(1000000), 8000ms);
}

void tst_Beacon::displayName_data()
{
    QTest::addColumn<QString>("configured");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QStringLiteral("Lab") << QStringLiteral("Lab");
    QTest::newRow("trimmed") << QStringLiteral("  Room  12 ") << QStringLiteral("Room 12");
    QTest::newRow("controls dropped") << QStringLiteral("a\x1b[2Jb\n") << QStringLiteral("a[2Jb");
    QTest::newRow("bidi dropped") << QStringLiteral("a\u202Eb") << QStringLiteral("ab");
    QTest::newRow("cut to 64") << QString(100, u'n') << QString(64, u'n');
}

void tst_Beacon::displayName()
{
    QFETCH(QString, configured);
    QFETCH(QString, expected);
    QCOMPARE(Beacon::displayName(configured), expected);
    const QString host = Beacon::displayName(QString());
    QVERIFY(!host.isEmpty());
    QVERIFY(host == Beacon::displayName(QSysInfo::machineHostName()) || host == u"WsLab");
}

void tst_Beacon::helloCarriesTheChannelsAddress()
{
    Beacon::Content content;
    content.name = QStringLiteral("Lab");
    content.port = 8080;
    content.mode = QStringLiteral("echo");
    wslab::Announcement hello = Beacon::helloFor(content, QHostAddress(QStringLiteral("10.1.2.3")), 2000ms);
    QCOMPARE(hello.url, QUrl(QStringLiteral("ws://10.1.2.3:8080/")));
    QVERIFY(hello.pageUrl.isEmpty());
    QCOMPARE(hello.version, QStringLiteral(WSLAB_VERSION));
    QCOMPARE(hello.interval, 2000ms);

    content.mode = QStringLiteral("chat");
    content.servesPage = true;
    content.tls = true;
    content.path = QStringLiteral("/chat");
    hello = Beacon::helloFor(content, QHostAddress(QStringLiteral("10.1.2.3")), 2000ms);
    QCOMPARE(hello.url, QUrl(QStringLiteral("wss://10.1.2.3:8080/chat")));
    QCOMPARE(hello.pageUrl, QUrl(QStringLiteral("https://10.1.2.3:8080/")));
}

void tst_Beacon::helloParsesBack()
{
    Beacon::Content content;
    content.name = QString(200, u'x'); // what a listener refuses is never sent
    content.port = 1;
    content.mode = QStringLiteral("chat");
    content.servesPage = true;
    const wslab::Announcement hello = Beacon::helloFor(content, QHostAddress(QStringLiteral("192.168.0.7")), 8000ms);
    QString error;
    const auto back = wslab::Announcement::fromDatagram(hello.toDatagram(), &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(*back == hello);
}

void tst_Beacon::loopbackHasNoChannel()
{
    QVERIFY(wslab::lanChannels(QHostAddress(QHostAddress::LocalHost)).isEmpty());
    QVERIFY(wslab::lanChannels(QHostAddress(QHostAddress::LocalHostIPv6)).isEmpty());
    QVERIFY(!wslab::isLanAddress(QHostAddress(QStringLiteral("127.0.0.2"))));
    QVERIFY(wslab::isLanAddress(QHostAddress(QHostAddress::AnyIPv4)));
    Beacon beacon;
    QVERIFY(!beacon.start(QHostAddress(QHostAddress::LocalHost), {}));
    QVERIFY(!beacon.isRunning());
    QVERIFY(beacon.errorString().contains(u"this machine only"));
}

void tst_Beacon::loopbackServerAnnouncesNothing()
{
    wslab::ServerConfig config = wslab::test::loopbackServerConfig(wslab::ServerMode::Chat);
    QVERIFY(config.announce); // on by default: loopback is what keeps it quiet
    wslab::Server server;
    server.setConfig(config);
    QVERIFY(server.start());
    QVERIFY(server.announcedUrls().isEmpty());
    QVERIFY(!server.log()->isEmpty());
    for (qsizetype i = 0; i < server.log()->size(); ++i)
        QVERIFY2(!server.log()->at(i).detail.contains(u"LAN"), qPrintable(server.log()->at(i).detail));
}

QTEST_GUILESS_MAIN(tst_Beacon)
#include "tst_Beacon.moc"
