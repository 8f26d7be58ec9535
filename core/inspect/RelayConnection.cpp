#include "core/inspect/RelayConnection.h"

#include "core/inspect/Relay.h"
#include "core/log/EventLog.h"
#include "core/protocol/FrameEncoder.h"
#include "core/protocol/Handshake.h"
#include "core/protocol/HttpResponse.h"
#include "core/protocol/Redaction.h"

#include <QSslSocket>
#include <QTcpSocket>

#include <algorithm>
#include <utility>

namespace wslab {

namespace {

constexpr qint64 kReadChunk = 64 * 1024;
// A paced direction writes this often at most: small enough to look like a steady link, large enough
// that a slow rate does not cost a timer per byte.
constexpr qint64 kPacedWritesPerSecond = 50;

QString sideName(RelaySide side)
{
    return side == RelaySide::Client ? QStringLiteral("client") : QStringLiteral("server");
}

QString heldFramesText(size_t count)
{
    return count == 1 ? QStringLiteral("1 frame") : QStringLiteral("%1 frames").arg(count);
}

bool endsDataMessage(const Frame &frame)
{
    return frame.fin && !frame.isControl() && !Opcode::isReserved(frame.opcode);
}

} // namespace

RelayConnection::RelayConnection(int id, QTcpSocket *client, Relay *relay)
    : QObject(relay)
    , m_id(id)
    , m_relay(relay)
    , m_log(relay->log())
{
    client->setParent(this);
    auto *server = new QSslSocket(this);
    m_toServer.from = RelaySide::Client;
    m_toServer.source = client;
    m_toServer.sink = server;
    m_toClient.from = RelaySide::Server;
    m_toClient.source = server;
    m_toClient.sink = client;
    m_clock.start();

    // Reading stops while a pipe has kMaxInFlight bytes waiting; a bounded read buffer then makes TCP
    // push back on the sender instead of Qt buffering without end.
    client->setReadBufferSize(kMaxInFlight);
    server->setReadBufferSize(kMaxInFlight);

    for (Pipe *pipe : {&m_toServer, &m_toClient}) {
        connect(pipe->source, &QTcpSocket::readyRead, this, [this, pipe] { onSourceReadable(*pipe); });
        connect(pipe->source, &QTcpSocket::disconnected, this, [this, pipe] { onSourceEnded(*pipe); });
        // Written bytes make room: the next slice may go, and a pipe paused by backpressure reads on.
        connect(pipe->sink, &QTcpSocket::bytesWritten, this, [this, pipe] {
            writeQueued(*pipe);
            afterOutput(*pipe);
        });
        pipe->timer.setSingleShot(true);
        pipe->timer.setTimerType(Qt::PreciseTimer);
        connect(&pipe->timer, &QTimer::timeout, this, [this, pipe] {
            writeQueued(*pipe);
            afterOutput(*pipe);
        });
    }
    if (m_relay->config().target.scheme() == u"wss")
        connect(server, &QSslSocket::encrypted, this, &RelayConnection::onTargetReady);
    else
        connect(server, &QTcpSocket::connected, this, &RelayConnection::onTargetReady);
    connect(server, &QAbstractSocket::errorOccurred, this, [this] {
        if (m_targetReady || m_cut)
            return;
        answerBadGateway();
        finishIfDone();
    });
    m_blackHoleTimer.setSingleShot(true);
    connect(&m_blackHoleTimer, &QTimer::timeout, this, [this] { m_blackHoleStarted = true; });
}

RelayConnection::~RelayConnection() = default;

void RelayConnection::start()
{
    const QUrl &target = m_relay->config().target;
    logInfo(QStringLiteral("connection %1 from %2:%3, relaying to %4")
                .arg(m_id)
                .arg(clientSocket()->peerAddress().toString())
                .arg(clientSocket()->peerPort())
                .arg(target.toString()));
    auto *server = static_cast<QSslSocket *>(serverSocket());
    if (target.scheme() == u"wss") {
        server->setSslConfiguration(m_relay->targetTls());
        server->connectToHostEncrypted(target.host(), quint16(target.port(443)));
    } else {
        server->connectToHost(target.host(), quint16(target.port(80)));
    }
}

void RelayConnection::onTargetReady()
{
    m_targetReady = true;
    onSourceReadable(m_toServer);
}

void RelayConnection::onSourceReadable(Pipe &pipe)
{
    if (m_cut || (pipe.from == RelaySide::Client && !m_targetReady))
        return;
    while (pipe.source->bytesAvailable() > 0 && pipe.delayedBytes + pipe.pausedBytes + pipe.sink->bytesToWrite() < kMaxInFlight) {
        process(pipe, pipe.source->read(kReadChunk));
        if (m_cut)
            return;
    }
}

void RelayConnection::onSourceEnded(Pipe &pipe)
{
    if (pipe.sourceEnded || m_cut)
        return;
    if (pipe.from == RelaySide::Server && !m_targetReady) {
        // The target went away before it was usable (a TLS handshake it failed closes the socket, and
        // that may be heard before the error itself).
        pipe.sourceEnded = true;
        answerBadGateway();
        finishIfDone();
        return;
    }
    // What the peer sent before it closed still goes through, backpressure or not.
    while (pipe.source->bytesAvailable() > 0 && !m_cut)
        process(pipe, pipe.source->read(kReadChunk));
    pipe.sourceEnded = true;
    afterOutput(pipe);
}

void RelayConnection::afterOutput(Pipe &pipe)
{
    if (!pipe.sourceEnded) {
        onSourceReadable(pipe);
        return;
    }
    // The source has closed: its end goes on once everything it sent has been written.
    if (pipe.delayed.empty() && pipe.pausedBytes == 0)
        closeSink(pipe);
    finishIfDone();
}

void RelayConnection::closeSink(Pipe &pipe)
{
    // A black hole keeps TCP open: the peer must find out by itself, as behind a dead NAT.
    if (blackHoled() || pipe.sinkClosed)
        return;
    // Once only: a second call on a closing socket would abort it and lose what it still has to write.
    pipe.sinkClosed = true;
    if (pipe.sink->state() == QAbstractSocket::ConnectedState)
        pipe.sink->disconnectFromHost();
    else
        pipe.sink->abort();
}

void RelayConnection::process(Pipe &pipe, QByteArray chunk)
{
    if (pipe.headDone)
        processFrames(pipe, chunk);
    else
        parseHead(pipe, std::move(chunk));
}

void RelayConnection::parseHead(Pipe &pipe, QByteArray chunk)
{
    pipe.head.append(chunk);
    qsizetype headBytes = 0;
    if (pipe.from == RelaySide::Client) {
        const HttpRequestParse parse = HttpRequestParse::parse(pipe.head);
        if (parse.status != HttpRequestParse::Status::Complete) {
            if (parse.status == HttpRequestParse::Status::Error)
                giveUpOnHead(pipe, QStringLiteral("no HTTP upgrade request (%1)").arg(QString::fromUtf8(parse.errorText)));
            send(pipe, std::move(chunk));
            return;
        }
        headBytes = parse.headBytes;
        m_request = parse.request;
        m_requestSeen = true;
        LogEvent e = LogEvent::make(EventKind::Handshake, Direction::Out, redactSecrets(pipe.head.left(headBytes)));
        e.detail = redactSecrets(QStringLiteral("%1:%2 %3 %4")
                                     .arg(clientSocket()->peerAddress().toString())
                                     .arg(clientSocket()->peerPort())
                                     .arg(QString::fromUtf8(parse.request.method), QString::fromUtf8(parse.request.target)));
        logEvent(std::move(e));
    } else {
        const HttpResponseParse parse = HttpResponseParse::parse(pipe.head);
        if (parse.status != HttpResponseParse::Status::Complete) {
            if (parse.status == HttpResponseParse::Status::Error)
                giveUpOnHead(pipe, QStringLiteral("no HTTP response (%1)").arg(QString::fromUtf8(parse.errorText)));
            send(pipe, std::move(chunk));
            return;
        }
        headBytes = parse.headBytes;
        const Handshake handshake = m_requestSeen ? Handshake::check(m_request, parse.response) : Handshake{};
        LogEvent e = LogEvent::make(EventKind::Handshake, Direction::In, pipe.head.left(headBytes));
        e.detail = QStringLiteral("HTTP %1 %2").arg(parse.response.statusCode).arg(QString::fromUtf8(parse.response.reasonPhrase));
        if (parse.response.statusCode == 101) {
            e.detail += handshake.acceptMatches() ? QStringLiteral("; Sec-WebSocket-Accept matches the key")
                                                  : QStringLiteral("; Sec-WebSocket-Accept does not match the key");
            for (const ProtocolViolation &problem : handshake.problems)
                e.detail += QStringLiteral("; ") + problem.describe();
        }
        logEvent(std::move(e));
        if (parse.response.statusCode == 101 && m_requestSeen)
            startFrames(handshake);
    }
    // The head goes on as it came; what follows it in the same read is frames.
    const QByteArray rest = pipe.head.mid(headBytes);
    pipe.head.clear();
    pipe.headDone = true;
    chunk.chop(rest.size());
    send(pipe, std::move(chunk));
    if (rest.isEmpty())
        return;
    if (pipe.decoder) {
        processFrames(pipe, rest);
        return;
    }
    // Client frames sent before the 101 came back: forwarded now, decoded once the answer says how.
    if (pipe.from == RelaySide::Client && pipe.earlyFrames.size() < kMaxInFlight)
        pipe.earlyFrames += rest;
    send(pipe, rest);
}

void RelayConnection::giveUpOnHead(Pipe &pipe, const QString &what)
{
    // Not WebSocket as we know it: still relayed, byte for byte, but nothing more is decoded.
    logInfo(QStringLiteral("the %1 sent %2: passing its bytes through undecoded").arg(sideName(pipe.from), what));
    pipe.headDone = true;
    pipe.head.clear();
}

void RelayConnection::startFrames(const Handshake &handshake)
{
    FrameDecoder::Options options;
    options.deflate = handshake.deflate;
    // Two lenient peers may go on after a broken rule; the inspector should keep showing frames.
    options.continueAfterViolation = true;
    m_toServer.decoder = std::make_unique<FrameDecoder>(FrameDecoder::Sender::Client, options);
    m_toClient.decoder = std::make_unique<FrameDecoder>(FrameDecoder::Sender::Server, options);

    LogEvent e = LogEvent::make(EventKind::Open, Direction::Local);
    QStringList parts{QStringLiteral("connection %1 open").arg(m_id)};
    if (!handshake.subprotocol.isEmpty())
        parts << QStringLiteral("subprotocol %1").arg(QString::fromUtf8(handshake.subprotocol));
    if (handshake.deflate)
        parts << QStringLiteral("permessage-deflate");
    e.detail = parts.join(QStringLiteral(", "));
    logEvent(std::move(e));

    if (!m_toServer.earlyFrames.isEmpty()) {
        // Already forwarded: decoded for the log only.
        const QByteArray early = std::exchange(m_toServer.earlyFrames, {});
        m_toServer.forwardedUpTo = early.size();
        processFrames(m_toServer, early);
    }
    const std::chrono::milliseconds after = m_relay->faults().blackHoleAfter;
    if (after.count() > 0)
        m_blackHoleTimer.start(after);
    Q_EMIT opened(m_id);
}

bool RelayConnection::wantsFrames(const Pipe &pipe) const
{
    const RelayFaults &faults = m_relay->faults();
    if (faults.needsFrames(pipe.from) || pipe.closedByInjection || !pipe.pendingInjection.isEmpty())
        return true;
    if (m_relay->isPaused() || !m_paused.empty() || pipe.corruptNext || pipe.corruptingMessage)
        return true;
    // A counted fault acts right after its message, before anything that follows it is forwarded.
    return pipe.from == RelaySide::Client && (faults.closeAfterMessages > 0 || faults.cutAfterMessages > 0);
}

void RelayConnection::processFrames(Pipe &pipe, const QByteArray &chunk)
{
    if (!pipe.decoder) {
        send(pipe, chunk);
        return;
    }
    // Chunks pass straight through unless a fault needs to judge whole frames: then each frame's
    // original bytes are held until it is complete, and forwarded or swallowed as they are.
    const bool byFrame = wantsFrames(pipe) && !pipe.decoder->hasStopped();
    const qint64 chunkStart = pipe.received;
    pipe.received += chunk.size();
    if (byFrame) {
        pipe.held.append(chunk);
    } else {
        // Frames held back while faults judged them go first; bytes already forwarded (client frames
        // sent before the 101) are not sent twice.
        send(pipe, std::exchange(pipe.held, {}));
        send(pipe, chunk.mid(std::max<qint64>(0, pipe.forwardedUpTo - chunkStart)));
        pipe.forwardedUpTo = std::max(pipe.forwardedUpTo, pipe.received);
        pipe.heldStart = pipe.forwardedUpTo;
    }
    pipe.frames.clear();
    pipe.decoder->feed(chunk, &pipe.frames);
    if (!byFrame)
        pipe.forwardedEndsFrame = pipe.decoder->bytesPending() == 0 && !pipe.decoder->hasStopped();
    for (const Frame &frame : std::as_const(pipe.frames)) {
        logFrame(pipe, frame);
        if (byFrame) {
            const qint64 end = frame.streamOffset + frame.size();
            if (end > pipe.forwardedUpTo) {
                // A frame begun before frames were judged is finished as it started.
                const bool whole = frame.streamOffset >= pipe.forwardedUpTo;
                QByteArray bytes = pipe.held.mid(pipe.forwardedUpTo - pipe.heldStart, end - pipe.forwardedUpTo);
                if (!whole)
                    send(pipe, std::move(bytes));
                else if (!swallows(pipe, frame))
                    holdOrSend(pipe, rewrite(pipe, frame, std::move(bytes)),
                               QStringLiteral("a %1 frame from the %2").arg(Opcode::name(frame.opcode).toLower(), sideName(pipe.from)));
                pipe.forwardedUpTo = end;
            }
            pipe.forwardedEndsFrame = true;
        }
        if (pipe.from == RelaySide::Client && endsDataMessage(frame)) {
            ++pipe.dataMessages;
            afterClientMessage();
            if (m_cut)
                return;
        }
        injectIfAtBoundary(pipe);
    }
    if (byFrame) {
        if (pipe.decoder->hasStopped()) {
            // The framing is lost (an unusable length): the rest can only go through as it is.
            send(pipe, pipe.held.mid(pipe.forwardedUpTo - pipe.heldStart));
            pipe.forwardedUpTo = pipe.received;
            pipe.forwardedEndsFrame = false;
        }
        pipe.held.remove(0, pipe.forwardedUpTo - pipe.heldStart);
        pipe.heldStart = pipe.forwardedUpTo;
    }
    injectIfAtBoundary(pipe);
}

bool RelayConnection::swallows(Pipe &pipe, const Frame &frame)
{
    // After an injected Close nothing more may follow it in this direction (RFC 6455 §5.5.1).
    if (pipe.closedByInjection)
        return true;
    const RelayFaults &faults = m_relay->faults();
    if (frame.opcode == Opcode::Pong &&
        (pipe.from == RelaySide::Client ? faults.withholdPongsFromClient : faults.withholdPongsFromServer)) {
        logInfo(QStringLiteral("withheld a pong from the %1").arg(sideName(pipe.from)));
        return true;
    }
    if (frame.isControl() || Opcode::isReserved(frame.opcode))
        return false;
    if (frame.opcode != Opcode::Continuation) {
        pipe.droppingMessage = faults.dropPercent > 0 && int(m_relay->random().bounded(100)) < faults.dropPercent;
        if (pipe.droppingMessage)
            logInfo(QStringLiteral("dropped a %1 message from the %2 (drop %3%)")
                        .arg(Opcode::name(frame.opcode).toLower(), sideName(pipe.from))
                        .arg(faults.dropPercent));
    }
    const bool drop = pipe.droppingMessage;
    if (frame.fin)
        pipe.droppingMessage = false;
    return drop;
}

void RelayConnection::afterClientMessage()
{
    const RelayFaults &faults = m_relay->faults();
    const int count = m_toServer.dataMessages;
    if (faults.closeAfterMessages > 0 && count >= faults.closeAfterMessages && !m_closeAfterDone) {
        m_closeAfterDone = true;
        injectClose(faults.closeTowards, faults.closeCode, faults.closeReason);
    }
    if (faults.cutAfterMessages > 0 && count >= faults.cutAfterMessages && !m_cut)
        cut(QStringLiteral("after %1 data messages from the client").arg(count));
}

void RelayConnection::injectClose(RelaySide towards, int code, const QString &reason)
{
    Pipe &pipe = towards == RelaySide::Client ? m_toClient : m_toServer;
    if (!pipe.decoder || m_cut) {
        logInfo(QStringLiteral("no Close injected on connection %1: it is not an open WebSocket").arg(m_id));
        return;
    }
    // A Close towards the server is a client's frame, so it must be masked (RFC 6455 §5.1).
    std::optional<MaskKey> mask;
    if (towards == RelaySide::Server)
        mask = freshMask();
    pipe.pendingInjection = FrameEncoder::frame(Opcode::Close, FrameEncoder::closePayload(code, reason), mask);
    logInfo(QStringLiteral("injecting close %1 %2 towards the %3").arg(code).arg(reason, sideName(towards)));
    injectIfAtBoundary(pipe);
}

void RelayConnection::injectIfAtBoundary(Pipe &pipe)
{
    if (pipe.pendingInjection.isEmpty() || !pipe.forwardedEndsFrame)
        return;
    holdOrSend(pipe, std::exchange(pipe.pendingInjection, {}), QStringLiteral("an injected close"));
    pipe.closedByInjection = true;
}

MaskKey RelayConnection::freshMask()
{
    const quint32 key = m_relay->random().generate();
    return MaskKey{quint8(key >> 24), quint8(key >> 16), quint8(key >> 8), quint8(key)};
}

QByteArray RelayConnection::rewrite(Pipe &pipe, const Frame &frame, QByteArray bytes)
{
    // A frame that broke a rule goes on as it came: rewriting it would hide what the inspector shows.
    if (frame.isControl() || Opcode::isReserved(frame.opcode) || frame.violation.isViolation())
        return bytes;
    if (frame.opcode != Opcode::Continuation) {
        pipe.messageOpcode = frame.opcode;
        pipe.messageOffset = 0;
        const RelayFaults &faults = m_relay->faults();
        const bool corruptAfterDue = pipe.from == RelaySide::Client && faults.corruptAfterMessages >= 0 &&
                                     pipe.dataMessages >= faults.corruptAfterMessages && !m_corruptAfterDone;
        if (pipe.corruptNext || corruptAfterDue) {
            pipe.corruptNext = false;
            pipe.corruptingMessage = true;
            m_corruptAfterDone = m_corruptAfterDone || corruptAfterDue;
        }
    }
    QByteArray payload = frame.payload;
    if (pipe.corruptingMessage && !payload.isEmpty())
        corrupt(pipe, frame, &bytes, &payload);
    pipe.messageOffset += payload.size();
    if (frame.fin && pipe.corruptingMessage) {
        // An empty message has no byte to change: the next one gets it.
        pipe.corruptingMessage = false;
        pipe.corruptNext = true;
    }
    // A message that came fragmented passes as it came: it already shows fragmentation, and cutting
    // each of its frames again would only multiply frames the sender chose.
    if (frame.opcode != Opcode::Continuation && frame.fin && m_relay->faults().fragmentCount > 1) {
        // Compressed text is cut anywhere: the receiver checks UTF-8 only after inflating the whole message.
        const bool wholeCharacters = frame.opcode == Opcode::Text && !frame.rsv1;
        const QList<qsizetype> sizes = FrameEncoder::evenSizes(payload, m_relay->faults().fragmentCount, wholeCharacters);
        if (sizes.size() > 1)
            return refragment(pipe, frame, payload, sizes);
    }
    return bytes;
}

void RelayConnection::corrupt(Pipe &pipe, const Frame &frame, QByteArray *bytes, QByteArray *payload)
{
    const qsizetype index = qsizetype(m_relay->random().bounded(quint32(payload->size())));
    const quint8 old = quint8(payload->at(index));
    // 0xFF never occurs in UTF-8, so a text message is refused (1007) wherever the byte sits; binary
    // has no rule to break, so its bits flip and only the receiver's own checks can notice.
    const bool text = pipe.messageOpcode == Opcode::Text && !frame.rsv1;
    const quint8 changed = text ? (old == 0xFF ? 0xFE : 0xFF) : quint8(~old);
    (*payload)[index] = char(changed);
    // The wire carries the byte masked with the frame's key (RFC 6455 §5.3).
    const quint8 key = frame.masked ? frame.maskKey[size_t(index % 4)] : 0;
    (*bytes)[frame.headerSize + index] = char(changed ^ key);
    pipe.corruptingMessage = false;
    logInfo(QStringLiteral("corrupted byte %1 of a %2 message from the %3 (0x%4 -> 0x%5)%6")
                .arg(pipe.messageOffset + index)
                .arg(Opcode::name(pipe.messageOpcode).toLower(), sideName(pipe.from))
                .arg(old, 2, 16, QChar(u'0'))
                .arg(changed, 2, 16, QChar(u'0'))
                .arg(frame.rsv1 ? QStringLiteral(", in its compressed bytes") : QString()));
}

QByteArray RelayConnection::refragment(Pipe &pipe, const Frame &frame, const QByteArray &payload, const QList<qsizetype> &sizes)
{
    // Each client frame gets a key of its own, as a client would choose it (RFC 6455 §5.3).
    const bool masked = pipe.from == RelaySide::Client;
    QByteArray out = FrameEncoder::fragment(
        frame.opcode, payload, sizes, [this, masked] { return masked ? std::optional<MaskKey>(freshMask()) : std::nullopt; }, frame.rsv1);
    logInfo(QStringLiteral("re-fragmented a %1 message of %2 bytes from the %3 into %4 frames")
                .arg(Opcode::name(frame.opcode).toLower())
                .arg(payload.size())
                .arg(sideName(pipe.from))
                .arg(sizes.size()));
    return out;
}

void RelayConnection::holdOrSend(Pipe &pipe, QByteArray bytes, const QString &what)
{
    if (!m_relay->isPaused() && m_paused.empty()) {
        send(pipe, std::move(bytes));
        return;
    }
    pipe.pausedBytes += bytes.size();
    m_paused.push_back({m_relay->nextArrival(), &pipe, std::move(bytes), what});
    logInfo(QStringLiteral("paused: holding %1 (%2 held)").arg(what, heldFramesText(m_paused.size())));
    Q_EMIT heldFramesChanged();
}

void RelayConnection::stepHeldFrame()
{
    if (m_paused.empty())
        return;
    PausedFrame frame = std::move(m_paused.front());
    m_paused.pop_front();
    Pipe &pipe = *frame.pipe;
    pipe.pausedBytes -= frame.bytes.size();
    logInfo(QStringLiteral("stepped: forwarded %1 (%2 held)").arg(frame.what, heldFramesText(m_paused.size())));
    send(pipe, std::move(frame.bytes));
    Q_EMIT heldFramesChanged();
    afterOutput(pipe);
}

void RelayConnection::releaseHeldFrames()
{
    if (m_paused.empty())
        return;
    logInfo(QStringLiteral("resumed: forwarding %1 in the order they came").arg(heldFramesText(m_paused.size())));
    // Taken first: a frame read while these are sent must not pass them.
    std::deque<PausedFrame> frames = std::exchange(m_paused, {});
    for (PausedFrame &frame : frames) {
        frame.pipe->pausedBytes -= frame.bytes.size();
        send(*frame.pipe, std::move(frame.bytes));
    }
    Q_EMIT heldFramesChanged();
    afterOutput(m_toServer);
    afterOutput(m_toClient);
}

void RelayConnection::corruptNextMessage(RelaySide from)
{
    Pipe &pipe = pipeFrom(from);
    if (!pipe.decoder || m_cut) {
        logInfo(QStringLiteral("nothing to corrupt on connection %1: it is not an open WebSocket").arg(m_id));
        return;
    }
    pipe.corruptNext = true;
    logInfo(QStringLiteral("will corrupt one byte of the next data message from the %1").arg(sideName(from)));
}

void RelayConnection::cut(const QString &why)
{
    if (m_cut || m_finished)
        return;
    logInfo(QStringLiteral("cut: both sides reset %1; the peers see 1006").arg(why));
    m_cut = true;
    // What was forwarded before the cut reaches the peers first; abort() would discard it.
    clientSocket()->flush();
    serverSocket()->flush();
    clientSocket()->abort();
    serverSocket()->abort();
    finishIfDone();
}

bool RelayConnection::blackHoled() const
{
    return m_blackHoleStarted || m_relay->faults().blackHole;
}

void RelayConnection::send(Pipe &pipe, QByteArray bytes)
{
    if (bytes.isEmpty() || m_cut)
        return;
    if (blackHoled()) {
        if (!m_blackHoleLogged) {
            m_blackHoleLogged = true;
            logInfo(QStringLiteral("black hole: connection %1 forwards nothing from now on, TCP stays open").arg(m_id));
        }
        return;
    }
    const RelayFaults &faults = m_relay->faults();
    qint64 delay = faults.latency.count();
    if (faults.jitter.count() > 0)
        delay += qint64(m_relay->random().bounded(quint32(faults.jitter.count()) + 1));
    const bool paced = faults.bandwidth(pipe.from) > 0 || faults.sliceBytes > 0;
    if (delay <= 0 && pipe.delayed.empty() && !paced) {
        if (pipe.sink->isWritable())
            pipe.sink->write(bytes);
        return;
    }
    if (delay > 0 && !pipe.announcedDelay) {
        pipe.announcedDelay = true;
        logInfo(QStringLiteral("latency: delaying what the %1 sends by %2 ms").arg(sideName(pipe.from)).arg(delay));
    }
    // Never earlier than the chunk before it: jitter may lengthen a delay but never reorder bytes.
    const qint64 now = m_clock.elapsed();
    const qint64 due = std::max(now + delay, pipe.lastDueMs);
    pipe.lastDueMs = due;
    pipe.delayedBytes += bytes.size();
    pipe.delayed.push_back({due, std::move(bytes)});
    writeQueued(pipe);
}

void RelayConnection::writeQueued(Pipe &pipe)
{
    const RelayFaults &faults = m_relay->faults();
    const qint64 rate = faults.bandwidth(pipe.from);
    const qint64 slice = faults.sliceBytes;
    if (pipe.lowDelay != (slice > 0)) {
        // Without it, Nagle's algorithm would gather the slices into one segment again.
        pipe.sink->setSocketOption(QAbstractSocket::LowDelayOption, slice > 0 ? 1 : 0);
        pipe.lowDelay = slice > 0;
    }
    auto waitNs = [&pipe](qint64 ns) {
        // Rounded up: a timer that fires early would only find nothing to do yet.
        pipe.timer.start(std::chrono::milliseconds((ns + 999999) / 1000000));
    };
    while (!pipe.delayed.empty()) {
        const qint64 nowNs = m_clock.nsecsElapsed();
        Delayed &next = pipe.delayed.front();
        if (next.dueMs * 1000000 > nowNs) {
            waitNs(next.dueMs * 1000000 - nowNs);
            return;
        }
        const qint64 left = next.bytes.size() - next.written;
        if (!pipe.sink->isWritable() || m_cut) {
            pipe.delayedBytes -= left;
            pipe.delayed.pop_front();
            continue;
        }
        // A slice waits until the one before it has left the socket (bytesWritten calls again), so
        // each one is a write of its own on a later turn of the event loop.
        if (slice > 0 && pipe.sink->bytesToWrite() > 0)
            return;
        if (rate > 0 && pipe.nextPacedWriteNs > nowNs) {
            waitNs(pipe.nextPacedWriteNs - nowNs);
            return;
        }
        announceByteFaults(pipe);
        qint64 size = left;
        if (slice > 0)
            size = std::min(size, slice);
        if (rate > 0) {
            size = std::min(size, std::max<qint64>(1, rate / kPacedWritesPerSecond));
            // Paced from the later of now and the last write's end: an idle link saves up no burst.
            pipe.nextPacedWriteNs = std::max(nowNs, pipe.nextPacedWriteNs) + size * 1000000000 / rate;
        }
        pipe.sink->write(next.bytes.constData() + next.written, size);
        next.written += size;
        pipe.delayedBytes -= size;
        if (next.written == next.bytes.size())
            pipe.delayed.pop_front();
    }
}

void RelayConnection::announceByteFaults(Pipe &pipe)
{
    // Once per setting, when it first shapes a write: a log line per slice would drown the frames.
    const RelayFaults &faults = m_relay->faults();
    if (faults.sliceBytes > 0 && pipe.announcedSlice != faults.sliceBytes)
        logInfo(QStringLiteral("slicing: writing what the %1 sends %2 bytes at a time").arg(sideName(pipe.from)).arg(faults.sliceBytes));
    pipe.announcedSlice = faults.sliceBytes;
    const qint64 rate = faults.bandwidth(pipe.from);
    if (rate > 0 && pipe.announcedBandwidth != rate)
        logInfo(QStringLiteral("bandwidth: pacing what the %1 sends at %2 bytes/s").arg(sideName(pipe.from)).arg(rate));
    pipe.announcedBandwidth = rate;
}

void RelayConnection::answerBadGateway()
{
    if (m_answeredBadGateway)
        return;
    m_answeredBadGateway = true;
    QTcpSocket *server = serverSocket();
    LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
    e.socketError = int(server->error());
    e.detail = QStringLiteral("cannot reach %1: %2").arg(m_relay->config().target.toString(), server->errorString());
    // Nothing has gone either way yet, and the client waits for its upgrade's answer: a gateway that
    // cannot reach the server says so in HTTP (RFC 9110 §15.6.3), where the client shows the status.
    const QByteArray body = e.detail.toUtf8() + '\n';
    clientSocket()->write("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                          QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    logEvent(std::move(e));
    clientSocket()->disconnectFromHost();
}

void RelayConnection::finishIfDone()
{
    if (m_finished || clientSocket()->state() != QAbstractSocket::UnconnectedState ||
        serverSocket()->state() != QAbstractSocket::UnconnectedState)
        return;
    m_finished = true;
    logInfo(QStringLiteral("connection %1 closed").arg(m_id));
    if (!m_paused.empty()) {
        logInfo(QStringLiteral("dropped %1 held while paused: both sides are gone").arg(heldFramesText(m_paused.size())));
        m_paused.clear();
        Q_EMIT heldFramesChanged();
    }
    Q_EMIT finished(m_id);
}

void RelayConnection::logFrame(const Pipe &pipe, const Frame &frame)
{
    LogEvent e = LogEvent::make(EventKind::Frame, pipe.from == RelaySide::Client ? Direction::Out : Direction::In, frame.payload,
                                qint64(frame.payloadLength));
    e.frame.fromClient = pipe.from == RelaySide::Client;
    e.frame.fin = frame.fin;
    e.frame.masked = frame.masked;
    e.frame.rsv = quint8((frame.rsv1 ? 4 : 0) | (frame.rsv2 ? 2 : 0) | (frame.rsv3 ? 1 : 0));
    e.frame.opcode = frame.opcode;
    e.frame.headerSize = quint8(frame.headerSize);
    e.frame.maskKey = (quint32(frame.maskKey[0]) << 24) | (quint32(frame.maskKey[1]) << 16) | (quint32(frame.maskKey[2]) << 8) |
                      quint32(frame.maskKey[3]);
    e.detail = frame.violation.describe();
    logEvent(std::move(e));
}

void RelayConnection::logInfo(const QString &text)
{
    LogEvent e = LogEvent::make(EventKind::Info, Direction::Local);
    e.detail = text;
    logEvent(std::move(e));
}

void RelayConnection::logEvent(LogEvent event)
{
    event.endpoint = QStringLiteral("relay");
    event.peer = m_id;
    m_log->append(std::move(event));
}

} // namespace wslab
