#include "core/discovery/Announcement.h"
#include "core/discovery/Discovery.h"

#include "tests/support/Beacons.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

// Beacons as a listener meets them: parsed defensively, kept while heard, dropped on bye or silence.
// Datagrams are handed to the Discovery directly: these tests never open a socket (the network path
// is tested inside a private network namespace, tests/lan).

using namespace std::chrono_literals;
using wslab::Announcement;
using wslab::Discovery;
using wslab::test::byeDatagram;
using wslab::test::helloDatagram;

namespace {

const QHostAddress kSender(QStringLiteral("10.0.0.1"));

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject validHello()
{
    return QJsonDocument::fromJson(helloDatagram()).object();
}

QJsonObject with(QJsonObject o, const QString &key, const QJsonValue &value)
{
    if (value.isUndefined())
        o.remove(key);
    else
        o.insert(key, value);
    return o;
}

} // namespace

class tst_Discovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip();
    void parse_data();
    void parse();
    void garbageNeverCrashes();
    void helloAddsOnceAndChanges();
    void expiresAfterThreeIntervals();
    void byeRemovesAtOnce();
    void beaconMustComeFromItsHost();
    void listIsBounded();
    void listIsSortedByName();
};

void tst_Discovery::roundTrip()
{
    Announcement a;
    a.url = QUrl(QStringLiteral("wss://192.168.1.20:8443/chat"));
    a.name = QStringLiteral("Salle 12 — café");
    a.mode = QStringLiteral("chat");
    a.version = QStringLiteral("0.1.0");
    a.pageUrl = QUrl(QStringLiteral("https://192.168.1.20:8443/"));
    a.interval = 4000ms;
    const QByteArray datagram = a.toDatagram();
    QVERIFY(datagram.size() < 512);
    const auto back = Announcement::fromDatagram(datagram);
    QVERIFY(back);
    QCOMPARE(back->url, a.url);
    QCOMPARE(back->name, a.name);
    QCOMPARE(back->pageUrl, a.pageUrl);
    QVERIFY(*back == a);
    const auto query = Announcement::fromDatagram(Announcement::query().toDatagram());
    QVERIFY(query);
    QCOMPARE(query->type, Announcement::Type::Query);
}

void tst_Discovery::parse_data()
{
    QTest::addColumn<QByteArray>("datagram");
    QTest::addColumn<bool>("valid");

    const QJsonObject ok = validHello();
    QTest::newRow("hello") << json(ok) << true;
    QTest::newRow("bye") << byeDatagram() << true;
    QTest::newRow("bye without name") << json(QJsonObject{{QStringLiteral("wslab"), 1},
                                                          {QStringLiteral("type"), QStringLiteral("bye")},
                                                          {QStringLiteral("url"), QStringLiteral("ws://10.0.0.1:1/")}})
                                      << true;
    QTest::newRow("unknown extra field") << json(with(ok, QStringLiteral("future"), 42)) << true;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("not json") << QByteArray("hello there") << false;
    QTest::newRow("json array") << QByteArray("[1,2,3]") << false;
    QTest::newRow("truncated") << json(ok).left(20) << false;
    QTest::newRow("oversized") << json(with(ok, QStringLiteral("pad"), QString(3000, u'x'))) << false;
    QTest::newRow("no version") << json(with(ok, QStringLiteral("wslab"), QJsonValue::Undefined)) << false;
    QTest::newRow("version 2") << json(with(ok, QStringLiteral("wslab"), 2)) << false;
    QTest::newRow("version as string") << json(with(ok, QStringLiteral("wslab"), QStringLiteral("1"))) << false;
    QTest::newRow("unknown type") << json(with(ok, QStringLiteral("type"), QStringLiteral("shout"))) << false;
    QTest::newRow("no type") << json(with(ok, QStringLiteral("type"), QJsonValue::Undefined)) << false;
    QTest::newRow("http url") << json(with(ok, QStringLiteral("url"), QStringLiteral("http://10.0.0.1:8080/"))) << false;
    QTest::newRow("url without port") << json(with(ok, QStringLiteral("url"), QStringLiteral("ws://10.0.0.1/"))) << false;
    QTest::newRow("url with user") << json(with(ok, QStringLiteral("url"), QStringLiteral("ws://u:p@10.0.0.1:1/"))) << false;
    QTest::newRow("url not a string") << json(with(ok, QStringLiteral("url"), 7)) << false;
    QTest::newRow("no name") << json(with(ok, QStringLiteral("name"), QJsonValue::Undefined)) << false;
    QTest::newRow("empty name") << json(with(ok, QStringLiteral("name"), QString())) << false;
    QTest::newRow("long name") << json(with(ok, QStringLiteral("name"), QString(65, u'n'))) << false;
    QTest::newRow("name with escape") << json(with(ok, QStringLiteral("name"), QStringLiteral("a\x1b[2Jb"))) << false;
    QTest::newRow("name with newline") << json(with(ok, QStringLiteral("name"), QStringLiteral("a\nb"))) << false;
    QTest::newRow("name with bidi override") << json(with(ok, QStringLiteral("name"), QStringLiteral("a\u202Eb"))) << false;
    QTest::newRow("name not a string") << json(with(ok, QStringLiteral("name"), QJsonObject{})) << false;
    QTest::newRow("long mode") << json(with(ok, QStringLiteral("mode"), QString(17, u'm'))) << false;
    QTest::newRow("no interval") << json(with(ok, QStringLiteral("interval_ms"), QJsonValue::Undefined)) << false;
    QTest::newRow("interval too short") << json(with(ok, QStringLiteral("interval_ms"), 10)) << false;
    QTest::newRow("interval huge") << json(with(ok, QStringLiteral("interval_ms"), 1e300)) << false;
    QTest::newRow("page elsewhere") << json(with(ok, QStringLiteral("page"), QStringLiteral("http://evil.example/"))) << false;
    QTest::newRow("page javascript") << json(with(ok, QStringLiteral("page"), QStringLiteral("javascript:alert(1)"))) << false;
    QTest::newRow("page on the host") << json(with(ok, QStringLiteral("page"), QStringLiteral("http://10.0.0.1:8080/"))) << true;
}

void tst_Discovery::parse()
{
    QFETCH(QByteArray, datagram);
    QFETCH(bool, valid);
    QString error;
    const auto a = Announcement::fromDatagram(datagram, &error);
    QCOMPARE(bool(a), valid);
    QCOMPARE(error.isEmpty(), valid);
}

void tst_Discovery::garbageNeverCrashes()
{
    // Every prefix and single-byte corruption of a valid hello: each is parsed or refused, nothing else.
    const QByteArray good = helloDatagram();
    Discovery discovery;
    for (qsizetype n = 0; n <= good.size(); ++n)
        discovery.handleDatagram(good.left(n), kSender);
    for (qsizetype i = 0; i < good.size(); ++i) {
        for (char c : {'\0', '"', '{', '}', '\xff', '9'}) {
            QByteArray bad = good;
            bad[i] = c;
            discovery.handleDatagram(bad, kSender);
        }
    }
    QVERIFY(discovery.ignoredCount() > good.size());
}

void tst_Discovery::helloAddsOnceAndChanges()
{
    Discovery discovery;
    QSignalSpy added(&discovery, &Discovery::serverAdded);
    QSignalSpy changed(&discovery, &Discovery::serverChanged);
    discovery.handleDatagram(helloDatagram(), kSender);
    discovery.handleDatagram(helloDatagram(), kSender);
    discovery.handleDatagram(helloDatagram(QStringLiteral("ws://10.0.0.1:8080/"), QStringLiteral("Lab"), QStringLiteral("chat"), 8000),
                             kSender);
    QCOMPARE(added.size(), 1);
    QCOMPARE(changed.size(), 0); // the same server, only its interval moved on
    discovery.handleDatagram(helloDatagram(QStringLiteral("ws://10.0.0.1:8080/"), QStringLiteral("Lab"), QStringLiteral("echo")), kSender);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(discovery.servers().size(), 1);
    QCOMPARE(discovery.servers().first().mode, QStringLiteral("echo"));
    QCOMPARE(discovery.servers().first().url, QUrl(QStringLiteral("ws://10.0.0.1:8080/")));
}

void tst_Discovery::expiresAfterThreeIntervals()
{
    wslab::ManualClock clock;
    Discovery discovery;
    discovery.setClock(clock.clock());
    QSignalSpy removed(&discovery, &Discovery::serverRemoved);
    discovery.handleDatagram(helloDatagram(QStringLiteral("ws://10.0.0.1:8080/"), QStringLiteral("Lab"), QStringLiteral("chat"), 2000),
                             kSender);
    clock.advance(5999ms);
    discovery.expire();
    QCOMPARE(discovery.servers().size(), 1);
    // A hello in time starts the count again.
    discovery.handleDatagram(helloDatagram(QStringLiteral("ws://10.0.0.1:8080/"), QStringLiteral("Lab"), QStringLiteral("chat"), 2000),
                             kSender);
    clock.advance(5999ms);
    discovery.expire();
    QCOMPARE(discovery.servers().size(), 1);
    clock.advance(1ms);
    discovery.expire();
    QCOMPARE(discovery.servers().size(), 0);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.first().first().value<Announcement>().name, QStringLiteral("Lab"));
}

void tst_Discovery::byeRemovesAtOnce()
{
    Discovery discovery;
    QSignalSpy removed(&discovery, &Discovery::serverRemoved);
    discovery.handleDatagram(helloDatagram(), kSender);
    discovery.handleDatagram(helloDatagram(QStringLiteral("ws://10.0.0.1:9090/")), kSender);
    discovery.handleDatagram(byeDatagram(), kSender);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(discovery.servers().size(), 1);
    QCOMPARE(discovery.servers().first().url.port(), 9090);
    discovery.handleDatagram(byeDatagram(), kSender); // a repeated bye is nothing new
    QCOMPARE(removed.size(), 1);
}

void tst_Discovery::beaconMustComeFromItsHost()
{
    Discovery discovery;
    discovery.handleDatagram(helloDatagram(QStringLiteral("ws://203.0.113.9:8080/")), kSender);
    QCOMPARE(discovery.servers().size(), 0);
    discovery.handleDatagram(helloDatagram(), kSender);
    discovery.handleDatagram(byeDatagram(),
                             QHostAddress(QStringLiteral("10.0.0.66"))); // nobody says bye for another
    QCOMPARE(discovery.servers().size(), 1);
    QCOMPARE(discovery.ignoredCount(), 2);
    // A socket bound to IPv6 reports IPv4 senders as mapped addresses.
    discovery.handleDatagram(helloDatagram(QStringLiteral("ws://10.0.0.1:9090/")), QHostAddress(QStringLiteral("::ffff:10.0.0.1")));
    QCOMPARE(discovery.servers().size(), 2);
}

void tst_Discovery::listIsBounded()
{
    Discovery discovery;
    for (int i = 0; i < Discovery::kMaxServers + 10; ++i)
        discovery.handleDatagram(helloDatagram(QStringLiteral("ws://10.0.0.1:%1/").arg(1000 + i)), kSender);
    QCOMPARE(discovery.servers().size(), Discovery::kMaxServers);
    QCOMPARE(discovery.ignoredCount(), 10);
}

void tst_Discovery::listIsSortedByName()
{
    Discovery discovery;
    discovery.handleDatagram(helloDatagram(QStringLiteral("ws://10.0.0.1:1/"), QStringLiteral("zeta")), kSender);
    discovery.handleDatagram(helloDatagram(QStringLiteral("ws://10.0.0.1:2/"), QStringLiteral("Alpha")), kSender);
    discovery.handleDatagram(helloDatagram(QStringLiteral("ws://10.0.0.1:3/"), QStringLiteral("beta")), kSender);
    QStringList names;
    for (const Announcement &a : discovery.servers())
        names << a.name;
    QCOMPARE(names, (QStringList{QStringLiteral("Alpha"), QStringLiteral("beta"), QStringLiteral("zeta")}));
}

QTEST_GUILESS_MAIN(tst_Discovery)
#include "tst_Discovery.moc"
