#pragma once

#include <QColor>

#include <cmath>

namespace wslab::test {

// WCAG 2 contrast ratio of two colours (1:1 to 21:1): 4.5 is the least for text (AA), 7 for AAA.
inline double contrast(const QColor &a, const QColor &b)
{
    auto luminance = [](const QColor &c) {
        auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
    };
    const double x = luminance(a) + 0.05;
    const double y = luminance(b) + 0.05;
    return x > y ? x / y : y / x;
}

} // namespace wslab::test
