#include "ui/share/QrCode.h"

#include <qrcodegen.hpp>

#include <stdexcept>

namespace wslab {

namespace {

constexpr int kQuietModules = 4;

} // namespace

QImage qrCodeImage(const QString &text, int moduleSize)
{
    moduleSize = std::max(moduleSize, 1);
    const QByteArray utf8 = text.toUtf8();
    try {
        // Level M survives a smudged or glare-struck projector picture yet keeps a URL's code small.
        const qrcodegen::QrCode code = qrcodegen::QrCode::encodeText(utf8.constData(), qrcodegen::QrCode::Ecc::MEDIUM);
        const int modules = code.getSize() + 2 * kQuietModules;
        QImage image(modules * moduleSize, modules * moduleSize, QImage::Format_Grayscale8);
        image.fill(255);
        for (int y = 0; y < code.getSize(); ++y) {
            for (int x = 0; x < code.getSize(); ++x) {
                if (!code.getModule(x, y))
                    continue;
                for (int dy = 0; dy < moduleSize; ++dy) {
                    uchar *line = image.scanLine((y + kQuietModules) * moduleSize + dy);
                    std::fill_n(line + (x + kQuietModules) * moduleSize, moduleSize, uchar(0));
                }
            }
        }
        return image;
    } catch (const qrcodegen::data_too_long &) {
        return {};
    }
}

} // namespace wslab
