// LogModel, LogFilterProxy and EventDetailView over a real EventLog, under QAbstractItemModelTester.
#include "core/log/EventLog.h"
#include "ui/log/EventDetailView.h"
#include "ui/log/LogFilterProxy.h"
#include "ui/log/LogModel.h"
#include "ui/log/LogView.h"

#include <QAbstractItemModelTester>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace wslab;

namespace {

LogEvent textEvent(const QString &text, Direction dir = Direction::In)
{
    LogEvent e = LogEvent::make(EventKind::Text, dir, text.toUtf8());
    e.endpoint = QStringLiteral("client 1");
    return e;
}

} // namespace

class tst_LogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsArriveInOneBatchPerFlush()
    {
        EventLog log;
        LogModel model(&log);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (int i = 0; i < 500; ++i)
            log.append(textEvent(QStringLiteral("m%1").arg(i)));
        QCOMPARE(model.rowCount(), 0); // nothing before the flush tick
        QVERIFY(inserted.wait(2000));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 500);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 499);
        QCOMPARE(model.index(499, LogModel::SummaryColumn).data().toString(), QStringLiteral("m499"));
        QCOMPARE(model.index(0, LogModel::KindColumn).data().toString(), QStringLiteral("text"));
        QCOMPARE(model.index(0, LogModel::DirectionColumn).data().toString(), QStringLiteral("←"));
    }

    void evictedEventsLeaveFromTheTop()
    {
        EventLog log;
        log.setLimits({100, 1 << 20});
        LogModel model(&log);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < 80; ++i)
            log.append(textEvent(QStringLiteral("a%1").arg(i)));
        model.flush();
        QCOMPARE(model.rowCount(), 80);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        for (int i = 0; i < 50; ++i)
            log.append(textEvent(QStringLiteral("b%1").arg(i)));
        model.flush();
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(2).toInt(), 29); // rows 0..29 evicted by the ring
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.eventAt(0)->payload, QByteArray("a30"));
        QCOMPARE(model.eventAt(99)->payload, QByteArray("b49"));
        // A burst larger than the whole ring between two flushes: every shown row goes, the newest stay.
        for (int i = 0; i < 300; ++i)
            log.append(textEvent(QStringLiteral("c%1").arg(i)));
        model.flush();
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.eventAt(0)->payload, QByteArray("c200"));
        QCOMPARE(log.evictedCount(), quint64(330));
    }

    void pauseHoldsRowsBackButNotEvictions()
    {
        EventLog log;
        log.setLimits({10, 1 << 20});
        LogModel model(&log);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < 5; ++i)
            log.append(textEvent(QString::number(i)));
        model.flush();
        model.setPaused(true);
        for (int i = 5; i < 12; ++i)
            log.append(textEvent(QString::number(i)));
        model.flush();
        QCOMPARE(model.rowCount(), 3); // 0 and 1 were evicted, 5..11 wait
        QCOMPARE(model.waitingCount(), quint64(7));
        QVERIFY(model.eventAt(0) != nullptr);
        model.setPaused(false);
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.eventAt(9)->payload, QByteArray("11"));
    }

    void clearEmptiesTheModel()
    {
        EventLog log;
        LogModel model(&log);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        log.append(textEvent(QStringLiteral("x")));
        model.flush();
        log.clear();
        QCOMPARE(model.rowCount(), 0);
        log.append(textEvent(QStringLiteral("y")));
        model.flush();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.eventAt(0)->payload, QByteArray("y"));
    }

    void filterByKindAndText()
    {
        EventLog log;
        LogModel model(&log);
        LogFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        log.append(textEvent(QStringLiteral("hello world")));
        log.append(LogEvent::make(EventKind::Ping, Direction::Out));
        log.append(textEvent(QStringLiteral("other")));
        LogEvent close = LogEvent::make(EventKind::Close, Direction::In);
        close.closeCode = 1008;
        close.detail = QStringLiteral("too many messages");
        log.append(close);
        model.flush();
        QCOMPARE(proxy.rowCount(), 4);
        proxy.setKinds({EventKind::Text});
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setText(QStringLiteral("WORLD"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, LogModel::SummaryColumn).data().toString(), QStringLiteral("hello world"));
        proxy.setKinds({});
        proxy.setText(QStringLiteral("policy violation"));
        QCOMPARE(proxy.rowCount(), 1); // the close's name is part of its line
        // The Event column leaves the kind to its own column: code, name and reason.
        QCOMPARE(proxy.index(0, LogModel::SummaryColumn).data().toString(), QStringLiteral("1008 Policy Violation — too many messages"));
        // New rows are filtered as they arrive.
        log.append(textEvent(QStringLiteral("another policy violation")));
        model.flush();
        QCOMPARE(proxy.rowCount(), 2);
    }

    void detailShowsJsonHexAndCloseMeaning()
    {
        EventDetailView view;
        const LogEvent json = textEvent(QStringLiteral("{\"a\":[1,2]}"));
        view.setEvent(&json);
        QCOMPARE(view.currentTabName(), QStringLiteral("JSON"));
        QVERIFY(view.textOf(QStringLiteral("JSON")).contains(QStringLiteral("\"a\": [")));
        LogEvent binary = LogEvent::make(EventKind::Binary, Direction::In, QByteArray("\x00\x01Hi\xff", 5));
        view.setEvent(&binary);
        QCOMPARE(view.currentTabName(), QStringLiteral("Hex"));
        QCOMPARE(view.textOf(QStringLiteral("Hex")).section(u'\n', 0, 0),
                 QStringLiteral("00000000  00 01 48 69 ff                                    |..Hi.|"));
        LogEvent close = LogEvent::make(EventKind::Close, Direction::In);
        close.closeCode = 1009;
        close.detail = QStringLiteral("too big");
        view.setEvent(&close);
        QCOMPARE(view.currentTabName(), QStringLiteral("Close"));
        const QString text = view.textOf(QStringLiteral("Close"));
        QVERIFY2(text.contains(QStringLiteral("Message Too Big")) && text.contains(QStringLiteral("too big")), qPrintable(text));
    }

    // The RFC 6455 §1.3 example: key dGhlIHNhbXBsZSBub25jZQ== gives s3pPLMBiTxaQ9kYGzzhZRbK+xOo=.
    void detailWorksOutTheHandshake()
    {
        EventDetailView view;
        const LogEvent request = LogEvent::make(EventKind::Handshake, Direction::In,
                                                "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
                                                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                "Sec-WebSocket-Version: 13\r\nX-Trace: 7\r\n");
        view.setEvent(&request);
        QCOMPARE(view.currentTabName(), QStringLiteral("Handshake"));
        const QString worked = view.textOf(QStringLiteral("Handshake"));
        QVERIFY2(worked.contains(QStringLiteral("dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11")), qPrintable(worked));
        QVERIFY2(worked.contains(QStringLiteral("b3 7a 4f 2c c0 62 4f 16 90 f6 46 06 cf 38 59 45 b2 be c4 ea")), qPrintable(worked));
        QVERIFY2(worked.contains(QStringLiteral("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")), qPrintable(worked));
        auto *headers = view.findChild<QTreeWidget *>(QStringLiteral("eventDetailHandshakeHeaders"));
        QVERIFY(headers);
        QCOMPARE(headers->topLevelItemCount(), 7); // the request line and six headers
        QCOMPARE(headers->topLevelItem(0)->text(0), QStringLiteral("GET /chat HTTP/1.1"));
        const QTreeWidgetItem *keyRow = headers->findItems(QStringLiteral("Sec-WebSocket-Key"), Qt::MatchExactly).value(0);
        QVERIFY(keyRow);
        QVERIFY2(keyRow->toolTip(1).contains(QStringLiteral("16 random bytes")) &&
                     keyRow->toolTip(1).contains(QStringLiteral("RFC 6455 §4.1")),
                 qPrintable(keyRow->toolTip(1)));
        const QTreeWidgetItem *trace = headers->findItems(QStringLiteral("X-Trace"), Qt::MatchExactly).value(0);
        QVERIFY(trace && trace->toolTip(0).contains(QStringLiteral("Not part of the WebSocket handshake")));

        LogEvent answer = LogEvent::make(EventKind::Handshake, Direction::Out,
                                         "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                         "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n");
        answer.detail = QStringLiteral("checked");
        view.setEvent(&answer);
        QCOMPARE(view.currentTabName(), QStringLiteral("Handshake"));
        QVERIFY(view.textOf(QStringLiteral("Handshake")).startsWith(QStringLiteral("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")));
        const QTreeWidgetItem *acceptRow = headers->findItems(QStringLiteral("Sec-WebSocket-Accept"), Qt::MatchExactly).value(0);
        QVERIFY(acceptRow && acceptRow->toolTip(0).contains(QStringLiteral("SHA-1")));
    }

    void viewFollowsTheBottomUntilTheUserScrollsUp()
    {
        EventLog log;
        LogView view(&log);
        view.resize(600, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        for (int i = 0; i < 300; ++i)
            log.append(textEvent(QStringLiteral("row %1").arg(i)));
        view.model()->flush();
        QScrollBar *bar = view.table()->verticalScrollBar();
        QTRY_COMPARE(bar->value(), bar->maximum());
        QVERIFY(bar->maximum() > 0);
        bar->setValue(0); // the user scrolls up to read
        QVERIFY(!view.isFollowing());
        for (int i = 0; i < 50; ++i)
            log.append(textEvent(QStringLiteral("more %1").arg(i)));
        view.model()->flush();
        QCOMPARE(bar->value(), 0);
        bar->setValue(bar->maximum()); // and back to the bottom: following again
        QVERIFY(view.isFollowing());
        log.append(textEvent(QStringLiteral("last")));
        view.model()->flush();
        QTRY_COMPARE(bar->value(), bar->maximum());
    }

    void exportWritesJsonLines()
    {
        EventLog log;
        LogView view(&log);
        log.append(textEvent(QStringLiteral("one")));
        log.append(textEvent(QStringLiteral("two")));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("log.jsonl"));
        QString error;
        QVERIFY2(view.exportTo(path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(1).contains("\"text\":\"two\""));
    }
};

QTEST_MAIN(tst_LogModel)
#include "tst_LogModel.moc"
