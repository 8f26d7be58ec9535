#include "core/protocol/FrameEncoder.h"

#include <algorithm>

namespace wslab {

void FrameEncoder::append(QByteArray *out, const Fields &fields, QByteArrayView payload)
{
    const quint64 length = fields.declaredLength.value_or(quint64(payload.size()));
    LengthEncoding encoding = LengthEncoding::Bits7;
    if (fields.lengthEncoding)
        encoding = *fields.lengthEncoding;
    else if (length > 0xFFFF)
        encoding = LengthEncoding::Bits64;
    else if (length > 125)
        encoding = LengthEncoding::Bits16;

    quint8 header[14];
    int size = 2;
    header[0] = quint8((fields.fin ? 0x80 : 0) | (fields.rsv1 ? 0x40 : 0) | (fields.rsv2 ? 0x20 : 0) | (fields.rsv3 ? 0x10 : 0) |
                       (fields.opcode & 0x0F));
    const quint8 maskBit = fields.mask ? 0x80 : 0;
    switch (encoding) {
    case LengthEncoding::Bits7:
        header[1] = quint8(maskBit | (length & 0x7F));
        break;
    case LengthEncoding::Bits16:
        header[1] = maskBit | 126;
        header[2] = quint8(length >> 8);
        header[3] = quint8(length);
        size = 4;
        break;
    case LengthEncoding::Bits64:
        header[1] = maskBit | 127;
        for (int i = 0; i < 8; ++i)
            header[2 + i] = quint8(length >> (8 * (7 - i)));
        size = 10;
        break;
    }
    if (fields.mask) {
        std::copy(fields.mask->begin(), fields.mask->end(), header + size);
        size += 4;
    }
    const qsizetype start = out->size();
    out->reserve(start + size + payload.size());
    out->append(reinterpret_cast<const char *>(header), size);
    out->append(payload);
    if (fields.mask)
        applyMask(out->data() + start + size, out->constData() + start + size, payload.size(), *fields.mask);
}

QByteArray FrameEncoder::encode(const Fields &fields, QByteArrayView payload)
{
    QByteArray out;
    append(&out, fields, payload);
    return out;
}

QByteArray FrameEncoder::frame(quint8 opcode, QByteArrayView payload, const std::optional<MaskKey> &mask, bool fin, bool rsv1)
{
    Fields fields;
    fields.opcode = opcode;
    fields.mask = mask;
    fields.fin = fin;
    fields.rsv1 = rsv1;
    return encode(fields, payload);
}

QByteArray FrameEncoder::closePayload(int code, QStringView reason)
{
    QByteArray out;
    out.append(char(quint8(code >> 8)));
    out.append(char(quint8(code)));
    out.append(reason.toUtf8());
    return out;
}

QByteArray FrameEncoder::fragment(quint8 opcode, QByteArrayView payload, int count, const std::optional<MaskKey> &mask, bool compressed)
{
    count = std::max(count, 1);
    QList<qsizetype> sizes;
    sizes.reserve(count);
    // Spread the remainder over the first frames so sizes differ by at most one byte.
    for (int i = 0; i < count; ++i)
        sizes << payload.size() / count + (i < payload.size() % count ? 1 : 0);
    return fragment(
        opcode, payload, sizes, [&mask] { return mask; }, compressed);
}

QByteArray FrameEncoder::fragment(quint8 opcode, QByteArrayView payload, const QList<qsizetype> &sizes,
                                  const std::function<std::optional<MaskKey>()> &maskFor, bool compressed)
{
    QByteArray out;
    out.reserve(payload.size() + sizes.size() * 14);
    qsizetype offset = 0;
    for (qsizetype i = 0; i < sizes.size(); ++i) {
        Fields fields;
        fields.fin = i == sizes.size() - 1;
        fields.rsv1 = compressed && i == 0;
        fields.opcode = i == 0 ? opcode : quint8(Opcode::Continuation);
        fields.mask = maskFor();
        append(&out, fields, payload.sliced(offset, sizes.at(i)));
        offset += sizes.at(i);
    }
    return out;
}

QList<qsizetype> FrameEncoder::evenSizes(QByteArrayView payload, int count, bool wholeCharacters)
{
    const qsizetype total = payload.size();
    QList<qsizetype> sizes;
    qsizetype previousCut = 0;
    for (int i = 1; i < count; ++i) {
        qsizetype cut = total * i / count;
        // A UTF-8 continuation byte (10xxxxxx) is never the first byte of a character.
        while (wholeCharacters && cut > previousCut && (quint8(payload[cut]) & 0xC0) == 0x80)
            --cut;
        if (cut <= previousCut)
            continue;
        sizes << cut - previousCut;
        previousCut = cut;
    }
    sizes << total - previousCut;
    return sizes;
}

} // namespace wslab
