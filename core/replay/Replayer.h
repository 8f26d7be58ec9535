#pragma once

#include "core/client/Client.h"
#include "core/client/ClientConfig.h"
#include "core/har/Har.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace wslab {

// Sends a recorded connection's outgoing messages again over a Client of its own, each when its
// moment comes: its gap from the first recorded message, divided by the speed, measured from the open.
// The client's log holds the sends and the new replies, to be set beside the recording. After the
// last message it closes with 1000 through Client::closeAfterDrain, so the replies still under way
// arrive first (the wait is the config's closeLinger).
class Replayer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Replayer)
public:
    struct Options
    {
        double speed = 1.0; // how many times faster than recorded; 0: no waiting at all
    };

    // `name` is the endpoint its log names.
    explicit Replayer(const QString &name, QObject *parent = nullptr);

    // Connects with `config` (reconnecting switched off: a replay is one connection, compared with one
    // recording) and replays `recorded`'s outgoing messages; finished follows. False, with errorString
    // (logged too, and finished(false, errorString) at once), when it holds no message or the config
    // is not usable; nothing is connected then.
    bool start(const RecordedConnection &recorded, ClientConfig config, Options options);
    // Ends the replay early: a close with 1001 while connected; finished follows.
    void stop();
    // Ends a replay that could not start for a reason found before it (an address that is not a
    // WebSocket URL): the reason is logged as an error, and finished(false, reason) follows at once.
    void refuse(const QString &reason);

    bool isRunning() const { return m_running; }
    Client *client() const { return m_client; }
    EventLog *log() const { return m_client->log(); }
    QString errorString() const { return m_errorString; }
    qsizetype messageCount() const { return m_messages.size(); }
    qsizetype sentCount() const { return m_next; }
    int replyCount() const { return m_replies; }
    // "3 of 5 messages sent, 2 replies".
    QString summary() const;

Q_SIGNALS:
    // A whole reply, as received (text as its UTF-8).
    void replyReceived(const QByteArray &data);
    // ok: every message was sent; otherwise why the connection ended first.
    void finished(bool ok, const QString &reason);

private:
    qint64 dueMs(qsizetype index) const;
    void scheduleNext();
    void sendDue();
    void onReply(const QByteArray &data);
    void onState(Client::State state);
    void finish(bool ok, const QString &reason);

    Client *m_client;
    QList<LogEvent> m_messages;
    Options m_options;
    qsizetype m_next = 0;
    int m_replies = 0;
    bool m_running = false;
    QString m_errorString;
    QElapsedTimer m_sinceOpen;
    QTimer m_sendTimer;
};

} // namespace wslab
