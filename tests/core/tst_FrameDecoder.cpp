#include "core/protocol/FrameDecoder.h"
#include "core/protocol/FrameEncoder.h"
#include "core/protocol/PerMessageDeflate.h"

#include <QTest>

using namespace wslab;
using Sender = FrameDecoder::Sender;
using Kind = ProtocolViolation::Kind;

Q_DECLARE_METATYPE(wslab::FrameDecoder::Sender)
Q_DECLARE_METATYPE(wslab::ProtocolViolation::Kind)

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

const QByteArray kHello = "Hello";

// Under AddressSanitizer each 64 KiB allocation is slow enough that decoding the 64 KiB example at all
// 65,547 splits would take minutes; there the long middle of a payload is cut at every 31st offset
// (31 is prime to 4, so every phase of the mask key is still cut many times).
#if defined(__SANITIZE_ADDRESS__)
constexpr qsizetype kMiddleStride = 31;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr qsizetype kMiddleStride = 31;
#else
constexpr qsizetype kMiddleStride = 1;
#endif
#else
constexpr qsizetype kMiddleStride = 1;
#endif
const MaskKey kRfcKey{0x37, 0xfa, 0x21, 0x3d};

FrameDecoder::Options withDeflate(PerMessageDeflateParams params = {})
{
    FrameDecoder::Options o;
    o.deflate = params;
    return o;
}

// Every field of every frame as text: equal texts mean equal decodes, and a mismatch reads well.
QString describe(const QList<Frame> &frames, const FrameDecoder &decoder)
{
    QString out;
    for (const Frame &f : frames) {
        out += QStringLiteral("@%1 fin=%2 rsv=%3%4%5 op=%6 mask=%7 key=%8 len=%9 enc=%10 hs=%11 hdr=%12 ")
                   .arg(f.streamOffset)
                   .arg(f.fin)
                   .arg(f.rsv1)
                   .arg(f.rsv2)
                   .arg(f.rsv3)
                   .arg(f.opcode)
                   .arg(f.masked)
                   .arg(QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(f.maskKey.data()), 4).toHex()))
                   .arg(f.payloadLength)
                   .arg(int(f.lengthEncoding))
                   .arg(f.headerSize)
                   .arg(QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(f.header.data()), f.headerSize).toHex()));
        for (const ByteRange &r :
             {f.ranges.finRsvOpcode, f.ranges.maskAndLength, f.ranges.extendedLength, f.ranges.maskKey, f.ranges.payload})
            out += QStringLiteral("[%1+%2]").arg(r.offset).arg(r.length);
        // Payload bytes are compared apart (samePayloads): the 64 KiB example is decoded 65,547 times.
        out += QStringLiteral(" payload=%1 close=%2 '%3' v=%4 '%5' %6")
                   .arg(f.payload.size())
                   .arg(f.closeCode)
                   .arg(f.closeReason)
                   .arg(int(f.violation.kind))
                   .arg(f.violation.text, f.violation.section);
        if (f.message) {
            out += QStringLiteral(" msg op=%1 size=%2 z=%3 frames=%4 wire=%5")
                       .arg(f.message->opcode)
                       .arg(f.message->payload.size())
                       .arg(f.message->compressed)
                       .arg(f.message->frameCount)
                       .arg(f.message->wirePayloadBytes);
        }
        out += u'\n';
    }
    out += QStringLiteral("stopped=%1 decoded=%2 ignored=%3 pending=%4 inside=%5")
               .arg(decoder.hasStopped())
               .arg(decoder.bytesDecoded())
               .arg(decoder.bytesIgnored())
               .arg(decoder.bytesPending())
               .arg(decoder.isInsideMessage());
    return out;
}

bool samePayloads(const QList<Frame> &a, const QList<Frame> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].payload != b[i].payload || bool(a[i].message) != bool(b[i].message))
            return false;
        if (a[i].message && a[i].message->payload != b[i].message->payload)
            return false;
    }
    return true;
}

// The decode of `bytes` fed in pieces cut at `cuts`, as text; the frames themselves in `frames`.
QString decodeInPieces(Sender sender, const QByteArray &bytes, const QList<qsizetype> &cuts, const FrameDecoder::Options &options,
                       QList<Frame> *frames)
{
    FrameDecoder decoder(sender, options);
    QList<Frame> out;
    qsizetype from = 0;
    for (qsizetype cut : cuts) {
        decoder.feed(QByteArrayView(bytes).sliced(from, cut - from), &out);
        from = cut;
    }
    decoder.feed(QByteArrayView(bytes).sliced(from), &out);
    *frames = out;
    return describe(out, decoder);
}

// Decodes whole, split in two at every offset (see kMiddleStride), in three at every pair of offsets
// (short inputs) and byte by byte; every way must give the same frames. `frames` gets the frames of the whole decode.
void decodeEverySplit(Sender sender, const QByteArray &bytes, QList<Frame> *frames, const FrameDecoder::Options &options = {})
{
    const QString whole = decodeInPieces(sender, bytes, {}, options, frames);
    QList<Frame> pieces;
    auto check = [&](const QList<qsizetype> &cuts) {
        const QString split = decodeInPieces(sender, bytes, cuts, options, &pieces);
        if (split == whole && samePayloads(pieces, *frames))
            return true;
        QStringList at;
        for (qsizetype cut : cuts)
            at.append(QString::number(cut));
        qWarning().noquote() << "fed in pieces cut at" << at.join(u',') << "\n" << split << "\nwhole:\n" << whole;
        return false;
    };
    for (qsizetype cut = 0; cut <= bytes.size(); ++cut) {
        const bool nearAnEnd = cut < 4096 || cut > bytes.size() - 4096;
        if (!nearAnEnd && cut % kMiddleStride != 0)
            continue;
        if (!check({cut}))
            QFAIL("a split decodes differently");
    }
    if (bytes.size() <= 64) {
        for (qsizetype a = 1; a < bytes.size(); ++a) {
            for (qsizetype b = a; b < bytes.size(); ++b) {
                if (!check({a, b}))
                    QFAIL("a split in three decodes differently");
            }
        }
    }
    QList<qsizetype> everyByte;
    for (qsizetype i = 1; i < bytes.size(); ++i)
        everyByte.append(i);
    QVERIFY(check(everyByte));
}

// The violation of one frame, for a data-driven row.
void expectViolation(const Frame &frame, Kind kind, const QString &section)
{
    QCOMPARE(frame.violation.kind, kind);
    QCOMPARE(frame.violation.section, section);
    QVERIFY(!frame.violation.text.isEmpty());
    QVERIFY(frame.violation.describe().endsWith(QStringLiteral("(") + section + u')'));
}

} // namespace

class tst_FrameDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // RFC 6455 §5.7, every example.
    void rfcUnmaskedText();
    void rfcMaskedText();
    void rfcFragmentedText();
    void rfcPingAndPong();
    void rfc256ByteBinary();
    void rfc64KiBBinary();

    // RFC 7692 §7.2.3.
    void rfcDeflateHello_data();
    void rfcDeflateHello();
    void rfcDeflateContextTakeover();
    void deflateWithoutContextTakeoverRefusesBackReferences();
    void deflateFinalBlockKeepsTheWindow();
    void deflateRoundTripFragmentedAndMasked();
    void deflateCorruptData();
    void deflateBombIsCapped();

    void controlFramesBetweenFragmentsStayApart();
    void utf8CodePointSplitAcrossFragments();
    void closeFrameCodeAndReason();
    void emptyFramesAndMessages();
    void wireBytesRebuildTheFrame();

    void violations_data();
    void violations();
    void stopsAfterAViolation();
    void continuesAfterAViolationWhenAsked();
    void frameOverTheLimitStopsBeforeItsPayload();

    void encoderBuildsTheRfcExamples();
    void encoderRefragments();
    void encoderWritesWhatItIsTold();
    void utf8Validator_data();
    void utf8Validator();
};

void tst_FrameDecoder::rfcUnmaskedText()
{
    const QByteArray bytes = hex("810548656c6c6f");
    QList<Frame> frames;
    decodeEverySplit(Sender::Server, bytes, &frames);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(frames.size(), 1);
    const Frame &f = frames[0];
    QVERIFY(f.fin);
    QVERIFY(!f.rsv1 && !f.rsv2 && !f.rsv3);
    QCOMPARE(f.opcode, quint8(Opcode::Text));
    QVERIFY(!f.masked);
    QCOMPARE(f.payloadLength, 5u);
    QCOMPARE(f.lengthEncoding, LengthEncoding::Bits7);
    QCOMPARE(f.headerSize, 2);
    QCOMPARE(f.payload, kHello);
    QCOMPARE(f.ranges.finRsvOpcode, (ByteRange{0, 1}));
    QCOMPARE(f.ranges.maskAndLength, (ByteRange{1, 1}));
    QVERIFY(f.ranges.extendedLength.isEmpty());
    QVERIFY(f.ranges.maskKey.isEmpty());
    QCOMPARE(f.ranges.payload, (ByteRange{2, 5}));
    QVERIFY(!f.violation.isViolation());
    QVERIFY(f.message);
    QCOMPARE(f.message->opcode, quint8(Opcode::Text));
    QCOMPARE(f.message->payload, kHello);
    QCOMPARE(f.message->frameCount, 1);
    QVERIFY(!f.message->compressed);
}

void tst_FrameDecoder::rfcMaskedText()
{
    const QByteArray bytes = hex("818537fa213d7f9f4d5158");
    QList<Frame> frames;
    decodeEverySplit(Sender::Client, bytes, &frames);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(frames.size(), 1);
    const Frame &f = frames[0];
    QVERIFY(f.masked);
    QCOMPARE(f.maskKey, kRfcKey);
    QCOMPARE(f.headerSize, 6);
    QCOMPARE(f.ranges.maskKey, (ByteRange{2, 4}));
    QCOMPARE(f.ranges.payload, (ByteRange{6, 5}));
    QCOMPARE(f.payload, kHello);
    QCOMPARE(f.message->payload, kHello);
    QVERIFY(!f.violation.isViolation());
}

void tst_FrameDecoder::rfcFragmentedText()
{
    const QByteArray bytes = hex("010348656c") + hex("80026c6f");
    QList<Frame> frames;
    decodeEverySplit(Sender::Server, bytes, &frames);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(frames.size(), 2);
    QVERIFY(!frames[0].fin);
    QCOMPARE(frames[0].opcode, quint8(Opcode::Text));
    QCOMPARE(frames[0].payload, QByteArray("Hel"));
    QVERIFY(!frames[0].message);
    QVERIFY(frames[1].fin);
    QCOMPARE(frames[1].opcode, quint8(Opcode::Continuation));
    QCOMPARE(frames[1].streamOffset, 5);
    QCOMPARE(frames[1].payload, QByteArray("lo"));
    QVERIFY(frames[1].message);
    QCOMPARE(frames[1].message->payload, kHello);
    QCOMPARE(frames[1].message->frameCount, 2);
    QCOMPARE(frames[1].message->opcode, quint8(Opcode::Text));
}

void tst_FrameDecoder::rfcPingAndPong()
{
    // §5.7: "Unmasked Ping request and masked Ping response", the ping from the server.
    QList<Frame> ping;
    decodeEverySplit(Sender::Server, hex("890548656c6c6f"), &ping);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(ping.size(), 1);
    QCOMPARE(ping[0].opcode, quint8(Opcode::Ping));
    QVERIFY(ping[0].isControl());
    QCOMPARE(ping[0].payload, kHello);
    QVERIFY(!ping[0].message);
    QVERIFY(!ping[0].violation.isViolation());

    QList<Frame> pong;
    decodeEverySplit(Sender::Client, hex("8a8537fa213d7f9f4d5158"), &pong);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(pong.size(), 1);
    QCOMPARE(pong[0].opcode, quint8(Opcode::Pong));
    QVERIFY(pong[0].masked);
    QCOMPARE(pong[0].payload, kHello);
    QVERIFY(!pong[0].violation.isViolation());

    // The other way round: a masked ping from the client, its unmasked pong from the server.
    QList<Frame> clientPing;
    decodeEverySplit(Sender::Client, hex("898537fa213d7f9f4d5158"), &clientPing);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(clientPing[0].opcode, quint8(Opcode::Ping));
    QCOMPARE(clientPing[0].payload, kHello);
    QVERIFY(!clientPing[0].violation.isViolation());
    QList<Frame> serverPong;
    decodeEverySplit(Sender::Server, hex("8a0548656c6c6f"), &serverPong);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(serverPong[0].opcode, quint8(Opcode::Pong));
    QCOMPARE(serverPong[0].payload, kHello);
}

void tst_FrameDecoder::rfc256ByteBinary()
{
    QByteArray payload(256, '\0');
    for (int i = 0; i < payload.size(); ++i)
        payload[i] = char(i);
    const QByteArray bytes = hex("827e0100") + payload;
    QList<Frame> frames;
    decodeEverySplit(Sender::Server, bytes, &frames);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(frames.size(), 1);
    const Frame &f = frames[0];
    QCOMPARE(f.opcode, quint8(Opcode::Binary));
    QCOMPARE(f.payloadLength, 256u);
    QCOMPARE(f.lengthEncoding, LengthEncoding::Bits16);
    QCOMPARE(f.headerSize, 4);
    QCOMPARE(f.ranges.extendedLength, (ByteRange{2, 2}));
    QCOMPARE(f.ranges.payload, (ByteRange{4, 256}));
    QCOMPARE(f.payload, payload);
    QCOMPARE(f.message->opcode, quint8(Opcode::Binary));
    QCOMPARE(f.message->payload, payload);
}

void tst_FrameDecoder::rfc64KiBBinary()
{
    QByteArray payload(65536, '\0');
    for (int i = 0; i < payload.size(); ++i)
        payload[i] = char(i * 7 + i / 256);
    const QByteArray bytes = hex("827f0000000000010000") + payload;
    QList<Frame> frames;
    decodeEverySplit(Sender::Server, bytes, &frames);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(frames.size(), 1);
    const Frame &f = frames[0];
    QCOMPARE(f.payloadLength, 65536u);
    QCOMPARE(f.lengthEncoding, LengthEncoding::Bits64);
    QCOMPARE(f.headerSize, 10);
    QCOMPARE(f.ranges.extendedLength, (ByteRange{2, 8}));
    QCOMPARE(f.ranges.payload, (ByteRange{10, 65536}));
    QCOMPARE(f.payload, payload);
    QCOMPARE(f.message->payload, payload);

    // The same payload masked by a client: unmasking at every phase of the key must agree.
    const QByteArray masked = FrameEncoder::frame(Opcode::Binary, payload, kRfcKey);
    QList<Frame> maskedFrames;
    decodeEverySplit(Sender::Client, masked, &maskedFrames);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(maskedFrames[0].headerSize, 14);
    QCOMPARE(maskedFrames[0].ranges.maskKey, (ByteRange{10, 4}));
    QCOMPARE(maskedFrames[0].payload, payload);
}

void tst_FrameDecoder::rfcDeflateHello_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("frames");
    QTest::newRow("one frame") << hex("c107f248cdc9c90700") << 1;
    QTest::newRow("two fragments") << (hex("4103f248cd") + hex("8004c9c90700")) << 2;
    QTest::newRow("no compression block") << hex("c10b0005 00faff48656c6c6f00") << 1;
    QTest::newRow("final block (BFINAL)") << hex("c108f348cdc9c9070000") << 1;
}

void tst_FrameDecoder::rfcDeflateHello()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, frames);
    QList<Frame> out;
    decodeEverySplit(Sender::Server, bytes, &out, withDeflate());
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out.size(), frames);
    QVERIFY(out[0].rsv1);
    for (const Frame &f : out)
        QVERIFY2(!f.violation.isViolation(), qPrintable(f.violation.describe()));
    const Frame &last = out.back();
    QVERIFY(last.message);
    QVERIFY(last.message->compressed);
    QCOMPARE(last.message->payload, kHello);
    QCOMPARE(last.message->frameCount, frames);
    QCOMPARE(last.message->wirePayloadBytes, bytes.size() - 2 * frames);
}

void tst_FrameDecoder::rfcDeflateContextTakeover()
{
    // §7.2.3.2: the second "Hello" refers back into the first message's bytes.
    const QByteArray bytes = hex("c107f248cdc9c90700") + hex("c105f200110000");
    QList<Frame> out;
    decodeEverySplit(Sender::Server, bytes, &out, withDeflate());
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out.size(), 2);
    QCOMPARE(out[0].message->payload, kHello);
    QCOMPARE(out[1].payload, hex("f200110000"));
    QVERIFY2(!out[1].violation.isViolation(), qPrintable(out[1].violation.describe()));
    QCOMPARE(out[1].message->payload, kHello);
}

void tst_FrameDecoder::deflateWithoutContextTakeoverRefusesBackReferences()
{
    // With server_no_context_takeover the window is empty at each message: the back reference is corrupt.
    PerMessageDeflateParams params;
    params.serverNoContextTakeover = true;
    const QByteArray bytes = hex("c107f248cdc9c90700") + hex("c105f200110000");
    QList<Frame> out;
    decodeEverySplit(Sender::Server, bytes, &out, withDeflate(params));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out.size(), 2);
    QCOMPARE(out[0].message->payload, kHello);
    QVERIFY(!out[1].message);
    expectViolation(out[1], Kind::InflateFailed, QStringLiteral("RFC 7692 §6.2"));
    QCOMPARE(out[1].violation.closeCode, 1007);

    // The same parameters for the other side change nothing for this one.
    PerMessageDeflateParams clientOnly;
    clientOnly.clientNoContextTakeover = true;
    decodeEverySplit(Sender::Server, bytes, &out, withDeflate(clientOnly));
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out[1].message->payload, kHello);
}

void tst_FrameDecoder::deflateFinalBlockKeepsTheWindow()
{
    // A message ended by a BFINAL block, then one that refers back into it (context takeover).
    const QByteArray bytes = hex("c108f348cdc9c9070000") + hex("c105f200110000");
    QList<Frame> out;
    decodeEverySplit(Sender::Server, bytes, &out, withDeflate());
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out.size(), 2);
    QVERIFY2(!out[1].violation.isViolation(), qPrintable(out[1].violation.describe()));
    QCOMPARE(out[1].message->payload, kHello);
}

void tst_FrameDecoder::deflateRoundTripFragmentedAndMasked()
{
    for (const bool noTakeover : {false, true}) {
        PerMessageDeflateParams params;
        params.clientNoContextTakeover = noTakeover;
        params.clientMaxWindowBits = 10;
        PerMessageDeflater deflater(10, noTakeover);
        FrameDecoder decoder(Sender::Client, withDeflate(params));
        QList<Frame> out;
        QByteArray text;
        for (int i = 0; i < 4000; ++i)
            text += "line " + QByteArray::number(i % 37) + " of a message that repeats itself, é ü ✓\n";
        for (int message = 0; message < 3; ++message) {
            const QByteArray compressed = deflater.compress(text);
            QVERIFY(compressed.size() < text.size() / 4);
            const QByteArray wire = FrameEncoder::fragment(Opcode::Text, compressed, 7, kRfcKey, true);
            // Fed in odd-sized pieces to cross frame and key boundaries.
            for (qsizetype at = 0; at < wire.size(); at += 333)
                decoder.feed(QByteArrayView(wire).sliced(at, std::min<qsizetype>(333, wire.size() - at)), &out);
            QCOMPARE(out.size(), 7 * (message + 1));
            const Frame &last = out.back();
            QVERIFY2(!last.violation.isViolation(), qPrintable(last.violation.describe()));
            QVERIFY(last.message);
            QCOMPARE(last.message->frameCount, 7);
            QCOMPARE(last.message->payload, text);
        }
    }
}

void tst_FrameDecoder::deflateCorruptData()
{
    QList<Frame> out;
    decodeEverySplit(Sender::Server, hex("c104ffffffff"), &out, withDeflate());
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out.size(), 1);
    expectViolation(out[0], Kind::InflateFailed, QStringLiteral("RFC 7692 §6.2"));

    // Inflates fine but is not UTF-8.
    PerMessageDeflater deflater(15, false);
    const QByteArray wire = FrameEncoder::frame(Opcode::Text, deflater.compress("ok \xff\xfe"), {}, true, true);
    decodeEverySplit(Sender::Server, wire, &out, withDeflate());
    if (QTest::currentTestFailed())
        return;
    expectViolation(out[0], Kind::InvalidUtf8, QStringLiteral("RFC 6455 §8.1"));
}

void tst_FrameDecoder::deflateBombIsCapped()
{
    PerMessageDeflater deflater(15, false);
    const QByteArray zeros(1024 * 1024, '\0');
    const QByteArray compressed = deflater.compress(zeros);
    QVERIFY(compressed.size() < 2048);
    FrameDecoder::Options options = withDeflate();
    options.maxMessageSize = 100 * 1024;
    FrameDecoder decoder(Sender::Server, options);
    QList<Frame> out;
    decoder.feed(FrameEncoder::frame(Opcode::Binary, compressed, {}, true, true), &out);
    QCOMPARE(out.size(), 1);
    expectViolation(out[0], Kind::MessageTooBig, QStringLiteral("RFC 6455 §10.4"));
    QCOMPARE(out[0].violation.closeCode, 1009);

    // Exactly at the limit is fine.
    options.maxMessageSize = zeros.size();
    FrameDecoder exact(Sender::Server, options);
    out.clear();
    exact.feed(FrameEncoder::frame(Opcode::Binary, compressed, {}, true, true), &out);
    QVERIFY2(!out[0].violation.isViolation(), qPrintable(out[0].violation.describe()));
    QCOMPARE(out[0].message->payload, zeros);
}

void tst_FrameDecoder::controlFramesBetweenFragmentsStayApart()
{
    const QByteArray bytes =
        FrameEncoder::frame(Opcode::Text, "Hel", kRfcKey, false) + FrameEncoder::frame(Opcode::Ping, "are you there", kRfcKey) +
        FrameEncoder::frame(Opcode::Pong, "", MaskKey{1, 2, 3, 4}) + FrameEncoder::frame(Opcode::Continuation, "lo", kRfcKey);
    QList<Frame> out;
    decodeEverySplit(Sender::Client, bytes, &out);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out.size(), 4);
    for (const Frame &f : out)
        QVERIFY2(!f.violation.isViolation(), qPrintable(f.violation.describe()));
    QCOMPARE(out[1].opcode, quint8(Opcode::Ping));
    QCOMPARE(out[1].payload, QByteArray("are you there"));
    QVERIFY(!out[1].message);
    QVERIFY(!out[2].message);
    QCOMPARE(out[3].message->payload, kHello);
    QCOMPARE(out[3].message->frameCount, 2);
}

void tst_FrameDecoder::utf8CodePointSplitAcrossFragments()
{
    // "€" is e2 82 ac: split after its first and after its second byte.
    const QByteArray bytes = hex("0102 41e2") + hex("0001 82") + hex("8002 ac42");
    QList<Frame> out;
    decodeEverySplit(Sender::Server, bytes, &out);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out.size(), 3);
    for (const Frame &f : out)
        QVERIFY2(!f.violation.isViolation(), qPrintable(f.violation.describe()));
    QCOMPARE(QString::fromUtf8(out[2].message->payload), QStringLiteral("A€B"));
}

void tst_FrameDecoder::closeFrameCodeAndReason()
{
    const QByteArray bytes = FrameEncoder::frame(Opcode::Close, FrameEncoder::closePayload(1001, u"au revoir, ça va"), kRfcKey);
    QList<Frame> out;
    decodeEverySplit(Sender::Client, bytes, &out);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out[0].closeCode, 1001);
    QCOMPARE(out[0].closeReason, QStringLiteral("au revoir, ça va"));
    QVERIFY(!out[0].violation.isViolation());

    decodeEverySplit(Sender::Server, hex("8800"), &out);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out[0].closeCode, 0);
    QVERIFY(!out[0].violation.isViolation());
}

void tst_FrameDecoder::emptyFramesAndMessages()
{
    const QByteArray bytes = hex("8100") + hex("0200") + hex("0000") + hex("8000") + hex("8a00");
    QList<Frame> out;
    decodeEverySplit(Sender::Server, bytes, &out);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out.size(), 5);
    QVERIFY(out[0].message);
    QCOMPARE(out[0].message->payload, QByteArray());
    QCOMPARE(out[3].message->opcode, quint8(Opcode::Binary));
    QCOMPARE(out[3].message->frameCount, 3);
    QCOMPARE(out[4].streamOffset, 8);
}

void tst_FrameDecoder::wireBytesRebuildTheFrame()
{
    const QByteArray bytes = hex("818537fa213d7f9f4d5158") + hex("898537fa213d7f9f4d5158");
    FrameDecoder decoder(Sender::Client);
    QList<Frame> out;
    decoder.feed(bytes, &out);
    QCOMPARE(out.size(), 2);
    QCOMPARE(out[0].wireBytes() + out[1].wireBytes(), bytes);
    QCOMPARE(decoder.bytesDecoded(), bytes.size());
    QCOMPARE(decoder.bytesPending(), 0);
}

void tst_FrameDecoder::violations_data()
{
    QTest::addColumn<Sender>("sender");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("frame");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("section");
    QTest::addColumn<int>("closeCode");

    const auto s51 = QStringLiteral("RFC 6455 §5.1");
    const auto s52 = QStringLiteral("RFC 6455 §5.2");
    const auto s54 = QStringLiteral("RFC 6455 §5.4");
    const auto s55 = QStringLiteral("RFC 6455 §5.5");
    const auto s81 = QStringLiteral("RFC 6455 §8.1");
    const auto s74 = QStringLiteral("RFC 6455 §7.4");
    const QByteArray masked = hex("37fa213d");

    QTest::newRow("unmasked client frame") << Sender::Client << hex("810548656c6c6f") << 0 << Kind::UnmaskedClientFrame << s51 << 1002;
    QTest::newRow("masked server frame") << Sender::Server << hex("818537fa213d7f9f4d5158") << 0 << Kind::MaskedServerFrame << s51 << 1002;
    QTest::newRow("RSV1 without extension") << Sender::Server << hex("c10548656c6c6f") << 0 << Kind::ReservedBits << s52 << 1002;
    QTest::newRow("RSV2") << Sender::Server << hex("a100") << 0 << Kind::ReservedBits << s52 << 1002;
    QTest::newRow("RSV3") << Sender::Server << hex("9100") << 0 << Kind::ReservedBits << s52 << 1002;
    QTest::newRow("reserved data opcode 0x3") << Sender::Server << hex("8300") << 0 << Kind::ReservedOpcode << s52 << 1002;
    QTest::newRow("reserved control opcode 0xB") << Sender::Server << hex("8b00") << 0 << Kind::ReservedOpcode << s52 << 1002;
    QTest::newRow("ping over 125 bytes") << Sender::Server << (hex("897e007e") + QByteArray(126, 'x')) << 0 << Kind::ControlFrameTooLong
                                         << s55 << 1002;
    QTest::newRow("close over 125 bytes") << Sender::Server << (hex("887e00ff03e8") + QByteArray(253, 'x')) << 0
                                          << Kind::ControlFrameTooLong << s55 << 1002;
    QTest::newRow("fragmented ping") << Sender::Server << hex("0900") << 0 << Kind::FragmentedControlFrame << s55 << 1002;
    QTest::newRow("16-bit length for 5") << Sender::Server << hex("817e000548656c6c6f") << 0 << Kind::NonMinimalLength << s52 << 1002;
    QTest::newRow("64-bit length for 5") << Sender::Server << hex("817f000000000000000548656c6c6f") << 0 << Kind::NonMinimalLength << s52
                                         << 1002;
    QTest::newRow("64-bit length for 200") << Sender::Server << (hex("827f00000000000000c8") + QByteArray(200, 'x')) << 0
                                           << Kind::NonMinimalLength << s52 << 1002;
    QTest::newRow("64-bit length top bit") << Sender::Server << hex("827f8000000000000005") << 0 << Kind::LengthTopBit << s52 << 1002;
    QTest::newRow("continuation without start")
        << Sender::Server << hex("800548656c6c6f") << 0 << Kind::ContinuationWithoutStart << s54 << 1002;
    QTest::newRow("text inside fragmented text")
        << Sender::Server << (hex("010348656c") + hex("81026c6f")) << 1 << Kind::DataFrameInsideMessage << s54 << 1002;
    QTest::newRow("binary inside fragmented binary")
        << Sender::Server << (hex("0201aa") + hex("0201bb")) << 1 << Kind::DataFrameInsideMessage << s54 << 1002;
    QTest::newRow("invalid UTF-8") << Sender::Server << hex("8102c328") << 0 << Kind::InvalidUtf8 << s81 << 1007;
    QTest::newRow("invalid UTF-8 fails fast in a fragment")
        << Sender::Server << (hex("0102c080") + hex("800141")) << 0 << Kind::InvalidUtf8 << s81 << 1007;
    QTest::newRow("text ends inside a code point")
        << Sender::Server << (hex("0101e2") + hex("800182")) << 1 << Kind::InvalidUtf8 << s81 << 1007;
    QTest::newRow("UTF-16 surrogate") << Sender::Server << hex("8103eda080") << 0 << Kind::InvalidUtf8 << s81 << 1007;
    QTest::newRow("overlong NUL") << Sender::Server << hex("8102c080") << 0 << Kind::InvalidUtf8 << s81 << 1007;
    QTest::newRow("above U+10FFFF") << Sender::Server << hex("8104f4908080") << 0 << Kind::InvalidUtf8 << s81 << 1007;
    QTest::newRow("close reason not UTF-8") << Sender::Server << hex("880403e8fffe") << 0 << Kind::InvalidUtf8 << s81 << 1007;
    QTest::newRow("close payload of 1 byte") << Sender::Server << hex("880103") << 0 << Kind::CloseOneByte
                                             << QStringLiteral("RFC 6455 §5.5.1") << 1002;
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
        const QByteArray payload = FrameEncoder::closePayload(code);
        QTest::addRow("close code %d", code) << Sender::Server << FrameEncoder::frame(Opcode::Close, payload) << 0 << Kind::InvalidCloseCode
                                             << s74 << 1002;
    }
    const auto s76 = QStringLiteral("RFC 7692 §6");
    QTest::newRow("deflate: RSV1 on a continuation")
        << Sender::Server << (hex("4103f248cd") + hex("c004c9c90700")) << 1 << Kind::CompressedBitMisplaced << s76 << 1002;
    QTest::newRow("deflate: RSV1 on a ping") << Sender::Server << hex("c900") << 0 << Kind::CompressedBitMisplaced << s76 << 1002;
    // Frames after a good one: the violation is on the frame that broke the rule.
    QTest::newRow("good frame then unmasked") << Sender::Client << (hex("818537fa213d7f9f4d5158") + hex("8100")) << 1
                                              << Kind::UnmaskedClientFrame << s51 << 1002;
}

void tst_FrameDecoder::violations()
{
    QFETCH(Sender, sender);
    QFETCH(QByteArray, bytes);
    QFETCH(int, frame);
    QFETCH(Kind, kind);
    QFETCH(QString, section);
    QFETCH(int, closeCode);

    const bool deflate = QByteArray(QTest::currentDataTag()).startsWith("deflate");
    QList<Frame> out;
    decodeEverySplit(sender, bytes, &out, deflate ? withDeflate() : FrameDecoder::Options{});
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out.size(), frame + 1);
    for (int i = 0; i < frame; ++i)
        QVERIFY(!out[i].violation.isViolation());
    expectViolation(out[frame], kind, section);
    QCOMPARE(out[frame].violation.closeCode, closeCode);
    QVERIFY(!out[frame].message);
}

void tst_FrameDecoder::stopsAfterAViolation()
{
    const QByteArray bad = hex("810548656c6c6f"); // unmasked, from a client
    const QByteArray good = hex("818537fa213d7f9f4d5158");
    FrameDecoder decoder(Sender::Client);
    QList<Frame> out;
    QCOMPARE(decoder.feed(QByteArray(good + bad + good), &out), 2);
    QVERIFY(decoder.hasStopped());
    QCOMPARE(decoder.stopReason().kind, Kind::UnmaskedClientFrame);
    QCOMPARE(decoder.bytesDecoded(), good.size() + bad.size());
    QCOMPARE(decoder.bytesIgnored(), good.size());
    QCOMPARE(out[1].payload, kHello); // the bad frame is still shown whole
    QCOMPARE(decoder.feed(good, &out), 0);
    QCOMPARE(decoder.bytesIgnored(), 2 * good.size());
}

void tst_FrameDecoder::continuesAfterAViolationWhenAsked()
{
    FrameDecoder::Options options;
    options.continueAfterViolation = true;
    // A lenient pair: the client does not mask, a stray continuation, a broken text message, a good one.
    const QByteArray bytes =
        FrameEncoder::frame(Opcode::Text, kHello) // unmasked: still a message
        + FrameEncoder::frame(Opcode::Continuation, "A", kRfcKey) + FrameEncoder::frame(Opcode::Text, "A\xc3", kRfcKey, false) +
        FrameEncoder::frame(Opcode::Continuation, "(", kRfcKey) // not UTF-8
        + FrameEncoder::frame(Opcode::Text, "Bye!!", kRfcKey) + FrameEncoder::frame(Opcode::Binary, "unfinished", kRfcKey, false) +
        FrameEncoder::frame(Opcode::Text, "new", kRfcKey); // drops the unfinished one
    QList<Frame> out;
    decodeEverySplit(Sender::Client, bytes, &out, options);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out.size(), 7);
    QCOMPARE(out[0].violation.kind, Kind::UnmaskedClientFrame);
    QCOMPARE(out[0].message->payload, kHello);
    QCOMPARE(out[1].violation.kind, Kind::ContinuationWithoutStart);
    QVERIFY(!out[1].message);
    QVERIFY(!out[2].violation.isViolation());
    QCOMPARE(out[3].violation.kind, Kind::InvalidUtf8);
    QVERIFY(!out[3].message);
    QVERIFY(!out[4].violation.isViolation());
    QCOMPARE(out[4].message->payload, QByteArray("Bye!!"));
    QCOMPARE(out[4].message->frameCount, 1);
    QVERIFY(!out[5].message);
    QCOMPARE(out[6].violation.kind, Kind::DataFrameInsideMessage);
    QCOMPARE(out[6].message->payload, QByteArray("new"));
    QCOMPARE(out[6].message->opcode, quint8(Opcode::Text));
    QCOMPARE(out[6].message->frameCount, 1);
}

void tst_FrameDecoder::frameOverTheLimitStopsBeforeItsPayload()
{
    FrameDecoder::Options options;
    options.maxFramePayload = 1000;
    options.continueAfterViolation = true; // an unusable length stops even so
    QList<Frame> out;
    decodeEverySplit(Sender::Server, hex("827e03e9") + QByteArray(1001, 'x'), &out, options);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(out.size(), 1);
    expectViolation(out[0], Kind::FrameTooBig, QStringLiteral("RFC 6455 §10.4"));
    QCOMPARE(out[0].violation.closeCode, 1009);
    QCOMPARE(out[0].payload.size(), 0);

    FrameDecoder decoder(Sender::Server, options);
    out.clear();
    decoder.feed(QByteArray(hex("827f8000000000000005") + kHello), &out);
    QCOMPARE(out.size(), 1);
    QVERIFY(decoder.hasStopped());
    QCOMPARE(decoder.bytesIgnored(), 5);

    // Several frames that each fit, together over the message limit.
    options.maxMessageSize = 1500;
    FrameDecoder messages(Sender::Server, options);
    out.clear();
    messages.feed(FrameEncoder::fragment(Opcode::Binary, QByteArray(1600, 'x'), 2), &out);
    QCOMPARE(out.size(), 2);
    expectViolation(out[1], Kind::MessageTooBig, QStringLiteral("RFC 6455 §10.4"));
}

void tst_FrameDecoder::encoderBuildsTheRfcExamples()
{
    QCOMPARE(FrameEncoder::frame(Opcode::Text, kHello), hex("810548656c6c6f"));
    QCOMPARE(FrameEncoder::frame(Opcode::Text, kHello, kRfcKey), hex("818537fa213d7f9f4d5158"));
    QCOMPARE(FrameEncoder::fragment(Opcode::Text, kHello, 2), hex("010348656c80026c6f"));
    QCOMPARE(FrameEncoder::frame(Opcode::Ping, kHello), hex("890548656c6c6f"));
    QCOMPARE(FrameEncoder::frame(Opcode::Pong, kHello, kRfcKey), hex("8a8537fa213d7f9f4d5158"));
    QCOMPARE(FrameEncoder::frame(Opcode::Binary, QByteArray(256, 'x')).left(4), hex("827e0100"));
    QCOMPARE(FrameEncoder::frame(Opcode::Binary, QByteArray(65536, 'x')).left(10), hex("827f0000000000010000"));
    QCOMPARE(FrameEncoder::frame(Opcode::Text, hex("f248cdc9c90700"), {}, true, true), hex("c107f248cdc9c90700"));
}

void tst_FrameDecoder::encoderRefragments()
{
    QByteArray payload;
    for (int i = 0; i < 1000; ++i)
        payload += char('a' + i % 26);
    for (int count = 1; count <= 12; ++count) {
        const QByteArray wire = FrameEncoder::fragment(Opcode::Text, payload, count, kRfcKey);
        FrameDecoder decoder(Sender::Client);
        QList<Frame> out;
        QCOMPARE(decoder.feed(wire, &out), count);
        for (const Frame &f : std::as_const(out))
            QVERIFY2(!f.violation.isViolation(), qPrintable(f.violation.describe()));
        QCOMPARE(out.back().message->payload, payload);
        QCOMPARE(out.back().message->frameCount, count);
    }
    // More frames than bytes: some are empty, all valid.
    FrameDecoder decoder(Sender::Server);
    QList<Frame> out;
    QCOMPARE(decoder.feed(FrameEncoder::fragment(Opcode::Binary, "ab", 5), &out), 5);
    QCOMPARE(out.back().message->payload, QByteArray("ab"));
    QVERIFY(!decoder.hasStopped());

    // The relay's cuts: never an empty frame, never inside a UTF-8 character.
    QCOMPARE(FrameEncoder::evenSizes("abcdefghij", 3, false), (QList<qsizetype>{3, 3, 4}));
    QCOMPARE(FrameEncoder::evenSizes("ab", 5, false), (QList<qsizetype>{1, 1}));
    QCOMPARE(FrameEncoder::evenSizes("", 3, false), QList<qsizetype>{0});
    QCOMPARE(FrameEncoder::evenSizes("\xe2\x82\xac", 3, true), QList<qsizetype>{3}); // one character: one frame
    const QByteArray euros = QStringLiteral("a€b€c€").toUtf8(); // 12 bytes
    const QList<qsizetype> sizes = FrameEncoder::evenSizes(euros, 3, true);
    QCOMPARE(sizes, (QList<qsizetype>{4, 4, 4}));
    int masks = 0;
    const QByteArray wire = FrameEncoder::fragment(Opcode::Text, euros, sizes, [&masks] {
        ++masks;
        return std::optional<MaskKey>(MaskKey{quint8(masks), 2, 3, 4});
    });
    FrameDecoder utf8(Sender::Client);
    out.clear();
    QCOMPARE(utf8.feed(wire, &out), 3);
    QCOMPARE(out.at(0).maskKey[0], 1);
    QCOMPARE(out.at(2).maskKey[0], 3); // a fresh key per frame
    QCOMPARE(out.back().message->payload, euros);
}

void tst_FrameDecoder::encoderWritesWhatItIsTold()
{
    FrameEncoder::Fields fields;
    fields.lengthEncoding = LengthEncoding::Bits16;
    QCOMPARE(FrameEncoder::encode(fields, kHello), hex("817e000548656c6c6f"));
    fields.lengthEncoding = LengthEncoding::Bits64;
    QCOMPARE(FrameEncoder::encode(fields, kHello), hex("817f000000000000000548656c6c6f"));
    fields.lengthEncoding.reset();
    fields.declaredLength = quint64(1) << 63;
    QCOMPARE(FrameEncoder::encode(fields, ""), hex("817f8000000000000000"));

    FrameEncoder::Fields odd;
    odd.fin = false;
    odd.rsv2 = true;
    odd.rsv3 = true;
    odd.opcode = 0xB;
    QCOMPARE(FrameEncoder::encode(odd, ""), hex("3b00"));
}

void tst_FrameDecoder::utf8Validator_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("complete");
    QTest::newRow("empty") << QByteArray() << true << true;
    QTest::newRow("ascii, long") << QByteArray(100, 'a') << true << true;
    QTest::newRow("two-byte") << hex("c3a9") << true << true;
    QTest::newRow("three-byte") << hex("e282ac") << true << true;
    QTest::newRow("four-byte") << hex("f09f9880") << true << true;
    QTest::newRow("U+10FFFF") << hex("f48fbfbf") << true << true;
    QTest::newRow("U+D7FF") << hex("ed9fbf") << true << true;
    QTest::newRow("U+E000") << hex("ee8080") << true << true;
    QTest::newRow("truncated") << hex("f09f98") << true << false;
    QTest::newRow("lone continuation") << hex("80") << false << false;
    QTest::newRow("C1 lead") << hex("c1bf") << false << false;
    QTest::newRow("overlong three-byte") << hex("e09f80") << false << false;
    QTest::newRow("overlong four-byte") << hex("f08fbfbf") << false << false;
    QTest::newRow("F5 lead") << hex("f5808080") << false << false;
    QTest::newRow("missing continuation") << hex("e24141") << false << false;
    QTest::newRow("invalid after ascii run") << (QByteArray(17, 'a') + hex("ff")) << false << false;
}

void tst_FrameDecoder::utf8Validator()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QFETCH(bool, complete);
    // Whole, and one byte at a time: the verdict must not depend on where the input is cut.
    Utf8Validator whole;
    whole.feed(bytes);
    QCOMPARE(whole.isValidSoFar(), valid);
    QCOMPARE(whole.isComplete(), complete);
    Utf8Validator piecewise;
    for (char c : bytes)
        piecewise.feed(QByteArrayView(&c, 1));
    QCOMPARE(piecewise.isValidSoFar(), valid);
    QCOMPARE(piecewise.isComplete(), complete);
}

QTEST_GUILESS_MAIN(tst_FrameDecoder)
#include "tst_FrameDecoder.moc"
