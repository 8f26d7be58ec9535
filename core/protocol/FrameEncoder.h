#pragma once

#include "core/protocol/Frame.h"

#include <QByteArray>
#include <QList>

#include <functional>
#include <optional>

namespace wslab {

// Builds frames from chosen fields, valid or deliberately not: for tests, and for a relay that injects
// faults. Nothing is checked: what the fields say is what goes on the wire.
struct FrameEncoder
{
    struct Fields
    {
        bool fin = true;
        bool rsv1 = false;
        bool rsv2 = false;
        bool rsv3 = false;
        quint8 opcode = Opcode::Text; // any 4-bit value, reserved ones included
        std::optional<MaskKey> mask; // set: the frame is masked with this key
        // Unset: the minimal encoding. Set: this one even when it is not minimal (a §5.2 violation).
        std::optional<LengthEncoding> lengthEncoding;
        // Unset: the payload's size. Set: the length the header claims, whatever the payload holds.
        std::optional<quint64> declaredLength;
    };

    // The common case in one call: a frame with this opcode and payload, masked when `mask` is set.
    static QByteArray frame(quint8 opcode, QByteArrayView payload, const std::optional<MaskKey> &mask = {}, bool fin = true,
                            bool rsv1 = false);

    // Appends one frame to `out`.
    static void append(QByteArray *out, const Fields &fields, QByteArrayView payload);
    static QByteArray encode(const Fields &fields, QByteArrayView payload);

    // A close frame's payload: the code in network byte order, then the reason in UTF-8.
    static QByteArray closePayload(int code, QStringView reason = {});

    // One message as `count` valid frames (count ≥ 1): the first carries the opcode (and RSV1 when
    // `compressed`), the rest are continuations, the last has FIN. The payload is split as evenly as
    // it goes; frames may be empty when the payload has fewer bytes than `count`. Masked with `mask`
    // when set (every frame with the same key).
    static QByteArray fragment(quint8 opcode, QByteArrayView payload, int count, const std::optional<MaskKey> &mask = {},
                               bool compressed = false);
    // The same with chosen frame sizes (they add up to the payload's size), each frame masked with a
    // key of its own when `maskFor` gives one.
    static QByteArray fragment(quint8 opcode, QByteArrayView payload, const QList<qsizetype> &sizes,
                               const std::function<std::optional<MaskKey>()> &maskFor, bool compressed = false);

    // Frame sizes that cut a payload into at most `count` non-empty frames as evenly as it goes (one
    // empty frame for an empty payload). With `wholeCharacters` no cut falls inside a UTF-8 character,
    // because Qt 6.4 checks UTF-8 frame by frame and refuses a character split between two frames; a
    // payload with few characters then gets fewer frames.
    static QList<qsizetype> evenSizes(QByteArrayView payload, int count, bool wholeCharacters);
};

} // namespace wslab
