// The live charts on the offscreen platform: View → Live charts, a real server and client on 127.0.0.1
// followed as they talk, ping and reconnect, the endpoint list following the clients, and painting at
// any size and in every palette.
#include "tests/support/WsLabTest.h"
#include "ui/charts/ChartsPanel.h"
#include "ui/charts/RateChart.h"
#include "ui/charts/RetryChart.h"
#include "ui/charts/RttChart.h"
#include "ui/client/ClientPanel.h"
#include "ui/main/MainWindow.h"
#include "ui/server/ServerPanel.h"
#include "ui/style/LabColors.h"
#include "ui/style/TextScale.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QStandardPaths>
#include <QtTest>

using namespace wslab;
using namespace wslab::test;

namespace {

bool hasColour(const QImage &image, const QColor &colour)
{
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green()) + std::abs(c.blue() - colour.blue()) < 24)
                return true;
        }
    }
    return false;
}

TimeChart *chartNamed(const ChartsPanel &panel, const QString &name)
{
    return panel.findChild<TimeChart *>(name);
}

QStringList endpointNames(const ChartsPanel &panel)
{
    auto *box = panel.findChild<QComboBox *>(QStringLiteral("chartsEndpoint"));
    QStringList names;
    for (int i = 0; i < box->count(); ++i)
        names << box->itemText(i);
    return names;
}

LogEvent madeEvent(EventKind kind, Direction direction, qint64 agoUs)
{
    LogEvent e;
    e.kind = kind;
    e.direction = direction;
    e.monoUs = monotonicMicros() - agoUs;
    e.size = 42;
    return e;
}

} // namespace

class tst_ChartsPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void theDockAppearsFromTheViewMenu();
    void followsLiveTrafficRoundTripsAndReconnects();
    void endpointsFollowTheClients();
    void paintsAtAnySizeInEveryPalette();
};

void tst_ChartsPanel::theDockAppearsFromTheViewMenu()
{
    MainWindow window({/*persist*/ false, /*firstStartDemo*/ false, /*firstStartPort*/ 0});
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.chartsDock()->isHidden()); // until asked for
    QVERIFY(window.charts()->model()->endpoints().isEmpty()); // and reading nothing meanwhile

    QAction *show = window.findChild<QAction *>(QStringLiteral("showLiveCharts"));
    QVERIFY(show);
    QCOMPARE(show->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_6));
    // Listed under View, and no other key of the window is the same.
    int same = 0;
    bool underView = false;
    for (const auto &[name, key] : window.shortcuts()) {
        if (key == show->shortcut()) {
            ++same;
            underView = name.startsWith(QStringLiteral("View"));
        }
    }
    QCOMPARE(same, 1);
    QVERIFY(underView);

    show->trigger();
    QTRY_VERIFY(window.chartsDock()->isVisible());
    const QList<TrafficEndpoint> endpoints = window.charts()->model()->endpoints();
    QCOMPARE(endpoints.size(), 2);
    QCOMPARE(endpoints.at(0).log, window.serverPanel()->server()->log());
    QCOMPARE(endpoints.at(1).log, window.clientPanels().at(0)->client()->log());
    QCOMPARE(endpointNames(*window.charts()), (QStringList{QStringLiteral("server"), QStringLiteral("client 1")}));

    show->trigger();
    QTRY_VERIFY(!window.chartsDock()->isVisible());
    QVERIFY(window.charts()->model()->endpoints().isEmpty());
}

void tst_ChartsPanel::followsLiveTrafficRoundTripsAndReconnects()
{
    Server server;
    QVERIFY(startServer(server));
    Client client(QStringLiteral("client 1"));
    ChartsPanel panel;
    panel.setEndpoints({{QStringLiteral("server"), server.log()}, {QStringLiteral("client 1"), client.log()}});
    panel.setCurrentEndpoint(1);
    panel.resize(1000, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(openClient(client, fastClientConfig(server.url())));

    const int sent = 25;
    for (int i = 0; i < sent; ++i)
        QVERIFY(client.sendText(QStringLiteral("message %1").arg(i)));
    const TrafficSeries *clientSeries = panel.model()->seriesOf(client.log());
    const TrafficSeries *serverSeries = panel.model()->seriesOf(server.log());
    QVERIFY(clientSeries && serverSeries);
    // On the model's own tick, without a refresh asked for.
    QTRY_COMPARE(clientSeries->totals().messagesIn, quint64(sent)); // every echo back
    QCOMPARE(clientSeries->totals().messagesOut, quint64(sent));
    QCOMPARE(serverSeries->totals().messagesIn, quint64(sent));
    QCOMPARE(serverSeries->totals().messagesOut, quint64(sent));
    qint64 inBuckets = 0;
    for (qsizetype i = 0; i < clientSeries->bucketCount(); ++i)
        inBuckets += clientSeries->bucket(i).messagesOut;
    QCOMPARE(inBuckets, sent);
    auto *summary = panel.findChild<QLabel *>(QStringLiteral("chartsSummary"));
    QTRY_VERIFY(summary->text().startsWith(QLocale().toString(sent)));
    // Once their second is complete the messages chart draws them, in the "in" tone.
    auto *messages = qobject_cast<RateChart *>(chartNamed(panel, QStringLiteral("messagesChart")));
    QTRY_VERIFY_WITH_TIMEOUT(hasColour(messages->grab().toImage(), toneColor(Tone::Text, messages->palette())), 4000);

    // A ping's round trip is a point, its mean and max in the legend.
    QVERIFY(client.ping());
    QTRY_COMPARE(clientSeries->rttSamples().size(), size_t(1));
    auto *rtt = qobject_cast<RttChart *>(chartNamed(panel, QStringLiteral("rttChart")));
    QTRY_COMPARE(rtt->statsInSight().samples, 1u);
    QCOMPARE(qint64(rtt->statsInSight().max.count()), clientSeries->rttSamples().front().rttUs);
    QVERIFY(hasColour(rtt->grab().toImage(), toneColor(Tone::Pong, rtt->palette())));

    // The server goes away and comes back on the same port: the client backs off, retries, opens again.
    ServerConfig again = loopbackServerConfig();
    again.port = server.port();
    server.stop();
    QTRY_VERIFY(clientSeries->retries().size() >= 1);
    QVERIFY(startServer(server, again));
    QTRY_COMPARE(client.state(), Client::State::Open);
    QTRY_COMPARE(clientSeries->opens().size(), size_t(2));
    for (const RetryRecord &r : clientSeries->retries()) {
        QVERIFY(r.attempt >= 1);
        QVERIFY(r.delayMs >= 0 && r.delayMs <= client.config().reconnect.maxDelay.count());
    }
    QCOMPARE(clientSeries->totals().reconnects, quint64(clientSeries->retries().size()));
    auto *retries = qobject_cast<RetryChart *>(chartNamed(panel, QStringLiteral("retryChart")));
    QTRY_VERIFY(hasColour(retries->grab().toImage(), toneColor(Tone::Success, retries->palette())));
    QVERIFY(hasColour(retries->grab().toImage(), toneColor(Tone::Waiting, retries->palette())));
}

void tst_ChartsPanel::endpointsFollowTheClients()
{
    Server relayTarget;
    QVERIFY(startServer(relayTarget));
    MainWindow window({/*persist*/ false, /*firstStartDemo*/ false, /*firstStartPort*/ 0});
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.findChild<QAction *>(QStringLiteral("showLiveCharts"))->trigger();
    QTRY_VERIFY(window.chartsDock()->isVisible());
    ChartsPanel *charts = window.charts();
    QCOMPARE(endpointNames(*charts), (QStringList{QStringLiteral("server"), QStringLiteral("client 1")}));

    ClientPanel *second = window.addClient();
    QCOMPARE(endpointNames(*charts), (QStringList{QStringLiteral("server"), QStringLiteral("client 1"), QStringLiteral("client 2")}));
    charts->setCurrentEndpoint(2);
    window.closeClient(window.clientPanels().at(0));
    QTRY_COMPARE(endpointNames(*charts), (QStringList{QStringLiteral("server"), QStringLiteral("client 2")}));
    QCOMPARE(charts->currentEndpoint(), 1); // the same endpoint stays chosen
    QCOMPARE(charts->model()->endpoints().at(1).log, second->client()->log());

    // The inspector is an endpoint while it relays: its frames per direction.
    QUrl url = relayTarget.url();
    url.setPath(QStringLiteral("/"));
    second->setUrl(url.toString());
    second->setRoutedThroughInspector(true);
    QVERIFY(second->connectToServer());
    QTRY_COMPARE(second->client()->state(), Client::State::Open);
    QCOMPARE(endpointNames(*charts), (QStringList{QStringLiteral("server"), QStringLiteral("inspector"), QStringLiteral("client 2")}));
    QVERIFY(second->client()->sendText(QStringLiteral("through the relay")));
    const TrafficSeries &relay = charts->model()->series(1);
    // Out towards the server, in towards the client: the message and its echo.
    QTRY_VERIFY(relay.countsFrames() && relay.totals().messagesOut >= 1 && relay.totals().messagesIn >= 1);
}

void tst_ChartsPanel::paintsAtAnySizeInEveryPalette()
{
    // A hand-made endpoint with something in every chart, stamped in the last seconds.
    EventLog log;
    for (int s = 1; s <= 20; ++s) {
        log.append(madeEvent(EventKind::Text, Direction::In, qint64(s) * 1000 * 1000));
        log.append(madeEvent(EventKind::Binary, Direction::Out, qint64(s) * 1000 * 1000 + 300));
        LogEvent pong = madeEvent(EventKind::Pong, Direction::In, qint64(s) * 1000 * 1000 + 500);
        pong.rttUs = 200 + 50 * s;
        log.append(pong);
    }
    for (int attempt = 1; attempt <= 4; ++attempt) {
        LogEvent retry = madeEvent(EventKind::RetryScheduled, Direction::Local, qint64(10 - attempt) * 1000 * 1000);
        retry.attempt = attempt;
        retry.delayMs = 100 * attempt;
        log.append(retry);
    }
    log.append(madeEvent(EventKind::Open, Direction::Local, 5 * 1000 * 1000));

    ChartsPanel panel;
    panel.setEndpoints({{QStringLiteral("made"), &log}});
    panel.resize(900, 500);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    for (TimeChart *chart : panel.charts()) {
        const QImage image = chart->grab().toImage();
        QVERIFY(!image.isNull());
        // Something besides the background: axes, labels, marks.
        QVERIFY2(hasColour(image, chart->palette().color(QPalette::Text)), qPrintable(chart->objectName()));
    }
    QVERIFY(hasColour(chartNamed(panel, QStringLiteral("bytesChart"))->grab().toImage(), toneColor(Tone::Closing)));

    // Alone at sizes from nothing to a projector's, no crash and a picture.
    for (TimeChart *chart : {static_cast<TimeChart *>(new RttChart), static_cast<TimeChart *>(new RetryChart)}) {
        std::unique_ptr<TimeChart> owned(chart);
        chart->setSeries(panel.model()->seriesOf(&log));
        chart->setTimeRange(monotonicMicros(), 60ll * 1000 * 1000);
        for (const QSize size : {QSize(1, 1), QSize(40, 20), QSize(160, 90), QSize(1920, 1080)}) {
            chart->resize(size);
            QVERIFY(!chart->grab().toImage().isNull());
        }
    }

    // Presentation mode: high-contrast dark palette and tones, the largest text.
    setHighContrastTones(true);
    TextScale::apply(TextScale::kLargest);
    panel.setPalette(highContrastPalette(true));
    for (TimeChart *chart : panel.charts()) {
        const QImage image = chart->grab().toImage();
        QCOMPARE(image.pixelColor(1, 1), panel.palette().color(QPalette::Base)); // the palette's background
    }
    auto *rtt = chartNamed(panel, QStringLiteral("rttChart"));
    QVERIFY(hasColour(rtt->grab().toImage(), toneColor(Tone::Pong, rtt->palette())));
    setHighContrastTones(false);
    TextScale::apply(TextScale::kNormal);
}

QTEST_MAIN(tst_ChartsPanel)
#include "tst_ChartsPanel.moc"
