#include "core/discovery/Discovery.h"
#include "core/server/Server.h"

#include <QFileInfo>
#include <QNetworkInterface>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <memory>

// LAN discovery end to end: wslab-cli serve announcing and wslab-cli discover (or a Discovery) hearing
// it, over real UDP sockets. It runs only inside the private network namespace tests/lan/netns.sh
// makes (veth0 10.99.0.1 with multicast, veth2 10.98.0.1 with broadcast only) and refuses to run
// anywhere else, so no beacon ever reaches a real network.

using namespace std::chrono_literals;

namespace {

const QString kLanHost = QStringLiteral("10.99.0.1");
const QString kBroadcastOnlyHost = QStringLiteral("10.98.0.1");

QString cliPath()
{
    return QString::fromLocal8Bit(qgetenv("WSLAB_CLI"));
}

// A wslab-cli serve that is listening, and its port; stopped with SIGTERM when it goes.
struct Serve
{
    std::unique_ptr<QProcess> process = std::make_unique<QProcess>();
    quint16 port = 0;

    ~Serve()
    {
        if (process->state() != QProcess::NotRunning) {
            process->terminate();
            if (!process->waitForFinished(5000))
                process->kill();
        }
    }
};

// Starts serve with these arguments and waits for its "listening on" line (the port is 0: any free one).
std::unique_ptr<Serve> startServe(const QStringList &arguments, QString *error)
{
    auto serve = std::make_unique<Serve>();
    serve->process->start(cliPath(), QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0")} + arguments);
    static const QRegularExpression listening(QStringLiteral("^listening on wss?://[^ ]+:(\\d+)\\n"));
    QByteArray out;
    const bool ok = QTest::qWaitFor(
        [&] {
            out += serve->process->readAllStandardOutput();
            return listening.match(QString::fromUtf8(out)).hasMatch() || serve->process->state() == QProcess::NotRunning;
        },
        10000);
    const QRegularExpressionMatch m = listening.match(QString::fromUtf8(out));
    if (!ok || !m.hasMatch()) {
        *error = QStringLiteral("serve %1 did not start: %2")
                     .arg(arguments.join(u' '), QString::fromUtf8(serve->process->readAllStandardError()));
        return nullptr;
    }
    serve->port = quint16(m.captured(1).toUInt());
    return serve;
}

struct DiscoverResult
{
    int exitCode = -1;
    QStringList lines;
    QString errors;
};

// Runs wslab-cli discover to its end.
DiscoverResult discover(int timeoutSeconds)
{
    QProcess process;
    process.start(cliPath(), {QStringLiteral("discover"), QStringLiteral("--timeout"), QString::number(timeoutSeconds)});
    DiscoverResult result;
    if (!process.waitForFinished((timeoutSeconds + 10) * 1000)) {
        process.kill();
        process.waitForFinished();
        result.errors = QStringLiteral("discover did not end");
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.lines = QString::fromUtf8(process.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    result.lines.sort();
    result.errors = QString::fromUtf8(process.readAllStandardError());
    return result;
}

QString line(const QString &host, quint16 port, const QString &name, const QString &mode)
{
    return QStringLiteral("ws://%1:%2/  %3  %4").arg(host).arg(port).arg(name, mode);
}

} // namespace

class tst_LanDiscovery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void lanServerIsFoundLoopbackServerIsNot();
    void anyAddressIsAnnouncedOnEveryInterface();
    void broadcastWhereThereIsNoMulticast();
    void noAnnounceMeansSilence();
    void byeRemovesAtOnce();
    void modeChangeIsAnnouncedAtOnce();
    void discoverRefusesBadFlags();
};

void tst_LanDiscovery::initTestCase()
{
    QVERIFY2(qgetenv("WSLAB_NETNS") == "private",
             "this test sends multicast and broadcast: run it through tests/lan/netns.sh (ctest does), "
             "which makes a private network namespace for it");
    // The namespace is the one netns.sh made, with nothing of the real network in it.
    QStringList names;
    for (const QNetworkInterface &interface : QNetworkInterface::allInterfaces())
        names << interface.name();
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("lo"), QStringLiteral("veth0"), QStringLiteral("veth1"), QStringLiteral("veth2"),
                                 QStringLiteral("veth3")}));
    QVERIFY2(QFileInfo(cliPath()).isExecutable(), "WSLAB_CLI must name the wslab-cli executable");
}

void tst_LanDiscovery::lanServerIsFoundLoopbackServerIsNot()
{
    QString error;
    const auto quiet =
        startServe({QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--name"), QStringLiteral("Loopback")}, &error);
    QVERIFY2(quiet, qPrintable(error));
    const auto lab = startServe({QStringLiteral("--host"), kLanHost, QStringLiteral("--mode"), QStringLiteral("chat"),
                                 QStringLiteral("--name"), QStringLiteral("Lab 12")},
                                &error);
    QVERIFY2(lab, qPrintable(error));
    // Both servers said their first hello before discover started, and their next comes 2 s later: a
    // discover of 1 s hears only what answers its query.
    const DiscoverResult found = discover(1);
    QCOMPARE(found.lines, QStringList{line(kLanHost, lab->port, QStringLiteral("Lab 12"), QStringLiteral("chat"))});
    QCOMPARE(found.exitCode, 0);
}

void tst_LanDiscovery::anyAddressIsAnnouncedOnEveryInterface()
{
    QString error;
    const auto any =
        startServe({QStringLiteral("--host"), QStringLiteral("0.0.0.0"), QStringLiteral("--name"), QStringLiteral("Everywhere")}, &error);
    QVERIFY2(any, qPrintable(error));
    const DiscoverResult found = discover(1);
    // Each interface's beacon names that interface's own address.
    QCOMPARE(found.lines, (QStringList{line(kBroadcastOnlyHost, any->port, QStringLiteral("Everywhere"), QStringLiteral("echo")),
                                       line(kLanHost, any->port, QStringLiteral("Everywhere"), QStringLiteral("echo"))}));
}

void tst_LanDiscovery::broadcastWhereThereIsNoMulticast()
{
    QVERIFY(!QNetworkInterface::interfaceFromName(QStringLiteral("veth2")).flags().testFlag(QNetworkInterface::CanMulticast));
    QString error;
    const auto server =
        startServe({QStringLiteral("--host"), kBroadcastOnlyHost, QStringLiteral("--name"), QStringLiteral("Old switch")}, &error);
    QVERIFY2(server, qPrintable(error));
    const DiscoverResult found = discover(1);
    QCOMPARE(found.lines, QStringList{line(kBroadcastOnlyHost, server->port, QStringLiteral("Old switch"), QStringLiteral("echo"))});
}

void tst_LanDiscovery::noAnnounceMeansSilence()
{
    QString error;
    const auto server = startServe({QStringLiteral("--host"), kLanHost, QStringLiteral("--no-announce")}, &error);
    QVERIFY2(server, qPrintable(error));
    const DiscoverResult found = discover(1);
    QCOMPARE(found.lines, QStringList{});
    QCOMPARE(found.exitCode, 1);
}

void tst_LanDiscovery::byeRemovesAtOnce()
{
    // The listener's clock never moves, so only a bye can take the server off its list.
    wslab::ManualClock clock;
    wslab::Discovery discovery;
    discovery.setClock(clock.clock());
    QVERIFY2(discovery.start(), qPrintable(discovery.errorString()));
    QSignalSpy added(&discovery, &wslab::Discovery::serverAdded);
    QSignalSpy removed(&discovery, &wslab::Discovery::serverRemoved);
    QString error;
    auto server = startServe({QStringLiteral("--host"), kLanHost, QStringLiteral("--name"), QStringLiteral("Leaving")}, &error);
    QVERIFY2(server, qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(!discovery.servers().isEmpty(), 5000);
    QCOMPARE(discovery.servers().first().name, QStringLiteral("Leaving"));
    server->process->terminate();
    QVERIFY(server->process->waitForFinished(5000));
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, 5000);
    QVERIFY(discovery.servers().isEmpty());
    QCOMPARE(removed.first().first().value<wslab::Announcement>().url.port(), int(server->port));
}

void tst_LanDiscovery::modeChangeIsAnnouncedAtOnce()
{
    wslab::Discovery discovery;
    QVERIFY2(discovery.start(), qPrintable(discovery.errorString()));
    QSignalSpy changed(&discovery, &wslab::Discovery::serverChanged);
    wslab::ServerConfig config;
    config.host = kLanHost;
    config.port = 0;
    config.mode = wslab::ServerMode::Chat;
    config.name = QStringLiteral("Switching");
    wslab::Server server;
    server.setConfig(config);
    QVERIFY(server.start());
    const QUrl url(QStringLiteral("ws://%1:%2/").arg(kLanHost).arg(server.port()));
    QCOMPARE(server.announcedUrls(), QList<QUrl>{url});
    QTRY_COMPARE_WITH_TIMEOUT(discovery.servers().size(), 1, 5000);
    QCOMPARE(discovery.servers().first().url, url);
    QCOMPARE(discovery.servers().first().pageUrl, QUrl(QStringLiteral("http://%1:%2/").arg(kLanHost).arg(server.port())));
    // Long before the next scheduled hello (2 s), the listener knows.
    server.setMode(wslab::ServerMode::Echo);
    QVERIFY(changed.wait(1000));
    QCOMPARE(discovery.servers().first().mode, QStringLiteral("echo"));
    QVERIFY(discovery.servers().first().pageUrl.isEmpty());
}

void tst_LanDiscovery::discoverRefusesBadFlags()
{
    for (const QStringList &args :
         {QStringList{QStringLiteral("--timeout"), QStringLiteral("soon")}, QStringList{QStringLiteral("--timeout"), QStringLiteral("0")},
          QStringList{QStringLiteral("--bogus")}, QStringList{QStringLiteral("extra")}}) {
        QProcess process;
        process.start(cliPath(), QStringList{QStringLiteral("discover")} + args);
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitCode(), 2);
        const QStringList errors = QString::fromUtf8(process.readAllStandardError()).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().startsWith(u"wslab-cli: discover: "), qPrintable(errors.first()));
    }
}

QTEST_GUILESS_MAIN(tst_LanDiscovery)
#include "tst_LanDiscovery.moc"
