#pragma once

#include "core/protocol/Frame.h"
#include "core/protocol/PerMessageDeflate.h"
#include "core/protocol/Utf8Validator.h"

#include <QList>

#include <memory>
#include <optional>

namespace wslab {

struct FrameDecoderOptions
{
    // Set when the handshake negotiated permessage-deflate; RSV1 then marks a compressed message.
    std::optional<PerMessageDeflateParams> deflate;
    qint64 maxFramePayload = 64 * 1024 * 1024; // at most 1 GiB
    qint64 maxMessageSize = 64 * 1024 * 1024; // after reassembly and inflation; at most 1 GiB
    bool continueAfterViolation = false;
};

// Decodes one direction of a WebSocket connection (RFC 6455 §5) from raw bytes, incrementally: feed
// the bytes as they arrive, split anywhere, and the same frames come out whatever the split. It checks
// every rule a receiving endpoint must check, reassembles fragmented messages (control frames between
// fragments stay frames of their own), checks text as UTF-8 across fragments and inflates
// permessage-deflate messages.
//
// A violation never throws: the frame that broke a rule carries it in Frame::violation. By default the
// decoder then stops, as the receiving endpoint would fail the connection (§7.1.7): later bytes are
// counted in bytesIgnored() but not decoded. With Options::continueAfterViolation it goes on wherever
// the framing is still known (an inspector watching two lenient peers): a message that broke a rule is
// dropped and its remaining fragments are decoded without complaint; a frame with an unusable length
// (top bit set, over the limit) always stops it.
//
// Cost: the payload is unmasked straight from the fed bytes into the frame's own buffer, allocated once
// per frame at its declared size; only headers (≤ 14 bytes) are staged. A message of one uncompressed
// frame shares the frame's buffer.
class FrameDecoder
{
public:
    enum class Sender { Client, Server };

    using Options = FrameDecoderOptions;

    explicit FrameDecoder(Sender sender, const Options &options = Options{});
    ~FrameDecoder();
    FrameDecoder(const FrameDecoder &) = delete;
    FrameDecoder &operator=(const FrameDecoder &) = delete;

    // Decodes `bytes` and appends each frame they complete to `out`; returns how many were appended.
    // `out` may be reused between calls to keep its capacity.
    int feed(QByteArrayView bytes, QList<Frame> *out);

    Sender sender() const { return m_sender; }
    // True once a violation stopped decoding; the frame that carried it says why.
    bool hasStopped() const { return m_stopped; }
    const ProtocolViolation &stopReason() const { return m_stopReason; }
    qint64 bytesDecoded() const { return m_streamOffset; } // up to the end of the last whole frame
    qint64 bytesIgnored() const { return m_ignored; } // fed after a stop
    qint64 bytesPending() const; // of a frame not yet complete
    bool isInsideMessage() const { return m_messageOpen; }

private:
    enum class Stage { Header, Payload };

    void parseHeader();
    void finishFrame(QList<Frame> *out);
    void checkSequence();
    void checkClose();
    void addToMessage();
    void violate(ProtocolViolation::Kind kind, int closeCode, const QString &text, const char *section);
    void abandonMessage();

    Sender m_sender;
    Options m_options;
    std::unique_ptr<PerMessageInflater> m_inflater;

    Stage m_stage = Stage::Header;
    quint8 m_headerBytes[14];
    int m_headerHave = 0;
    int m_headerNeed = 2;
    Frame m_frame; // the frame being decoded
    qint64 m_payloadHave = 0;
    bool m_unusableLength = false; // the header's length cannot be followed: stop after the header

    bool m_messageOpen = false; // a Text or Binary message has started and not yet finished
    bool m_messageDiscarded = false; // it broke a rule; its remaining fragments are skipped
    Message m_message;
    Utf8Validator m_utf8;

    qint64 m_streamOffset = 0;
    qint64 m_ignored = 0;
    bool m_stopped = false;
    ProtocolViolation m_stopReason;
};

} // namespace wslab
