#pragma once

#include <QDialog>
#include <QImage>

class QLabel;

namespace wslab {

// A QR code of one address, as large as the dialog is, with the address written under it: made to be
// put on a projector and scanned by a room full of phones.
class QrDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QrDialog)
public:
    QrDialog(const QString &address, const QString &hint, QWidget *parent = nullptr);

    QString address() const { return m_address; }
    // At one pixel per module: the code itself, for tests and for copying.
    QImage code() const { return m_code; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void scaleCode();

    QString m_address;
    QImage m_code;
    QLabel *m_picture;
};

} // namespace wslab
