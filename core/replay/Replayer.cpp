#include "core/replay/Replayer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wslab {

Replayer::Replayer(const QString &name, QObject *parent)
    : QObject(parent)
    , m_client(new Client(name, this))
{
    m_sendTimer.setSingleShot(true);
    m_sendTimer.setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5 % early
    connect(&m_sendTimer, &QTimer::timeout, this, &Replayer::sendDue);
    connect(m_client, &Client::opened, this, [this] {
        m_sinceOpen.start();
        scheduleNext();
    });
    connect(m_client, &Client::textReceived, this, [this](const QString &, const QByteArray &utf8) { onReply(utf8); });
    connect(m_client, &Client::binaryReceived, this, &Replayer::onReply);
    connect(m_client, &Client::stateChanged, this, &Replayer::onState);
}

bool Replayer::start(const RecordedConnection &recorded, ClientConfig config, Options options)
{
    m_messages = recorded.outgoingMessages();
    m_options = options;
    m_next = 0;
    m_replies = 0;
    m_errorString.clear();
    if (m_messages.isEmpty()) {
        refuse(tr("the recorded connection sent no message"));
        return false;
    }
    config.reconnect.enabled = false;
    m_client->setConfig(config);
    m_running = true; // before open: a connection may fail before open returns
    if (!m_client->open()) {
        finish(false, m_client->errorString());
        return false;
    }
    return true;
}

void Replayer::stop()
{
    m_sendTimer.stop();
    if (m_client->state() != Client::State::Idle)
        m_client->close(1001, QStringLiteral("client going away"));
}

void Replayer::refuse(const QString &reason)
{
    LogEvent e = LogEvent::make(EventKind::Error, Direction::Local);
    e.endpoint = m_client->name();
    e.detail = reason;
    log()->append(std::move(e));
    finish(false, reason);
}

QString Replayer::summary() const
{
    return tr("%1 of %2 messages sent, %3 replies").arg(m_next).arg(m_messages.size()).arg(m_replies);
}

qint64 Replayer::dueMs(qsizetype index) const
{
    if (m_options.speed <= 0)
        return 0;
    return std::llround(double(m_messages[index].wallMs - m_messages.first().wallMs) / m_options.speed);
}

void Replayer::scheduleNext()
{
    if (m_next == m_messages.size()) {
        m_client->closeAfterDrain(1000, QStringLiteral("end of replay"));
        return;
    }
    // A QTimer takes an int of ms: a longer gap is waited for in steps, sendDue checking each time.
    const qint64 remaining = dueMs(m_next) - m_sinceOpen.elapsed();
    m_sendTimer.start(int(std::clamp<qint64>(remaining, 0, std::numeric_limits<int>::max())));
}

void Replayer::sendDue()
{
    if (m_sinceOpen.elapsed() < dueMs(m_next)) {
        scheduleNext();
        return;
    }
    // Once the connection is going down a send would only wait in the outbox: not sent.
    if (m_client->state() != Client::State::Open)
        return;
    const LogEvent &message = m_messages[m_next];
    const bool sent = message.kind == EventKind::Text ? m_client->sendText(QString::fromUtf8(message.payload), message.payload)
                                                      : m_client->sendBinary(message.payload);
    if (!sent)
        return; // the connection is going down; onState reports it
    ++m_next;
    scheduleNext();
}

void Replayer::onReply(const QByteArray &data)
{
    ++m_replies;
    Q_EMIT replyReceived(data);
}

void Replayer::onState(Client::State state)
{
    if (state != Client::State::Idle || !m_running)
        return;
    m_sendTimer.stop();
    if (m_next == m_messages.size()) {
        finish(true, {});
        return;
    }
    const QString why =
        m_client->errorString().isEmpty() ? tr("connection closed with %1").arg(m_client->lastCloseCode()) : m_client->errorString();
    finish(false, why);
}

void Replayer::finish(bool ok, const QString &reason)
{
    m_running = false;
    m_errorString = reason;
    Q_EMIT finished(ok, reason);
}

} // namespace wslab
