#include "core/protocol/FrameLayout.h"

#include "core/log/EventFormat.h"
#include "core/protocol/CloseCode.h"
#include "core/protocol/FrameEncoder.h"

#include <QtEndian>

namespace wslab {

namespace {

QString hexBytes(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex(' '));
}

// What a byte at `index` of an unmasked payload reads as, for a person following the unmasking.
QString characterAt(const QByteArray &payload, qsizetype index)
{
    const auto b = quint8(payload.at(index));
    if (b >= 0x20 && b < 0x7f)
        return QString(QChar::fromLatin1(char(b)));
    switch (b) {
    case '\n':
        return QStringLiteral("\\n");
    case '\r':
        return QStringLiteral("\\r");
    case '\t':
        return QStringLiteral("\\t");
    default:
        break;
    }
    if ((b & 0xC0) == 0x80)
        return QStringLiteral("(cont.)");
    const int length = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (length == 0 || index + length > payload.size())
        return {};
    const QString decoded = QString::fromUtf8(payload.mid(index, length));
    return decoded.contains(QChar::ReplacementCharacter) ? QString() : decoded;
}

} // namespace

QString framePayloadPreview(const LogEvent::FrameHeader &header, const QByteArray &payload, int previewChars)
{
    if (payload.isEmpty())
        return QStringLiteral("(empty)");
    if (header.opcode == Opcode::Close && payload.size() >= 2) {
        const int code = qFromBigEndian<quint16>(payload.constData());
        return payload.size() > 2
                   ? CloseCode::describe(code) + QStringLiteral(" — ") + EventFormat::textPreview(payload.mid(2), previewChars)
                   : CloseCode::describe(code);
    }
    // Compressed (RSV1, permessage-deflate) bytes are not the text yet; binary, or text that is not
    // UTF-8, reads better as hex.
    if ((header.rsv & 4) || header.opcode == Opcode::Binary || QString::fromUtf8(payload).contains(QChar::ReplacementCharacter))
        return EventFormat::hexPreview(payload, previewChars / 3);
    return EventFormat::textPreview(payload, previewChars);
}

FrameLayout::FrameLayout(const LogEvent::FrameHeader &header, qint64 payloadLength, const QByteArray &unmaskedPayload)
    : m_header(header)
    , m_payloadLength(payloadLength)
    , m_payload(unmaskedPayload)
    , m_valid(true)
{
    // The header size tells which length encoding the sender used, minimal or not; a header size that
    // fits none (an event from an older log) falls back to the minimal one.
    const int extended = header.headerSize - 2 - (header.masked ? 4 : 0);
    std::optional<LengthEncoding> encoding;
    if (extended == 0 && payloadLength < 126)
        encoding = LengthEncoding::Bits7;
    else if (extended == 2 && payloadLength <= 0xFFFF)
        encoding = LengthEncoding::Bits16;
    else if (extended == 8)
        encoding = LengthEncoding::Bits64;

    FrameEncoder::Fields fields;
    fields.fin = header.fin;
    fields.rsv1 = header.rsv & 4;
    fields.rsv2 = header.rsv & 2;
    fields.rsv3 = header.rsv & 1;
    fields.opcode = header.opcode;
    if (header.masked)
        fields.mask = maskKey();
    fields.lengthEncoding = encoding;
    fields.declaredLength = quint64(payloadLength);
    m_wire = FrameEncoder::encode(fields, m_payload);

    const auto byte1 = quint8(m_wire.at(1));
    const int length7 = byte1 & 0x7F;
    const int extendedBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    m_encoding = length7 == 126 ? LengthEncoding::Bits16 : length7 == 127 ? LengthEncoding::Bits64 : LengthEncoding::Bits7;
    m_headerSize = 2 + extendedBytes + (header.masked ? 4 : 0);

    auto add = [this](FrameField::Id id, const QString &name, const QString &value, qint64 bitOffset, qint64 bitCount, quint64 number) {
        FrameField f;
        f.id = id;
        f.name = name;
        f.value = value;
        f.bitOffset = bitOffset;
        f.bitCount = bitCount;
        f.bytes = {bitOffset / 8, (bitOffset + bitCount + 7) / 8 - bitOffset / 8};
        f.number = number;
        m_fields.append(f);
    };
    const QString lengthNote = length7 == 126   ? QStringLiteral("126 (a 16-bit length follows)")
                               : length7 == 127 ? QStringLiteral("127 (a 64-bit length follows)")
                                                : QString::number(length7);
    add(FrameField::Id::Fin, QStringLiteral("FIN"), QString::number(int(header.fin)), 0, 1, header.fin);
    add(FrameField::Id::Rsv1, QStringLiteral("RSV1"), QString::number(header.rsv >> 2 & 1), 1, 1, header.rsv >> 2 & 1);
    add(FrameField::Id::Rsv2, QStringLiteral("RSV2"), QString::number(header.rsv >> 1 & 1), 2, 1, header.rsv >> 1 & 1);
    add(FrameField::Id::Rsv3, QStringLiteral("RSV3"), QString::number(header.rsv & 1), 3, 1, header.rsv & 1);
    add(FrameField::Id::Opcode, QStringLiteral("Opcode"),
        QStringLiteral("0x%1 %2").arg(QString::number(header.opcode, 16).toUpper(), Opcode::name(header.opcode)), 4, 4, header.opcode);
    add(FrameField::Id::Mask, QStringLiteral("Mask"), QString::number(int(header.masked)), 8, 1, header.masked);
    add(FrameField::Id::PayloadLength, QStringLiteral("Payload length"), lengthNote, 9, 7, quint64(length7));
    if (extendedBytes > 0) {
        add(FrameField::Id::ExtendedLength, QStringLiteral("Extended payload length"), QString::number(payloadLength), 16,
            extendedBytes * 8, quint64(payloadLength));
    }
    if (header.masked) {
        add(FrameField::Id::MaskingKey, QStringLiteral("Masking key"), hexBytes(m_wire.mid(2 + extendedBytes, 4)), (2 + extendedBytes) * 8,
            32, header.maskKey);
    }
    QString payloadText = framePayloadPreview(header, m_payload, 200);
    if (isPayloadCut())
        payloadText += QStringLiteral(" (the log kept %1 of %2 bytes)").arg(m_payload.size()).arg(payloadLength);
    add(FrameField::Id::Payload, QStringLiteral("Payload"), payloadText, qint64(m_headerSize) * 8, payloadLength * 8, 0);
}

FrameLayout FrameLayout::fromEvent(const LogEvent &event)
{
    if (event.kind != EventKind::Frame)
        return {};
    return FrameLayout(event.frame, event.size, event.payload);
}

MaskKey FrameLayout::maskKey() const
{
    const quint32 k = m_header.maskKey;
    return {quint8(k >> 24), quint8(k >> 16), quint8(k >> 8), quint8(k)};
}

const FrameField *FrameLayout::field(FrameField::Id id) const
{
    for (const FrameField &f : m_fields) {
        if (f.id == id)
            return &f;
    }
    return nullptr;
}

const FrameField *FrameLayout::fieldAtByte(qint64 offset) const
{
    for (const FrameField &f : m_fields) {
        if (offset >= f.bytes.offset && offset < f.bytes.offset + f.bytes.length)
            return &f;
    }
    return nullptr;
}

QList<UnmaskStep> FrameLayout::unmasking(int count) const
{
    QList<UnmaskStep> steps;
    const MaskKey key = m_header.masked ? maskKey() : MaskKey{};
    const qsizetype n = std::min<qsizetype>(count, m_payload.size());
    for (qsizetype i = 0; i < n; ++i) {
        UnmaskStep s;
        s.index = i;
        s.keyIndex = int(i % 4);
        s.keyByte = key[size_t(s.keyIndex)];
        s.masked = quint8(m_wire.at(m_headerSize + i));
        s.unmasked = quint8(m_payload.at(i));
        s.character = characterAt(m_payload, i);
        steps.append(s);
    }
    return steps;
}

} // namespace wslab
