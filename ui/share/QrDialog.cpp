#include "ui/share/QrDialog.h"

#include "ui/share/QrCode.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPixmap>
#include <QVBoxLayout>

namespace wslab {

QrDialog::QrDialog(const QString &address, const QString &hint, QWidget *parent)
    : QDialog(parent)
    , m_address(address)
    , m_code(qrCodeImage(address, 1))
    , m_picture(new QLabel(this))
{
    setObjectName(QStringLiteral("qrDialog"));
    setWindowTitle(tr("Scan to open %1").arg(address));
    m_picture->setObjectName(QStringLiteral("qrPicture"));
    m_picture->setAlignment(Qt::AlignCenter);
    m_picture->setMinimumSize(200, 200);
    m_picture->setAccessibleName(tr("QR code of %1").arg(address));
    // A QR code is read black on white whatever the window's colours.
    m_picture->setStyleSheet(QStringLiteral("background: white"));
    auto *text = new QLabel(address, this);
    text->setObjectName(QStringLiteral("qrAddress"));
    text->setAlignment(Qt::AlignCenter);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = text->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    text->setFont(big);
    auto *note = new QLabel(hint, this);
    note->setAlignment(Qt::AlignCenter);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_picture, 1);
    layout->addWidget(text);
    layout->addWidget(note);
    layout->addWidget(buttons);
    resize(480, 560);
}

void QrDialog::resizeEvent(QResizeEvent *event)
{
    QDialog::resizeEvent(event);
    scaleCode();
}

void QrDialog::scaleCode()
{
    if (m_code.isNull())
        return;
    // Whole pixels per module: a blurred edge between modules is what makes a camera hesitate.
    const int side = std::min(m_picture->width(), m_picture->height());
    const int perModule = std::max(1, side / m_code.width());
    m_picture->setPixmap(QPixmap::fromImage(m_code.scaled(m_code.size() * perModule, Qt::IgnoreAspectRatio, Qt::FastTransformation)));
}

} // namespace wslab
