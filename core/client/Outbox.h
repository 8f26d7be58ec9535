#pragma once

#include <QByteArray>
#include <QString>

#include <deque>

namespace wslab {

// Messages accepted while the connection is not open, kept in order until the next open.
// Bounded in count and bytes: past either bound a push is refused with a reason, never dropped silently.
class Outbox
{
public:
    struct Limits
    {
        qsizetype maxMessages = 1000;
        qint64 maxBytes = 4ll * 1024 * 1024;
    };
    struct Message
    {
        bool binary = false;
        QByteArray data; // UTF-8 for text
    };

    void setLimits(Limits limits) { m_limits = limits; }
    Limits limits() const { return m_limits; }

    // Whether a message of this many bytes would be taken now; why says which bound it would pass.
    bool hasRoomFor(qint64 bytes, QString *why = nullptr) const;
    bool push(Message message, QString *error = nullptr);
    Message takeFirst();
    void clear();

    qsizetype size() const { return qsizetype(m_messages.size()); }
    bool isEmpty() const { return m_messages.empty(); }
    qint64 bytes() const { return m_bytes; }

private:
    Limits m_limits;
    std::deque<Message> m_messages;
    qint64 m_bytes = 0;
};

} // namespace wslab
