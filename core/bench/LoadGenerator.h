#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <vector>

class QWebSocket;

namespace wslab {

// Loads an echo server: N connections each keep W stamped messages in flight (or are paced to a
// total rate), every echo is checked against what was sent, and every round trip is timed.
// Deliberately lean (bare QWebSockets, no EventLog) so the generator is not what is measured.
class LoadGenerator : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoadGenerator)
public:
    struct Config
    {
        QUrl url;
        int connections = 1;
        qint64 messages = 10000; // in all connections together; ignored with a duration
        std::chrono::milliseconds duration{0}; // > 0: send for this long instead of a message count
        int size = 64; // bytes per message, at least the stamp's size
        bool binary = false;
        int window = 1; // messages in flight per connection
        double rate = 0; // messages per second in all; 0: as fast as the window allows
        std::chrono::milliseconds connectTimeout{10000};
        std::chrono::milliseconds drainTimeout{10000}; // after the last send, for the last echoes

        QString validate() const;
    };

    struct Report
    {
        int connectionsOpened = 0;
        qint64 sent = 0;
        qint64 received = 0;
        qint64 mismatches = 0; // an echo that was not the next message sent on its connection
        qint64 errors = 0; // failed connects, unexpected closes
        QStringList errorTexts; // the first few, for the reader
        double seconds = 0; // from the first send to the last echo
        double messagesPerSecond = 0;
        double bytesPerSecond = 0; // payload bytes echoed, one way
        double connectMeanMs = 0;
        double connectMaxMs = 0;
        double rttP50Us = 0, rttP90Us = 0, rttP99Us = 0, rttP999Us = 0, rttMaxUs = 0, rttMeanUs = 0;

        QString toText() const;
        QByteArray toJson() const;
    };

    explicit LoadGenerator(const Config &config, QObject *parent = nullptr);
    ~LoadGenerator() override;

    void start();
    const Report &report() const { return m_report; }
    // The stamp ("c<conn>:<seq>:") is followed by filler; this is the exact message for (conn, seq).
    static QByteArray payloadFor(int connection, qint64 sequence, int size);

Q_SIGNALS:
    void finished();

private:
    struct Connection
    {
        QWebSocket *socket = nullptr;
        qint64 nextToSend = 0;
        qint64 nextExpected = 0;
        qint64 quota = 0; // messages this connection sends; -1 while a duration runs
        std::vector<qint64> sentAtNs; // ring of send times, indexed by sequence % window
        QElapsedTimer connectClock;
        bool open = false;
        bool done = false;
    };

    void onConnected(int index);
    void onMessage(int index, const QByteArray &data);
    void onClosed(int index);
    void pump(int index);
    void onRateTick();
    bool maySend(const Connection &c) const;
    void sendOne(int index);
    void maybeFinish();
    void finish();
    void addError(const QString &text);

    Config m_config;
    QList<Connection> m_connections;
    QElapsedTimer m_clock;
    qint64 m_firstSendNs = -1;
    qint64 m_lastReceiveNs = 0;
    bool m_sendingStopped = false;
    QTimer m_durationTimer;
    QTimer m_drainTimer;
    QTimer m_connectTimer;
    QTimer m_rateTimer;
    double m_rateCredit = 0;
    qint64 m_lastRateTickNs = 0;
    int m_rateCursor = 0;
    std::vector<qint64> m_rttsNs;
    std::vector<double> m_connectMs;
    Report m_report;
    bool m_finished = false;
};

} // namespace wslab
