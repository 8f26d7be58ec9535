#pragma once

#include <QByteArrayView>

namespace wslab {

// Checks UTF-8 as it streams in (RFC 3629, as RFC 6455 §8.1 requires of text): a code point may be
// split across any number of feeds, so a text message is checked fragment by fragment without being
// copied. Overlong forms, surrogates and code points above U+10FFFF are invalid.
class Utf8Validator
{
public:
    // False once anything fed so far is invalid; stays false until reset().
    bool feed(QByteArrayView bytes);
    // True when everything fed is valid and no code point is left unfinished.
    bool isComplete() const { return !m_invalid && m_needed == 0; }
    bool isValidSoFar() const { return !m_invalid; }
    void reset() { *this = Utf8Validator(); }

private:
    int m_needed = 0; // continuation bytes still to come for the current code point
    quint8 m_low = 0x80; // the range the next continuation byte must fall in; narrower than 80..BF
    quint8 m_high = 0xBF; // only for the second byte of a few lead bytes
    bool m_invalid = false;
};

} // namespace wslab
