#pragma once

#include "core/log/LogEvent.h"
#include "core/protocol/Frame.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace wslab {

// One field of a frame as it sits on the wire: its bytes, and its bits counted as RFC 6455 §5.2 counts
// them (bit 0 is the most significant bit of the frame's first byte), so a hex view can colour it and a
// bit diagram can draw it.
struct FrameField
{
    enum class Id { Fin, Rsv1, Rsv2, Rsv3, Opcode, Mask, PayloadLength, ExtendedLength, MaskingKey, Payload };

    Id id = Id::Fin;
    QString name; // "FIN", "Opcode", "Masking key"
    QString value; // "1", "0x1 Text", "37 fa 21 3d", "Hello"
    ByteRange bytes; // the whole bytes the field touches
    qint64 bitOffset = 0;
    qint64 bitCount = 0;
    quint64 number = 0; // the field's bits as a number; 0 for the payload
};

// One payload byte unmasked by hand (RFC 6455 §5.3): masked XOR key[index mod 4] = unmasked.
struct UnmaskStep
{
    qint64 index = 0;
    quint8 masked = 0;
    int keyIndex = 0; // index mod 4
    quint8 keyByte = 0;
    quint8 unmasked = 0;
    // What the byte reads as: an ASCII character, the whole character on the first byte of a UTF-8
    // sequence ("é"), "(cont.)" on its following bytes, an escape such as "\n", or empty.
    QString character;
};

// A frame's payload on one line, as its opcode says to read it: a close's code and reason, binary or
// compressed bytes in hex, text as text; at most previewChars characters.
QString framePayloadPreview(const LogEvent::FrameHeader &header, const QByteArray &payload, int previewChars);

// A frame rebuilt from what the relay logged of it (header fields, payload size and the unmasked
// payload): its bytes exactly as they travelled and every field named with where it sits. The length
// encoding is the one the sender chose, deduced from the header size, even when not minimal.
class FrameLayout
{
public:
    FrameLayout() = default;
    FrameLayout(const LogEvent::FrameHeader &header, qint64 payloadLength, const QByteArray &unmaskedPayload);
    // An empty layout (isValid() false) for any event that is not a Frame.
    static FrameLayout fromEvent(const LogEvent &event);

    bool isValid() const { return m_valid; }
    // The header, then the payload masked again with its key. Only the payload the log kept: shorter
    // than the frame when the payload was cut (isPayloadCut()).
    const QByteArray &wireBytes() const { return m_wire; }
    int headerSize() const { return m_headerSize; }
    qint64 payloadLength() const { return m_payloadLength; }
    bool isPayloadCut() const { return m_payload.size() < m_payloadLength; }
    bool isMasked() const { return m_header.masked; }
    int opcode() const { return m_header.opcode; }
    MaskKey maskKey() const;
    LengthEncoding lengthEncoding() const { return m_encoding; }

    // In wire order: FIN, RSV1, RSV2, RSV3, opcode, MASK, payload length, then the extended length and
    // masking key when present, then the payload.
    const QList<FrameField> &fields() const { return m_fields; }
    const FrameField *field(FrameField::Id id) const;
    // The field a wire byte belongs to; for bytes 0 and 1, which hold several, the first of them.
    const FrameField *fieldAtByte(qint64 offset) const;

    // The first `count` payload bytes unmasked one by one (fewer when the payload is shorter); for an
    // unmasked frame the key byte is 0 and nothing changes.
    QList<UnmaskStep> unmasking(int count) const;

private:
    LogEvent::FrameHeader m_header;
    qint64 m_payloadLength = 0;
    QByteArray m_payload;
    QByteArray m_wire;
    int m_headerSize = 0;
    LengthEncoding m_encoding = LengthEncoding::Bits7;
    QList<FrameField> m_fields;
    bool m_valid = false;
};

} // namespace wslab
