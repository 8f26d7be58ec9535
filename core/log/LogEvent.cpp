#include "core/log/LogEvent.h"

#include <QDateTime>
#include <QElapsedTimer>

namespace wslab {

namespace {

struct KindName
{
    EventKind kind;
    const char *name;
};

constexpr KindName kKindNames[] = {
    {EventKind::Listening, "listening"},
    {EventKind::Stopped, "stopped"},
    {EventKind::Handshake, "handshake"},
    {EventKind::Refused, "refused"},
    {EventKind::Open, "open"},
    {EventKind::Text, "text"},
    {EventKind::Binary, "binary"},
    {EventKind::Ping, "ping"},
    {EventKind::Pong, "pong"},
    {EventKind::Close, "close"},
    {EventKind::Error, "error"},
    {EventKind::State, "state"},
    {EventKind::RetryScheduled, "retry"},
    {EventKind::HeartbeatTimeout, "heartbeat-timeout"},
    {EventKind::OutboxQueued, "queued"},
    {EventKind::OutboxFlushed, "flushed"},
    {EventKind::Info, "info"},
    {EventKind::Frame, "frame"},
};

} // namespace

QString kindName(EventKind kind)
{
    for (const KindName &k : kKindNames) {
        if (k.kind == kind)
            return QString::fromLatin1(k.name);
    }
    return QStringLiteral("info");
}

bool kindFromName(const QString &name, EventKind *kind)
{
    for (const KindName &k : kKindNames) {
        if (name == QLatin1StringView(k.name)) {
            *kind = k.kind;
            return true;
        }
    }
    return false;
}

QString directionName(Direction dir)
{
    switch (dir) {
    case Direction::In:
        return QStringLiteral("in");
    case Direction::Out:
        return QStringLiteral("out");
    case Direction::Local:
        return QStringLiteral("local");
    }
    return QStringLiteral("local");
}

bool directionFromName(const QString &name, Direction *dir)
{
    for (Direction d : {Direction::In, Direction::Out, Direction::Local}) {
        if (name == directionName(d)) {
            *dir = d;
            return true;
        }
    }
    return false;
}

qint64 monotonicMicros()
{
    static const QElapsedTimer start = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return start.nsecsElapsed() / 1000;
}

LogEvent LogEvent::make(EventKind kind, Direction direction, QByteArray data, qint64 fullSize)
{
    LogEvent e;
    e.monoUs = monotonicMicros();
    e.wallMs = QDateTime::currentMSecsSinceEpoch();
    e.kind = kind;
    e.direction = direction;
    e.size = fullSize >= 0 ? fullSize : data.size();
    // A copy, not truncate(): truncate keeps the whole buffer (three bytes per character from toUtf8),
    // so a cut 64 KiB could hold megabytes for as long as the event lives.
    if (data.size() > kMaxPayloadCopy)
        e.payload = QByteArray(data.constData(), kMaxPayloadCopy);
    else
        e.payload = std::move(data);
    return e;
}

} // namespace wslab
