#include "core/protocol/FrameDecoder.h"
#include "core/protocol/FrameEncoder.h"
#include "core/protocol/FrameLayout.h"

#include <QTest>

using namespace wslab;
using Id = FrameField::Id;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

// The event the relay logs for one decoded frame: the header fields, the full size, the unmasked payload.
LogEvent eventFor(const QByteArray &wire, FrameDecoder::Sender sender)
{
    FrameDecoder decoder(sender);
    QList<Frame> frames;
    decoder.feed(wire, &frames);
    if (frames.size() != 1)
        qFatal("expected one frame, got %d", int(frames.size()));
    const Frame &f = frames.first();
    LogEvent e = LogEvent::make(EventKind::Frame, Direction::Out, f.payload, qint64(f.payloadLength));
    e.frame.fromClient = sender == FrameDecoder::Sender::Client;
    e.frame.fin = f.fin;
    e.frame.masked = f.masked;
    e.frame.rsv = quint8((f.rsv1 ? 4 : 0) | (f.rsv2 ? 2 : 0) | (f.rsv3 ? 1 : 0));
    e.frame.opcode = f.opcode;
    e.frame.headerSize = quint8(f.headerSize);
    e.frame.maskKey = quint32(f.maskKey[0]) << 24 | quint32(f.maskKey[1]) << 16 | quint32(f.maskKey[2]) << 8 | f.maskKey[3];
    return e;
}

FrameDecoder::Sender senderOf(const QByteArray &wire)
{
    return (quint8(wire.at(1)) & 0x80) ? FrameDecoder::Sender::Client : FrameDecoder::Sender::Server;
}

} // namespace

class tst_FrameLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rebuildsTheRfcExamplesByteForByte_data();
    void rebuildsTheRfcExamplesByteForByte();
    void namesEveryFieldOfTheMaskedHello();
    void unmasksTheMaskedHelloByteByByte();
    void agreesWithTheDecodersRanges_data();
    void agreesWithTheDecodersRanges();
    void keepsANonMinimalLengthAsSent();
    void showsWholeUtf8CharactersWhileUnmasking();
    void aCutPayloadKeepsTheDeclaredLength();
    void closePayloadReadsAsCodeAndReason();
    void anythingButAFrameIsInvalid();
};

void tst_FrameLayout::rebuildsTheRfcExamplesByteForByte_data()
{
    QTest::addColumn<QByteArray>("wire");
    // RFC 6455 §5.7.
    QTest::newRow("unmasked Hello") << hex("810548656c6c6f");
    QTest::newRow("masked Hello") << hex("818537fa213d7f9f4d5158");
    QTest::newRow("fragment Hel") << hex("010348656c");
    QTest::newRow("fragment lo") << hex("80026c6f");
    QTest::newRow("unmasked ping") << hex("890548656c6c6f");
    QTest::newRow("masked pong") << hex("8a8537fa213d7f9f4d5158");
    QTest::newRow("256 bytes binary") << QByteArray(hex("827e0100") + QByteArray(256, 'x'));
    QTest::newRow("64 KiB binary") << QByteArray(hex("827f0000000000010000") + QByteArray(65536, '\x01'));
}

void tst_FrameLayout::rebuildsTheRfcExamplesByteForByte()
{
    QFETCH(QByteArray, wire);
    const FrameLayout layout = FrameLayout::fromEvent(eventFor(wire, senderOf(wire)));
    QVERIFY(layout.isValid());
    QCOMPARE(layout.wireBytes(), wire);
}

void tst_FrameLayout::namesEveryFieldOfTheMaskedHello()
{
    const FrameLayout layout = FrameLayout::fromEvent(eventFor(hex("818537fa213d7f9f4d5158"), FrameDecoder::Sender::Client));
    QCOMPARE(layout.headerSize(), 6);
    QCOMPARE(layout.payloadLength(), 5);
    QVERIFY(layout.isMasked());
    QCOMPARE(layout.maskKey(), (MaskKey{0x37, 0xfa, 0x21, 0x3d}));

    struct Expected
    {
        Id id;
        const char *name;
        const char *value;
        qint64 byteOffset, byteLength, bitOffset, bitCount;
        quint64 number;
    };
    const Expected expected[] = {
        {Id::Fin, "FIN", "1", 0, 1, 0, 1, 1},
        {Id::Rsv1, "RSV1", "0", 0, 1, 1, 1, 0},
        {Id::Rsv2, "RSV2", "0", 0, 1, 2, 1, 0},
        {Id::Rsv3, "RSV3", "0", 0, 1, 3, 1, 0},
        {Id::Opcode, "Opcode", "0x1 Text", 0, 1, 4, 4, 1},
        {Id::Mask, "Mask", "1", 1, 1, 8, 1, 1},
        {Id::PayloadLength, "Payload length", "5", 1, 1, 9, 7, 5},
        {Id::MaskingKey, "Masking key", "37 fa 21 3d", 2, 4, 16, 32, 0x37fa213d},
        {Id::Payload, "Payload", "Hello", 6, 5, 48, 40, 0},
    };
    const QList<FrameField> &fields = layout.fields();
    QCOMPARE(fields.size(), qsizetype(std::size(expected)));
    for (qsizetype i = 0; i < fields.size(); ++i) {
        const FrameField &f = fields.at(i);
        const Expected &e = expected[i];
        QCOMPARE(f.id, e.id);
        QCOMPARE(f.name, QString::fromLatin1(e.name));
        QCOMPARE(f.value, QString::fromLatin1(e.value));
        QCOMPARE(f.bytes, (ByteRange{e.byteOffset, e.byteLength}));
        QCOMPARE(f.bitOffset, e.bitOffset);
        QCOMPARE(f.bitCount, e.bitCount);
        QCOMPARE(f.number, e.number);
    }
    QVERIFY(!layout.field(Id::ExtendedLength));
    QCOMPARE(layout.fieldAtByte(0)->id, Id::Fin);
    QCOMPARE(layout.fieldAtByte(1)->id, Id::Mask);
    QCOMPARE(layout.fieldAtByte(4)->id, Id::MaskingKey);
    QCOMPARE(layout.fieldAtByte(10)->id, Id::Payload);
    QVERIFY(!layout.fieldAtByte(11));
}

void tst_FrameLayout::unmasksTheMaskedHelloByteByByte()
{
    const FrameLayout layout = FrameLayout::fromEvent(eventFor(hex("818537fa213d7f9f4d5158"), FrameDecoder::Sender::Client));
    const QList<UnmaskStep> steps = layout.unmasking(16);
    QCOMPARE(steps.size(), 5); // no more than the payload holds
    const quint8 masked[] = {0x7f, 0x9f, 0x4d, 0x51, 0x58};
    const quint8 key[] = {0x37, 0xfa, 0x21, 0x3d, 0x37};
    const char *text = "Hello";
    for (int i = 0; i < 5; ++i) {
        QCOMPARE(steps.at(i).index, i);
        QCOMPARE(steps.at(i).masked, masked[i]);
        QCOMPARE(steps.at(i).keyIndex, i % 4);
        QCOMPARE(steps.at(i).keyByte, key[i]);
        QCOMPARE(steps.at(i).unmasked, quint8(masked[i] ^ key[i]));
        QCOMPARE(steps.at(i).character, QString(QChar::fromLatin1(text[i])));
    }
    QCOMPARE(layout.unmasking(2).size(), 2);

    // Unmasked (a server's frame): the key byte is 0 and the byte is what was sent.
    const FrameLayout plain = FrameLayout::fromEvent(eventFor(hex("810548656c6c6f"), FrameDecoder::Sender::Server));
    QCOMPARE(plain.unmasking(16).at(1).masked, quint8('e'));
    QCOMPARE(plain.unmasking(16).at(1).keyByte, quint8(0));
    QVERIFY(!plain.field(Id::MaskingKey));
    QCOMPARE(plain.field(Id::Payload)->bytes, (ByteRange{2, 5}));
}

void tst_FrameLayout::agreesWithTheDecodersRanges_data()
{
    QTest::addColumn<QByteArray>("wire");
    const MaskKey key{0x01, 0x02, 0x03, 0x04};
    QTest::newRow("7-bit, masked") << FrameEncoder::frame(Opcode::Text, "abc", key);
    QTest::newRow("16-bit, masked") << FrameEncoder::frame(Opcode::Binary, QByteArray(300, 'b'), key);
    QTest::newRow("64-bit, unmasked") << FrameEncoder::frame(Opcode::Binary, QByteArray(70000, 'c'));
    QTest::newRow("rsv1, no fin") << FrameEncoder::frame(Opcode::Text, "x", key, false, true);
}

void tst_FrameLayout::agreesWithTheDecodersRanges()
{
    QFETCH(QByteArray, wire);
    FrameDecoder decoder(senderOf(wire), FrameDecoder::Options{});
    QList<Frame> frames;
    decoder.feed(wire, &frames);
    QCOMPARE(frames.size(), 1);
    const Frame &frame = frames.first();
    const FrameLayout layout = FrameLayout::fromEvent(eventFor(wire, senderOf(wire)));
    // The log keeps the first 64 KiB of a payload: the rebuilt bytes are the frame's first bytes.
    QCOMPARE(layout.wireBytes().size(), std::min(frame.size(), frame.headerSize + LogEvent::kMaxPayloadCopy));
    QCOMPARE(layout.wireBytes(), frame.wireBytes().left(layout.wireBytes().size()));
    QCOMPARE(layout.headerSize(), frame.headerSize);
    QCOMPARE(layout.lengthEncoding(), frame.lengthEncoding);
    QCOMPARE(layout.field(Id::Fin)->bytes, frame.ranges.finRsvOpcode);
    QCOMPARE(layout.field(Id::Mask)->bytes, frame.ranges.maskAndLength);
    QCOMPARE(layout.field(Id::Payload)->bytes, frame.ranges.payload);
    QCOMPARE(layout.field(Id::Rsv1)->number, quint64(frame.rsv1));
    QCOMPARE(layout.field(Id::Fin)->number, quint64(frame.fin));
    if (frame.ranges.extendedLength.isEmpty())
        QVERIFY(!layout.field(Id::ExtendedLength));
    else
        QCOMPARE(layout.field(Id::ExtendedLength)->bytes, frame.ranges.extendedLength);
    if (frame.ranges.maskKey.isEmpty())
        QVERIFY(!layout.field(Id::MaskingKey));
    else
        QCOMPARE(layout.field(Id::MaskingKey)->bytes, frame.ranges.maskKey);
}

void tst_FrameLayout::keepsANonMinimalLengthAsSent()
{
    // 5 bytes announced with 126 and a 16-bit length: a §5.2 violation the inspector must show as sent.
    FrameEncoder::Fields fields;
    fields.mask = MaskKey{0x37, 0xfa, 0x21, 0x3d};
    fields.lengthEncoding = LengthEncoding::Bits16;
    const QByteArray wire = FrameEncoder::encode(fields, "Hello");
    QCOMPARE(wire.left(4), hex("81fe0005"));
    FrameDecoder::Options lenient;
    lenient.continueAfterViolation = true;
    FrameDecoder decoder(FrameDecoder::Sender::Client, lenient);
    QList<Frame> frames;
    decoder.feed(wire, &frames);
    QCOMPARE(frames.size(), 1);
    const FrameLayout layout = FrameLayout::fromEvent(eventFor(wire, FrameDecoder::Sender::Client));
    QCOMPARE(layout.wireBytes(), wire);
    QCOMPARE(layout.field(Id::PayloadLength)->number, 126u);
    QCOMPARE(layout.field(Id::ExtendedLength)->value, QStringLiteral("5"));
    QCOMPARE(layout.field(Id::ExtendedLength)->bitOffset, 16);
    QCOMPARE(layout.field(Id::ExtendedLength)->bitCount, 16);
    QCOMPARE(layout.field(Id::MaskingKey)->bytes, (ByteRange{4, 4}));
}

void tst_FrameLayout::showsWholeUtf8CharactersWhileUnmasking()
{
    const QByteArray wire = FrameEncoder::frame(Opcode::Text, QStringLiteral("é\n€").toUtf8(), MaskKey{1, 2, 3, 4});
    const FrameLayout layout = FrameLayout::fromEvent(eventFor(wire, FrameDecoder::Sender::Client));
    QStringList characters;
    for (const UnmaskStep &s : layout.unmasking(16))
        characters << s.character;
    QCOMPARE(characters, (QStringList{QStringLiteral("é"), QStringLiteral("(cont.)"), QStringLiteral("\\n"), QStringLiteral("€"),
                                      QStringLiteral("(cont.)"), QStringLiteral("(cont.)")}));
}

void tst_FrameLayout::aCutPayloadKeepsTheDeclaredLength()
{
    LogEvent e = eventFor(FrameEncoder::frame(Opcode::Binary, QByteArray(100000, 'z'), MaskKey{9, 8, 7, 6}), FrameDecoder::Sender::Client);
    QCOMPARE(e.payload.size(), LogEvent::kMaxPayloadCopy);
    const FrameLayout layout = FrameLayout::fromEvent(e);
    QVERIFY(layout.isPayloadCut());
    QCOMPARE(layout.wireBytes().size(), 14 + LogEvent::kMaxPayloadCopy);
    QCOMPARE(layout.field(Id::ExtendedLength)->value, QStringLiteral("100000"));
    QCOMPARE(layout.field(Id::Payload)->bitCount, 100000 * 8);
    QVERIFY(layout.field(Id::Payload)->value.contains(QStringLiteral("kept 65536 of 100000")));
}

void tst_FrameLayout::closePayloadReadsAsCodeAndReason()
{
    const QByteArray wire = FrameEncoder::frame(Opcode::Close, FrameEncoder::closePayload(1000, u"bye"));
    const FrameLayout layout = FrameLayout::fromEvent(eventFor(wire, FrameDecoder::Sender::Server));
    QCOMPARE(layout.field(Id::Opcode)->value, QStringLiteral("0x8 Close"));
    QVERIFY2(layout.field(Id::Payload)->value.startsWith(QStringLiteral("1000")), qPrintable(layout.field(Id::Payload)->value));
    QVERIFY(layout.field(Id::Payload)->value.endsWith(QStringLiteral("bye")));
}

void tst_FrameLayout::anythingButAFrameIsInvalid()
{
    QVERIFY(!FrameLayout::fromEvent(LogEvent::make(EventKind::Text, Direction::Out, "Hello")).isValid());
    QVERIFY(FrameLayout().fields().isEmpty());
}

QTEST_GUILESS_MAIN(tst_FrameLayout)
#include "tst_FrameLayout.moc"
