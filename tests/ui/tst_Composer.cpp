// The composer alone, with a fake core behind it: what it hands over, what it refuses, and that a
// refusal is shown in red rather than lost.
#include "ui/composer/Composer.h"
#include "ui/style/LabColors.h"

#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QtTest>

using namespace wslab;

namespace {

struct Sent
{
    bool binary;
    QByteArray data;
};

} // namespace

class tst_Composer : public QObject
{
    Q_OBJECT

private:
    QList<Sent> m_sent;
    bool m_refuse = false;

    void attach(Composer &composer)
    {
        m_sent.clear();
        m_refuse = false;
        composer.setSendFunction([this](bool binary, const QByteArray &data, QString *error) {
            if (m_refuse) {
                *error = QStringLiteral("the outbox is full");
                return false;
            }
            m_sent.append({binary, data});
            return true;
        });
    }

    static void type(Composer &composer, const QString &text)
    {
        composer.editor()->setPlainText(text);
        QTest::keyClick(composer.editor(), Qt::Key_Return, Qt::ControlModifier);
    }

private Q_SLOTS:
    void textGoesOutAsUtf8()
    {
        Composer composer;
        attach(composer);
        type(composer, QStringLiteral("héllo"));
        QCOMPARE(m_sent.size(), 1);
        QVERIFY(!m_sent.first().binary);
        QCOMPARE(m_sent.first().data, QStringLiteral("héllo").toUtf8());
        QVERIFY(composer.editor()->toPlainText().isEmpty());
    }

    void malformedJsonIsRefusedWithLineAndColumn()
    {
        Composer composer;
        attach(composer);
        composer.setMode(Composer::Mode::Json);
        type(composer, QStringLiteral("{\n  \"ok\": true,\n  \"bad\": [1 2]\n}"));
        QVERIFY(m_sent.isEmpty());
        QVERIFY(composer.statusIsError());
        QVERIFY2(composer.statusText().contains(QStringLiteral("line 3, column")), qPrintable(composer.statusText()));
        QVERIFY(!composer.editor()->toPlainText().isEmpty());
        auto *status = composer.findChild<QLabel *>(QStringLiteral("composerStatus"));
        QVERIFY(status->styleSheet().contains(toneColor(Tone::Error).name()));
    }

    void binaryFromHexAndBase64()
    {
        Composer composer;
        attach(composer);
        composer.setMode(Composer::Mode::Hex);
        type(composer, QStringLiteral("de ad 0xbe,ef"));
        composer.setMode(Composer::Mode::Base64);
        type(composer, QStringLiteral("AAH+/w=="));
        type(composer, QStringLiteral("not base64!"));
        QCOMPARE(m_sent.size(), 2);
        QVERIFY(m_sent.at(0).binary && m_sent.at(1).binary);
        QCOMPARE(m_sent.at(0).data, QByteArray::fromHex("deadbeef"));
        QCOMPARE(m_sent.at(1).data, QByteArray("\x00\x01\xfe\xff", 4));
        QVERIFY(composer.statusIsError());
    }

    void aRefusedSendIsShownAndKept()
    {
        Composer composer;
        attach(composer);
        m_refuse = true;
        type(composer, QStringLiteral("will not fit"));
        QVERIFY(composer.statusIsError());
        QVERIFY2(composer.statusText().contains(QStringLiteral("the outbox is full")), qPrintable(composer.statusText()));
        QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("will not fit"));
    }

    void upAndDownWalkTheHistory()
    {
        Composer composer;
        attach(composer);
        type(composer, QStringLiteral("one"));
        type(composer, QStringLiteral("two\nlines"));
        QTest::keyClick(composer.editor(), Qt::Key_Up);
        QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("two\nlines"));
        // The cursor is now on the last line of a two-line message: Up moves it, it does not recall.
        QTest::keyClick(composer.editor(), Qt::Key_Up);
        QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("two\nlines"));
        QTest::keyClick(composer.editor(), Qt::Key_Up);
        QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("one"));
        QTest::keyClick(composer.editor(), Qt::Key_Down);
        QCOMPARE(composer.editor()->toPlainText(), QStringLiteral("two\nlines"));
        QTest::keyClick(composer.editor(), Qt::Key_Down);
        QVERIFY(composer.editor()->toPlainText().isEmpty());
    }

    void pingWithoutAConnectionSaysSo()
    {
        Composer composer;
        composer.setPingFunction([](QString *error) {
            *error = QStringLiteral("not open");
            return false;
        });
        composer.findChild<QPushButton *>(QStringLiteral("composerPing"))->click();
        QVERIFY(composer.statusIsError());
        QVERIFY(composer.statusText().contains(QStringLiteral("not open")));
    }
};

QTEST_MAIN(tst_Composer)
#include "tst_Composer.moc"
