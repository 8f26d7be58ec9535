// The sequence diagram on the offscreen platform: lanes, arrows where a click finds them, follow live,
// pause, export, and the lab window selecting the clicked event's row in the right log.
#include "core/inspect/Relay.h"
#include "tests/support/WsLabTest.h"
#include "ui/client/ClientPanel.h"
#include "ui/inspect/FrameTableModel.h"
#include "ui/inspect/InspectorPanel.h"
#include "ui/log/LogModel.h"
#include "ui/log/LogView.h"
#include "ui/main/MainWindow.h"
#include "ui/sequence/SequenceDiagramPanel.h"
#include "ui/sequence/SequenceDiagramView.h"
#include "ui/server/ServerPanel.h"
#include "ui/style/LabColors.h"

#include <QAction>
#include <QDockWidget>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace wslab;
using namespace wslab::test;

namespace {

qsizetype firstArrow(const SequenceModel &model, ArrowKind kind, int fromLane)
{
    for (qsizetype i = 0; i < model.arrowCount(); ++i) {
        if (model.arrow(i).kind == kind && model.arrow(i).fromLane == fromLane && model.arrow(i).isMatched())
            return i;
    }
    return -1;
}

bool hasColourNear(const QImage &image, QPoint at, const QColor &colour)
{
    for (int dy = -3; dy <= 3; ++dy) {
        for (int dx = -3; dx <= 3; ++dx) {
            const QColor c = image.pixelColor(at + QPoint(dx, dy));
            if (std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green()) + std::abs(c.blue() - colour.blue()) < 30)
                return true;
        }
    }
    return false;
}

} // namespace

class tst_SequenceDiagram : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();
    void showsLanesAndSelectsTheClickedEnd();
    void followLiveKeepsTheNewestInSight();
    void pauseWaitsAndResumeCatchesUp();
    void exportWritesPng();
    void windowSelectsTheRowInTheRightLog();
    void theDockIsRememberedWithTheWindow();
    void theInspectorIsALaneWhileItRelays();

private:
    std::unique_ptr<Server> m_server;
    std::unique_ptr<Client> m_client;
    std::unique_ptr<SequenceDiagramPanel> m_panel;
};

void tst_SequenceDiagram::init()
{
    m_server = std::make_unique<Server>();
    QVERIFY(startServer(*m_server));
    m_client = std::make_unique<Client>(QStringLiteral("client 1"));
    m_panel = std::make_unique<SequenceDiagramPanel>();
    m_panel->setLanes({{QStringLiteral("server"), m_server->log()}, {QStringLiteral("client 1"), m_client->log()}});
    m_panel->resize(700, 500);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    QVERIFY(openClient(*m_client, fastClientConfig(m_server->url())));
}

void tst_SequenceDiagram::cleanup()
{
    m_panel.reset();
    m_client.reset();
    m_server.reset();
}

void tst_SequenceDiagram::showsLanesAndSelectsTheClickedEnd()
{
    SequenceDiagramView *view = m_panel->view();
    SequenceModel *model = m_panel->model();
    QCOMPARE(model->lanes().size(), 2);
    QVERIFY(m_client->sendText(QStringLiteral("hello")));
    QTRY_VERIFY(firstArrow(*model, ArrowKind::Text, 1) >= 0); // on the model's own tick
    const qsizetype index = firstArrow(*model, ArrowKind::Text, 1);
    const Arrow arrow = model->arrow(index);
    QCOMPARE(arrow.toLane, 0);

    // On loopback the echo leaves within microseconds: at a microsecond per pixel the two arrows stand apart.
    view->setUsPerPixel(SequenceDiagramView::kMinUsPerPixel);
    // Following live would keep the newest event in sight (a heartbeat on a loaded machine can come
    // milliseconds later, thousands of pixels down): stop, and bring this arrow to the middle.
    view->setFollowLive(false);
    view->verticalScrollBar()->setValue(view->verticalScrollBar()->value() + int(view->arrowPoint(index).y()) -
                                        view->viewport()->height() / 2);
    const QPointF middle = view->arrowPoint(index);
    QVERIFY(view->viewport()->rect().contains(middle.toPoint()));
    QVERIFY(hasColourNear(view->renderImage(false), middle.toPoint(), toneColor(Tone::Text, view->palette())));
    QCOMPARE(view->arrowAt(middle.toPoint()), index);

    QSignalSpy selected(view, &SequenceDiagramView::eventSelected);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, middle.toPoint());
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.at(0).at(0).toInt(), 1); // the sender, client 1
    QCOMPARE(selected.at(0).at(1).toULongLong(), arrow.sent.seq);
    QCOMPARE(m_client->log()->bySeq(arrow.sent.seq)->kind, EventKind::Text);
    QCOMPARE(view->selectedArrow(), index);

    // Near the head, the receiver's event: the server's lane is to the left of the client's.
    QPoint nearHead = middle.toPoint();
    while (view->arrowAt(nearHead - QPoint(4, 0)) == index)
        nearHead -= QPoint(4, 0);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, nearHead);
    QCOMPARE(selected.size(), 2);
    QCOMPARE(selected.at(1).at(0).toInt(), 0);
    QCOMPARE(selected.at(1).at(1).toULongLong(), arrow.received.seq);
    QCOMPARE(m_server->log()->bySeq(arrow.received.seq)->direction, Direction::In);

    // A click on nothing selects nothing.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(view->viewport()->width() - 2, view->viewport()->height() - 2));
    QCOMPARE(selected.size(), 2);
    QCOMPARE(view->selectedArrow(), -1);
}

void tst_SequenceDiagram::followLiveKeepsTheNewestInSight()
{
    SequenceDiagramView *view = m_panel->view();
    view->setUsPerPixel(SequenceDiagramView::kMinUsPerPixel); // a few milliseconds of traffic fill many screens
    QVERIFY(view->followsLive());
    for (int i = 0; i < 200; ++i)
        QVERIFY(m_client->sendText(QStringLiteral("message %1").arg(i)));
    QTRY_COMPARE(countOfKind(m_client->log(), EventKind::Text), 400);
    m_panel->model()->refresh();
    QScrollBar *scroll = view->verticalScrollBar();
    QVERIFY(scroll->maximum() > 0);
    QCOMPARE(scroll->value(), scroll->maximum());
    // The arrow reaching latest (not the last sent: under load an echo arrives long after it left, and
    // at this zoom the middle of its line can be screens above the newest moment).
    qsizetype newest = 0;
    for (qsizetype i = 1; i < m_panel->model()->arrowCount(); ++i) {
        if (m_panel->model()->arrow(i).endUs() > m_panel->model()->arrow(newest).endUs())
            newest = i;
    }
    QCOMPARE(m_panel->model()->arrow(newest).endUs(), m_panel->model()->lastUs());
    QVERIFY(view->viewport()->rect().contains(view->arrowLatestEnd(newest).toPoint()));

    QSignalSpy followChanged(view, &SequenceDiagramView::followLiveChanged);
    scroll->setValue(scroll->minimum()); // the user scrolls up
    QVERIFY(!view->followsLive());
    QCOMPARE(followChanged.size(), 1);
    QVERIFY(m_client->sendText(QStringLiteral("one more")));
    QTRY_COMPARE(countOfKind(m_client->log(), EventKind::Text), 402);
    m_panel->model()->refresh();
    QCOMPARE(scroll->value(), scroll->minimum()); // stays where the user looks

    view->setFollowLive(true);
    QCOMPARE(scroll->value(), scroll->maximum());
    const double before = view->usPerPixel();
    view->zoomOut();
    QCOMPARE(view->usPerPixel(), before * SequenceDiagramView::kZoomStep);
    QCOMPARE(scroll->value(), scroll->maximum());
}

void tst_SequenceDiagram::pauseWaitsAndResumeCatchesUp()
{
    SequenceModel *model = m_panel->model();
    model->refresh();
    const qsizetype before = model->arrowCount();
    m_panel->view()->setPaused(true);
    QVERIFY(m_client->sendText(QStringLiteral("while paused")));
    QTRY_COMPARE(countOfKind(m_client->log(), EventKind::Text), 2);
    model->refresh();
    QCOMPARE(model->arrowCount(), before);
    m_panel->view()->setPaused(false);
    QCOMPARE(model->arrowCount(), before + 2);
}

void tst_SequenceDiagram::exportWritesPng()
{
    QVERIFY(m_client->sendText(QStringLiteral("for the picture")));
    QTRY_COMPARE(countOfKind(m_client->log(), EventKind::Text), 2);
    m_panel->model()->refresh();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const bool whole : {false, true}) {
        const QString path = dir.filePath(whole ? QStringLiteral("whole.png") : QStringLiteral("visible.png"));
        QString error;
        QVERIFY2(m_panel->view()->exportPng(path, whole, &error), qPrintable(error));
        const QImage image(path);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 0 && image.height() > 0);
        QVERIFY(QFileInfo(path).size() > 0);
    }
}

void tst_SequenceDiagram::windowSelectsTheRowInTheRightLog()
{
    m_panel.reset();
    MainWindow window({/*persist*/ false, /*firstStartDemo*/ true, /*firstStartPort*/ 0});
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.sequenceDock()->isHidden()); // until asked for
    QAction *show = window.findChild<QAction *>(QStringLiteral("showSequenceDiagram"));
    QVERIFY(show);
    show->trigger();
    QTRY_VERIFY(window.sequenceDock()->isVisible());
    SequenceModel *model = window.sequenceDiagram()->model();
    QCOMPARE(model->lanes().size(), 2);
    QCOMPARE(model->lanes().at(0).log, window.serverPanel()->server()->log());

    // The demo's greeting, as the server received it: a click near its head selects the server's row.
    QTRY_VERIFY(firstArrow(*model, ArrowKind::Text, 1) >= 0);
    const Arrow greeting = model->arrow(firstArrow(*model, ArrowKind::Text, 1));
    Q_EMIT window.sequenceDiagram()->view()->eventSelected(greeting.received.lane, greeting.received.seq);
    LogView *serverLog = window.serverPanel()->logView();
    QCOMPARE(serverLog->table()->currentIndex().data(LogModel::SeqRole).toULongLong(), greeting.received.seq);
    Q_EMIT window.sequenceDiagram()->view()->eventSelected(greeting.sent.lane, greeting.sent.seq);
    LogView *clientLog = window.clientPanels().at(0)->logView();
    QCOMPARE(clientLog->table()->currentIndex().data(LogModel::SeqRole).toULongLong(), greeting.sent.seq);

    // A second client is a third lane at once.
    window.addClient();
    QCOMPARE(model->lanes().size(), 3);
    window.closeClient(window.clientPanels().at(1));
    QCOMPARE(model->lanes().size(), 2);
    show->trigger();
    QTRY_VERIFY(!window.sequenceDock()->isVisible());
    QCOMPARE(model->lanes().size(), 0); // out of sight it reads nothing
}

void tst_SequenceDiagram::theDockIsRememberedWithTheWindow()
{
    m_panel.reset();
    QTemporaryDir dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("WsLabTest"));
    QCoreApplication::setApplicationName(QStringLiteral("wslab-sequence-test"));
    {
        MainWindow window({/*persist*/ true, /*firstStartDemo*/ false});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.findChild<QAction *>(QStringLiteral("showSequenceDiagram"))->trigger();
        QTRY_VERIFY(window.sequenceDock()->isVisible());
        window.close();
    }
    MainWindow again({/*persist*/ true, /*firstStartDemo*/ false});
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QTRY_VERIFY(again.sequenceDock()->isVisible());
    QCOMPARE(again.sequenceDiagram()->model()->lanes().size(), 2);
}

void tst_SequenceDiagram::theInspectorIsALaneWhileItRelays()
{
    m_panel.reset();
    Server server;
    QVERIFY(startServer(server));
    MainWindow window({/*persist*/ false, /*firstStartDemo*/ false, /*firstStartPort*/ 0});
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.findChild<QAction *>(QStringLiteral("showSequenceDiagram"))->trigger();
    QTRY_VERIFY(window.sequenceDock()->isVisible());
    SequenceModel *model = window.sequenceDiagram()->model();
    QCOMPARE(model->lanes().size(), 2); // the server and the first client

    ClientPanel *client = window.clientPanels().at(0);
    QUrl url = server.url();
    url.setPath(QStringLiteral("/"));
    client->setUrl(url.toString());
    client->setRoutedThroughInspector(true);
    QVERIFY(client->connectToServer());
    QTRY_COMPARE(client->client()->state(), Client::State::Open);
    // Between the server and the clients, where it sits on the wire.
    QCOMPARE(model->lanes().size(), 3);
    QCOMPARE(model->lanes().at(1).log, window.inspectorPanel()->relay()->log());

    QVERIFY(client->client()->sendText(QStringLiteral("via the lane")));
    qsizetype towardsServer = -1;
    QTRY_VERIFY([&] {
        model->refresh();
        for (qsizetype i = 0; i < model->arrowCount(); ++i) {
            if (model->arrow(i).fromLane == 1 && model->arrow(i).heading == Arrow::Heading::TowardsServer &&
                model->arrow(i).kind == ArrowKind::Text)
                towardsServer = i;
        }
        return towardsServer >= 0;
    }());
    // A click on it selects the frame in the inspector's table.
    const Arrow frame = model->arrow(towardsServer);
    Q_EMIT window.sequenceDiagram()->view()->eventSelected(frame.sent.lane, frame.sent.seq);
    QCOMPARE(window.inspectorPanel()->table()->currentIndex().row(), window.inspectorPanel()->model()->rowOfSeq(frame.sent.seq));
    QVERIFY(window.inspectorPanel()->model()->rowOfSeq(frame.sent.seq) >= 0);

    // Once it stops relaying, the lane goes.
    client->disconnectFromServer();
    QTRY_COMPARE(client->client()->state(), Client::State::Idle);
    window.inspectorPanel()->stop();
    QTRY_COMPARE(model->lanes().size(), 2);
}

QTEST_MAIN(tst_SequenceDiagram)
#include "tst_SequenceDiagram.moc"
