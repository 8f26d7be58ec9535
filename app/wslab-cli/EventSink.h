#pragma once

#include "core/log/EventLog.h"

#include <QFile>
#include <QObject>
#include <QTimer>

#include <functional>

namespace wslab::cli {

// Where a command's events go: chosen ones as lines on stderr, all of them to a JSON Lines file.
class EventSink : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventSink)
public:
    using Filter = std::function<bool(const LogEvent &)>;

    // The ring's defaults (200,000 events, 256 MiB of payloads) are for the window, where people
    // scroll back. Kept in a command-line server they only cost memory, and a page fault for every
    // new page the ring grows into: a third of serve's time under 16 KiB messages. And with thousands
    // of idle connections, 10,000 kept handshake, open and ping events were 0.4-1.3 KiB per connection.
    static constexpr EventLog::Limits kStreamedHistory{256, 256 * 1024};

    explicit EventSink(QObject *parent = nullptr);
    ~EventSink() override;

    // Throws UsageError when the file cannot be opened.
    void openLogFile(const QString &path);
    void setStderrFilter(Filter filter) { m_filter = std::move(filter); }
    // Unless verbose, stderr gets connection events only: no messages, pings, pongs or state lines,
    // nor the extra kinds a command prints in its own way.
    void setQuietKinds(bool verbose, const QList<EventKind> &extra);
    // Writes out every event the log appends from now on, and shortens the log's history to
    // kStreamedHistory: nothing in the CLI reads the ring back, every event is out as it arrives.
    void watch(EventLog *log);
    void flush();

private:
    void onEvent(const LogEvent &event);

    Filter m_filter;
    QFile m_file;
    QTimer m_flushTimer;
};

} // namespace wslab::cli
