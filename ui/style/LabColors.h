#pragma once

#include <QColor>
#include <QList>
#include <QPalette>
#include <QString>

class QWidget;

namespace wslab {

// Every colour the window uses to say something, in one place, each with a light and a dark variant
// so it stays readable on either palette (the variants are picked by the palette's window lightness).
enum class Tone {
    Error, // refusals, failures, heartbeat timeouts
    Success, // listening, open
    Muted, // stopped, not connected, pings and pongs in the log
    Waiting, // connecting, backoff, the outbox
    Closing, // close frames, closing, stopping
    Text, // text messages
    Binary, // binary messages
    Neutral, // handshakes, state changes, anything else
    // The fields of a frame's header in the inspector's hex view, its legend and the bit diagram.
    FrameFlags, // byte 0: FIN, RSV1-3, opcode
    FrameLength, // byte 1: MASK and the 7-bit payload length
    FrameExtendedLength, // the 16- or 64-bit extended length
    FrameMaskKey, // the 4-byte masking key
    FramePayload, // the payload
    Ping, // ping arrows in the sequence diagram, where they must stand apart from pongs
    Pong, // pong arrows in the sequence diagram
};
// Every tone, for the checks that each one is readable.
QList<Tone> allTones();

bool isDarkPalette(const QPalette &palette);
// Presentation mode: every tone from a third set that holds at least 7:1 (WCAG AAA) against the
// high-contrast palettes, for a projector in a bright room.
void setHighContrastTones(bool on);
bool highContrastTones();
// The colour of a tone on the given palette (the application's when none is given).
QColor toneColor(Tone tone, const QPalette &palette);
QColor toneColor(Tone tone);
// "color: #rrggbb;" (bold on request) for a label's style sheet, on the application's palette.
QString toneStyle(Tone tone, bool bold = false);
// Colours a widget's text with a tone and remembers it, so reapplyTones can follow a palette change.
void setTone(QWidget *widget, Tone tone, bool bold = false);
void clearTone(QWidget *widget);
// Re-colours every widget below root that setTone coloured, for the palette now in force.
void reapplyTones(QWidget *root);
// A dark palette for the Fusion style: View → Dark colours, and the screenshots' dark variant.
QPalette darkPalette();
// Presentation mode's palettes: black on white, or white on black with dark colours; the widest
// contrast a projector can keep.
QPalette highContrastPalette(bool dark);

} // namespace wslab
