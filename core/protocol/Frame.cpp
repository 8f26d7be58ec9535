#include "core/protocol/Frame.h"

#include <cstring>

namespace wslab {

QString Opcode::name(int opcode)
{
    switch (opcode) {
    case Continuation:
        return QStringLiteral("Continuation");
    case Text:
        return QStringLiteral("Text");
    case Binary:
        return QStringLiteral("Binary");
    case Close:
        return QStringLiteral("Close");
    case Ping:
        return QStringLiteral("Ping");
    case Pong:
        return QStringLiteral("Pong");
    default:
        return QStringLiteral("Reserved (0x") % QString::number(opcode, 16).toUpper() % u')';
    }
}

QByteArray Frame::wireBytes() const
{
    QByteArray out;
    out.reserve(headerSize + payload.size());
    out.append(reinterpret_cast<const char *>(header.data()), headerSize);
    out.append(payload);
    if (masked)
        applyMask(out.data() + headerSize, out.constData() + headerSize, payload.size(), maskKey);
    return out;
}

void applyMask(char *dst, const char *src, qsizetype size, const MaskKey &key, int phase)
{
    // The key rotated so that its byte for payload offset `phase` comes first, repeated to a word.
    quint8 rotated[8];
    for (int i = 0; i < 8; ++i)
        rotated[i] = key[(phase + i) & 3];
    quint64 word;
    std::memcpy(&word, rotated, 8);

    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 chunk;
        std::memcpy(&chunk, src + i, 8);
        chunk ^= word;
        std::memcpy(dst + i, &chunk, 8);
    }
    for (; i < size; ++i)
        dst[i] = char(quint8(src[i]) ^ rotated[i & 7]);
}

} // namespace wslab
