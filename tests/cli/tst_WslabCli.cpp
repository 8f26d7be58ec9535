// wslab-cli as a user runs it, as a separate process: bench fails on a wrong echo, serve and
// connect work on IPv6 loopback, and bad flags are usage errors.
#include "tests/support/ChildProcess.h"
#include "tests/support/TamperingEcho.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;
using namespace wslab::test;

namespace {

QString logText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QStringLiteral("(no log file)");
}

bool hasIpv6Loopback()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHostIPv6, 0);
}

} // namespace

class tst_WslabCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY2(QFileInfo(cli()).isExecutable(), "WSLAB_CLI must name the wslab-cli binary"); }

    void benchPassesOnExactEchoes()
    {
        TamperingEcho echo(0);
        QVERIFY(echo.start());
        Child bench({QStringLiteral("bench"), echo.url().toString(), QStringLiteral("--messages"), QStringLiteral("30"),
                     QStringLiteral("--window"), QStringLiteral("3")});
        QVERIFY(bench.finish());
        QVERIFY2(bench.process().exitCode() == 0, qPrintable(bench.stdoutText() + bench.stderrText()));
        QVERIFY2(bench.stdoutText().contains(QStringLiteral("30 sent, 30 echoed, 0 mismatched")), qPrintable(bench.stdoutText()));
    }

    void benchFailsOnOneWrongEcho_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::newRow("text") << QStringList{};
        QTest::newRow("binary, json") << QStringList{QStringLiteral("--binary"), QStringLiteral("--json")};
    }

    void benchFailsOnOneWrongEcho()
    {
        QFETCH(QStringList, extra);
        TamperingEcho echo(12);
        QVERIFY(echo.start());
        Child bench(QStringList{QStringLiteral("bench"), echo.url().toString(), QStringLiteral("--messages"), QStringLiteral("30"),
                                QStringLiteral("--window"), QStringLiteral("3")} +
                    extra);
        QVERIFY(bench.finish());
        QCOMPARE(echo.seen(), 30);
        QCOMPARE(bench.process().exitCode(), 1);
        const QString out = bench.stdoutText();
        if (extra.contains(QStringLiteral("--json")))
            QVERIFY2(out.contains(QStringLiteral("\"mismatches\":1")), qPrintable(out));
        else
            QVERIFY2(out.contains(QStringLiteral("30 sent, 29 echoed, 1 mismatched")), qPrintable(out));
    }

    void serveAndConnectOnIpv6Loopback()
    {
        if (!hasIpv6Loopback())
            QSKIP("this machine has no IPv6 loopback (listening on [::1] failed)");
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("serve.jsonl"));
        Child serve({QStringLiteral("serve"), QStringLiteral("--host"), QStringLiteral("::1"), QStringLiteral("--port"),
                     QStringLiteral("0"), QStringLiteral("--log"), log});
        const QString line = serve.waitLine(QStringLiteral("listening on "));
        QVERIFY2(line.startsWith(QStringLiteral("listening on ws://[::1]:")), qPrintable(line + serve.stderrText()));
        const QString url = line.mid(QStringLiteral("listening on ").size()) + u'/';

        const QStringList sent{QStringLiteral("hello over IPv6"), QStringLiteral("zweite Zeile äöü"), QStringLiteral("3")};
        Child connect({QStringLiteral("connect"), url});
        connect.process().write((sent.join(u'\n') + u'\n').toUtf8());
        connect.process().closeWriteChannel();
        QVERIFY(connect.finish());
        QVERIFY2(connect.process().exitCode() == 0, qPrintable(connect.stderrText()));
        QCOMPARE(connect.lines(), sent);
        // The server saw the client come from ::1 and leave cleanly, as its --log says in fields.
        QTRY_VERIFY2(logEvents(log, QStringLiteral("close")).size() == 1, qPrintable(logText(log)));
        const QJsonObject close = logEvents(log, QStringLiteral("close")).first();
        QCOMPARE(close.value(u"dir").toString(), QStringLiteral("in"));
        QCOMPARE(close.value(u"close_code").toInt(), 1000);
        const QList<QJsonObject> opens = logEvents(log, QStringLiteral("open"));
        QCOMPARE(opens.size(), 1);
        QVERIFY2(opens.first().value(u"detail").toString().contains(QStringLiteral(" from ::1:")), qPrintable(logText(log)));
        serve.process().terminate();
        QVERIFY(serve.finish());
        QCOMPARE(serve.process().exitCode(), 0);
    }

    // Two people chat from the terminal: each line said is posted once, in order, to both, and
    // leaving at the end of input waits until the last line is posted.
    void chatBetweenTwoTerminals()
    {
        Child serve(
            {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--mode"), QStringLiteral("chat")});
        const QString line = serve.waitLine(QStringLiteral("listening on "));
        QVERIFY2(line.startsWith(QStringLiteral("listening on ws://127.0.0.1:")), qPrintable(line + serve.stderrText()));
        const QString url = line.mid(QStringLiteral("listening on ").size()) + u'/';

        Child bob({QStringLiteral("chat"), url, QStringLiteral("--nick"), QStringLiteral("bob")});
        QVERIFY2(QTest::qWaitFor([&] { return bob.stderrText().contains(QStringLiteral("* joined as bob")); }, 15000),
                 qPrintable(bob.stderrText()));

        Child alice({QStringLiteral("chat"), url, QStringLiteral("--nick"), QStringLiteral("alice")});
        alice.process().write("hi bob\n<b>not bold</b>\n\nzweite Zeile \xc3\xa4\n");
        alice.process().closeWriteChannel();
        QVERIFY(alice.finish());
        QVERIFY2(alice.process().exitCode() == 0, qPrintable(alice.stderrText()));
        const QStringList said{QStringLiteral("alice: hi bob"), QStringLiteral("alice: <b>not bold</b>"),
                               QStringLiteral("alice: zweite Zeile \u00e4")};
        QCOMPARE(alice.lines(), said);
        QVERIFY2(alice.stderrText().contains(QStringLiteral("* here: ")), qPrintable(alice.stderrText()));

        QTRY_COMPARE_WITH_TIMEOUT(bob.lines(), said, 15000);
        QTRY_VERIFY2_WITH_TIMEOUT(bob.stderrText().contains(QStringLiteral("* alice left")), qPrintable(bob.stderrText()), 15000);
        bob.process().write("bye alice\n");
        bob.process().closeWriteChannel();
        QVERIFY(bob.finish());
        QVERIFY2(bob.process().exitCode() == 0, qPrintable(bob.stderrText()));
        QCOMPARE(bob.lines(), said + QStringList{QStringLiteral("bob: bye alice")});

        serve.process().terminate();
        QVERIFY(serve.finish());
    }

    void inspectFaultFlagsRefuseBadValues_data()
    {
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("value");
        QTest::newRow("bandwidth 0") << QStringLiteral("--bandwidth") << QStringLiteral("0");
        QTest::newRow("bandwidth words") << QStringLiteral("--bandwidth") << QStringLiteral("fast");
        QTest::newRow("slice 0") << QStringLiteral("--slice") << QStringLiteral("0");
        QTest::newRow("slice negative") << QStringLiteral("--slice") << QStringLiteral("-4");
        QTest::newRow("fragment 1") << QStringLiteral("--fragment") << QStringLiteral("1");
        QTest::newRow("fragment 2.5") << QStringLiteral("--fragment") << QStringLiteral("2.5");
        QTest::newRow("corrupt-after negative") << QStringLiteral("--corrupt-after") << QStringLiteral("-1");
        QTest::newRow("corrupt-after empty") << QStringLiteral("--corrupt-after") << QString();
    }
    void inspectFaultFlagsRefuseBadValues()
    {
        QFETCH(QString, flag);
        QFETCH(QString, value);
        Child inspect({QStringLiteral("inspect"), QStringLiteral("--listen"), QStringLiteral("0"), QStringLiteral("--target"),
                       QStringLiteral("ws://127.0.0.1:1"), flag, value});
        QVERIFY(inspect.finish());
        QCOMPARE(inspect.process().exitCode(), 2);
        const QStringList err = inspect.stderrText().split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(err.size(), 1);
        QVERIFY2(err.first().startsWith(QStringLiteral("wslab-cli: inspect: ") + flag + QStringLiteral(" must be a whole number")),
                 qPrintable(err.first()));
        QVERIFY(inspect.stdoutText().isEmpty());
    }

    void chatWithoutNickIsAUsageError()
    {
        Child chat({QStringLiteral("chat"), QStringLiteral("ws://127.0.0.1:1/")});
        QVERIFY(chat.finish());
        QCOMPARE(chat.process().exitCode(), 2);
        QCOMPARE(chat.stderrText(), QStringLiteral("wslab-cli: chat: --nick NAME is required\n"));
    }
};

QTEST_GUILESS_MAIN(tst_WslabCli)
#include "tst_WslabCli.moc"
