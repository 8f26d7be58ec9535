#pragma once

#include <QByteArray>
#include <QObject>

#include <deque>

class QSocketNotifier;

namespace wslab::cli {

// Standard input read as lines (without their "\n" or "\r\n") while the event loop runs. Reading can be
// paused, so a consumer that cannot keep up slows the writer down instead of holding everything.
class StdinLines : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StdinLines)
public:
    explicit StdinLines(QObject *parent = nullptr);

    std::deque<QByteArray> &lines() { return m_lines; }
    // End of input reached: a last line without "\n" is in lines() too.
    bool atEnd() const { return m_atEnd; }
    // Stops reading until resumed (never resumes after the end).
    void pause();
    void resume();

Q_SIGNALS:
    // New lines are in lines(), or the end was reached.
    void linesRead();

private:
    void read();

    QSocketNotifier *m_notifier;
    std::deque<QByteArray> m_lines;
    QByteArray m_partial;
    bool m_atEnd = false;
};

} // namespace wslab::cli
