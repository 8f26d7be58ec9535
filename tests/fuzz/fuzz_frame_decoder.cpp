// libFuzzer target for the frame decoder: both directions, with and without permessage-deflate, fed
// whole and in pieces chosen by the input itself. A CMake target of the fuzz preset, run by scripts/fuzz.sh.
#include "core/protocol/FrameDecoder.h"

#include <cstddef>
#include <cstdint>

namespace {

// What every decode promises, whatever the input.
void checkInvariants(const wslab::FrameDecoder &decoder, const QList<wslab::Frame> &frames, qint64 fed)
{
    qint64 offset = 0;
    for (const wslab::Frame &f : frames) {
        if (f.streamOffset != offset || f.headerSize < 2 || f.headerSize > 14)
            __builtin_trap();
        if (f.ranges.payload.offset != f.headerSize || qint64(f.payloadLength) != f.ranges.payload.length)
            __builtin_trap();
        const bool whole = f.payload.size() == qsizetype(f.payloadLength);
        // Only a frame whose length cannot be followed is left without its payload, and it is the last.
        if (!whole && (!f.violation.isViolation() || &f != &frames.back()))
            __builtin_trap();
        if (f.message && (!f.fin || f.isControl()))
            __builtin_trap();
        if (f.violation.isViolation() && (f.violation.section.isEmpty() || f.violation.text.isEmpty()))
            __builtin_trap();
        offset += whole ? f.size() : f.headerSize;
    }
    if (decoder.bytesDecoded() != offset || offset + decoder.bytesPending() + decoder.bytesIgnored() != fed)
        __builtin_trap();
}

QString describe(const QList<wslab::Frame> &frames)
{
    QString out;
    for (const wslab::Frame &f : frames) {
        out += QString::number(f.streamOffset) + u' ' + QString::number(f.opcode) + u' ' + QString::number(qHash(f.payload)) + u' ' +
               QString::number(int(f.violation.kind)) + (f.message ? u' ' + QString::number(qHash(f.message->payload)) : QString()) + u'\n';
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    // The first byte picks the side, the extension and the piece size; the rest is the byte stream.
    const uint8_t control = data[0];
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    wslab::FrameDecoder::Options options;
    options.maxFramePayload = 1 << 16;
    options.maxMessageSize = 1 << 18;
    options.continueAfterViolation = control & 0x02;
    if (control & 0x04) {
        wslab::PerMessageDeflateParams params;
        params.serverNoContextTakeover = control & 0x08;
        params.clientMaxWindowBits = 8 + (control >> 5);
        options.deflate = params;
    }
    const auto sender = (control & 0x01) ? wslab::FrameDecoder::Sender::Client : wslab::FrameDecoder::Sender::Server;

    wslab::FrameDecoder whole(sender, options);
    QList<wslab::Frame> wholeFrames;
    whole.feed(stream, &wholeFrames);
    checkInvariants(whole, wholeFrames, stream.size());

    const qsizetype piece = 1 + ((control >> 4) & 0x7);
    wslab::FrameDecoder split(sender, options);
    QList<wslab::Frame> splitFrames;
    for (qsizetype at = 0; at < stream.size(); at += piece)
        split.feed(stream.sliced(at, std::min(piece, stream.size() - at)), &splitFrames);
    checkInvariants(split, splitFrames, stream.size());
    if (describe(wholeFrames) != describe(splitFrames))
        __builtin_trap();
    for (const wslab::Frame &f : wholeFrames)
        (void)f.wireBytes();
    return 0;
}
