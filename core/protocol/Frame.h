#pragma once

#include "core/protocol/ProtocolViolation.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <optional>

namespace wslab {

// The opcodes of RFC 6455 §5.2. A frame keeps its opcode as a plain number: reserved ones can arrive.
namespace Opcode {
enum Known : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};
// "Text", "Ping", "Reserved (0x3)"
QString name(int opcode);
inline bool isControl(int opcode)
{
    return (opcode & 0x8) != 0;
}
inline bool isReserved(int opcode)
{
    return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB;
}
} // namespace Opcode

using MaskKey = std::array<quint8, 4>;

// How the payload length was written: in the second byte's 7 bits, or as 126 + 16 bits, or 127 + 64 bits.
enum class LengthEncoding { Bits7, Bits16, Bits64 };

// A run of bytes inside one frame, counted from the frame's first byte.
struct ByteRange
{
    qint64 offset = 0;
    qint64 length = 0;
    bool isEmpty() const { return length == 0; }
    friend bool operator==(const ByteRange &, const ByteRange &) = default;
};

// A data message put back together from its frames: the payload of all fragments, inflated when it was
// sent compressed (permessage-deflate).
struct Message
{
    quint8 opcode = Opcode::Text; // Text or Binary
    QByteArray payload;
    bool compressed = false;
    int frameCount = 0;
    qint64 wirePayloadBytes = 0; // the payload bytes its frames carried (compressed size)
};

// One decoded frame with every field of its header and where each sits, for a hex view to highlight.
struct Frame
{
    qint64 streamOffset = 0; // where the frame starts in its direction's byte stream

    bool fin = false;
    bool rsv1 = false;
    bool rsv2 = false;
    bool rsv3 = false;
    quint8 opcode = 0;
    bool masked = false;
    MaskKey maskKey{};
    quint64 payloadLength = 0; // as declared by the header
    LengthEncoding lengthEncoding = LengthEncoding::Bits7;
    int headerSize = 0;
    std::array<quint8, 14> header{}; // the header bytes as sent (headerSize of them)

    // Unmasked. For a compressed data frame these are the compressed bytes; the message has the text.
    // Shorter than payloadLength only when a violation stopped the decoder before the payload.
    QByteArray payload;

    struct Ranges
    {
        ByteRange finRsvOpcode; // byte 0
        ByteRange maskAndLength; // byte 1
        ByteRange extendedLength; // 2 or 8 bytes, or empty
        ByteRange maskKey; // 4 bytes, or empty
        ByteRange payload;
    } ranges;

    // A close frame's body (RFC 6455 §5.5.1): 0 when it carried no code (reported as 1005).
    int closeCode = 0;
    QString closeReason;

    // Set on the frame that completes a data message (the final frame of a Text or Binary message).
    std::optional<Message> message;

    // The first rule this frame broke, if any.
    ProtocolViolation violation;

    bool isControl() const { return Opcode::isControl(opcode); }
    qint64 size() const { return headerSize + qint64(payloadLength); }
    // The frame as it travelled: the header, then the payload masked again with its key.
    QByteArray wireBytes() const;
};

// XORs `size` bytes with the mask key, starting at `phase` (the payload offset modulo 4). Used in place
// (dst == src) or copying; works a machine word at a time.
void applyMask(char *dst, const char *src, qsizetype size, const MaskKey &key, int phase = 0);

} // namespace wslab
