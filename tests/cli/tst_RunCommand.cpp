// wslab-cli run as a user and a CI job run it: the examples/ scenarios pass against `wslab-cli serve`,
// a failing step exits 1 naming the step and what arrived instead, a bad file or flag exits 2 with one
// line, and --junit writes a report a CI reader takes. serve --rules refuses a bad rules file the same way.
#include "tests/support/ChildProcess.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QXmlStreamReader>

using namespace wslab::test;

namespace {

QString example(const QString &name)
{
    return QDir(qEnvironmentVariable("WSLAB_EXAMPLES_DIR")).filePath(name);
}

} // namespace

class tst_RunCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(cli()).isExecutable(), "WSLAB_CLI must name the wslab-cli binary");
        QVERIFY2(QFileInfo::exists(example(QStringLiteral("echo.json"))), "WSLAB_EXAMPLES_DIR must name examples/");
    }

    void examplesPassAgainstServe_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("serveFlags");
        QTest::addColumn<int>("steps");
        QTest::newRow("echo") << QStringLiteral("echo.json") << QStringList{} << 14;
        QTest::newRow("chat API") << QStringLiteral("chat-api.json") << QStringList{QStringLiteral("--mode"), QStringLiteral("chat")} << 15;
        QTest::newRow("close code") << QStringLiteral("close-code.json")
                                    << QStringList{QStringLiteral("--max-message-size"), QStringLiteral("64")} << 7;
        QTest::newRow("mock rules") << QStringLiteral("mock-api.json")
                                    << QStringList{QStringLiteral("--rules"), example(QStringLiteral("mock-rules.json"))} << 17;
    }
    void examplesPassAgainstServe()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, serveFlags);
        QFETCH(int, steps);
        Serve serve(serveFlags);
        QVERIFY(!serve.url().isEmpty());
        Child run({QStringLiteral("run"), example(file), QStringLiteral("--url"), serve.url()});
        QVERIFY(run.finish());
        QVERIFY2(run.process().exitCode() == 0, qPrintable(run.stdoutText() + run.stderrText()));
        const QStringList lines = run.lines();
        QCOMPARE(lines.size(), steps + 1);
        for (int i = 0; i < steps; ++i)
            QVERIFY2(lines[i].startsWith(QStringLiteral("ok   %1 ").arg(i + 1, 3)), qPrintable(lines[i]));
        QVERIFY2(lines.last().contains(QStringLiteral(": %1 passed, 0 failed, 0 not run in ").arg(steps)), qPrintable(lines.last()));
        QVERIFY(run.stderrText().isEmpty());
    }

    void failingStepExitsOneWithWhatArrived()
    {
        Serve serve;
        QTemporaryDir dir;
        const QString scenario = writeFile(dir, QStringLiteral("wrong.json"),
                                           "{\"version\":1,\"name\":\"wrong echo\",\"steps\":["
                                           "{\"connect\":{}},"
                                           "{\"send\":\"hullo\"},"
                                           "{\"name\":\"greeting\",\"expect\":{\"text\":\"hello\"}},"
                                           "{\"close\":{}}]}");
        const QString junit = dir.filePath(QStringLiteral("report.xml"));
        Child run({QStringLiteral("run"), scenario, QStringLiteral("--url"), serve.url(), QStringLiteral("--junit"), junit});
        QVERIFY(run.finish());
        QCOMPARE(run.process().exitCode(), 1);
        QCOMPARE(run.stderrText(), QStringLiteral("wslab-cli: run: step 3 (/steps/2 expect, \"greeting\") failed: expected text \"hello\"; "
                                                  "got text \"hullo\"\n"));
        const QStringList lines = run.lines();
        QCOMPARE(lines.size(), 4);
        QVERIFY2(
            lines[2].startsWith(QStringLiteral("FAIL   3 expect text \"hello\": expected text \"hello\"; got text \"hullo\" (/steps/2, ")),
            qPrintable(lines[2]));
        QVERIFY2(lines[3].startsWith(QStringLiteral("wrong echo: 2 passed, 1 failed, 1 not run in ")), qPrintable(lines[3]));

        // The report a CI server reads: one testcase per step, the failure on the third, the fourth skipped.
        QFile report(junit);
        QVERIFY(report.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&report);
        QStringList cases;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"testcase")
                cases << xml.attributes().value(QStringLiteral("name")).toString();
            else if (xml.name() == u"failure" || xml.name() == u"skipped")
                cases.last() += QStringLiteral(" -> ") + xml.name().toString();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(
            cases,
            (QStringList{QStringLiteral("001 connect %1 (/steps/0)").arg(serve.url()), QStringLiteral("002 send text \"hullo\" (/steps/1)"),
                         QStringLiteral("003 greeting (/steps/2) -> failure"), QStringLiteral("004 close 1000 (/steps/3) -> skipped")}));
    }

    void unreachableServerExitsOne()
    {
        QTemporaryDir dir;
        const QString scenario =
            writeFile(dir, QStringLiteral("s.json"), "{\"version\":1,\"steps\":[{\"connect\":{},\"timeout_ms\":3000}]}");
        Child run({QStringLiteral("run"), scenario, QStringLiteral("--url"), QStringLiteral("ws://127.0.0.1:1/")});
        QVERIFY(run.finish());
        QCOMPARE(run.process().exitCode(), 1);
        QVERIFY2(run.stderrText().startsWith(QStringLiteral("wslab-cli: run: step 1 (/steps/0 connect) failed: could not connect: ")),
                 qPrintable(run.stderrText()));
    }

    void badFilesAndFlagsExitTwo_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("error");
        QTest::newRow("fault in a step")
            << QByteArray("{\"version\":1,\"url\":\"ws://127.0.0.1:1/\",\"steps\":[{\"connect\":{}},{\"expect\":{\"regex\":\"((\"}}]}")
            << QStringList{}
            << QStringLiteral("FILE: /steps/1/expect/regex: invalid regular expression: missing closing parenthesis "
                              "at offset 2");
        QTest::newRow("not json") << QByteArray("{\"version\": 1,\n\"steps\": [\n  {\"wait\": 1},\n") << QStringList{}
                                  << QStringLiteral("FILE: not JSON: unterminated array at line 4");
        QTest::newRow("no url") << QByteArray("{\"version\":1,\"steps\":[{\"connect\":{}}]}") << QStringList{}
                                << QStringLiteral("FILE: /steps/0/connect: no URL: give \"url\" here, in the scenario, or --url");
        QTest::newRow("bad --url")
            << QByteArray("{\"version\":1,\"steps\":[{\"wait\":1}]}")
            << QStringList{QStringLiteral("--url"), QStringLiteral("ftp://127.0.0.1/")}
            << QStringLiteral(
                   "--url: unsupported scheme \"ftp\": use ws:// or wss:// (http:// and https:// are taken as ws:// and wss://)");
        QTest::newRow("junit in no folder") << QByteArray("{\"version\":1,\"steps\":[{\"wait\":1}]}")
                                            << QStringList{QStringLiteral("--junit"), QStringLiteral("/nonexistent-wslab/r.xml")}
                                            << QStringLiteral("--junit: no folder to write \"/nonexistent-wslab/r.xml\" in");
        QTest::newRow("unknown flag") << QByteArray("{\"version\":1,\"steps\":[{\"wait\":1}]}") << QStringList{QStringLiteral("--jnuit")}
                                      << QStringLiteral("Unknown option 'jnuit'.");
    }
    void badFilesAndFlagsExitTwo()
    {
        QFETCH(QByteArray, content);
        QFETCH(QStringList, flags);
        QFETCH(QString, error);
        QTemporaryDir dir;
        const QString scenario = writeFile(dir, QStringLiteral("bad.json"), content);
        Child run(QStringList{QStringLiteral("run"), scenario} + flags);
        QVERIFY(run.finish());
        QCOMPARE(run.process().exitCode(), 2);
        QCOMPARE(run.stderrText(), QStringLiteral("wslab-cli: run: ") + QString(error).replace(QStringLiteral("FILE"), scenario) + u'\n');
        QVERIFY(run.stdoutText().isEmpty());
    }

    void serveRefusesBadRules_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("error");
        QTest::newRow("fault in a rule") << QByteArray("{\"version\":1,\"rules\":[{\"match\":{\"regex\":\"(a)\"},\"reply\":\"${3}\"}]}")
                                         << QStringList{} << QStringLiteral("FILE: /rules/0/reply: ${3}, but the regex has 1 groups");
        QTest::newRow("rules with another mode") << QByteArray("{}") << QStringList{QStringLiteral("--mode"), QStringLiteral("echo")}
                                                 << QStringLiteral("--rules answers by rules; it cannot be combined with --mode echo");
    }
    void serveRefusesBadRules()
    {
        QFETCH(QByteArray, content);
        QFETCH(QStringList, flags);
        QFETCH(QString, error);
        QTemporaryDir dir;
        const QString rules = writeFile(dir, QStringLiteral("rules.json"), content);
        Child serve(QStringList{QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--rules"), rules} +
                    flags);
        QVERIFY(serve.finish());
        QCOMPARE(serve.process().exitCode(), 2);
        QCOMPARE(serve.stderrText(), QStringLiteral("wslab-cli: serve: ") + QString(error).replace(QStringLiteral("FILE"), rules) + u'\n');
        QVERIFY(serve.stdoutText().isEmpty());
    }

    void rulesModeNeedsAFile()
    {
        Child serve(
            {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--mode"), QStringLiteral("rules")});
        QVERIFY(serve.finish());
        QCOMPARE(serve.process().exitCode(), 2);
        QCOMPARE(serve.stderrText(), QStringLiteral("wslab-cli: serve: --mode rules needs --rules FILE.json\n"));
    }

    void missingFileExitsTwo()
    {
        Child run({QStringLiteral("run"), QStringLiteral("/nonexistent-wslab/none.json")});
        QVERIFY(run.finish());
        QCOMPARE(run.process().exitCode(), 2);
        QVERIFY2(run.stderrText().startsWith(QStringLiteral("wslab-cli: run: cannot read /nonexistent-wslab/none.json: ")),
                 qPrintable(run.stderrText()));
        QCOMPARE(run.stderrText().count(u'\n'), 1);
    }
};

QTEST_GUILESS_MAIN(tst_RunCommand)
#include "tst_RunCommand.moc"
