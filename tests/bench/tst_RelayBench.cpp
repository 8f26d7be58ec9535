// bench-relay (bench/relay) at a small scale, so the relay's overhead benchmark cannot rot: every
// echo comes back through both paths and it prints a figure for each.
#include "tests/support/ChildProcess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace wslab::test;

class tst_RelayBench : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bothPathsEchoAndAreMeasured()
    {
        Child bench(qEnvironmentVariable("WSLAB_RELAY_BENCH"),
                    {QStringLiteral("--round-trips"), QStringLiteral("40"), QStringLiteral("--large-round-trips"), QStringLiteral("6"),
                     QStringLiteral("--timeout"), QStringLiteral("60"), QStringLiteral("--json")});
        QVERIFY(bench.finish(90000));
        QVERIFY2(bench.process().exitCode() == 0, qPrintable(bench.stderrText()));
        const QJsonArray rows = QJsonDocument::fromJson(bench.lines().value(0).toUtf8()).object().value(u"rows").toArray();
        QCOMPARE(rows.size(), 6); // direct, relayed and the overhead, for each size
        for (const QJsonValue &value : rows) {
            const QJsonObject row = value.toObject();
            if (row.value(u"path").toString() == u"overhead")
                continue;
            QCOMPARE(row.value(u"round_trips").toInt(), row.value(u"size").toInt() == 16 ? 40 : 6);
            QVERIFY(row.value(u"round_trips_per_s").toDouble() > 0);
            QVERIFY(row.value(u"rtt_p99_us").toDouble() >= row.value(u"rtt_p50_us").toDouble());
        }
    }
};

QTEST_GUILESS_MAIN(tst_RelayBench)
#include "tst_RelayBench.moc"
