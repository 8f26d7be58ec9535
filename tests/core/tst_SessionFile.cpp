// The .wslab session format: every value type the window writes comes back as written, through
// QSettings as the window uses it; version 1 files keep opening; other files are refused with a reason.
#include "core/session/SessionFile.h"
#include "tests/support/ChildProcess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPoint>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace wslab;
using namespace wslab::test;

class tst_SessionFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyValueTypeRoundTripsThroughQSettings()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("lab.wslab"));
        const QByteArray bytes("\x00\x01\xfe\xff geometry", 13);
        const QStringList urls{QStringLiteral("ws://127.0.0.1:9001/"), QStringLiteral("wss://example.org/ünï")};
        {
            QSettings out(path, SessionFile::format());
            out.setValue(QStringLiteral("window/geometry"), bytes);
            out.setValue(QStringLiteral("window/sideBySide"), true);
            out.setValue(QStringLiteral("server/port"), 9001);
            out.setValue(QStringLiteral("server/big"), qint64(1) << 40);
            out.setValue(QStringLiteral("server/ratio"), 0.25);
            out.setValue(QStringLiteral("server/name"), QStringLiteral("classroom \"A\" / 2"));
            out.setValue(QStringLiteral("server/empty"), QString());
            out.setValue(QStringLiteral("client/recentUrls"), urls);
            out.setValue(QStringLiteral("inspector/faults/latency"), 250);
            out.setValue(QStringLiteral("odd/point"), QPoint(3, -4));
            out.setValue(QStringLiteral("odd/nothing"), QVariant());
            // A key that is a value and a group at once.
            out.setValue(QStringLiteral("both"), 1);
            out.setValue(QStringLiteral("both/inner"), 2);
            out.beginWriteArray(QStringLiteral("clients"), 2);
            out.setArrayIndex(0);
            out.setValue(QStringLiteral("url"), urls.at(0));
            out.beginGroup(QStringLiteral("composer"));
            out.setValue(QStringLiteral("history"), QStringList{QStringLiteral("hello")});
            out.endGroup();
            out.setArrayIndex(1);
            out.setValue(QStringLiteral("url"), urls.at(1));
            out.endArray();
            out.beginWriteArray(QStringLiteral("none"), 0);
            out.endArray();
            out.sync();
            QCOMPARE(out.status(), QSettings::NoError);
        }
        QCOMPARE(SessionFile::check(path), QString());

        // Nested objects a person can read, the header first.
        const QByteArray text = readFile(path);
        QVERIFY2(text.startsWith("{\n    \"format\": \"wslab-session\",\n    \"version\": 1,\n    \"savedBy\": \"WsLab "),
                 text.constData());
        const QJsonObject root = QJsonDocument::fromJson(text).object();
        QCOMPARE(root.value(QStringLiteral("server")).toObject().value(QStringLiteral("port")).toInt(), 9001);
        QVERIFY(root.value(QStringLiteral("clients")).isArray());
        QCOMPARE(root.value(QStringLiteral("client")).toObject().value(QStringLiteral("recentUrls")).toArray().size(), 2);
        QCOMPARE(root.value(QStringLiteral("window"))
                     .toObject()
                     .value(QStringLiteral("geometry"))
                     .toObject()
                     .value(QStringLiteral("base64"))
                     .toString(),
                 QString::fromLatin1(bytes.toBase64()));

        QSettings in(path, SessionFile::format());
        QCOMPARE(in.status(), QSettings::NoError);
        QCOMPARE(in.value(QStringLiteral("window/geometry")).toByteArray(), bytes);
        QCOMPARE(in.value(QStringLiteral("window/sideBySide")).toBool(), true);
        QCOMPARE(in.value(QStringLiteral("window/sideBySide")).typeId(), QMetaType::Bool);
        QCOMPARE(in.value(QStringLiteral("server/port")).toInt(), 9001);
        QCOMPARE(in.value(QStringLiteral("server/big")).toLongLong(), qint64(1) << 40);
        QCOMPARE(in.value(QStringLiteral("server/ratio")).toDouble(), 0.25);
        QCOMPARE(in.value(QStringLiteral("server/name")).toString(), QStringLiteral("classroom \"A\" / 2"));
        QVERIFY(in.contains(QStringLiteral("server/empty")));
        QCOMPARE(in.value(QStringLiteral("server/empty")).toString(), QString());
        QCOMPARE(in.value(QStringLiteral("client/recentUrls")).toStringList(), urls);
        QCOMPARE(in.value(QStringLiteral("inspector/faults/latency")).toInt(), 250);
        QCOMPARE(in.value(QStringLiteral("odd/point")).toPoint(), QPoint(3, -4));
        QVERIFY(in.contains(QStringLiteral("odd/nothing")));
        QVERIFY(!in.value(QStringLiteral("odd/nothing")).isValid());
        QCOMPARE(in.value(QStringLiteral("both")).toInt(), 1);
        QCOMPARE(in.value(QStringLiteral("both/inner")).toInt(), 2);
        QCOMPARE(in.beginReadArray(QStringLiteral("clients")), 2);
        in.setArrayIndex(0);
        QCOMPARE(in.value(QStringLiteral("url")).toString(), urls.at(0));
        QCOMPARE(in.value(QStringLiteral("composer/history")).toStringList(), QStringList{QStringLiteral("hello")});
        in.setArrayIndex(1);
        QCOMPARE(in.value(QStringLiteral("url")).toString(), urls.at(1));
        in.endArray();
        QCOMPARE(in.beginReadArray(QStringLiteral("none")), 0);
        in.endArray();
    }

    void versionOneFixtureOpens()
    {
        // Hand-written as version 1 was specified: if a later change stops reading it, old sessions break.
        const QString path = QStringLiteral(WSLAB_TEST_DATA_DIR "/session-v1.wslab");
        QCOMPARE(SessionFile::check(path), QString());
        QSettings in(path, SessionFile::format());
        QCOMPARE(in.status(), QSettings::NoError);
        QCOMPARE(in.value(QStringLiteral("secretsIncluded")).toBool(), false);
        QCOMPARE(in.value(QStringLiteral("window/geometry")).toByteArray(), QByteArray::fromBase64("AdnQywADAAA="));
        QCOMPARE(in.value(QStringLiteral("window/clientsSideBySide")).toBool(), true);
        QCOMPARE(in.value(QStringLiteral("server/port")).toInt(), 9001);
        QCOMPARE(in.value(QStringLiteral("server/mode")).toString(), QStringLiteral("broadcast"));
        QCOMPARE(in.value(QStringLiteral("server/announce")).toBool(), false);
        QCOMPARE(in.value(QStringLiteral("server/composer/history")).toStringList(),
                 (QStringList{QStringLiteral("hello"), QStringLiteral("{\"type\": \"greeting\"}")}));
        QCOMPARE(in.value(QStringLiteral("inspector/faults/latency")).toInt(), 250);
        QCOMPARE(in.value(QStringLiteral("inspector/faults/blackHole")).toBool(), true);
        QCOMPARE(in.beginReadArray(QStringLiteral("clients")), 2);
        in.setArrayIndex(0);
        QCOMPARE(in.value(QStringLiteral("headers")).toString(), QStringLiteral("Authorization: <redacted>\nX-Lab: one"));
        QCOMPARE(in.value(QStringLiteral("maxAttempts")).toInt(), 3);
        QCOMPARE(in.value(QStringLiteral("composer/mode")).toString(), QStringLiteral("Text"));
        in.setArrayIndex(1);
        QCOMPARE(in.value(QStringLiteral("reconnect")).toBool(), false);
        QCOMPARE(in.value(QStringLiteral("ratio")).toDouble(), 0.5);
        QVERIFY(in.contains(QStringLiteral("note")));
        in.endArray();
        // The header is the format's own, not a setting.
        QVERIFY(!in.contains(QStringLiteral("format")));
        QVERIFY(!in.contains(QStringLiteral("version")));
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not JSON") << QByteArray("[server]\nport=9001\n") << QStringLiteral("not JSON");
        QTest::newRow("truncated") << QByteArray("{\"format\": \"wslab-session\", \"version\": 1, \"server\": {")
                                   << QStringLiteral("not JSON");
        QTest::newRow("not an object") << QByteArray("[1, 2]") << QStringLiteral("no JSON object");
        QTest::newRow("no format") << QByteArray("{\"version\": 1}") << QStringLiteral("has no \"format\"");
        QTest::newRow("another format") << QByteArray("{\"format\": \"wslab-lesson\", \"version\": 1}")
                                        << QStringLiteral("its format is \"wslab-lesson\"");
        QTest::newRow("no version") << QByteArray("{\"format\": \"wslab-session\"}") << QStringLiteral("\"version\" must be");
        QTest::newRow("version zero") << QByteArray("{\"format\": \"wslab-session\", \"version\": 0}")
                                      << QStringLiteral("\"version\" must be");
        QTest::newRow("newer version") << QByteArray("{\"format\": \"wslab-session\", \"version\": 2, \"savedBy\": \"WsLab 9.0\"}")
                                       << QStringLiteral("newer WsLab (WsLab 9.0, session version 2); this one opens versions up to 1");
        QTest::newRow("mixed array") << QByteArray("{\"format\": \"wslab-session\", \"version\": 1, \"clients\": [{}, \"x\"]}")
                                     << QStringLiteral("clients: an array must hold only strings or only objects");
        QTest::newRow("bad base64")
            << QByteArray("{\"format\": \"wslab-session\", \"version\": 1, \"window\": {\"geometry\": {\"base64\": \"*\"}}}")
            << QStringLiteral("window.geometry.base64: is not valid Base64");
    }

    void refusals()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = test::writeFile(dir, QStringLiteral("bad.wslab"), content);
        const QString error = SessionFile::check(path);
        QVERIFY2(error.contains(reason), qPrintable(error));
        // QSettings refuses it too, rather than reading half of it.
        QSettings in(path, SessionFile::format());
        QCOMPARE(in.status(), QSettings::FormatError);
        QVERIFY(in.allKeys().isEmpty());
    }

    void aMissingFileIsNamed()
    {
        const QString error = SessionFile::check(QStringLiteral("/nonexistent/lab.wslab"));
        QVERIFY2(error.startsWith(QStringLiteral("cannot read /nonexistent/lab.wslab")), qPrintable(error));
    }

    void anEmptySessionIsStillASession()
    {
        QSettings::SettingsMap map;
        QString error;
        QVERIFY2(SessionFile::fromJson(SessionFile::toJson({}), &map, &error), qPrintable(error));
        QVERIFY(map.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_SessionFile)
#include "tst_SessionFile.moc"
