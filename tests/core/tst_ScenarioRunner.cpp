// The step runner against a real Server on 127.0.0.1: passing runs, and for each way a step fails,
// the message that says what was wanted and what arrived instead, with the steps after it not run.
#include "core/scenario/JUnitReport.h"
#include "core/scenario/ScenarioRunner.h"
#include "tests/support/WsLabTest.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QXmlStreamReader>

using namespace wslab;
using namespace wslab::test;

namespace {

Scenario scenarioFor(const QUrl &url, const QByteArray &steps)
{
    QString error;
    std::optional<Scenario> s = Scenario::fromJson("{\"version\":1,\"timeout_ms\":3000,\"steps\":" + steps + '}', url, &error);
    if (!s)
        qFatal("test scenario does not parse: %s", qPrintable(error));
    return std::move(*s);
}

// Runs to the end (every connection closed) and returns the runner for its results.
std::unique_ptr<ScenarioRunner> run(const Scenario &scenario)
{
    auto runner = std::make_unique<ScenarioRunner>(scenario);
    QSignalSpy finished(runner.get(), &ScenarioRunner::finished);
    runner->start();
    if (!runner->isFinished() && !finished.wait(15000))
        qWarning("runner did not finish");
    return runner;
}

QList<ScenarioRunner::Status> statuses(const ScenarioRunner &runner)
{
    QList<ScenarioRunner::Status> out;
    for (const ScenarioRunner::StepResult &r : runner.results())
        out << r.status;
    return out;
}

using S = ScenarioRunner::Status;

} // namespace

class tst_ScenarioRunner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<Server>();
        QVERIFY(startServer(*m_server));
    }

    void echoRunPasses()
    {
        const auto runner = run(scenarioFor(m_server->url(), "["
                                                             "{\"connect\":{}},"
                                                             "{\"repeat\":{\"count\":3,\"steps\":[{\"send\":\"a\"},{\"expect\":\"a\"}]}},"
                                                             "{\"send\":{\"base64\":\"AP8=\"}}, {\"expect\":{\"hex\":\"00ff\"}},"
                                                             "{\"connection\":\"second\",\"connect\":{}},"
                                                             "{\"connection\":\"second\",\"send\":{\"json\":{\"n\":1}}},"
                                                             "{\"connection\":\"second\",\"expect\":{\"json\":{\"/n\":1}}},"
                                                             "{\"wait\":20},"
                                                             "{\"close\":{\"code\":4000,\"reason\":\"bye\"}}]"));
        QVERIFY(runner->isFinished());
        QVERIFY(runner->passed());
        QCOMPARE(runner->results().size(), std::size_t(14));
        QVERIFY(!runner->failure());
        QTRY_COMPARE(m_server->peerCount(), 0);
        // The close step's code reached the server.
        QVERIFY(hasEventWith(m_server->log(), EventKind::Close, QStringLiteral("bye")));
    }

    // Replies that arrive before their expect are kept, in order.
    void messagesWaitForTheirExpect()
    {
        const auto runner = run(scenarioFor(
            m_server->url(),
            "["
            "{\"connect\":{}}, {\"send\":\"one\"}, {\"send\":\"two\"}, {\"wait\":50}, {\"expect\":\"one\"}, {\"expect\":\"two\"}]"));
        QVERIFY(runner->passed());
    }

    void wrongReplyFailsWithWhatArrived()
    {
        const auto runner =
            run(scenarioFor(m_server->url(), "["
                                             "{\"connect\":{}}, {\"send\":\"hullo\"}, "
                                             "{\"name\":\"greeting\",\"expect\":{\"text\":\"hello\"}}, {\"send\":\"x\"}, {\"close\":{}}]"));
        QVERIFY(runner->isFinished());
        QVERIFY(!runner->passed());
        QCOMPARE(statuses(*runner), (QList<S>{S::Passed, S::Passed, S::Failed, S::NotRun, S::NotRun}));
        const ScenarioRunner::StepResult *failed = runner->failure();
        QVERIFY(failed);
        QCOMPARE(failed->planned.number, 3);
        QCOMPARE(failed->planned.step->path, QStringLiteral("/steps/2"));
        QCOMPARE(failed->planned.step->name, QStringLiteral("greeting"));
        QCOMPARE(failed->message, QStringLiteral("expected text \"hello\"; got text \"hullo\""));
        // The connection the failed run left open is closed before finished().
        QTRY_COMPARE(m_server->peerCount(), 0);
    }

    void skipUnmatchedPassesOverOthers()
    {
        const auto runner =
            run(scenarioFor(m_server->url(), "["
                                             "{\"connect\":{}}, {\"send\":\"a\"}, {\"send\":\"b\"}, {\"send\":\"c\"},"
                                             "{\"skip_unmatched\":true,\"expect\":\"c\"}, {\"send\":\"d\"}, {\"expect\":\"d\"}]"));
        QVERIFY(runner->passed());
    }

    void silenceFailsAtTheDeadline()
    {
        m_server->setMode(ServerMode::Silent);
        const auto runner = run(scenarioFor(m_server->url(), "["
                                                             "{\"connect\":{}}, {\"send\":\"a\"}, {\"expect\":\"a\",\"timeout_ms\":150}]"));
        QCOMPARE(statuses(*runner), (QList<S>{S::Passed, S::Passed, S::Failed}));
        QCOMPARE(runner->failure()->message, QStringLiteral("nothing arrived within 150 ms"));
        QVERIFY(runner->failure()->duration >= std::chrono::milliseconds(150));
    }

    void closeCodeIsChecked_data()
    {
        QTest::addColumn<QByteArray>("expectClose");
        QTest::addColumn<QString>("failure");
        QTest::newRow("code and reason match") << QByteArray("{\"code\":4001,\"reason\":\"go away\"}") << QString();
        QTest::newRow("any code") << QByteArray("{}") << QString();
        QTest::newRow("other code") << QByteArray("4002") << QStringLiteral("expected 4002; the connection closed with 4001 \"go away\"");
        QTest::newRow("other reason") << QByteArray("{\"code\":4001,\"reason\":\"later\"}")
                                      << QStringLiteral("expected 4001 \"later\"; the connection closed with 4001 \"go away\"");
    }
    void closeCodeIsChecked()
    {
        QFETCH(QByteArray, expectClose);
        QFETCH(QString, failure);
        connect(m_server.get(), &Server::textReceived, this, [this](int peer, const QString &text) {
            if (text == u"kick me")
                m_server->kick(peer, 4001, QStringLiteral("go away"));
        });
        m_server->setMode(ServerMode::Silent);
        const auto runner =
            run(scenarioFor(m_server->url(), "[{\"connect\":{}}, {\"send\":\"kick me\"}, {\"expect_close\":" + expectClose + "}]"));
        QCOMPARE(runner->passed(), failure.isEmpty());
        if (!failure.isEmpty())
            QCOMPARE(runner->failure()->message, failure);
    }

    void messageInsteadOfCloseFails()
    {
        const auto runner = run(scenarioFor(m_server->url(), "[{\"connect\":{}}, {\"send\":\"x\"}, {\"expect_close\":1000}]"));
        QCOMPARE(runner->failure()->message, QStringLiteral("expected the connection to close; got text \"x\""));
    }

    void closeBeforeTheExpectedMessageFails()
    {
        connect(m_server.get(), &Server::textReceived, this, [this](int peer, const QString &) { m_server->kick(peer, 1008, QString()); });
        m_server->setMode(ServerMode::Silent);
        const auto runner = run(scenarioFor(m_server->url(), "[{\"connect\":{}}, {\"send\":\"x\"}, {\"expect\":\"x\"}]"));
        QCOMPARE(runner->failure()->message, QStringLiteral("no matching message: the connection closed with 1008 first"));
    }

    void refusedConnectFails()
    {
        ServerConfig config = loopbackServerConfig();
        config.path = QStringLiteral("/only-here");
        m_server = std::make_unique<Server>();
        QVERIFY(startServer(*m_server, config));
        const auto runner = run(scenarioFor(m_server->url(), "[{\"connect\":\"/elsewhere\"}, {\"send\":\"x\"}]"));
        QCOMPARE(statuses(*runner), (QList<S>{S::Failed, S::NotRun}));
        QVERIFY2(runner->failure()->message.startsWith(QStringLiteral("could not connect: ")), qPrintable(runner->failure()->message));
        QVERIFY2(runner->failure()->message.contains(QStringLiteral("404")), qPrintable(runner->failure()->message));
    }

    void sendWithoutConnectionFails()
    {
        const auto runner = run(scenarioFor(m_server->url(), "[{\"connection\":\"ghost\",\"send\":\"x\"}]"));
        QCOMPARE(runner->failure()->message, QStringLiteral("no connection \"ghost\": connect it first"));
    }

    void junitReportCountsEveryStep()
    {
        const auto runner =
            run(scenarioFor(m_server->url(), "["
                                             "{\"connect\":{}}, {\"repeat\":{\"count\":2,\"steps\":[{\"send\":\"a\"},{\"expect\":\"a\"}]}},"
                                             "{\"send\":\"b\"}, {\"name\":\"wrong\",\"expect\":\"c\"}, {\"close\":{}}]"));
        const QByteArray xml = junitReport(*runner, QStringLiteral("suite <1>"));
        QXmlStreamReader reader(xml);
        int testcases = 0;
        QStringList failures;
        int skipped = 0;
        QXmlStreamAttributes suite;
        while (!reader.atEnd()) {
            if (reader.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (reader.name() == u"testsuite")
                suite = reader.attributes();
            else if (reader.name() == u"testcase")
                ++testcases;
            else if (reader.name() == u"failure")
                failures << reader.attributes().value(QStringLiteral("message")).toString();
            else if (reader.name() == u"skipped")
                ++skipped;
        }
        QVERIFY2(!reader.hasError(), qPrintable(reader.errorString()));
        QCOMPARE(testcases, 8);
        QCOMPARE(failures, QStringList{QStringLiteral("expected text \"c\"; got text \"b\"")});
        QCOMPARE(skipped, 1);
        QCOMPARE(suite.value(QStringLiteral("name")), QStringLiteral("suite <1>"));
        QCOMPARE(suite.value(QStringLiteral("tests")), QStringLiteral("8"));
        QCOMPARE(suite.value(QStringLiteral("failures")), QStringLiteral("1"));
        QCOMPARE(suite.value(QStringLiteral("skipped")), QStringLiteral("1"));
        QVERIFY(xml.contains("name=\"007 wrong (/steps/3)\""));
        QVERIFY(xml.contains("name=\"003 expect text &quot;a&quot; (/steps/1/repeat/steps/1, iteration 1/2)\""));
    }

private:
    std::unique_ptr<Server> m_server;
};

QTEST_GUILESS_MAIN(tst_ScenarioRunner)
#include "tst_ScenarioRunner.moc"
