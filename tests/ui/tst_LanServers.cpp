#include "core/discovery/Announcement.h"
#include "core/discovery/Discovery.h"
#include "core/server/Server.h"
#include "ui/client/ClientPanel.h"
#include "ui/main/MainWindow.h"
#include "ui/server/ServerPanel.h"

#include "tests/support/Beacons.h"
#include "tests/support/Screenshot.h"

#include <QAbstractItemView>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// The window's side of LAN discovery: servers heard on the LAN in every client's URL box, and the
// server's name and announce switch. Beacons are handed to the window's Discovery directly; the
// window in a test never joins the multicast group (MainWindow::Options::discoverLan is off).

using namespace std::chrono_literals;
using namespace wslab;

namespace {

const QHostAddress kSender(QStringLiteral("10.0.0.1"));

} // namespace

class tst_LanServers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void urlBoxListsServersOnTheLan();
    void nameAndAnnounceAreSettings();
};

void tst_LanServers::urlBoxListsServersOnTheLan()
{
    MainWindow window({false, false});
    window.show();
    QVERIFY(!window.lanDiscovery()->isRunning());
    ClientPanel *panel = window.clientPanels().first();
    auto *box = panel->findChild<QComboBox *>(QStringLiteral("clientUrl"));
    QVERIFY(box);
    panel->setRecentUrls({QStringLiteral("ws://127.0.0.1:9/")});
    QVERIFY(panel->lanServerUrls().isEmpty());
    QVERIFY(box->findText(QStringLiteral("Servers on this LAN: none heard yet")) >= 0);

    window.lanDiscovery()->handleDatagram(
        wslab::test::helloDatagram(QStringLiteral("ws://10.0.0.1:8080/"), QStringLiteral("Lab"), QStringLiteral("chat")), kSender);
    QCOMPARE(panel->lanServerUrls(), QList<QUrl>{QUrl(QStringLiteral("ws://10.0.0.1:8080/"))});
    const int row = box->findText(QStringLiteral("Lab (chat) — ws://10.0.0.1:8080/"));
    QVERIFY(row >= 0);
    QVERIFY(box->findText(QStringLiteral("Servers on this LAN")) >= 0);
    // The recent URLs stay what they were: a LAN server is not one of them.
    QCOMPARE(panel->recentUrls(), QStringList{QStringLiteral("ws://127.0.0.1:9/")});

    // Chosen from the box's list as a user does: the box then holds the bare URL.
    panel->setUrl(QStringLiteral("something typed"));
    box->showPopup();
    QAbstractItemView *list = box->view();
    QTRY_VERIFY(list->isVisible());
    test::saveScreenshot(QStringLiteral("lan-servers.png"), {&window, list});
    const QRect item = list->visualRect(list->model()->index(row, 0));
    QVERIFY(item.isValid());
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, item.center());
    QCOMPARE(panel->url(), QStringLiteral("ws://10.0.0.1:8080/"));

    // A client added later lists it too; a bye takes it off every list, and what was typed stays.
    ClientPanel *second = window.addClient();
    QCOMPARE(second->lanServerUrls().size(), 1);
    second->setUrl(QStringLiteral("ws://typed.example:1/"));
    window.lanDiscovery()->handleDatagram(wslab::test::byeDatagram(QStringLiteral("ws://10.0.0.1:8080/")), kSender);
    QVERIFY(panel->lanServerUrls().isEmpty());
    QVERIFY(second->lanServerUrls().isEmpty());
    QCOMPARE(second->url(), QStringLiteral("ws://typed.example:1/"));
}

void tst_LanServers::nameAndAnnounceAreSettings()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    {
        ServerPanel panel;
        auto *name = panel.findChild<QLineEdit *>(QStringLiteral("serverName"));
        auto *announce = panel.findChild<QCheckBox *>(QStringLiteral("serverAnnounce"));
        QVERIFY(name && announce);
        QVERIFY(announce->isChecked()); // on by default; loopback stays quiet anyway
        name->setText(QStringLiteral("Room 12"));
        announce->setChecked(false);
        QString error;
        const ServerConfig config = panel.configFromForm(&error);
        QCOMPARE(config.name, QStringLiteral("Room 12"));
        QVERIFY(!config.announce);
        panel.saveSettings(settings, SecretsInSave::SecretValuesLeftOut);

        // Like every other setting, locked while the server runs.
        panel.setPort(0);
        QVERIFY(panel.start());
        QVERIFY(!name->isEnabled());
        QVERIFY(!announce->isEnabled());
        QVERIFY(announce->toolTip().startsWith(u"Stop the server"));
        QVERIFY(panel.server()->announcedUrls().isEmpty()); // 127.0.0.1
        panel.stop();
        QVERIFY(name->isEnabled());
    }
    ServerPanel restored;
    restored.restoreSettings(settings);
    QCOMPARE(restored.findChild<QLineEdit *>(QStringLiteral("serverName"))->text(), QStringLiteral("Room 12"));
    QVERIFY(!restored.findChild<QCheckBox *>(QStringLiteral("serverAnnounce"))->isChecked());
}

QTEST_MAIN(tst_LanServers)
#include "tst_LanServers.moc"
