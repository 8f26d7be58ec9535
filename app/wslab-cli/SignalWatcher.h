#pragma once

#include <QObject>

class QSocketNotifier;

namespace wslab::cli {

// Turns SIGINT and SIGTERM into a Qt signal, so shutdown runs in the event loop (closing connections
// with 1001) instead of inside a signal handler.
class SignalWatcher : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)
public:
    explicit SignalWatcher(QObject *parent = nullptr);

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace wslab::cli
