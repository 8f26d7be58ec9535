#pragma once

#include "core/discovery/Announcement.h"
#include "core/discovery/LanChannel.h"
#include "core/policy/Clock.h"

#include <QObject>
#include <QTimer>

class QUdpSocket;

namespace wslab {

// Announces one server on its LANs (docs/discovery.md): a hello on each of its channels at start,
// every 2 s for a while, then less and less often down to every 8 s, at once when what it says
// changes or a listener asks, and a bye on stop so listeners drop the server without waiting.
class Beacon : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Beacon)
public:
    // What the server is; the address in each hello is the channel's own.
    struct Content
    {
        QString name; // empty: this machine's host name
        bool tls = false;
        quint16 port = 0;
        QString path; // the WebSocket's path; empty means /
        QString mode;
        bool servesPage = false; // the chat page is at http(s)://ADDR:PORT/
    };

    explicit Beacon(QObject *parent = nullptr);
    ~Beacon() override;

    // Starts announcing a server bound to boundTo; false with errorString when it has no LAN channel
    // (a loopback address, or no interface up) and nothing was sent.
    bool start(const QHostAddress &boundTo, const Content &content);
    // Says bye on every channel a hello went out on.
    void stop();
    bool isRunning() const { return m_running; }
    QString errorString() const { return m_errorString; }
    // Takes effect with a hello at once when running.
    void setContent(const Content &content);
    // The URLs the last hellos carried, one per channel.
    QList<QUrl> announcedUrls() const;

    // The time from hello number `sent` (0 for the first) to the next.
    static std::chrono::milliseconds intervalAfter(int sent);
    // A configured name made fit for a beacon: trimmed, control characters dropped, at most 64
    // characters; the host name when nothing is left.
    static QString displayName(const QString &configured);
    // What the hello on one channel says.
    static Announcement helloFor(const Content &content, const QHostAddress &address, std::chrono::milliseconds interval);

private:
    void onTimer();
    void onQuery();
    void sendHellos();
    void sendToEveryChannel(const std::function<QByteArray(const LanChannel &)> &datagramFor);

    QHostAddress m_boundTo;
    Content m_content;
    QList<LanChannel> m_channels;
    QUdpSocket *m_queries;
    QTimer m_next;
    QTimer m_answer; // a hello for the listeners that asked, no sooner than kMinQueryAnswerGap after the last
    Clock m_clock = steadyClock();
    std::chrono::nanoseconds m_lastHello{0};
    int m_sent = 0;
    bool m_running = false;
    QString m_errorString;
};

} // namespace wslab
