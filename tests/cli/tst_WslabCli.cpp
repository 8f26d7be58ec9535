// wslab-cli as a user runs it, as a separate process: bench fails on a wrong echo, and serve and
// connect work on IPv6 loopback.
#include "TamperingEcho.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace wslab;
using wslab::test::TamperingEcho;

namespace {

QString cli()
{
    return qEnvironmentVariable("WSLAB_CLI");
}

// The events of a --log file written so far, of one kind, as the JSON objects a script reads.
QList<QJsonObject> eventsLogged(const QString &path, const QString &kind)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QJsonObject> events;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (event.value(u"kind").toString() == kind)
            events << event;
    }
    return events;
}

QString logText(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QStringLiteral("(no log file)");
}

// A child process whose stdout is read as lines; the event loop runs while waiting for it, so a
// server in this process keeps answering.
class Child
{
public:
    Child(const QStringList &args)
    {
        m_process.setProgram(cli());
        m_process.setArguments(args);
        m_process.start();
    }
    ~Child()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    QProcess &process() { return m_process; }
    QStringList lines()
    {
        m_out += m_process.readAllStandardOutput();
        return QString::fromUtf8(m_out).split(u'\n', Qt::SkipEmptyParts);
    }
    QString stdoutText()
    {
        m_out += m_process.readAllStandardOutput();
        return QString::fromUtf8(m_out);
    }
    QString stderrText()
    {
        m_err += m_process.readAllStandardError();
        return QString::fromUtf8(m_err);
    }
    QString waitLine(const QString &prefix, int timeoutMs = 15000)
    {
        QString found;
        [[maybe_unused]] const bool seen = QTest::qWaitFor(
            [&] {
                for (const QString &line : lines()) {
                    if (line.startsWith(prefix)) {
                        found = line;
                        return true;
                    }
                }
                return m_process.state() == QProcess::NotRunning;
            },
            timeoutMs);
        return found;
    }
    // Waits with the event loop running; true when it exited normally.
    bool finish(int timeoutMs = 30000)
    {
        const bool ended = QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, timeoutMs);
        return ended && m_process.exitStatus() == QProcess::NormalExit;
    }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

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
                                QStringLiteral("--window"), QStringLiteral("3")}
                    + extra);
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
        Child serve({QStringLiteral("serve"), QStringLiteral("--host"), QStringLiteral("::1"), QStringLiteral("--port"), QStringLiteral("0"),
                     QStringLiteral("--log"), log});
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
        QTRY_VERIFY2(eventsLogged(log, QStringLiteral("close")).size() == 1, qPrintable(logText(log)));
        const QJsonObject close = eventsLogged(log, QStringLiteral("close")).first();
        QCOMPARE(close.value(u"dir").toString(), QStringLiteral("in"));
        QCOMPARE(close.value(u"close_code").toInt(), 1000);
        const QList<QJsonObject> opens = eventsLogged(log, QStringLiteral("open"));
        QCOMPARE(opens.size(), 1);
        QVERIFY2(opens.first().value(u"detail").toString().contains(QStringLiteral(" from ::1:")), qPrintable(logText(log)));
        serve.process().terminate();
        QVERIFY(serve.finish());
        QCOMPARE(serve.process().exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_WslabCli)
#include "tst_WslabCli.moc"
