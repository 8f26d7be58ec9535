#pragma once

#include <QString>

namespace wslab {

// One broken rule of the WebSocket protocol, named so a student can look it up: what went wrong, the
// section of the RFC that forbids it, and the close code an endpoint answers with. An empty kind means
// "no violation".
struct ProtocolViolation
{
    enum class Kind {
        None,
        UnmaskedClientFrame, // RFC 6455 §5.1
        MaskedServerFrame, // RFC 6455 §5.1
        ReservedBits, // RFC 6455 §5.2: RSV set without an extension that defines it
        ReservedOpcode, // RFC 6455 §5.2
        NonMinimalLength, // RFC 6455 §5.2
        LengthTopBit, // RFC 6455 §5.2: 64-bit length with the most significant bit set
        ControlFrameTooLong, // RFC 6455 §5.5
        FragmentedControlFrame, // RFC 6455 §5.5
        ContinuationWithoutStart, // RFC 6455 §5.4
        DataFrameInsideMessage, // RFC 6455 §5.4
        InvalidUtf8, // RFC 6455 §8.1
        InvalidCloseCode, // RFC 6455 §7.4
        CloseOneByte, // RFC 6455 §5.5.1
        CompressedBitMisplaced, // RFC 7692 §6.1: RSV1 on a control frame or a continuation
        InflateFailed, // RFC 7692 §6.2
        FrameTooBig, // RFC 6455 §10.4: over this decoder's limit, not a protocol rule
        MessageTooBig, // RFC 6455 §10.4: idem
        Handshake, // RFC 6455 §4: see the section for which rule
    };

    Kind kind = Kind::None;
    QString text; // "client frame is not masked"
    QString section; // "RFC 6455 §5.1"
    int closeCode = 0; // what the receiving endpoint closes with: 1002, 1007 or 1009

    bool isViolation() const { return kind != Kind::None; }
    // "client frame is not masked (RFC 6455 §5.1)"
    QString describe() const { return isViolation() ? text + QStringLiteral(" (") + section + u')' : QString(); }
};

} // namespace wslab
