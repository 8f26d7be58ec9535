// A teacher at a projector: View → Presentation mode makes every text bigger (the monospace panes
// too), the rows taller and the colours high-contrast; Ctrl+= and Ctrl+- scale the whole window; and
// the choice is there again at the next start.
#include "tests/support/Contrast.h"
#include "ui/composer/Composer.h"
#include "ui/log/LogView.h"
#include "ui/main/MainWindow.h"
#include "ui/server/ServerPanel.h"
#include "ui/style/LabColors.h"
#include "ui/style/TextScale.h"

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace wslab;

namespace {

using test::contrast;

QAction *action(MainWindow &window, const char *name)
{
    return window.findChild<QAction *>(QString::fromLatin1(name));
}

int timeColumnWidth(MainWindow &window)
{
    return window.serverPanel()->logView()->findChild<QTableView *>()->columnWidth(0);
}

int rowHeight(MainWindow &window)
{
    return window.serverPanel()->logView()->findChild<QTableView *>()->verticalHeader()->defaultSectionSize();
}

QFont editorFont(MainWindow &window)
{
    return window.findChild<Composer *>()->findChild<QPlainTextEdit *>()->font();
}

} // namespace

class tst_Presentation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup()
    {
        TextScale::apply(TextScale::kNormal);
        setHighContrastTones(false);
        QApplication::setPalette(QApplication::style()->standardPalette());
    }

    void presentationModeEnlargesEverythingAndComesBack()
    {
        MainWindow window({false, false});
        window.show();
        const qreal normalText = QApplication::font().pointSizeF();
        const qreal normalEditor = editorFont(window).pointSizeF();
        const int normalRow = rowHeight(window);
        const int normalTime = timeColumnWidth(window);

        action(window, "presentationMode")->trigger();
        QVERIFY(window.presenting());
        QCOMPARE(TextScale::percent(), TextScale::kPresentation);
        QVERIFY2(QApplication::font().pointSizeF() >= normalText * 1.7, qPrintable(QString::number(QApplication::font().pointSizeF())));
        // The monospace panes have a font of their own: they grow too.
        QVERIFY(editorFont(window).pointSizeF() >= normalEditor * 1.7);
        // Qt delivers the application font to widgets with an event: rows follow on the next turn of the loop.
        QTRY_VERIFY2(rowHeight(window) >= normalRow * 1.5, qPrintable(QStringLiteral("%1 -> %2").arg(normalRow).arg(rowHeight(window))));
        // The time column still fits its time.
        QTRY_VERIFY(timeColumnWidth(window) >= normalTime * 1.5);
        QVERIFY(highContrastTones());

        action(window, "presentationMode")->trigger();
        QVERIFY(!window.presenting());
        QCOMPARE(TextScale::percent(), TextScale::kNormal);
        QCOMPARE(QApplication::font().pointSizeF(), normalText);
        QCOMPARE(editorFont(window).pointSizeF(), normalEditor);
        QTRY_COMPARE(rowHeight(window), normalRow);
        QVERIFY(!highContrastTones());
    }

    void textSizeStepsUpAndDownFromTheKeyboard()
    {
        MainWindow window({false, false});
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        const qreal normalText = QApplication::font().pointSizeF();
        QTest::keyClick(&window, Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(TextScale::percent(), 110);
        QTest::keyClick(&window, Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(TextScale::percent(), 125);
        QVERIFY(QApplication::font().pointSizeF() > normalText);
        QTest::keyClick(&window, Qt::Key_Minus, Qt::ControlModifier);
        QCOMPARE(TextScale::percent(), 110);
        QTest::keyClick(&window, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(TextScale::percent(), TextScale::kNormal);
        QCOMPARE(QApplication::font().pointSizeF(), normalText);
        // Bounded both ways.
        for (int i = 0; i < 20; ++i)
            QTest::keyClick(&window, Qt::Key_Minus, Qt::ControlModifier);
        QCOMPARE(TextScale::percent(), TextScale::kSmallest);
        for (int i = 0; i < 20; ++i)
            QTest::keyClick(&window, Qt::Key_Equal, Qt::ControlModifier);
        QCOMPARE(TextScale::percent(), TextScale::kLargest);
    }

    void everyToneHoldsSevenToOneInPresentationMode()
    {
        setHighContrastTones(true);
        for (bool dark : {false, true}) {
            const QPalette palette = highContrastPalette(dark);
            QCOMPARE(isDarkPalette(palette), dark);
            for (Tone tone : allTones()) {
                for (QPalette::ColorRole background : {QPalette::Base, QPalette::Window, QPalette::AlternateBase}) {
                    const double ratio = contrast(toneColor(tone, palette), palette.color(background));
                    QVERIFY2(ratio >= 7.0, qPrintable(QStringLiteral("tone %1 on %2: %3:1")
                                                          .arg(int(tone))
                                                          .arg(palette.color(background).name())
                                                          .arg(ratio, 0, 'f', 2)));
                }
            }
            QVERIFY(contrast(palette.color(QPalette::Text), palette.color(QPalette::Base)) >= 15.0);
        }
    }

    void presentationModeAndTextSizeAreRemembered()
    {
        QTemporaryDir dir;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("WsLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("wslab-presentation-test"));
        {
            MainWindow window({true, false});
            window.setTextScale(125);
            window.setPresenting(true);
            QCOMPARE(TextScale::percent(), TextScale::kPresentation);
            window.close();
        }
        cleanup();
        {
            MainWindow again({true, false});
            QVERIFY(again.presenting());
            QCOMPARE(TextScale::percent(), TextScale::kPresentation);
            QVERIFY(highContrastTones());
            // Leaving presentation mode goes back to the size chosen before it, even after a restart.
            again.setPresenting(false);
            QCOMPARE(TextScale::percent(), 125);
            again.close();
        }
        cleanup();
        MainWindow third({true, false});
        QVERIFY(!third.presenting());
        QCOMPARE(TextScale::percent(), 125);
    }
};

QTEST_MAIN(tst_Presentation)
#include "tst_Presentation.moc"
