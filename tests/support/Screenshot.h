#pragma once

// For pictures of the window at a given moment of a test, as the browser test does for the chat page:
// with WSLAB_SCREENSHOT_DIR set (and a real display: xvfb-run with QT_QPA_PLATFORM=xcb), the whole
// screen, popups and dialogs included, is written there as NAME. Without it, nothing happens.

#include <QDir>
#include <QGuiApplication>
#include <QPixmap>
#include <QScreen>
#include <QTest>
#include <QWidget>

namespace wslab::test {

// The picture waits until each of shown has been painted on the screen.
inline void saveScreenshot(const QString &name, const QList<QWidget *> &shown)
{
    const QString dir = qEnvironmentVariable("WSLAB_SCREENSHOT_DIR");
    if (dir.isEmpty() || !QGuiApplication::primaryScreen())
        return;
    for (QWidget *widget : shown) {
        QVERIFY(QTest::qWaitForWindowExposed(widget->window()));
        widget->window()->repaint();
    }
    QGuiApplication::primaryScreen()->grabWindow(0).save(QDir(dir).filePath(name));
}

} // namespace wslab::test
