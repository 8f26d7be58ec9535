// wslab-cli bench's engine: every echo is checked against what was sent, so a server that answers
// wrong is caught, not measured as fast.
#include "core/bench/LoadGenerator.h"

#include "tests/support/TamperingEcho.h"

#include <QSignalSpy>
#include <QTest>

using namespace wslab;
using wslab::test::TamperingEcho;

namespace {

LoadGenerator::Config configFor(const QUrl &url, bool binary)
{
    LoadGenerator::Config config;
    config.url = url;
    config.connections = 2;
    config.messages = 40;
    config.size = 256;
    config.binary = binary;
    config.window = 4;
    config.connectTimeout = std::chrono::milliseconds(5000);
    config.drainTimeout = std::chrono::milliseconds(5000);
    return config;
}

} // namespace

class tst_LoadGenerator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exactEchoesAreAllCounted_data();
    void exactEchoesAreAllCounted();
    void oneAlteredEchoIsAMismatch_data();
    void oneAlteredEchoIsAMismatch();
};

void tst_LoadGenerator::exactEchoesAreAllCounted_data()
{
    QTest::addColumn<bool>("binary");
    QTest::newRow("text") << false;
    QTest::newRow("binary") << true;
}

void tst_LoadGenerator::exactEchoesAreAllCounted()
{
    QFETCH(bool, binary);
    TamperingEcho echo(0);
    QVERIFY(echo.start());
    LoadGenerator generator(configFor(echo.url(), binary));
    QSignalSpy finished(&generator, &LoadGenerator::finished);
    generator.start();
    QVERIFY(finished.wait(20000));
    const LoadGenerator::Report &r = generator.report();
    QCOMPARE(r.connectionsOpened, 2);
    QCOMPARE(r.sent, 40);
    QCOMPARE(r.received, 40);
    QCOMPARE(r.mismatches, 0);
    QVERIFY2(r.errors == 0, qPrintable(r.errorTexts.join(u'\n')));
}

void tst_LoadGenerator::oneAlteredEchoIsAMismatch_data()
{
    exactEchoesAreAllCounted_data();
}

void tst_LoadGenerator::oneAlteredEchoIsAMismatch()
{
    QFETCH(bool, binary);
    TamperingEcho echo(7);
    QVERIFY(echo.start());
    LoadGenerator generator(configFor(echo.url(), binary));
    QSignalSpy finished(&generator, &LoadGenerator::finished);
    generator.start();
    QVERIFY(finished.wait(20000));
    const LoadGenerator::Report &r = generator.report();
    QCOMPARE(echo.seen(), 40);
    QCOMPARE(r.sent, 40);
    QCOMPARE(r.mismatches, 1);
    QCOMPARE(r.received, 39); // the altered one is not counted as echoed, nor timed
    QVERIFY(r.toText().contains(QStringLiteral("1 mismatched")));
    QVERIFY(r.toJson().contains("\"mismatches\":1"));
}

QTEST_GUILESS_MAIN(tst_LoadGenerator)
#include "tst_LoadGenerator.moc"
