#include "app/wslab-cli/EventSink.h"

#include "app/wslab-cli/CliArgs.h"
#include "core/log/EventFormat.h"
#include "core/log/JsonLines.h"

#include <cstdio>

namespace wslab::cli {

EventSink::EventSink(QObject *parent)
    : QObject(parent)
{
    // Flushing per event would cost a syscall per message; a fifth of a second loses little on a crash.
    m_flushTimer.setInterval(200);
    connect(&m_flushTimer, &QTimer::timeout, this, &EventSink::flush);
}

EventSink::~EventSink()
{
    flush();
}

void EventSink::openLogFile(const QString &path)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append))
        throw UsageError(QStringLiteral("--log: cannot write %1: %2").arg(path, m_file.errorString()));
    m_flushTimer.start();
}

void EventSink::setQuietKinds(bool verbose, const QList<EventKind> &extra)
{
    if (verbose) {
        m_filter = nullptr;
        return;
    }
    QList<EventKind> quiet{EventKind::Text, EventKind::Binary, EventKind::Ping, EventKind::Pong, EventKind::State};
    quiet += extra;
    m_filter = [quiet](const LogEvent &e) { return !quiet.contains(e.kind); };
}

void EventSink::watch(EventLog *log)
{
    log->setLimits(kStreamedHistory);
    connect(log, &EventLog::appended, this, &EventSink::onEvent);
}

void EventSink::flush()
{
    if (m_file.isOpen())
        m_file.flush();
    std::fflush(stderr);
}

void EventSink::onEvent(const LogEvent &event)
{
    if (m_file.isOpen())
        m_file.write(JsonLines::toLine(event));
    if (!m_filter || m_filter(event)) {
        const QByteArray line = EventFormat::line(event).toUtf8() + '\n';
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    }
}

} // namespace wslab::cli
