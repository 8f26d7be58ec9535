#pragma once

#include "log/EventLog.h"

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

    explicit EventSink(QObject *parent = nullptr);
    ~EventSink() override;

    // Throws UsageError when the file cannot be opened.
    void openLogFile(const QString &path);
    void setStderrFilter(Filter filter) { m_filter = std::move(filter); }
    void watch(EventLog *log);
    void flush();

private:
    void onEvent(const LogEvent &event);

    Filter m_filter;
    QFile m_file;
    QTimer m_flushTimer;
};

} // namespace wslab::cli
