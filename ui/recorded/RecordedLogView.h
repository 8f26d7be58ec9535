#pragma once

#include "core/har/Har.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace wslab {

class EventLog;
class LogView;

// A log read from a file (JSON Lines or HAR) and shown read-only: the same LogView as an endpoint's,
// over an EventLog of its own, without Clear; above it what the file holds and Replay to… for the
// connections it recorded.
class RecordedLogView : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecordedLogView)
public:
    // Reads `path`; nullptr with error (naming the file and the fault) when it cannot be read or holds
    // no event. The events keep their gaps but are moved on the monotonic clock to end now, so the
    // sequence diagram places the recording just before the moment it was opened, not at an instant
    // of some earlier process.
    static RecordedLogView *open(const QString &path, QString *error, QWidget *parent = nullptr);

    QString fileName() const { return m_fileName; }
    EventLog *log() const { return m_log; }
    LogView *logView() const { return m_view; }
    const QList<RecordedConnection> &connections() const { return m_connections; }

Q_SIGNALS:
    void replayRequested();

private:
    RecordedLogView(const QString &fileName, const QList<LogEvent> &events, QWidget *parent);

    QString m_fileName;
    EventLog *m_log;
    QList<RecordedConnection> m_connections;
    LogView *m_view;
};

} // namespace wslab
