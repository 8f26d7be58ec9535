#pragma once

#include <QImage>
#include <QString>

namespace wslab {

// A QR code of text (UTF-8, error correction level M) as a black-on-white image with the quiet zone
// of four modules the standard asks for, each module moduleSize pixels square. A null image when the
// text is too long for any QR code.
QImage qrCodeImage(const QString &text, int moduleSize = 8);

} // namespace wslab
