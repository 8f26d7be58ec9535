#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>

#include <deque>

namespace wslab {

class Server;

// The chat room behind `serve --mode chat`: members with unique nicknames, messages numbered by the
// server, the last messages kept for those who join, and resume after a reconnect with nothing lost
// and nothing twice. It speaks the JSON protocol of docs/chat-protocol.md over a Server's peers and
// never touches a socket itself: it reads Server's signals and answers with Server::sendText.
class ChatRoom : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatRoom)
public:
    static constexpr int kProtocolVersion = 1;

    struct Limits
    {
        int historySize = 500; // messages kept for joiners and resumes
        int maxNickChars = 32;
        qint64 maxTextBytes = 4096; // UTF-8 bytes of one message's text
        int maxIdChars = 64; // a client's message id
    };

    struct Message
    {
        quint64 seq = 0;
        qint64 timeMs = 0; // since the epoch, UTC
        QString nick;
        QString text;
        QString id; // the sender's id, so a resend after a reconnect is recognised
    };

    explicit ChatRoom(Server *server, QObject *parent = nullptr);
    ~ChatRoom() override;

    void setLimits(Limits limits);
    Limits limits() const { return m_limits; }
    // Keeps the history in a JSON Lines file: loads what it holds (and its epoch) now, appends every
    // new message. False with error when the file cannot be read or written.
    bool setHistoryFile(const QString &path, QString *error);

    QString epoch() const { return m_epoch; }
    quint64 lastSeq() const { return m_nextSeq - 1; }
    QStringList members() const;
    const std::deque<Message> &history() const { return m_history; }

Q_SIGNALS:
    // A message was posted (after it got its seq): for views and the log.
    void posted(const wslab::ChatRoom::Message &message);
    void membersChanged(const QStringList &members);

private:
    void onText(int peerId, const QString &text);
    void onBinary(int peerId);
    void onLeft(int peerId);
    void handleJoin(int peerId, const QJsonObject &request);
    void handleSay(int peerId, const QJsonObject &request);
    void handleRename(int peerId, const QJsonObject &request);
    void sendError(int peerId, const QString &code, const QString &message, const QJsonObject &context = {});
    void send(int peerId, const QJsonObject &object);
    void broadcast(const QJsonObject &object, int exceptPeer = -1);
    void announce(const QString &event, const QString &nick, const QString &oldNick = {});
    // Empty when the nickname is acceptable; else why not.
    QString nickProblem(const QString &nick) const;
    QString uniqueNick(const QString &wanted) const;
    void keep(const Message &message);
    static QJsonObject toJson(const Message &message);

    Server *m_server;
    Limits m_limits;
    QString m_epoch;
    quint64 m_nextSeq = 1;
    std::deque<Message> m_history;
    QHash<QString, quint64> m_seqById; // ids of the messages in m_history
    QMap<int, QString> m_nickByPeer; // joined peers only, ordered by peer id
    QFile m_historyFile;
};

} // namespace wslab
