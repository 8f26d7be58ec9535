#include "core/client/Outbox.h"

namespace wslab {

bool Outbox::hasRoomFor(qint64 bytes, QString *why) const
{
    if (size() >= m_limits.maxMessages) {
        if (why)
            *why = QStringLiteral("outbox full: %1 messages already waiting (limit %2)").arg(size()).arg(m_limits.maxMessages);
        return false;
    }
    if (m_bytes + bytes > m_limits.maxBytes) {
        if (why)
            *why = QStringLiteral("outbox full: %1 + %2 bytes would pass the limit of %3 bytes")
                       .arg(m_bytes)
                       .arg(bytes)
                       .arg(m_limits.maxBytes);
        return false;
    }
    return true;
}

bool Outbox::push(Message message, QString *error)
{
    if (!hasRoomFor(message.data.size(), error))
        return false;
    m_bytes += message.data.size();
    m_messages.push_back(std::move(message));
    return true;
}

Outbox::Message Outbox::takeFirst()
{
    Message m = std::move(m_messages.front());
    m_messages.pop_front();
    m_bytes -= m.data.size();
    return m;
}

void Outbox::clear()
{
    m_messages.clear();
    m_bytes = 0;
}

} // namespace wslab
