#include "core/sequence/SequenceModel.h"

#include "core/log/EventFormat.h"
#include "core/log/EventLog.h"

#include <QHostAddress>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <array>

namespace wslab {

namespace {

constexpr int kLabelChars = 40;
// Kinds that travel between two ends and are matched in order: Text, Binary, Ping, Pong, Close, Open.
constexpr int kMatchedKinds = int(ArrowKind::Open) + 1;

// "from 127.0.0.1:54321" in an Open's detail: the client end of the connection, as the client names
// itself and as the server names its peer. IPv4-mapped IPv6 addresses are written as IPv4 so both
// ends agree whatever stack the server listens on.
QString clientEndOf(const LogEvent &open)
{
    static const QRegularExpression from(QStringLiteral("(?:^|\\s)from (\\S+):(\\d+)(?:\\s|$)"));
    const QRegularExpressionMatch m = from.match(open.detail);
    if (!m.hasMatch())
        return {};
    QHostAddress address(m.captured(1));
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        address = QHostAddress(v4);
    return address.toString() + u':' + m.captured(2);
}

QString labelFor(ArrowKind kind, const LogEvent &e)
{
    switch (kind) {
    case ArrowKind::Text:
        return EventFormat::textPreview(e.payload, kLabelChars);
    case ArrowKind::Binary:
        return EventFormat::hexPreview(e.payload, kLabelChars / 4);
    case ArrowKind::Ping:
        return e.payload.isEmpty() ? QStringLiteral("ping")
                                   : QString(QStringLiteral("ping ") + EventFormat::textPreview(e.payload, kLabelChars));
    case ArrowKind::Pong:
        if (e.rttUs >= 0)
            return QStringLiteral("pong %1 ms").arg(double(e.rttUs) / 1000.0, 0, 'f', 2);
        return e.payload.isEmpty() ? QStringLiteral("pong")
                                   : QString(QStringLiteral("pong ") + EventFormat::textPreview(e.payload, kLabelChars));
    case ArrowKind::Close:
        return e.detail.isEmpty() ? QString::number(e.closeCode)
                                  : QString(QString::number(e.closeCode) + u' ' + EventFormat::textPreview(e.detail.toUtf8(), kLabelChars));
    case ArrowKind::Open:
        return QStringLiteral("open");
    case ArrowKind::Retry:
        return QStringLiteral("retry #%1 in %2 s").arg(e.attempt).arg(QLocale::c().toString(double(e.delayMs) / 1000.0, 'f', 1));
    case ArrowKind::Error:
        if (e.kind == EventKind::HeartbeatTimeout)
            return QStringLiteral("heartbeat timeout");
        return EventFormat::textPreview(e.detail.toUtf8(), kLabelChars);
    case ArrowKind::Continuation:
        return QStringLiteral("continuation");
    }
    return {};
}

// Order matching pairs the n-th send with the n-th receipt; what both ends logged must agree, or the
// order is off (an event lost on one side) and pairing would only spread the error.
bool agrees(const Arrow &arrow, const LogEvent &e)
{
    switch (arrow.kind) {
    case ArrowKind::Close:
        return arrow.closeCode == e.closeCode;
    case ArrowKind::Open:
        return true;
    default:
        return arrow.size == e.size;
    }
}

} // namespace

qint64 Arrow::startUs() const
{
    qint64 s = t;
    if (sentUs >= 0)
        s = std::min(s, sentUs);
    if (receivedUs >= 0)
        s = std::min(s, receivedUs);
    return s;
}

qint64 Arrow::endUs() const
{
    return std::max({t, sentUs, receivedUs});
}

// One end of one WebSocket connection: a client lane's connection from one Open to its close, or one
// server peer. Its sends wait for the other end's receipts and the other way round.
struct SequenceModel::Side
{
    int lane = -1;
    int peer = -1;
    QString clientEnd;
    Side *partner = nullptr;
    bool closed = false;
    std::array<std::deque<qint64>, kMatchedKinds> sends;
    std::array<std::deque<qint64>, kMatchedKinds> receipts;
};

struct SequenceModel::LaneState
{
    quint64 nextSeq = 0;
    Side *client = nullptr; // the client connection its events without a peer belong to
    QHash<int, Side *> peers; // server peers by id
};

SequenceModel::SequenceModel(QObject *parent)
    : QObject(parent)
{
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &SequenceModel::refresh);
}

SequenceModel::~SequenceModel() = default;

void SequenceModel::setLanes(const QList<SequenceLane> &lanes)
{
    for (const SequenceLane &lane : std::as_const(m_lanes))
        disconnect(lane.log, nullptr, this, nullptr);
    m_lanes = lanes;
    m_firstId += qint64(m_arrows.size());
    m_arrows.clear();
    m_waitingClients.clear();
    m_waitingServers.clear();
    m_sides.clear();
    m_states.assign(size_t(m_lanes.size()), LaneState{});
    m_maxReachUs = 0;
    m_lastUs = 0;
    m_missed = 0;
    qsizetype capacity = 0;
    for (qsizetype i = 0; i < m_lanes.size(); ++i) {
        const EventLog *log = m_lanes.at(i).log;
        m_states[size_t(i)].nextSeq = log->firstSeq();
        capacity += log->limits().maxEvents;
        connect(log, &EventLog::appended, this, &SequenceModel::scheduleRefresh);
        connect(log, &EventLog::evicted, this, &SequenceModel::scheduleRefresh);
        connect(log, &EventLog::cleared, this, &SequenceModel::scheduleRefresh);
        connect(log, &QObject::destroyed, this, &SequenceModel::removeLaneOf);
    }
    if (!m_maxArrowsSet)
        m_maxArrows = capacity;
    readNew();
    Q_EMIT lanesChanged();
}

void SequenceModel::removeLaneOf(const QObject *log)
{
    QList<SequenceLane> rest = m_lanes;
    rest.removeIf([log](const SequenceLane &lane) { return static_cast<const QObject *>(lane.log) == log; });
    // Its log is half destroyed: nothing may read or disconnect it.
    m_lanes.removeIf([log](const SequenceLane &lane) { return static_cast<const QObject *>(lane.log) == log; });
    setLanes(rest);
}

qint64 SequenceModel::idAt(qsizetype index) const
{
    return index >= 0 && index < arrowCount() ? m_firstId + index : -1;
}

qsizetype SequenceModel::indexOfId(qint64 id) const
{
    const qint64 index = id - m_firstId;
    return index >= 0 && index < arrowCount() ? qsizetype(index) : -1;
}

std::pair<qsizetype, qsizetype> SequenceModel::arrowsBetween(qint64 fromUs, qint64 toUs) const
{
    const auto first =
        std::lower_bound(m_arrows.begin(), m_arrows.end(), fromUs - m_maxReachUs, [](const Arrow &a, qint64 t) { return a.t < t; });
    const auto last = std::upper_bound(first, m_arrows.end(), toUs + m_maxReachUs, [](qint64 t, const Arrow &a) { return t < a.t; });
    return {qsizetype(first - m_arrows.begin()), qsizetype(last - m_arrows.begin())};
}

qint64 SequenceModel::firstUs() const
{
    return m_arrows.empty() ? 0 : m_arrows.front().startUs();
}

qint64 SequenceModel::lastUs() const
{
    return m_arrows.empty() ? 0 : m_lastUs;
}

void SequenceModel::setMaxArrows(qsizetype max)
{
    m_maxArrowsSet = true;
    m_maxArrows = std::max<qsizetype>(1, max);
    dropOld();
}

qsizetype SequenceModel::waitingCount() const
{
    qsizetype n = 0;
    for (const auto &side : m_sides) {
        for (int k = 0; k < kMatchedKinds; ++k)
            n += qsizetype(side->sends[size_t(k)].size() + side->receipts[size_t(k)].size());
    }
    return n;
}

void SequenceModel::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        refresh();
}

void SequenceModel::scheduleRefresh()
{
    if (!m_paused && !m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void SequenceModel::refresh()
{
    if (m_paused)
        return;
    m_refreshTimer.stop();
    if (readNew())
        Q_EMIT changed();
}

bool SequenceModel::readNew()
{
    const qsizetype before = arrowCount();
    const qint64 firstIdBefore = m_firstId;
    bool read = false;
    for (qsizetype i = 0; i < m_lanes.size(); ++i) {
        LaneState &state = m_states[size_t(i)];
        const quint64 first = m_lanes.at(i).log->firstSeq();
        if (state.nextSeq < first) {
            m_missed += first - state.nextSeq;
            state.nextSeq = first;
        }
    }
    // The lanes' new events merged by time: a receipt is stamped after its send, so the send is read first.
    for (;;) {
        int next = -1;
        qint64 nextUs = 0;
        for (qsizetype i = 0; i < m_lanes.size(); ++i) {
            const LogEvent *e = m_lanes.at(i).log->bySeq(m_states[size_t(i)].nextSeq);
            if (e && (next < 0 || e->monoUs < nextUs)) {
                next = int(i);
                nextUs = e->monoUs;
            }
        }
        if (next < 0)
            break;
        LaneState &state = m_states[size_t(next)];
        take(next, *m_lanes.at(next).log->bySeq(state.nextSeq));
        ++state.nextSeq;
        read = true;
    }
    dropOld();
    retireClosedSides();
    return read || arrowCount() != before || m_firstId != firstIdBefore;
}

void SequenceModel::take(int lane, const LogEvent &e)
{
    switch (e.kind) {
    case EventKind::Open:
        // The relay names itself as the endpoint; its Open is its own relayed connection's, which has
        // no other end among the lanes: a mark on its lane.
        if (e.endpoint == QLatin1String("relay"))
            addMark(lane, ArrowKind::Open, e, EventFormat::textPreview(e.detail.toUtf8(), kLabelChars));
        else
            onOpen(lane, e);
        return;
    case EventKind::Text:
    case EventKind::Binary:
    case EventKind::Ping:
    case EventKind::Pong:
    case EventKind::Close: {
        const ArrowKind kind = e.kind == EventKind::Text     ? ArrowKind::Text
                               : e.kind == EventKind::Binary ? ArrowKind::Binary
                               : e.kind == EventKind::Ping   ? ArrowKind::Ping
                               : e.kind == EventKind::Pong   ? ArrowKind::Pong
                                                             : ArrowKind::Close;
        Side *side = sideOf(lane, e);
        if (e.direction == Direction::Out)
            onEnd(side, lane, kind, e, true);
        else if (e.direction == Direction::In)
            onEnd(side, lane, kind, e, false);
        else if (kind == ArrowKind::Close) // no close frame either way: the link dropped
            addMark(lane, kind, e, labelFor(kind, e));
        if (kind == ArrowKind::Close && side)
            side->closed = true;
        return;
    }
    case EventKind::Frame:
        addFrameMark(lane, e);
        return;
    case EventKind::RetryScheduled:
        addMark(lane, ArrowKind::Retry, e, labelFor(ArrowKind::Retry, e));
        return;
    case EventKind::Error:
    case EventKind::Refused:
    case EventKind::HeartbeatTimeout:
        addMark(lane, ArrowKind::Error, e, labelFor(ArrowKind::Error, e));
        return;
    default:
        return; // states, handshakes, the outbox: the log tells them; the diagram shows the exchange
    }
}

SequenceModel::Side *SequenceModel::sideOf(int lane, const LogEvent &e)
{
    const LaneState &state = m_states[size_t(lane)];
    return e.peer >= 0 ? state.peers.value(e.peer) : state.client;
}

void SequenceModel::onOpen(int lane, const LogEvent &e)
{
    LaneState &state = m_states[size_t(lane)];
    auto owned = std::make_unique<Side>();
    Side *side = owned.get();
    side->lane = lane;
    side->peer = e.peer;
    side->clientEnd = clientEndOf(e);
    m_sides.push_back(std::move(owned));
    // A server end has a peer id; a client end is its lane's connection until the next Open.
    const bool serverEnd = e.peer >= 0;
    Side *&slot = serverEnd ? state.peers[e.peer] : state.client;
    if (slot)
        slot->closed = true; // its Close was evicted or never logged
    slot = side;
    if (!side->clientEnd.isEmpty()) {
        QHash<QString, Side *> &mine = serverEnd ? m_waitingServers : m_waitingClients;
        QHash<QString, Side *> &theirs = serverEnd ? m_waitingClients : m_waitingServers;
        if (Side *other = theirs.take(side->clientEnd))
            serverEnd ? link(other, side) : link(side, other);
        else
            mine.insert(side->clientEnd, side);
    }
    // The client opens; the server's Open is where that arrives.
    onEnd(side, lane, ArrowKind::Open, e, !serverEnd);
}

void SequenceModel::link(Side *client, Side *server)
{
    client->partner = server;
    server->partner = client;
    // What either end did before the other's Open was read now knows where it went or came from.
    for (Side *side : {client, server}) {
        for (int k = 0; k < kMatchedKinds; ++k) {
            for (qint64 id : side->sends[size_t(k)]) {
                if (const qsizetype i = indexOfId(id); i >= 0)
                    m_arrows[size_t(i)].toLane = side->partner->lane;
            }
            for (qint64 id : side->receipts[size_t(k)]) {
                if (const qsizetype i = indexOfId(id); i >= 0)
                    m_arrows[size_t(i)].fromLane = side->partner->lane;
            }
        }
    }
}

Arrow *SequenceModel::waitingFront(std::deque<qint64> &queue)
{
    while (!queue.empty()) {
        if (const qsizetype i = indexOfId(queue.front()); i >= 0)
            return &m_arrows[size_t(i)];
        queue.pop_front(); // dropped as too old
    }
    return nullptr;
}

void SequenceModel::wait(std::deque<qint64> &queue, qint64 id)
{
    queue.push_back(id);
    if (qsizetype(queue.size()) > kMaxWaitingPerKind)
        queue.pop_front(); // the other end does not log this kind: it stays a one-sided arrow
}

namespace {

// Fills in one end of an arrow from the event that logged it.
void setEnd(Arrow &arrow, bool sending, int lane, const LogEvent &e)
{
    if (sending) {
        arrow.fromLane = lane;
        arrow.sent = {lane, e.seq};
        arrow.sentUs = e.monoUs;
    } else {
        arrow.toLane = lane;
        arrow.received = {lane, e.seq};
        arrow.receivedUs = e.monoUs;
    }
}

} // namespace

// A send and a receipt are the two ends of one arrow, whichever is read first: it completes the
// oldest one of the other end's waiting the other role, or waits itself.
void SequenceModel::onEnd(Side *side, int lane, ArrowKind kind, const LogEvent &e, bool sending)
{
    const auto k = size_t(kind);
    Side *partner = side ? side->partner : nullptr;
    bool inOrder = true;
    if (partner) {
        std::deque<qint64> &otherEnds = sending ? partner->receipts[k] : partner->sends[k];
        if (Arrow *other = waitingFront(otherEnds)) {
            otherEnds.pop_front();
            if (agrees(*other, e)) {
                setEnd(*other, sending, lane, e);
                noteReach(*other);
                return;
            }
            (sending ? other->fromLane : other->toLane) = Arrow::kOutside;
            inOrder = false;
        }
    }
    Arrow a;
    a.kind = kind;
    a.fromLane = a.toLane = partner && inOrder ? partner->lane : Arrow::kOutside;
    a.t = e.monoUs;
    a.size = e.size;
    a.closeCode = e.closeCode;
    a.label = labelFor(kind, e);
    setEnd(a, sending, lane, e);
    const qint64 id = append(std::move(a));
    if (side && inOrder)
        wait(sending ? side->sends[k] : side->receipts[k], id);
}

void SequenceModel::addMark(int lane, ArrowKind kind, const LogEvent &e, QString label)
{
    Arrow a;
    a.kind = kind;
    a.fromLane = lane;
    a.toLane = Arrow::kLocal;
    a.t = a.sentUs = e.monoUs;
    a.closeCode = e.closeCode;
    a.label = std::move(label);
    a.sent = {lane, e.seq};
    append(std::move(a));
}

void SequenceModel::addFrameMark(int lane, const LogEvent &e)
{
    // RFC 6455 §5.2's opcodes; a reserved one is a broken frame, drawn as an error.
    ArrowKind kind = ArrowKind::Error;
    switch (e.frame.opcode) {
    case 0x0:
        kind = ArrowKind::Continuation;
        break;
    case 0x1:
        kind = ArrowKind::Text;
        break;
    case 0x2:
        kind = ArrowKind::Binary;
        break;
    case 0x8:
        kind = ArrowKind::Close;
        break;
    case 0x9:
        kind = ArrowKind::Ping;
        break;
    case 0xA:
        kind = ArrowKind::Pong;
        break;
    default:
        break;
    }
    // A Close frame's code is its payload's first two bytes; the relay's event keeps the payload as sent.
    int closeCode = 0;
    if (kind == ArrowKind::Close && e.payload.size() >= 2)
        closeCode = (quint8(e.payload.at(0)) << 8) | quint8(e.payload.at(1));
    QString label;
    if (kind == ArrowKind::Error)
        label = QStringLiteral("opcode 0x%1").arg(e.frame.opcode, 0, 16);
    else if (kind == ArrowKind::Close)
        label = closeCode ? QString(QString::number(closeCode) + u' ' + EventFormat::textPreview(e.payload.mid(2), kLabelChars))
                          : QStringLiteral("close");
    else
        label = labelFor(kind, e);
    if (!e.frame.fin)
        label += QStringLiteral(" …");
    Arrow a;
    a.kind = kind;
    a.fromLane = lane;
    a.toLane = Arrow::kLocal;
    a.t = a.sentUs = e.monoUs;
    a.size = e.size;
    a.closeCode = closeCode;
    a.label = std::move(label);
    a.sent = {lane, e.seq};
    a.heading = e.frame.fromClient ? Arrow::Heading::TowardsServer : Arrow::Heading::TowardsClient;
    a.fin = e.frame.fin;
    append(std::move(a));
}

qint64 SequenceModel::append(Arrow arrow)
{
    noteReach(arrow);
    m_arrows.push_back(std::move(arrow));
    return m_firstId + qint64(m_arrows.size()) - 1;
}

void SequenceModel::noteReach(const Arrow &arrow)
{
    m_maxReachUs = std::max({m_maxReachUs, arrow.t - arrow.startUs(), arrow.endUs() - arrow.t});
    m_lastUs = std::max(m_lastUs, arrow.endUs());
}

bool SequenceModel::isEvicted(const EventRef &ref) const
{
    return !ref.isValid() || ref.lane >= m_lanes.size() || ref.seq < m_lanes.at(ref.lane).log->firstSeq();
}

void SequenceModel::dropOld()
{
    // Arrows are sorted by time and logs evict their oldest, so what every log has let go of is at the front.
    while (!m_arrows.empty()) {
        const Arrow &front = m_arrows.front();
        const bool gone = isEvicted(front.sent) && isEvicted(front.received);
        if (!gone && qsizetype(m_arrows.size()) <= m_maxArrows)
            break;
        m_arrows.pop_front();
        ++m_firstId;
    }
}

void SequenceModel::retireClosedSides()
{
    // A connection closed at both ends (or at its only end) has logged all it will. Both ends of a pair
    // are judged before either is freed.
    std::vector<const Side *> retired;
    for (const auto &side : m_sides) {
        if (!side->closed || (side->partner && !side->partner->closed))
            continue;
        retired.push_back(side.get());
        LaneState &state = m_states[size_t(side->lane)];
        if (state.client == side.get())
            state.client = nullptr;
        if (side->peer >= 0 && state.peers.value(side->peer) == side.get())
            state.peers.remove(side->peer);
        QHash<QString, Side *> &waiting = side->peer >= 0 ? m_waitingServers : m_waitingClients;
        if (waiting.value(side->clientEnd) == side.get())
            waiting.remove(side->clientEnd);
    }
    if (retired.empty())
        return;
    std::erase_if(m_sides, [&retired](const std::unique_ptr<Side> &side) {
        return std::find(retired.begin(), retired.end(), side.get()) != retired.end();
    });
}

} // namespace wslab
