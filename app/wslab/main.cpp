#include "client/ClientPanel.h"
#include "log/LogView.h"
#include "main/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTableView>
#include <QTimer>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("WsLab"));
    QApplication::setApplicationName(QStringLiteral("wslab"));
    QApplication::setApplicationVersion(QStringLiteral(WSLAB_VERSION));
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/wslab-%1.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(icon);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("WsLab: a desktop lab for WebSockets"));
    parser.addHelpOption();
    parser.addVersionOption();
    // For scripts/screenshot.sh: grab the window after a delay, write it, quit.
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Save a picture of the window to FILE and quit."), QStringLiteral("FILE"));
    const QCommandLineOption delay(QStringLiteral("screenshot-delay"), QStringLiteral("Wait MS before the picture (default 3000)."), QStringLiteral("MS"), QStringLiteral("3000"));
    parser.addOptions({screenshot, delay});
    parser.process(app);

    wslab::MainWindow window(wslab::MainWindow::Options{});
    window.show();
    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        QTimer::singleShot(parser.value(delay).toInt(), &window, [&window, path] {
            // Show the detail pane at work: the last message the first client received.
            if (!window.clientPanels().isEmpty()) {
                QTableView *table = window.clientPanels().first()->logView()->table();
                table->selectRow(table->model()->rowCount() - 1);
            }
            const bool saved = window.grab().save(path);
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
