// The inspector in the window: its relay between a client and an echo server on loopback, the frame
// table, the selected frame in hex and as a tree, the fault switches, "Via inspector" on a client,
// and "Explain this frame".
#include "core/inspect/Relay.h"
#include "core/protocol/FrameLayout.h"
#include "core/tls/LabCertificate.h"
#include "tests/support/WsLabTest.h"
#include "ui/client/ClientPanel.h"
#include "ui/inspect/ExplainFrameDialog.h"
#include "ui/inspect/FaultBar.h"
#include "ui/inspect/FrameTableModel.h"
#include "ui/inspect/FrameTree.h"
#include "ui/inspect/HexView.h"
#include "ui/inspect/InspectorPanel.h"
#include "ui/log/EventDetailView.h"
#include "ui/main/MainWindow.h"
#include "ui/style/TextScale.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QDockWidget>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <algorithm>

using namespace wslab;
using namespace wslab::test;

namespace {

// The row of the first frame with this opcode from this side whose payload holds `text`; -1 if none yet.
int frameRow(FrameTableModel *model, bool fromClient, quint8 opcode, const QByteArray &text)
{
    model->flush();
    for (int row = 0; row < model->rowCount(); ++row) {
        const LogEvent *e = model->eventAt(row);
        if (e && e->kind == EventKind::Frame && e->frame.fromClient == fromClient && e->frame.opcode == opcode && e->payload.contains(text))
            return row;
    }
    return -1;
}

QUrl withPath(QUrl url)
{
    url.setPath(QStringLiteral("/"));
    return url;
}

// An echo server, the panel relaying to it, and a client open through the panel's relay.
bool openThroughPanel(Server &server, InspectorPanel &panel, Client &client)
{
    if (!startServer(server))
        return false;
    panel.setTarget(withPath(server.url()).toString());
    if (!panel.start()) {
        qWarning("the inspector did not start: %s", qPrintable(panel.statusText()));
        return false;
    }
    return openClient(client, fastClientConfig(withPath(panel.relay()->url())));
}

} // namespace

class tst_InspectorPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void framesBothWaysAppearAndDecode();
    void faultSwitchesChangeTheRelayAtOnce();
    void pauseHoldsAndStepDelivers();
    void corruptNextFromTheClientIsRefusedWith1007();
    void explainDrawsTheRealBits();
    void aClientRoutedThroughTheInspectorShowsItsFrames();
    void aRouteThatCannotStartSaysWhyAndDoesNotConnect();
    void aRoutedClientFollowsTheInspectorToItsNewPort();
    void theInspectorComesBackWithItsTarget();
    void wssOnBothSidesFromTheWindow();
};

void tst_InspectorPanel::framesBothWaysAppearAndDecode()
{
    Server server;
    QVERIFY(startServer(server));
    InspectorPanel panel;
    QAbstractItemModelTester tester(panel.model());
    panel.setTarget(withPath(server.url()).toString());
    QVERIFY2(panel.start(), qPrintable(panel.statusText()));
    QVERIFY(panel.findChild<QLineEdit *>(QStringLiteral("inspectorUrl"))->text().startsWith(panel.relay()->url().toString()));

    Client client(QStringLiteral("client"));
    QVERIFY(openClient(client, fastClientConfig(withPath(panel.relay()->url()))));
    QVERIFY(client.sendText(QStringLiteral("Hello")));

    int fromClient = -1;
    int fromServer = -1;
    QTRY_VERIFY((fromClient = frameRow(panel.model(), true, Opcode::Text, "Hello")) >= 0 &&
                (fromServer = frameRow(panel.model(), false, Opcode::Text, "Hello")) >= 0);
    // The handshake is in the same table; selected, it shows in the log's detail view, the accept key
    // worked out from the client's request (the client side of the handshake, seen on the wire).
    int request = -1;
    for (int row = 0; row < panel.model()->rowCount() && request < 0; ++row) {
        const LogEvent *e = panel.model()->eventAt(row);
        if (e->kind == EventKind::Handshake && e->payload.startsWith("GET "))
            request = row;
    }
    QVERIFY(request >= 0);
    panel.table()->selectRow(request);
    auto *detailStack = qobject_cast<QStackedWidget *>(panel.eventDetail()->parentWidget());
    QVERIFY(detailStack);
    QCOMPARE(detailStack->currentWidget(), panel.eventDetail()); // in place of the frame's tree and bytes
    QCOMPARE(panel.eventDetail()->currentTabName(), QStringLiteral("Handshake"));
    QPlainTextEdit *accept = panel.eventDetail()->findChild<QPlainTextEdit *>(QStringLiteral("eventDetailHandshakeAccept"));
    QVERIFY(accept);
    QVERIFY2(accept->toPlainText().contains(QStringLiteral("258EAFA5-E914-47DA-95CA-C5AB0DC85B11")), qPrintable(accept->toPlainText()));

    QCOMPARE(panel.model()->index(fromClient, FrameTableModel::OpcodeColumn).data().toString(), QStringLiteral("Text"));
    QCOMPARE(panel.model()->index(fromClient, FrameTableModel::MaskColumn).data().toInt(), 1);
    QCOMPARE(panel.model()->index(fromClient, FrameTableModel::FinColumn).data().toInt(), 1);
    QCOMPARE(panel.model()->index(fromClient, FrameTableModel::RsvColumn).data().toString(), QStringLiteral("000"));
    QCOMPARE(panel.model()->index(fromClient, FrameTableModel::LengthColumn).data().toString(), QStringLiteral("5"));
    QCOMPARE(panel.model()->index(fromServer, FrameTableModel::MaskColumn).data().toInt(), 0);

    // The client's frame: masked, so the hex view shows the key and the masked bytes, the tree the text.
    panel.table()->selectRow(fromClient);
    QVERIFY(detailStack->currentWidget() != panel.eventDetail());
    const LogEvent *sent = panel.model()->eventAt(fromClient);
    const FrameLayout layout = FrameLayout::fromEvent(*sent);
    const QString key = layout.field(FrameField::Id::MaskingKey)->value;
    QVERIFY(panel.hexView()->text().startsWith(QStringLiteral("0000  81 85 ") + key));
    QCOMPARE(panel.hexView()->frame().wireBytes().size(), 11);
    FrameTree *tree = panel.tree();
    QCOMPARE(tree->itemFor(FrameField::Id::Opcode)->text(0), QStringLiteral(".... 0001 = Opcode: 0x1 Text"));
    QCOMPARE(tree->itemFor(FrameField::Id::Fin)->text(0), QStringLiteral("1... .... = FIN: 1"));
    QCOMPARE(tree->itemFor(FrameField::Id::Mask)->text(0), QStringLiteral("1... .... = Mask: 1"));
    QCOMPARE(tree->itemFor(FrameField::Id::PayloadLength)->text(0), QStringLiteral(".000 0101 = Payload length: 5"));
    QCOMPARE(tree->itemFor(FrameField::Id::MaskingKey)->text(0), QStringLiteral("Masking key: ") + key);
    QCOMPARE(tree->itemFor(FrameField::Id::Payload)->text(0), QStringLiteral("Payload: Hello"));

    // Choosing a field in the tree lights its bytes; clicking a byte chooses its field.
    tree->setCurrentItem(tree->itemFor(FrameField::Id::MaskingKey));
    QCOMPARE(panel.hexView()->highlight(), (ByteRange{2, 4}));
    tree->setCurrentItem(tree->itemFor(FrameField::Id::Payload));
    QCOMPARE(panel.hexView()->highlight(), (ByteRange{6, 5}));
    Q_EMIT panel.hexView()->byteClicked(1);
    QCOMPARE(tree->currentItem(), tree->itemFor(FrameField::Id::Mask));
    QCOMPARE(panel.hexView()->highlight(), (ByteRange{1, 1}));

    // The server's echo: not masked, no key.
    panel.table()->selectRow(fromServer);
    QVERIFY(panel.hexView()->text().startsWith(QStringLiteral("0000  81 05 48 65 6c 6c 6f")));
    QVERIFY(!panel.tree()->itemFor(FrameField::Id::MaskingKey));
    QCOMPARE(panel.tree()->itemFor(FrameField::Id::Payload)->text(0), QStringLiteral("Payload: Hello"));

    panel.stop();
    QVERIFY(!panel.relay()->connectionCount() || panel.relay()->state() == Relay::State::Idle);
    QVERIFY(panel.findChild<QLineEdit *>(QStringLiteral("inspectorUrl"))->text().isEmpty());
}

void tst_InspectorPanel::faultSwitchesChangeTheRelayAtOnce()
{
    InspectorPanel panel;
    FaultBar *faults = panel.faultBar();
    QVERIFY(!panel.relay()->faults().withholdPongsFromClient);
    faults->findChild<QCheckBox *>(QStringLiteral("faultWithholdPongsFromClient"))->setChecked(true);
    QVERIFY(panel.relay()->faults().withholdPongsFromClient);
    QVERIFY(!panel.relay()->faults().withholdPongsFromServer);
    faults->findChild<QCheckBox *>(QStringLiteral("faultWithholdPongsFromServer"))->setChecked(true);
    QVERIFY(panel.relay()->faults().withholdPongsFromServer);
    faults->findChild<QCheckBox *>(QStringLiteral("faultBlackHole"))->setChecked(true);
    QVERIFY(panel.relay()->faults().blackHole);
    faults->findChild<QSpinBox *>(QStringLiteral("faultLatency"))->setValue(40);
    faults->findChild<QSpinBox *>(QStringLiteral("faultJitter"))->setValue(10);
    faults->findChild<QSpinBox *>(QStringLiteral("faultDrop"))->setValue(25);
    QCOMPARE(panel.relay()->faults().latency, std::chrono::milliseconds(40));
    QCOMPARE(panel.relay()->faults().jitter, std::chrono::milliseconds(10));
    QCOMPARE(panel.relay()->faults().dropPercent, 25);

    // A slow link, each way on its own; 0 reads "unlimited".
    auto *fromClient = faults->findChild<QSpinBox *>(QStringLiteral("faultBandwidthFromClient"));
    QCOMPARE(fromClient->text(), QStringLiteral("unlimited"));
    fromClient->setValue(2000);
    QCOMPARE(panel.relay()->faults().bandwidthFromClient, 2000);
    QCOMPARE(panel.relay()->faults().bandwidthFromServer, 0);
    faults->findChild<QSpinBox *>(QStringLiteral("faultBandwidthFromServer"))->setValue(300);
    QCOMPARE(panel.relay()->faults().bandwidthFromServer, 300);
    QCOMPARE(panel.relay()->faults().bandwidthFromClient, 2000);
    auto *slice = faults->findChild<QSpinBox *>(QStringLiteral("faultSlice"));
    QCOMPARE(slice->text(), QStringLiteral("off"));
    slice->setValue(1);
    QCOMPARE(panel.relay()->faults().sliceBytes, 1);
    // Fragmenting starts at two frames: the one value below that is "off", written as 0.
    auto *fragment = faults->findChild<QSpinBox *>(QStringLiteral("faultFragment"));
    QCOMPARE(fragment->text(), QStringLiteral("off"));
    fragment->setValue(3);
    QCOMPARE(panel.relay()->faults().fragmentCount, 3);
    fragment->setValue(0); // below its minimum: clamped to "off"
    QCOMPARE(fragment->text(), QStringLiteral("off"));
    QCOMPARE(panel.relay()->faults().fragmentCount, 0);

    // Pause is a switch of the relay's, not of RelayFaults.
    auto *pause = faults->findChild<QPushButton *>(QStringLiteral("faultPause"));
    pause->setChecked(true);
    QVERIFY(panel.relay()->isPaused());
    QVERIFY(!faults->findChild<QPushButton *>(QStringLiteral("faultStep"))->isEnabled()); // nothing held yet
    pause->setChecked(false);
    QVERIFY(!panel.relay()->isPaused());

    // Every switch and button is a Tab stop, in the order the bar reads.
    const QList<QWidget *> order = faults->focusOrder();
    QCOMPARE(order.first(), faults->findChild<QWidget *>(QStringLiteral("faultLatency")));
    QVERIFY(order.indexOf(fragment) < order.indexOf(faults->findChild<QWidget *>(QStringLiteral("faultCut"))));
    QVERIFY(order.indexOf(faults->findChild<QWidget *>(QStringLiteral("faultCorruptNextFromServer"))) < order.indexOf(pause));
    QCOMPARE(order.last(), faults->findChild<QWidget *>(QStringLiteral("faultStep")));

    faults->findChild<QCheckBox *>(QStringLiteral("faultWithholdPongsFromClient"))->setChecked(false);
    QVERIFY(!panel.relay()->faults().withholdPongsFromClient);
    QVERIFY(panel.relay()->faults().withholdPongsFromServer); // the others stay as they were

    // Faults set elsewhere show on the switches.
    RelayFaults set;
    set.latency = std::chrono::milliseconds(7);
    panel.relay()->setFaults(set);
    faults->refresh();
    QCOMPARE(faults->findChild<QSpinBox *>(QStringLiteral("faultLatency"))->value(), 7);
    QVERIFY(!faults->findChild<QCheckBox *>(QStringLiteral("faultBlackHole"))->isChecked());
    QCOMPARE(faults->findChild<QSpinBox *>(QStringLiteral("faultBandwidthFromClient"))->value(), 0);
    QCOMPARE(faults->findChild<QSpinBox *>(QStringLiteral("faultSlice"))->value(), 0);
    QCOMPARE(fragment->text(), QStringLiteral("off"));

    // On a projector the bar takes more lines rather than more width: three switches a line, not six.
    auto *grid = qobject_cast<QGridLayout *>(faults->layout()->itemAt(0)->layout());
    QVERIFY(grid);
    const auto columnOf = [grid](QWidget *cell) {
        int row = 0, column = 0, rows = 0, columns = 0;
        grid->getItemPosition(grid->indexOf(cell), &row, &column, &rows, &columns);
        return column;
    };
    QWidget *fragmentCell = fragment->parentWidget();
    QCOMPARE(columnOf(fragmentCell), 3); // the tenth switch
    TextScale::apply(TextScale::kPresentation);
    QTRY_COMPARE(columnOf(fragmentCell), 0);
    TextScale::apply(TextScale::kNormal);
    QTRY_COMPARE(columnOf(fragmentCell), 3);
}

void tst_InspectorPanel::pauseHoldsAndStepDelivers()
{
    Server server;
    InspectorPanel panel;
    Client client(QStringLiteral("client"));
    QVERIFY(openThroughPanel(server, panel, client));

    FaultBar *faults = panel.faultBar();
    auto *held = faults->findChild<QLabel *>(QStringLiteral("faultHeld"));
    auto *step = faults->findChild<QPushButton *>(QStringLiteral("faultStep"));
    QCOMPARE(held->text(), QStringLiteral("0 frames held"));
    QVERIFY(!step->isEnabled());

    QSignalSpy heldChanged(panel.relay(), &Relay::heldFramesChanged);
    faults->findChild<QPushButton *>(QStringLiteral("faultPause"))->setChecked(true);
    QVERIFY(client.sendText(QStringLiteral("held back")));
    QVERIFY(heldChanged.wait(5000));
    QCOMPARE(held->text(), QStringLiteral("1 frame held"));
    QVERIFY(step->isEnabled());
    QCOMPARE(countOfKind(server.log(), EventKind::Text), 0);

    // Step sends the message on; its echo is held in turn, on its way back.
    step->click();
    QTRY_COMPARE(countOfKind(server.log(), EventKind::Text), 2); // received, and the echo sent
    QCOMPARE(eventsOfKind(server.log(), EventKind::Text).first().payload, QByteArray("held back"));
    QTRY_COMPARE(held->text(), QStringLiteral("1 frame held"));
    QCOMPARE(countOfKind(client.log(), EventKind::Text), 1); // only its own send

    faults->findChild<QPushButton *>(QStringLiteral("faultPause"))->setChecked(false);
    QTRY_COMPARE(countOfKind(client.log(), EventKind::Text), 2);
    QCOMPARE(held->text(), QStringLiteral("0 frames held"));
    QVERIFY(!step->isEnabled());
}

void tst_InspectorPanel::corruptNextFromTheClientIsRefusedWith1007()
{
    Server server;
    InspectorPanel panel;
    Client client(QStringLiteral("client"));
    QVERIFY(openThroughPanel(server, panel, client));

    panel.faultBar()->findChild<QPushButton *>(QStringLiteral("faultCorruptNextFromClient"))->click();
    QSignalSpy closed(&client, &Client::closed);
    QVERIFY(client.sendText(QStringLiteral("fine until the relay")));
    QVERIFY(closed.wait(5000));
    QCOMPARE(closed.first().at(0).toInt(), 1007);
    QTRY_VERIFY(!eventsOfKind(server.log(), EventKind::Close).isEmpty());
    QCOMPARE(eventsOfKind(server.log(), EventKind::Close).last().closeCode, 1007);
    QCOMPARE(countOfKind(server.log(), EventKind::Text), 0);
}

void tst_InspectorPanel::explainDrawsTheRealBits()
{
    Server server;
    QVERIFY(startServer(server));
    InspectorPanel panel;
    panel.setTarget(withPath(server.url()).toString());
    QVERIFY(panel.start());
    Client client(QStringLiteral("client"));
    QVERIFY(openClient(client, fastClientConfig(withPath(panel.relay()->url()))));
    QVERIFY(client.sendText(QStringLiteral("Hello")));
    int row = -1;
    QTRY_VERIFY((row = frameRow(panel.model(), true, Opcode::Text, "Hello")) >= 0);
    panel.table()->selectRow(row);
    const FrameLayout layout = FrameLayout::fromEvent(*panel.model()->eventAt(row));

    ExplainFrameDialog *dialog = panel.explainSelected();
    QVERIFY(dialog);
    // FIN=1 RSV=000 opcode=0001 MASK=1 len=0000101, then the key's 32 bits and the payload's masked bits.
    QString keyBits;
    for (quint8 b : layout.maskKey())
        keyBits += QString::number(b, 2).rightJustified(8, u'0');
    QVERIFY(dialog->diagram()->bits().startsWith(QStringLiteral("1000"
                                                                "0001"
                                                                "1"
                                                                "0000101") +
                                                 keyBits));
    QCOMPARE(dialog->diagram()->bits().size(), 11 * 8);
    QVERIFY(dialog->summary().contains(QStringLiteral("FIN=1, RSV=000, opcode=0001 (0x1 Text), MASK=1, payload length 5")));
    // The key does not fit the first row: it continues on the second, as in the RFC's picture.
    int keyBoxes = 0;
    for (const BitDiagram::Box &box : dialog->diagram()->boxes()) {
        QVERIFY(box.bitOffset / 32 == (box.bitOffset + box.bitCount - 1) / 32);
        keyBoxes += box.id == FrameField::Id::MaskingKey;
    }
    QCOMPARE(keyBoxes, 2);

    QTableWidget *table = dialog->unmaskingTable();
    QCOMPARE(table->rowCount(), 5);
    const QString word = QStringLiteral("Hello");
    for (int i = 0; i < 5; ++i)
        QCOMPARE(table->item(i, 4)->text(), QString(word.at(i)));
    QVERIFY(table->item(1, 2)->text().startsWith(QStringLiteral("key[1] = 0x") +
                                                 QString::number(layout.maskKey()[1], 16).rightJustified(2, u'0')));

    // Readable on a projector: it grows with the text.
    const int normalWidth = dialog->diagram()->sizeHint().width();
    TextScale::apply(TextScale::kPresentation);
    QTRY_VERIFY(dialog->diagram()->sizeHint().width() > normalWidth * 3 / 2);
    TextScale::apply(TextScale::kNormal);
    dialog->close();

    // Not a frame: nothing to explain.
    for (int r = 0; r < panel.model()->rowCount(); ++r) {
        if (panel.model()->eventAt(r)->kind == EventKind::Handshake) {
            panel.table()->selectRow(r);
            QVERIFY(!panel.explainSelected());
            break;
        }
    }
}

void tst_InspectorPanel::aClientRoutedThroughTheInspectorShowsItsFrames()
{
    Server server;
    QVERIFY(startServer(server));
    MainWindow window({false, false});
    InspectorPanel *inspector = window.inspectorPanel();
    QVERIFY(!window.inspectorDock()->isVisible());
    ClientPanel *panel = window.clientPanels().at(0);
    panel->setUrl(withPath(server.url()).toString());
    QVERIFY(panel->connectToServer());
    QTRY_COMPARE(panel->client()->state(), Client::State::Open);
    QCOMPARE(panel->connectedUrl().port(), server.url().port());

    // Ticked while open: it reconnects through the inspector, which starts relaying to its server.
    panel->setRoutedThroughInspector(true);
    QTRY_VERIFY(inspector->isRunning());
    QTRY_COMPARE(panel->client()->state(), Client::State::Open);
    QCOMPARE(panel->connectedUrl().port(), inspector->relay()->url().port());
    QCOMPARE(panel->url(), withPath(server.url()).toString()); // the URL box still names the server
    QCOMPARE(inspector->relay()->config().target.port(), server.url().port());
    QVERIFY(panel->client()->sendText(QStringLiteral("through the inspector")));
    QTRY_VERIFY(frameRow(inspector->model(), true, Opcode::Text, "through the inspector") >= 0);
    QTRY_VERIFY(frameRow(inspector->model(), false, Opcode::Text, "through the inspector") >= 0);

    // A second client of the same server shares the running relay.
    ClientPanel *second = window.addClient();
    second->setUrl(withPath(server.url()).toString());
    second->setRoutedThroughInspector(true);
    QVERIFY(second->connectToServer());
    QTRY_COMPARE(second->client()->state(), Client::State::Open);
    QCOMPARE(second->connectedUrl().port(), inspector->relay()->url().port());
    QTRY_COMPARE(inspector->relay()->connectionCount(), 2);

    // A client of another server is refused while the relay carries connections a restart would cut.
    Server other;
    QVERIFY(startServer(other));
    ClientPanel *third = window.addClient();
    third->setUrl(withPath(other.url()).toString());
    third->setRoutedThroughInspector(true);
    QVERIFY(!third->connectToServer());
    QVERIFY2(third->stateText().contains(QStringLiteral("relays 2 connection")), qPrintable(third->stateText()));
    QCOMPARE(inspector->relay()->config().target.port(), server.url().port());
    second->disconnectFromServer();
    QTRY_COMPARE(second->client()->state(), Client::State::Idle);

    // Unticked: straight to the server again; the inspector sees no more.
    panel->setRoutedThroughInspector(false);
    QTRY_VERIFY(panel->client()->state() == Client::State::Open && panel->connectedUrl().port() == server.url().port());
    QVERIFY(panel->client()->sendText(QStringLiteral("direct again")));
    QTRY_COMPARE(countOfKind(panel->client()->log(), EventKind::Text), 4); // two sent, two echoed
    QCOMPARE(frameRow(inspector->model(), true, Opcode::Text, "direct again"), -1);
}

void tst_InspectorPanel::aRouteThatCannotStartSaysWhyAndDoesNotConnect()
{
    Server server;
    QVERIFY(startServer(server));
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    MainWindow window({false, false});
    window.inspectorPanel()->setPort(taken.serverPort());
    ClientPanel *panel = window.clientPanels().at(0);
    panel->setUrl(withPath(server.url()).toString());
    panel->setRoutedThroughInspector(true);
    QVERIFY(!panel->connectToServer());
    QCOMPARE(panel->client()->state(), Client::State::Idle);
    QVERIFY2(panel->stateText().contains(QStringLiteral("inspector")), qPrintable(panel->stateText()));
    const QList<LogEvent> notes = eventsOfKind(panel->client()->log(), EventKind::Info);
    QVERIFY(!notes.isEmpty());
    QVERIFY2(notes.last().detail.contains(QStringLiteral("cannot listen")), qPrintable(notes.last().detail));
    QCOMPARE(server.peerCount(), 0);
}

// The inspector stopped and started again on another port: a routed client's retries find it there,
// and no retry starts a stopped inspector on its own.
void tst_InspectorPanel::aRoutedClientFollowsTheInspectorToItsNewPort()
{
    Server server;
    QVERIFY(startServer(server));
    MainWindow window({false, false});
    InspectorPanel *inspector = window.inspectorPanel();
    ClientPanel *panel = window.clientPanels().at(0);
    ReconnectPolicy fast;
    fast.baseDelay = std::chrono::milliseconds(50);
    fast.maxDelay = std::chrono::milliseconds(200);
    fast.minDelay = std::chrono::milliseconds(10);
    panel->setPolicies(fast, HeartbeatPolicy{});
    panel->setUrl(withPath(server.url()).toString());
    panel->setRoutedThroughInspector(true);
    QVERIFY(panel->connectToServer());
    QTRY_COMPARE(panel->client()->state(), Client::State::Open);
    const quint16 firstPort = inspector->relay()->url().port();
    QCOMPARE(panel->connectedUrl().port(), firstPort);

    QSignalSpy retries(panel->client(), &Client::retryScheduled);
    inspector->stop();
    QTRY_VERIFY(retries.size() >= 3);
    QVERIFY(!inspector->isRunning());
    QCOMPARE(panel->connectedUrl().port(), firstPort);

    quint16 secondPort = 0;
    while (secondPort == 0 || secondPort == firstPort) {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        secondPort = probe.serverPort();
    }
    inspector->setPort(secondPort);
    QVERIFY(inspector->start());
    QTRY_VERIFY(panel->client()->state() == Client::State::Open && panel->connectedUrl().port() == secondPort);
    QTRY_COMPARE(inspector->relay()->connectionCount(), 1);
    const QList<LogEvent> notes = eventsOfKind(panel->client()->log(), EventKind::Info);
    QVERIFY(std::any_of(notes.begin(), notes.end(), [](const LogEvent &e) { return e.detail.contains(QStringLiteral("now listens at")); }));
    QVERIFY(panel->client()->sendText(QStringLiteral("found it")));
    QTRY_VERIFY(frameRow(inspector->model(), true, Opcode::Text, "found it") >= 0);
}

void tst_InspectorPanel::theInspectorComesBackWithItsTarget()
{
    QTemporaryDir dir;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
    QCoreApplication::setOrganizationName(QStringLiteral("WsLabTest"));
    QCoreApplication::setApplicationName(QStringLiteral("wslab-inspector-test"));
    {
        MainWindow window({true, false});
        window.findChild<QAction *>(QStringLiteral("showInspector"))->trigger();
        window.inspectorPanel()->setTarget(QStringLiteral("ws://127.0.0.1:9009/watched"));
        window.inspectorPanel()->setPort(9010);
        window.inspectorPanel()->setTls(
            {QStringLiteral("/lab/cert.pem"), QStringLiteral("/lab/key.pem"), QStringLiteral("/lab/ca.pem"), false});
        window.inspectorPanel()->faultBar()->findChild<QCheckBox *>(QStringLiteral("faultBlackHole"))->setChecked(true);
        window.close();
    }
    MainWindow again({true, false});
    QVERIFY(!again.inspectorDock()->isHidden());
    QCOMPARE(again.inspectorPanel()->target(), QStringLiteral("ws://127.0.0.1:9009/watched"));
    QCOMPARE(again.inspectorPanel()->findChild<QSpinBox *>(QStringLiteral("inspectorPort"))->value(), 9010);
    const RelayTls remembered{QStringLiteral("/lab/cert.pem"), QStringLiteral("/lab/key.pem"), QStringLiteral("/lab/ca.pem"), false};
    QCOMPARE(again.inspectorPanel()->tls(), remembered);
    QVERIFY(!again.inspectorPanel()->relay()->faults().blackHole); // faults start clear
    QVERIFY(!again.inspectorPanel()->isRunning()); // and nothing listens until asked
}

void tst_InspectorPanel::wssOnBothSidesFromTheWindow()
{
    // A wss:// server with a lab certificate; the inspector serves wss:// with the same certificate and
    // trusts the target through the lab CA, as TLS… sets it.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    LabCertificate cert;
    QString error;
    QVERIFY2(LabCertificate::generate({QStringLiteral("127.0.0.1")}, std::chrono::hours(24), &cert, &error), qPrintable(error));
    QVERIFY2(cert.writeTo(dir.path(), &error), qPrintable(error));
    ServerConfig serverConfig = loopbackServerConfig();
    serverConfig.tlsCertFile = dir.filePath(QStringLiteral("cert.pem"));
    serverConfig.tlsKeyFile = dir.filePath(QStringLiteral("key.pem"));
    Server server;
    QVERIFY(startServer(server, serverConfig));

    InspectorPanel panel;
    panel.setTarget(withPath(server.url()).toString());
    panel.setTls({serverConfig.tlsCertFile, serverConfig.tlsKeyFile, dir.filePath(QStringLiteral("ca.pem")), false});
    QVERIFY2(panel.start(), qPrintable(panel.statusText()));
    QCOMPARE(panel.relay()->url().scheme(), QStringLiteral("wss"));
    QVERIFY(!panel.findChild<QToolButton *>(QStringLiteral("inspectorTls"))->isEnabled()); // not while relaying

    Client client(QStringLiteral("client"));
    ClientConfig clientConfig = fastClientConfig(withPath(panel.relay()->url()));
    clientConfig.caFile = dir.filePath(QStringLiteral("ca.pem"));
    QVERIFY(openClient(client, clientConfig));
    QSignalSpy texts(&client, &Client::textReceived);
    QVERIFY(client.sendText(QStringLiteral("wss both ways")));
    QVERIFY(texts.wait(5000));
    QTRY_VERIFY(frameRow(panel.model(), false, 0x1, "wss both ways") >= 0); // decoded between the two TLS sessions
}

QTEST_MAIN(tst_InspectorPanel)
#include "tst_InspectorPanel.moc"
