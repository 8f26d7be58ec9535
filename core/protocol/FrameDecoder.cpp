#include "core/protocol/FrameDecoder.h"

#include "core/protocol/CloseCode.h"

#include <algorithm>
#include <cstring>

namespace wslab {

namespace {

using Kind = ProtocolViolation::Kind;

constexpr qint64 kHardLimit = qint64(1) << 30;

bool isDataOpcode(int opcode)
{
    return opcode == Opcode::Continuation || opcode == Opcode::Text || opcode == Opcode::Binary;
}

} // namespace

FrameDecoder::FrameDecoder(Sender sender, const Options &options)
    : m_sender(sender)
    , m_options(options)
{
    m_options.maxFramePayload = std::clamp<qint64>(m_options.maxFramePayload, 0, kHardLimit);
    m_options.maxMessageSize = std::clamp<qint64>(m_options.maxMessageSize, 0, kHardLimit);
    if (m_options.deflate) {
        const bool client = sender == Sender::Client;
        m_inflater =
            std::make_unique<PerMessageInflater>(m_options.deflate->windowBits(client), m_options.deflate->noContextTakeover(client));
    }
}

FrameDecoder::~FrameDecoder() = default;

qint64 FrameDecoder::bytesPending() const
{
    return m_stage == Stage::Header ? m_headerHave : m_frame.headerSize + m_payloadHave;
}

int FrameDecoder::feed(QByteArrayView bytes, QList<Frame> *out)
{
    const qsizetype before = out->size();
    const char *p = bytes.data();
    qsizetype left = bytes.size();
    while (left > 0) {
        if (m_stopped) {
            m_ignored += left;
            break;
        }
        if (m_stage == Stage::Header) {
            const int take = int(std::min<qsizetype>(m_headerNeed - m_headerHave, left));
            std::memcpy(m_headerBytes + m_headerHave, p, size_t(take));
            m_headerHave += take;
            p += take;
            left -= take;
            if (m_headerHave < m_headerNeed)
                break;
            if (m_headerNeed == 2) {
                // The second byte says how long the rest of the header is.
                const int length7 = m_headerBytes[1] & 0x7F;
                m_headerNeed += (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + ((m_headerBytes[1] & 0x80) ? 4 : 0);
                if (m_headerHave < m_headerNeed)
                    continue;
            }
            parseHeader();
            if (m_unusableLength || m_frame.payloadLength == 0)
                finishFrame(out);
            else
                m_stage = Stage::Payload;
            continue;
        }
        const qsizetype take = qsizetype(std::min<qint64>(qint64(m_frame.payloadLength) - m_payloadHave, left));
        char *dst = m_frame.payload.data() + m_payloadHave;
        if (m_frame.masked)
            applyMask(dst, p, take, m_frame.maskKey, int(m_payloadHave & 3));
        else
            std::memcpy(dst, p, size_t(take));
        m_payloadHave += take;
        p += take;
        left -= take;
        if (m_payloadHave == qint64(m_frame.payloadLength))
            finishFrame(out);
    }
    return int(out->size() - before);
}

void FrameDecoder::violate(Kind kind, int closeCode, const QString &text, const char *section)
{
    // A frame can break several rules; the first one found is the one it is remembered for.
    if (m_frame.violation.isViolation())
        return;
    m_frame.violation.kind = kind;
    m_frame.violation.text = text;
    m_frame.violation.section = QString::fromUtf8(section);
    m_frame.violation.closeCode = closeCode;
}

void FrameDecoder::parseHeader()
{
    Frame &f = m_frame;
    f = Frame{};
    f.streamOffset = m_streamOffset;
    const quint8 *h = m_headerBytes;
    f.fin = h[0] & 0x80;
    f.rsv1 = h[0] & 0x40;
    f.rsv2 = h[0] & 0x20;
    f.rsv3 = h[0] & 0x10;
    f.opcode = h[0] & 0x0F;
    f.masked = h[1] & 0x80;
    f.ranges.finRsvOpcode = {0, 1};
    f.ranges.maskAndLength = {1, 1};

    const int length7 = h[1] & 0x7F;
    int pos = 2;
    if (length7 < 126) {
        f.payloadLength = quint64(length7);
        f.lengthEncoding = LengthEncoding::Bits7;
    } else if (length7 == 126) {
        f.payloadLength = (quint64(h[2]) << 8) | h[3];
        f.lengthEncoding = LengthEncoding::Bits16;
        f.ranges.extendedLength = {2, 2};
        pos = 4;
    } else {
        for (int i = 0; i < 8; ++i)
            f.payloadLength = (f.payloadLength << 8) | h[2 + i];
        f.lengthEncoding = LengthEncoding::Bits64;
        f.ranges.extendedLength = {2, 8};
        pos = 10;
    }
    if (f.masked) {
        std::copy(h + pos, h + pos + 4, f.maskKey.begin());
        f.ranges.maskKey = {pos, 4};
        pos += 4;
    }
    f.headerSize = pos;
    std::copy(h, h + pos, f.header.begin());
    f.ranges.payload = {pos, qint64(f.payloadLength)};

    // Lengths first: a length that cannot be followed ends decoding whatever else is wrong.
    if (f.payloadLength >> 63) {
        violate(Kind::LengthTopBit, CloseCode::ProtocolError, QStringLiteral("64-bit payload length has its most significant bit set"),
                "RFC 6455 §5.2");
        m_unusableLength = true;
    } else if (qint64(f.payloadLength) > m_options.maxFramePayload) {
        violate(Kind::FrameTooBig, CloseCode::MessageTooBig,
                QStringLiteral("frame payload of %1 bytes exceeds the decoder's limit of %2 bytes")
                    .arg(f.payloadLength)
                    .arg(m_options.maxFramePayload),
                "RFC 6455 §10.4");
        m_unusableLength = true;
    }

    if (Opcode::isReserved(f.opcode)) {
        violate(Kind::ReservedOpcode, CloseCode::ProtocolError,
                QStringLiteral("reserved opcode 0x%1").arg(QString::number(f.opcode, 16).toUpper()), "RFC 6455 §5.2");
    }
    if (f.rsv2 || f.rsv3) {
        violate(Kind::ReservedBits, CloseCode::ProtocolError,
                QStringLiteral("RSV%1 is set but no negotiated extension defines it").arg(f.rsv2 ? 2 : 3), "RFC 6455 §5.2");
    }
    if (f.rsv1) {
        if (!m_inflater) {
            violate(Kind::ReservedBits, CloseCode::ProtocolError,
                    QStringLiteral("RSV1 is set but no extension was negotiated (permessage-deflate was not)"), "RFC 6455 §5.2");
        } else if (f.opcode != Opcode::Text && f.opcode != Opcode::Binary) {
            violate(Kind::CompressedBitMisplaced, CloseCode::ProtocolError,
                    f.isControl() ? QStringLiteral("RSV1 (compressed) is set on a control frame")
                                  : QStringLiteral("RSV1 (compressed) is set on a continuation frame"),
                    "RFC 7692 §6");
        }
    }
    if (m_sender == Sender::Client && !f.masked) {
        violate(Kind::UnmaskedClientFrame, CloseCode::ProtocolError, QStringLiteral("frame from the client is not masked"),
                "RFC 6455 §5.1");
    } else if (m_sender == Sender::Server && f.masked) {
        violate(Kind::MaskedServerFrame, CloseCode::ProtocolError, QStringLiteral("frame from the server is masked"), "RFC 6455 §5.1");
    }
    if (f.isControl() && !Opcode::isReserved(f.opcode)) {
        if (f.payloadLength > 125) {
            violate(Kind::ControlFrameTooLong, CloseCode::ProtocolError,
                    QStringLiteral("control frame payload of %1 bytes is over 125").arg(f.payloadLength), "RFC 6455 §5.5");
        }
        if (!f.fin) {
            violate(Kind::FragmentedControlFrame, CloseCode::ProtocolError, QStringLiteral("control frame is fragmented (FIN is clear)"),
                    "RFC 6455 §5.5");
        }
    }
    if ((f.lengthEncoding == LengthEncoding::Bits16 && f.payloadLength < 126) ||
        (f.lengthEncoding == LengthEncoding::Bits64 && f.payloadLength <= 0xFFFF)) {
        violate(Kind::NonMinimalLength, CloseCode::ProtocolError,
                QStringLiteral("payload length %1 is written with %2 bits; the minimal encoding is required")
                    .arg(f.payloadLength)
                    .arg(f.lengthEncoding == LengthEncoding::Bits16 ? 16 : 64),
                "RFC 6455 §5.2");
    }
    checkSequence();

    if (!m_unusableLength)
        f.payload.resize(qsizetype(f.payloadLength));
}

void FrameDecoder::checkSequence()
{
    const Frame &f = m_frame;
    if (f.opcode == Opcode::Continuation && !m_messageOpen) {
        violate(Kind::ContinuationWithoutStart, CloseCode::ProtocolError,
                QStringLiteral("continuation frame without a message to continue"), "RFC 6455 §5.4");
    } else if ((f.opcode == Opcode::Text || f.opcode == Opcode::Binary) && m_messageOpen) {
        violate(Kind::DataFrameInsideMessage, CloseCode::ProtocolError,
                QStringLiteral("new %1 frame while a fragmented message is unfinished").arg(Opcode::name(f.opcode).toLower()),
                "RFC 6455 §5.4");
    }
}

void FrameDecoder::finishFrame(QList<Frame> *out)
{
    Frame &f = m_frame;
    m_streamOffset += f.headerSize + m_payloadHave;
    if (!m_unusableLength) {
        if (f.opcode == Opcode::Close)
            checkClose();
        const bool brokenHeader = f.violation.isViolation();
        const bool orphan = f.opcode == Opcode::Continuation && !m_messageOpen;
        if (isDataOpcode(f.opcode) && !orphan && (!brokenHeader || m_options.continueAfterViolation))
            addToMessage();
    }
    if (m_unusableLength || (f.violation.isViolation() && !m_options.continueAfterViolation)) {
        m_stopped = true;
        m_stopReason = f.violation;
    }
    out->append(std::move(m_frame)); // parseHeader starts the next one afresh
    m_stage = Stage::Header;
    m_headerHave = 0;
    m_headerNeed = 2;
    m_payloadHave = 0;
    m_unusableLength = false;
}

void FrameDecoder::checkClose()
{
    Frame &f = m_frame;
    if (f.payload.size() == 1) {
        violate(Kind::CloseOneByte, CloseCode::ProtocolError, QStringLiteral("close frame payload of 1 byte: a code takes 2"),
                "RFC 6455 §5.5.1");
        return;
    }
    if (f.payload.size() < 2)
        return;
    const auto *p = reinterpret_cast<const quint8 *>(f.payload.constData());
    f.closeCode = (int(p[0]) << 8) | p[1];
    QString whyNot;
    if (!CloseCode::isSendable(f.closeCode, &whyNot))
        violate(Kind::InvalidCloseCode, CloseCode::ProtocolError, whyNot, "RFC 6455 §7.4");
    const QByteArrayView reason = QByteArrayView(f.payload).sliced(2);
    Utf8Validator utf8;
    if (!utf8.feed(reason) || !utf8.isComplete()) {
        violate(Kind::InvalidUtf8, CloseCode::InvalidPayload, QStringLiteral("close reason is not valid UTF-8"), "RFC 6455 §8.1");
        return;
    }
    f.closeReason = QString::fromUtf8(reason);
}

void FrameDecoder::abandonMessage()
{
    // A compressed message left half-inflated would leave the inflater mid-stream: start it afresh.
    if (m_message.compressed && m_options.deflate) {
        const bool client = m_sender == Sender::Client;
        m_inflater =
            std::make_unique<PerMessageInflater>(m_options.deflate->windowBits(client), m_options.deflate->noContextTakeover(client));
    }
    m_message = Message{};
    m_messageOpen = false;
    m_messageDiscarded = false;
}

void FrameDecoder::addToMessage()
{
    Frame &f = m_frame;
    if (f.opcode != Opcode::Continuation) {
        if (m_messageOpen)
            abandonMessage(); // only reached when continuing after a §5.4 violation
        m_messageOpen = true;
        m_message.opcode = f.opcode;
        m_message.compressed = f.rsv1 && m_inflater;
        m_utf8.reset();
    }
    if (m_messageDiscarded) {
        if (f.fin)
            abandonMessage();
        return;
    }
    ++m_message.frameCount;
    m_message.wirePayloadBytes += f.payload.size();

    const qsizetype from = m_message.payload.size();
    if (m_message.compressed) {
        QString why;
        if (!m_inflater->inflate(f.payload, f.fin, &m_message.payload, m_options.maxMessageSize, &why)) {
            if (m_message.payload.size() > m_options.maxMessageSize)
                violate(Kind::MessageTooBig, CloseCode::MessageTooBig, why, "RFC 6455 §10.4");
            else
                violate(Kind::InflateFailed, CloseCode::InvalidPayload, why, "RFC 7692 §6.2");
            abandonMessage();
            m_messageOpen = !f.fin;
            m_messageDiscarded = !f.fin;
            return;
        }
    } else {
        if (from + f.payload.size() > m_options.maxMessageSize) {
            violate(Kind::MessageTooBig, CloseCode::MessageTooBig,
                    QStringLiteral("message exceeds the decoder's limit of %1 bytes").arg(m_options.maxMessageSize), "RFC 6455 §10.4");
            abandonMessage();
            m_messageOpen = !f.fin;
            m_messageDiscarded = !f.fin;
            return;
        }
        if (from == 0 && f.fin)
            m_message.payload = f.payload; // one frame: share its buffer instead of copying
        else
            m_message.payload.append(f.payload);
    }

    if (m_message.opcode == Opcode::Text) {
        const bool valid = m_utf8.feed(QByteArrayView(m_message.payload).sliced(from));
        if (!valid || (f.fin && !m_utf8.isComplete())) {
            violate(Kind::InvalidUtf8, CloseCode::InvalidPayload,
                    valid ? QStringLiteral("text message ends inside a UTF-8 sequence") : QStringLiteral("text message is not valid UTF-8"),
                    "RFC 6455 §8.1");
            abandonMessage();
            m_messageOpen = !f.fin;
            m_messageDiscarded = !f.fin;
            return;
        }
    }
    if (f.fin) {
        f.message = std::move(m_message);
        m_message = Message{};
        m_messageOpen = false;
    }
}

} // namespace wslab
