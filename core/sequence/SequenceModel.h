#pragma once

#include "core/log/LogEvent.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>
#include <memory>
#include <utility>
#include <vector>

namespace wslab {

class EventLog;

// One vertical lane of the sequence diagram: an endpoint in the window and the log it writes.
struct SequenceLane
{
    QString name;
    const EventLog *log = nullptr;
    bool operator==(const SequenceLane &) const = default;
};

// What an arrow shows, and the colour it is drawn in. Continuation is only ever an inspector's frame:
// the endpoints log whole messages.
enum class ArrowKind : quint8 { Text, Binary, Ping, Pong, Close, Open, Retry, Error, Continuation };

// An event in one lane's log: what a click on an arrow selects.
struct EventRef
{
    int lane = -1;
    quint64 seq = 0;
    bool isValid() const { return lane >= 0; }
    bool operator==(const EventRef &) const = default;
};

// One message, control frame or open between two lanes, or a mark on one lane (a retry scheduled, an
// error, a close without a close frame, a frame an inspecting relay passed on, with its heading).
struct Arrow
{
    static constexpr int kLocal = -1; // toLane of a mark on one lane
    static constexpr int kOutside = -2; // an end beyond the window: a server or client it has no lane for, or lost
    // The way a relay's frame went; the other marks have none.
    enum class Heading : quint8 { None, TowardsServer, TowardsClient };

    ArrowKind kind = ArrowKind::Text;
    int fromLane = kOutside;
    int toLane = kOutside;
    qint64 t = 0; // monoUs of the first of its events the model read; arrows are sorted on it
    qint64 sentUs = -1; // monoUs of the sender's event; -1 without one (only the receipt was logged)
    qint64 receivedUs = -1; // monoUs of the receiver's event; -1 without one
    qint64 size = 0; // payload bytes
    int closeCode = 0; // Close: the code
    QString label; // a short preview, "4001 bye", "retry #3 in 1.2 s"
    EventRef sent; // the sender's event (a mark's only event)
    EventRef received; // the receiver's event
    Heading heading = Heading::None;
    bool fin = true; // a frame mark: the last frame of its message

    bool isMark() const { return toLane == kLocal; }
    // Both ends come from logged events.
    bool isMatched() const { return sent.isValid() && received.isValid(); }
    qint64 startUs() const;
    qint64 endUs() const;
};

// The arrows between the lanes' logs, read incrementally: an event's log only ever grows at the end and
// loses its oldest events, and each refresh takes the events appended since the last one, in time order
// across lanes (every endpoint stamps monotonicMicros(), so logs of one process interleave).
//
// A message sent by a client and received by the server's peer is one arrow. The client's Open names
// its own address:port, the server's Open the address:port its peer comes from; equal ones are the two
// ends of one connection. WebSocket keeps order per connection, so the n-th text one end sent is the
// n-th text the other end received (same for binary, ping, pong, close); a size (or close code) that
// disagrees makes both half-arrows instead. An end with no lane, or whose event was evicted, leaves a
// half-arrow from or to Arrow::kOutside.
//
// A relay's log (the inspector's lane) holds frames, not messages: each is a mark on its lane with the
// way it went and its opcode's kind. They are not matched to the endpoints' messages: a relayed
// connection's two halves have their own addresses, and the relay logs neither.
//
// Memory stays bounded: arrows whose events were evicted from every log that held them are dropped, the
// list is capped at the lanes' log capacity, and sends the other end never logs (Qt answers pings
// without telling anyone) wait in bounded queues.
class SequenceModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SequenceModel)
public:
    static constexpr int kRefreshIntervalMs = 33;
    static constexpr qsizetype kMaxWaitingPerKind = 1024;

    explicit SequenceModel(QObject *parent = nullptr);
    ~SequenceModel() override;

    // Starts over from what the logs hold now. A lane's log must outlive its place here (or be
    // destroyed, which removes its lane).
    void setLanes(const QList<SequenceLane> &lanes);
    const QList<SequenceLane> &lanes() const { return m_lanes; }

    qsizetype arrowCount() const { return qsizetype(m_arrows.size()); }
    const Arrow &arrow(qsizetype index) const { return m_arrows[size_t(index)]; }
    // An arrow's identity across drops of older arrows; -1 for an index out of range.
    qint64 idAt(qsizetype index) const;
    // The index of an arrow id, -1 once dropped.
    qsizetype indexOfId(qint64 id) const;
    // Indexes [first, last) of the arrows that may reach into [fromUs, toUs]: every one that does is in
    // it, with at most a few that do not (an arrow's ends may lie apart from its sort time).
    std::pair<qsizetype, qsizetype> arrowsBetween(qint64 fromUs, qint64 toUs) const;
    qint64 firstUs() const; // the earliest time an arrow reaches; 0 when there are none
    qint64 lastUs() const; // the latest

    // Past this many arrows the oldest are dropped; by default the sum of the lanes' log capacities.
    void setMaxArrows(qsizetype max);
    qsizetype maxArrows() const { return m_maxArrows; }
    // Events evicted before the model read them (a long pause, or more than a log holds between refreshes).
    quint64 missedCount() const { return m_missed; }
    // Sends and receipts waiting for the other end (for tests: bounded however long a session runs).
    qsizetype waitingCount() const;

    // While paused, new events wait in the logs; resuming catches up with what they still hold.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Reads what the logs appended since the last refresh now instead of at the next tick.
    void refresh();

Q_SIGNALS:
    // Arrows were added, completed or dropped.
    void changed();
    // setLanes, or a lane's log was destroyed: every arrow is new.
    void lanesChanged();

private:
    struct Side;
    struct LaneState;

    void scheduleRefresh();
    bool readNew();
    void take(int lane, const LogEvent &event);
    void onOpen(int lane, const LogEvent &event);
    void onEnd(Side *side, int lane, ArrowKind kind, const LogEvent &event, bool sending);
    void addMark(int lane, ArrowKind kind, const LogEvent &event, QString label);
    void addFrameMark(int lane, const LogEvent &event);
    void link(Side *client, Side *server);
    Side *sideOf(int lane, const LogEvent &event);
    Arrow *waitingFront(std::deque<qint64> &queue);
    void wait(std::deque<qint64> &queue, qint64 id);
    qint64 append(Arrow arrow);
    void noteReach(const Arrow &arrow);
    void dropOld();
    void retireClosedSides();
    bool isEvicted(const EventRef &ref) const;
    void removeLaneOf(const QObject *log);

    QList<SequenceLane> m_lanes;
    std::vector<LaneState> m_states;
    std::vector<std::unique_ptr<Side>> m_sides;
    // Sides whose other end has not been read yet, by the client end's address:port.
    QHash<QString, Side *> m_waitingClients;
    QHash<QString, Side *> m_waitingServers;
    std::deque<Arrow> m_arrows;
    qint64 m_firstId = 0; // id of m_arrows.front()
    qint64 m_maxReachUs = 0; // how far any arrow's ends lie from its sort time t
    qint64 m_lastUs = 0;
    qsizetype m_maxArrows = 0;
    quint64 m_missed = 0;
    bool m_paused = false;
    bool m_maxArrowsSet = false;
    QTimer m_refreshTimer;
};

} // namespace wslab
