// The log pane as a user drives it: typing a filter, choosing kinds, Pause and Resume, Clear; and a
// quiet endpoint's pane losing the rows a shared log budget evicted for another endpoint's flood.
#include "core/log/EventLog.h"
#include "core/log/LogBudget.h"
#include "ui/log/LogModel.h"
#include "ui/log/LogView.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QToolButton>
#include <QtTest>

using namespace wslab;

namespace {

LogEvent logEvent(EventKind kind, const QByteArray &payload = {}, Direction dir = Direction::In)
{
    LogEvent e = LogEvent::make(kind, dir, payload);
    e.endpoint = QStringLiteral("client 1");
    return e;
}

void fill(EventLog &log)
{
    log.append(logEvent(EventKind::Open, {}, Direction::Local));
    log.append(logEvent(EventKind::Text, "alpha one"));
    log.append(logEvent(EventKind::Text, "beta two", Direction::Out));
    log.append(logEvent(EventKind::Ping, "alpha ping", Direction::Out));
    log.append(logEvent(EventKind::Binary, "\x01\x02"));
    LogEvent close = logEvent(EventKind::Close, {}, Direction::In);
    close.closeCode = 1000;
    log.append(close);
}

template <typename T> T *child(LogView &view, const char *name)
{
    T *w = view.findChild<T *>(QString::fromLatin1(name));
    if (!w)
        qWarning("no %s", name);
    return w;
}

QString statusText(LogView &view)
{
    return child<QLabel>(view, "logStatus")->text();
}

} // namespace

class tst_LogView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void typedFilterShowsOnlyMatchingRows()
    {
        EventLog log;
        fill(log);
        LogView view(&log);
        view.show();
        QTRY_COMPARE(view.visibleRowCount(), 6);
        auto *filter = child<QLineEdit>(view, "logFilterText");
        QVERIFY(filter);
        QTest::keyClicks(filter, QStringLiteral("ALPHA")); // case-insensitive
        QTRY_COMPARE(view.visibleRowCount(), 2);
        QAbstractItemModelTester tester(view.table()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(statusText(view), QStringLiteral("2 of 6 events shown"));
        for (int row = 0; row < 2; ++row)
            QVERIFY(view.table()->model()->index(row, LogModel::SummaryColumn).data().toString().contains(QStringLiteral("alpha")));
        // New events that match appear while filtering; others do not.
        log.append(logEvent(EventKind::Text, "alpha three"));
        log.append(logEvent(EventKind::Text, "gamma"));
        QTRY_COMPARE(view.visibleRowCount(), 3);
        filter->clear();
        QTRY_COMPARE(view.visibleRowCount(), 8);
        QCOMPARE(statusText(view), QStringLiteral("8 events"));
    }

    void kindMenuHidesUntickedKinds()
    {
        EventLog log;
        fill(log);
        LogView view(&log);
        view.show();
        QTRY_COMPARE(view.visibleRowCount(), 6);
        auto *kinds = child<QToolButton>(view, "logKindFilter");
        QVERIFY(kinds && kinds->menu());
        const QList<QAction *> actions = kinds->menu()->actions();
        QAction *text = nullptr;
        QAction *pings = nullptr;
        for (QAction *a : actions) {
            if (a->text() == QStringLiteral("Text messages"))
                text = a;
            if (a->text() == QStringLiteral("Ping / pong"))
                pings = a;
        }
        QVERIFY(text && pings);
        text->trigger(); // untick
        QCOMPARE(view.visibleRowCount(), 4);
        QCOMPARE(kinds->text(), QStringLiteral("Kinds (filtered)"));
        pings->trigger();
        QCOMPARE(view.visibleRowCount(), 3);
        for (int row = 0; row < 3; ++row) {
            const QString kind = view.table()->model()->index(row, LogModel::KindColumn).data().toString();
            QVERIFY2(kind != QStringLiteral("text") && kind != QStringLiteral("ping"), qPrintable(kind));
        }
        // Nothing ticked shows nothing, not everything.
        for (QAction *a : actions) {
            if (a->isChecked())
                a->trigger();
        }
        QCOMPARE(view.visibleRowCount(), 0);
        for (QAction *a : actions)
            a->trigger();
        QCOMPARE(view.visibleRowCount(), 6);
        QCOMPARE(kinds->text(), QStringLiteral("Kinds"));
    }

    void pauseHoldsNewRowsUntilResume()
    {
        EventLog log;
        fill(log);
        LogView view(&log);
        view.show();
        QTRY_COMPARE(view.visibleRowCount(), 6);
        auto *pause = child<QToolButton>(view, "logPause");
        QVERIFY(pause);
        QCOMPARE(pause->text(), QStringLiteral("Pause"));
        pause->click();
        QCOMPARE(pause->text(), QStringLiteral("Resume"));
        for (int i = 0; i < 5; ++i)
            log.append(logEvent(EventKind::Text, "while paused " + QByteArray::number(i)));
        // Recorded, waiting, and said so; the rows stay put.
        QTRY_VERIFY2(statusText(view).contains(QStringLiteral("paused, 5 new waiting")), qPrintable(statusText(view)));
        QCOMPARE(view.visibleRowCount(), 6);
        QCOMPARE(log.size(), 11);
        pause->click();
        QCOMPARE(pause->text(), QStringLiteral("Pause"));
        QCOMPARE(view.visibleRowCount(), 11);
        QCOMPARE(statusText(view), QStringLiteral("11 events"));
        QCOMPARE(view.table()->model()->index(10, LogModel::SummaryColumn).data().toString(), QStringLiteral("while paused 4"));
    }

    void clearForgetsEverythingShownSoFar()
    {
        EventLog log;
        fill(log);
        LogView view(&log);
        view.show();
        QTRY_COMPARE(view.visibleRowCount(), 6);
        view.table()->selectRow(1);
        auto *clear = child<QToolButton>(view, "logClear");
        QVERIFY(clear);
        clear->click();
        QCOMPARE(view.visibleRowCount(), 0);
        QVERIFY(log.isEmpty());
        QCOMPARE(statusText(view), QStringLiteral("0 events"));
        log.append(logEvent(EventKind::Text, "after the clear"));
        QTRY_COMPARE(view.visibleRowCount(), 1);
        QCOMPARE(view.table()->model()->index(0, LogModel::SummaryColumn).data().toString(), QStringLiteral("after the clear"));
    }

    void sharedBudgetEvictionsLeaveAQuietPane()
    {
        LogBudget budget;
        budget.setMaxBytes(1024 * 1024);
        EventLog quiet, flood;
        budget.add(&quiet);
        budget.add(&flood);
        // The quiet pane holds the most at first: ten 64 KiB messages, 640 KiB of the 1 MiB.
        for (int i = 0; i < 10; ++i)
            quiet.append(logEvent(EventKind::Text, QByteArray(64 * 1024, char('a' + i))));
        LogView view(&quiet);
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.show();
        QTRY_COMPARE(view.visibleRowCount(), 10);
        QSignalSpy removed(view.model(), &QAbstractItemModel::rowsRemoved);
        // Another endpoint floods; nothing is appended here, yet this log gives up its oldest while it holds the most.
        for (int i = 0; i < 60; ++i)
            flood.append(logEvent(EventKind::Binary, QByteArray(32 * 1024, 'f')));
        QVERIFY(quiet.evictedCount() > 0);
        QTRY_COMPARE(view.visibleRowCount(), int(quiet.size()));
        QVERIFY(removed.size() >= 1);
        QVERIFY(view.model()->eventAt(0));
        QCOMPARE(view.model()->eventAt(0)->seq, quiet.firstSeq());
        QVERIFY2(statusText(view).contains(QStringLiteral("oldest dropped")), qPrintable(statusText(view)));
    }
};

QTEST_MAIN(tst_LogView)
#include "tst_LogView.moc"
