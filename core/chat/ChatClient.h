#pragma once

#include <QList>
#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>

namespace wslab {

class Client;

// The client side of docs/chat-protocol.md over a Client: joins on every open (resuming from the last
// message it saw, so a dropped Wi-Fi loses nothing), keeps the messages by seq so none is shown twice,
// and resends what it said while the link was down, with the same ids, so nothing is posted twice.
// The Client keeps its own reconnect policy; this only speaks the protocol.
class ChatClient : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatClient)
public:
    struct Message
    {
        qint64 seq = 0;
        QString time; // ISO 8601 UTC as the server sent it
        QString nick;
        QString text;
    };

    explicit ChatClient(Client *client, QObject *parent = nullptr);

    // Joins now when open, else at the next open; every later open rejoins with a resume.
    void join(const QString &nick);
    bool isJoined() const { return m_joined; }
    // Sends a message (queued until joined); false with the reason when it cannot be sent.
    bool say(const QString &text, QString *error = nullptr);
    void rename(const QString &nick);

    QString nick() const { return m_nick; }
    QStringList members() const { return m_members; }
    QString epoch() const { return m_epoch; }
    qint64 lastSeq() const { return m_messages.isEmpty() ? 0 : m_messages.lastKey(); }
    QList<Message> messages() const { return m_messages.values(); }
    // Messages said but not yet seen back from the server.
    int pendingCount() const { return int(m_pending.size()); }

Q_SIGNALS:
    void joined(const QString &nick, bool resumed);
    void messageAdded(const wslab::ChatClient::Message &message);
    void membersChanged(const QStringList &members);
    // The server could not resume (its history was lost or trimmed): reason as in the protocol.
    void historyReset(const QString &reason);
    void errorReceived(const QString &code, const QString &message);

private:
    void onOpened();
    void onText(const QString &text);
    void sendJoin();
    void sendSay(const QString &id, const QString &text);
    void add(const Message &message);

    Client *m_client;
    QString m_nick;
    bool m_wantJoin = false;
    bool m_joined = false;
    QString m_epoch;
    QStringList m_members;
    QMap<qint64, Message> m_messages; // by seq: ordered, and a seq seen twice is kept once
    QMap<QString, QString> m_pending; // id -> text, until the server posts it
    quint64 m_nextId = 1;
    QString m_idPrefix;
};

} // namespace wslab
