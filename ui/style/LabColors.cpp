#include "ui/style/LabColors.h"

#include <QGuiApplication>
#include <QVariant>
#include <QWidget>

namespace wslab {

namespace {

struct Pair
{
    QRgb light;
    QRgb dark;
};

bool g_highContrast = false;

// Each variant holds at least 4.5:1 (WCAG AA for text) against its palette's base, window and
// alternate row colours; tst_FirstHour checks it.
Pair pairFor(Tone tone)
{
    switch (tone) {
    case Tone::Error:
        return {0xb01a25, 0xff7b72};
    case Tone::Success:
        return {0x17703a, 0x56d364};
    case Tone::Muted:
        return {0x56616a, 0xa7b1b9};
    case Tone::Waiting:
        return {0x755c00, 0xe3b341};
    case Tone::Closing:
        return {0x9c4f00, 0xffa657};
    case Tone::Text:
        return {0x1f4e8c, 0x79c0ff};
    case Tone::Binary:
        return {0x6a3d9a, 0xd2a8ff};
    case Tone::Neutral:
        return {0x444444, 0xd0d7de};
    case Tone::FrameFlags:
        return {0x006a6a, 0x4fd1c5};
    case Tone::FrameLength:
        return {0x9b1c6c, 0xff85c0};
    case Tone::FrameExtendedLength:
        return {0x3b3fb6, 0x9ea4ff};
    case Tone::FrameMaskKey:
        return {0xa13800, 0xff9e64};
    case Tone::FramePayload:
        return {0x2f6b1f, 0x8fd16a};
    case Tone::Ping:
        return {0x00696b, 0x39c5cf};
    case Tone::Pong:
        return {0xa4135e, 0xff7eb6};
    }
    return {0x000000, 0xffffff};
}

// At least 7:1 against the high-contrast palettes' base and alternate rows; tst_Presentation checks it.
Pair highContrastPairFor(Tone tone)
{
    switch (tone) {
    case Tone::Error:
        return {0x8b0000, 0xffa198};
    case Tone::Success:
        return {0x0a5227, 0x7ee787};
    case Tone::Muted:
        return {0x383f45, 0xc9d1d9};
    case Tone::Waiting:
        return {0x574300, 0xf2cc60};
    case Tone::Closing:
        return {0x6e3800, 0xffb77c};
    case Tone::Text:
        return {0x143663, 0xa5d6ff};
    case Tone::Binary:
        return {0x45266a, 0xe2c5ff};
    case Tone::Neutral:
        return {0x1f1f1f, 0xf0f6fc};
    case Tone::FrameFlags:
        return {0x004a4a, 0x81e6d9};
    case Tone::FrameLength:
        return {0x6d0f4a, 0xffb3d9};
    case Tone::FrameExtendedLength:
        return {0x272a8a, 0xc4c7ff};
    case Tone::FrameMaskKey:
        return {0x7a2a00, 0xffc49c};
    case Tone::FramePayload:
        return {0x1f4d14, 0xb5e59a};
    case Tone::Ping:
        return {0x004c4e, 0x7ee0e6};
    case Tone::Pong:
        return {0x7a0c45, 0xffb3d6};
    }
    return {0x000000, 0xffffff};
}

} // namespace

QList<Tone> allTones()
{
    return {Tone::Error,
            Tone::Success,
            Tone::Muted,
            Tone::Waiting,
            Tone::Closing,
            Tone::Text,
            Tone::Binary,
            Tone::Neutral,
            Tone::Ping,
            Tone::Pong,
            Tone::FrameFlags,
            Tone::FrameLength,
            Tone::FrameExtendedLength,
            Tone::FrameMaskKey,
            Tone::FramePayload};
}

void setHighContrastTones(bool on)
{
    g_highContrast = on;
}

bool highContrastTones()
{
    return g_highContrast;
}

bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor toneColor(Tone tone, const QPalette &palette)
{
    const Pair pair = g_highContrast ? highContrastPairFor(tone) : pairFor(tone);
    return QColor::fromRgb(isDarkPalette(palette) ? pair.dark : pair.light);
}

QColor toneColor(Tone tone)
{
    return toneColor(tone, QGuiApplication::palette());
}

QString toneStyle(Tone tone, bool bold)
{
    return QStringLiteral("color: %1;%2").arg(toneColor(tone).name(), bold ? QStringLiteral(" font-weight: bold;") : QString());
}

namespace {
constexpr const char *kToneProperty = "wslabTone";
constexpr const char *kBoldProperty = "wslabToneBold";
} // namespace

void setTone(QWidget *widget, Tone tone, bool bold)
{
    widget->setProperty(kToneProperty, int(tone));
    widget->setProperty(kBoldProperty, bold);
    widget->setStyleSheet(toneStyle(tone, bold));
}

void clearTone(QWidget *widget)
{
    widget->setProperty(kToneProperty, QVariant());
    widget->setStyleSheet(QString());
}

void reapplyTones(QWidget *root)
{
    const auto widgets = root->findChildren<QWidget *>();
    for (QWidget *w : widgets) {
        const QVariant tone = w->property(kToneProperty);
        if (tone.isValid())
            w->setStyleSheet(toneStyle(Tone(tone.toInt()), w->property(kBoldProperty).toBool()));
    }
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b);
    const QColor base(0x1e, 0x1e, 0x1e);
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabledText(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x7b, 0x72));
    p.setColor(QPalette::Link, QColor(0x79, 0xc0, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x26, 0x4f, 0x78));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Light, QColor(0x50, 0x50, 0x50));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x40, 0x40));
    p.setColor(QPalette::Mid, QColor(0x30, 0x30, 0x30));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x18));
    p.setColor(QPalette::Shadow, QColor(0x00, 0x00, 0x00));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabledText);
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    return p;
}

QPalette highContrastPalette(bool dark)
{
    QPalette p = dark ? darkPalette() : QPalette(QColor(0xf0, 0xf0, 0xf0), QColor(0xff, 0xff, 0xff));
    const QColor ink = dark ? QColor(0xff, 0xff, 0xff) : QColor(0x00, 0x00, 0x00);
    const QColor paper = dark ? QColor(0x00, 0x00, 0x00) : QColor(0xff, 0xff, 0xff);
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::ToolTipText}) {
        p.setColor(QPalette::Active, role, ink);
        p.setColor(QPalette::Inactive, role, ink);
    }
    p.setColor(QPalette::Base, paper);
    p.setColor(QPalette::Window, dark ? QColor(0x0a, 0x0a, 0x0a) : QColor(0xf7, 0xf7, 0xf7));
    p.setColor(QPalette::AlternateBase, dark ? QColor(0x14, 0x14, 0x14) : QColor(0xeb, 0xeb, 0xeb));
    p.setColor(QPalette::ToolTipBase, paper);
    p.setColor(QPalette::Highlight, dark ? QColor(0x1f, 0x6f, 0xeb) : QColor(0x00, 0x3d, 0x99));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    return p;
}

} // namespace wslab
