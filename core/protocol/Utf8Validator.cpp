#include "core/protocol/Utf8Validator.h"

#include <cstring>

namespace wslab {

bool Utf8Validator::feed(QByteArrayView bytes)
{
    if (m_invalid)
        return false;
    const auto *p = reinterpret_cast<const quint8 *>(bytes.data());
    const qsizetype size = bytes.size();
    qsizetype i = 0;
    while (i < size) {
        if (m_needed == 0) {
            // Text is mostly ASCII: skip it a word at a time.
            while (i + 8 <= size) {
                quint64 word;
                std::memcpy(&word, p + i, 8);
                if (word & 0x8080808080808080ULL)
                    break;
                i += 8;
            }
            if (i >= size)
                break;
            const quint8 b = p[i++];
            if (b < 0x80)
                continue;
            // The lead byte decides how many continuation bytes follow and, for a few, a narrower
            // range for the first of them that rules out overlong forms, surrogates and > U+10FFFF.
            m_low = 0x80;
            m_high = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                m_needed = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                m_needed = 2;
                if (b == 0xE0)
                    m_low = 0xA0;
                else if (b == 0xED)
                    m_high = 0x9F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                m_needed = 3;
                if (b == 0xF0)
                    m_low = 0x90;
                else if (b == 0xF4)
                    m_high = 0x8F;
            } else {
                m_invalid = true;
                return false;
            }
            continue;
        }
        const quint8 b = p[i++];
        if (b < m_low || b > m_high) {
            m_invalid = true;
            return false;
        }
        m_low = 0x80;
        m_high = 0xBF;
        --m_needed;
    }
    return true;
}

} // namespace wslab
