// bench-chat-load (bench/chat-load) as bench/run.sh runs it, at a small scale, so the chat benchmark
// cannot rot: against a real `wslab-cli serve --mode chat` every delivery arrives and it exits 0, and
// when the server drops its clients it reports the loss and exits 1.
#include "tests/support/ChildProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace wslab::test;

namespace {

QString chatLoad()
{
    return qEnvironmentVariable("WSLAB_CHAT_LOAD");
}

} // namespace

class tst_ChatLoadBench : public QObject
{
    Q_OBJECT

private:
    // The URL the chat server prints once it listens, or empty when it did not start.
    static QString startChatServer(Child &serve)
    {
        const QString line = serve.waitLine(QStringLiteral("listening on "));
        return line.startsWith(QStringLiteral("listening on ws://127.0.0.1:")) ? line.mid(QStringLiteral("listening on ").size()) + u'/'
                                                                               : QString();
    }

    static QStringList serveArgs(const QStringList &extra)
    {
        return QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--mode"),
                           QStringLiteral("chat")} +
               extra;
    }

    static QJsonObject lastJsonLine(Child &load)
    {
        const QStringList lines = load.lines();
        return lines.isEmpty() ? QJsonObject() : QJsonDocument::fromJson(lines.last().toUtf8()).object();
    }

private Q_SLOTS:
    void everyDeliveryArrives()
    {
        Child serve(serveArgs({}));
        const QString url = startChatServer(serve);
        QVERIFY2(!url.isEmpty(), qPrintable(serve.stderrText()));
        const QString pid = QString::number(serve.process().processId());
        Child load(chatLoad(), {url, QStringLiteral("--clients"), QStringLiteral("5"), QStringLiteral("--rate"), QStringLiteral("10"),
                                QStringLiteral("--duration"), QStringLiteral("2"), QStringLiteral("--server-pid"), pid,
                                QStringLiteral("--connect-timeout"), QStringLiteral("20"), QStringLiteral("--drain"), QStringLiteral("20"),
                                QStringLiteral("--json")});
        QVERIFY(load.finish(60000));
        QVERIFY2(load.process().exitCode() == 0, qPrintable(load.stderrText()));
        const QJsonObject report = lastJsonLine(load);
        QCOMPARE(report.value(u"ok").toBool(), true);
        QCOMPARE(report.value(u"clients").toInt(), 5);
        QCOMPARE(report.value(u"said").toInteger(), 100); // 5 clients x 10/s x 2 s
        QCOMPARE(report.value(u"deliveries_expected").toInteger(), 500); // each to all 5, its sender included
        QCOMPARE(report.value(u"deliveries_received").toInteger(), 500);
        QCOMPARE(report.value(u"duplicates").toInteger(), 0);
        QCOMPARE(report.value(u"seq_gaps").toInteger(), 0);
        QVERIFY(report.value(u"latency_p50_ms").toDouble() > 0);
        QVERIFY(report.value(u"latency_p99_ms").toDouble() >= report.value(u"latency_p50_ms").toDouble());
        QVERIFY(report.value(u"latency_max_ms").toDouble() >= report.value(u"latency_p99_ms").toDouble());
        // The server did the fan-out, so it spent some CPU time; -1 would mean it could not be read.
        QVERIFY2(report.value(u"server_cpu_s").toDouble() > 0, qPrintable(load.stderrText()));
        QVERIFY2(
            load.stderrText().startsWith(QStringLiteral("chat fan-out: 5 clients x 10 msg/s for 2 s: 100 said, 500 of 500 deliveries")),
            qPrintable(load.stderrText()));
        serve.process().terminate();
        QVERIFY(serve.finish());
    }

    // A server that closes clients saying more than 3 messages a second (1008): the deliveries it
    // never made are counted as missing, and the run fails.
    void lostDeliveriesFailTheRun()
    {
        Child serve(serveArgs({QStringLiteral("--rate-limit"), QStringLiteral("3")}));
        const QString url = startChatServer(serve);
        QVERIFY2(!url.isEmpty(), qPrintable(serve.stderrText()));
        Child load(chatLoad(), {url, QStringLiteral("--clients"), QStringLiteral("3"), QStringLiteral("--rate"), QStringLiteral("10"),
                                QStringLiteral("--duration"), QStringLiteral("2"), QStringLiteral("--connect-timeout"),
                                QStringLiteral("20"), QStringLiteral("--drain"), QStringLiteral("3"), QStringLiteral("--json")});
        QVERIFY(load.finish(60000));
        QCOMPARE(load.process().exitCode(), 1);
        const QJsonObject report = lastJsonLine(load);
        QCOMPARE(report.value(u"ok").toBool(), false);
        QVERIFY2(report.value(u"missing").toInteger() > 0, qPrintable(load.stderrText()));
        QVERIFY2(load.stderrText().contains(QStringLiteral("was disconnected: 1008")), qPrintable(load.stderrText()));
        serve.process().terminate();
        QVERIFY(serve.finish());
    }
};

QTEST_GUILESS_MAIN(tst_ChatLoadBench)
#include "tst_ChatLoadBench.moc"
