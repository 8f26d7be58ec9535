#include "core/server/Server.h"
#include "ui/server/ServerPanel.h"
#include "ui/share/QrCode.h"
#include "ui/share/QrDialog.h"

#include "tests/support/Screenshot.h"

#include <QApplication>
#include <QLabel>
#include <QTest>
#include <QToolButton>

#define ZX_USE_UTF8
#include <ZXing/ReadBarcode.h>

// The Share field's QR code, read back by ZXing (a decoder no one here wrote) and compared with the
// address it was made from.

using namespace wslab;

namespace {

QString decode(const QImage &picture)
{
    const QImage gray = picture.convertToFormat(QImage::Format_Grayscale8);
    const ZXing::ImageView view(gray.constBits(), gray.width(), gray.height(), ZXing::ImageFormat::Lum, int(gray.bytesPerLine()));
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    const ZXing::Result result = ZXing::ReadBarcode(view, hints);
    return result.isValid() ? QString::fromStdString(result.text()) : QString();
}

} // namespace

class tst_QrCode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decodesToTheText_data();
    void decodesToTheText();
    void tooLongIsNull();
    void shareShowsThePagesAddress();
    void noPageNoCode();
};

void tst_QrCode::decodesToTheText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("moduleSize");
    QTest::newRow("LAN page") << QStringLiteral("http://192.168.1.20:8080/") << 8;
    QTest::newRow("tls page, small modules") << QStringLiteral("https://10.0.0.1:8443/") << 2;
    QTest::newRow("IPv6 literal") << QStringLiteral("http://[fe80::1]:8080/") << 4;
    QTest::newRow("long path and query") << QStringLiteral("http://10.0.0.1:8080/") + QString(400, u'a') + QStringLiteral("?token=T") << 3;
    QTest::newRow("non-ASCII") << QStringLiteral("http://10.0.0.1:8080/#salle-café") << 4;
}

void tst_QrCode::decodesToTheText()
{
    QFETCH(QString, text);
    QFETCH(int, moduleSize);
    const QImage image = qrCodeImage(text, moduleSize);
    QVERIFY(!image.isNull());
    QCOMPARE(image.width() % moduleSize, 0);
    // The quiet zone: four white modules on every side.
    QCOMPARE(qGray(image.pixel(4 * moduleSize - 1, 4 * moduleSize - 1)), 255);
    QCOMPARE(qGray(image.pixel(4 * moduleSize, 4 * moduleSize)), 0); // a finder pattern's corner
    QCOMPARE(decode(image), text);
}

void tst_QrCode::tooLongIsNull()
{
    QVERIFY(qrCodeImage(QString(5000, u'x')).isNull());
}

void tst_QrCode::shareShowsThePagesAddress()
{
    ServerPanel panel;
    panel.show();
    panel.setHost(QStringLiteral("127.0.0.1"));
    panel.setPort(0);
    panel.setMode(ServerMode::Chat);
    QVERIFY(panel.start());
    const QString page = QStringLiteral("http://127.0.0.1:%1/").arg(panel.server()->port());
    QCOMPARE(panel.pageAddress(), page);
    auto *button = panel.findChild<QToolButton *>(QStringLiteral("serverShowQr"));
    QVERIFY(button);
    QVERIFY(button->isEnabled());
    button->click();
    QrDialog *dialog = panel.findChild<QrDialog *>();
    QVERIFY(dialog);
    QCOMPARE(dialog->address(), page);
    QCOMPARE(decode(dialog->code().scaled(dialog->code().size() * 4)), page);
    // What is on screen, at the size the dialog gave it.
    dialog->resize(600, 700);
    QTRY_VERIFY(!dialog->findChild<QLabel *>(QStringLiteral("qrPicture"))->pixmap().isNull());
    const QImage shown = dialog->findChild<QLabel *>(QStringLiteral("qrPicture"))->pixmap().toImage();
    QVERIFY(shown.width() >= 200);
    QCOMPARE(decode(shown), page);
    test::saveScreenshot(QStringLiteral("share-qr.png"), {&panel, dialog});
    dialog->close();
}

void tst_QrCode::noPageNoCode()
{
    ServerPanel panel;
    panel.setHost(QStringLiteral("127.0.0.1"));
    panel.setPort(0);
    panel.setMode(ServerMode::Echo);
    QVERIFY(panel.start());
    auto *button = panel.findChild<QToolButton *>(QStringLiteral("serverShowQr"));
    QVERIFY(!button->isEnabled());
    QVERIFY(panel.pageAddress().isEmpty());
    // The mode changes while running: the page is served from then on, and the code is there.
    panel.setMode(ServerMode::Chat);
    QTRY_VERIFY(button->isEnabled());
}

QTEST_MAIN(tst_QrCode)
#include "tst_QrCode.moc"
