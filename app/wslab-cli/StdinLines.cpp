#include "app/wslab-cli/StdinLines.h"

#include <QSocketNotifier>

#include <cerrno>
#include <unistd.h>

namespace wslab::cli {

StdinLines::StdinLines(QObject *parent)
    : QObject(parent)
    , m_notifier(new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &StdinLines::read);
}

void StdinLines::pause()
{
    m_notifier->setEnabled(false);
}

void StdinLines::resume()
{
    if (!m_atEnd)
        m_notifier->setEnabled(true);
}

void StdinLines::read()
{
    char buffer[64 * 1024];
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        m_notifier->setEnabled(false);
        m_atEnd = true;
        if (!m_partial.isEmpty())
            m_lines.push_back(std::exchange(m_partial, {}));
    } else {
        m_partial.append(buffer, n);
        qsizetype start = 0;
        for (qsizetype nl = m_partial.indexOf('\n'); nl >= 0; nl = m_partial.indexOf('\n', start)) {
            QByteArray line = m_partial.mid(start, nl - start);
            if (line.endsWith('\r'))
                line.chop(1);
            m_lines.push_back(std::move(line));
            start = nl + 1;
        }
        m_partial.remove(0, start);
    }
    Q_EMIT linesRead();
}

} // namespace wslab::cli
