#include "core/bench/LoadGenerator.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

#include <algorithm>
#include <numeric>

namespace wslab {

namespace {
constexpr int kMaxErrorTexts = 5;
}

QString LoadGenerator::Config::validate() const
{
    if (!url.isValid() || (url.scheme() != u"ws" && url.scheme() != u"wss"))
        return QStringLiteral("invalid URL \"%1\": expected ws://host:port/ or wss://").arg(url.toString());
    if (connections < 1)
        return QStringLiteral("at least one connection is needed");
    if (duration.count() <= 0 && messages < 1)
        return QStringLiteral("give a message count of at least 1 or a duration");
    if (size < 24)
        return QStringLiteral("messages must be at least 24 bytes, to carry the stamp");
    if (window < 1)
        return QStringLiteral("the window must be at least 1");
    if (rate < 0)
        return QStringLiteral("the rate must not be negative");
    return {};
}

QByteArray LoadGenerator::payloadFor(int connection, qint64 sequence, int size)
{
    QByteArray p = 'c' + QByteArray::number(connection) + ':' + QByteArray::number(sequence) + ':';
    // Filler that changes with the sequence, so a stale or swapped echo cannot pass for the right one.
    const char fill = char('a' + sequence % 26);
    p.append(size - p.size(), fill);
    return p;
}

LoadGenerator::LoadGenerator(const Config &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
{
    m_durationTimer.setSingleShot(true);
    m_durationTimer.setTimerType(Qt::PreciseTimer);
    m_drainTimer.setSingleShot(true);
    m_connectTimer.setSingleShot(true);
    connect(&m_durationTimer, &QTimer::timeout, this, [this] {
        m_sendingStopped = true;
        m_rateTimer.stop();
        m_drainTimer.start(m_config.drainTimeout);
        maybeFinish();
    });
    connect(&m_drainTimer, &QTimer::timeout, this, [this] {
        addError(QStringLiteral("%1 echoes still missing after the drain timeout").arg(m_report.sent - m_report.received));
        finish();
    });
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        for (const Connection &c : std::as_const(m_connections)) {
            if (!c.open && !c.done) {
                addError(QStringLiteral("connect timeout"));
                break;
            }
        }
        finish();
    });
    m_rateTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_rateTimer, &QTimer::timeout, this, &LoadGenerator::onRateTick);
}

LoadGenerator::~LoadGenerator()
{
    for (Connection &c : m_connections) {
        if (c.socket)
            c.socket->disconnect(this);
    }
}

void LoadGenerator::start()
{
    m_clock.start();
    const qint64 total = m_config.messages;
    for (int i = 0; i < m_config.connections; ++i) {
        Connection c;
        c.socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        c.quota = m_config.duration.count() > 0 ? -1 : total / m_config.connections + (i < total % m_config.connections ? 1 : 0);
        c.sentAtNs.assign(size_t(m_config.window), 0);
        m_connections.append(std::move(c));
        QWebSocket *s = m_connections.last().socket;
        connect(s, &QWebSocket::connected, this, [this, i] { onConnected(i); });
        connect(s, &QWebSocket::disconnected, this, [this, i] { onClosed(i); });
        connect(s, &QWebSocket::textMessageReceived, this, [this, i](const QString &t) { onMessage(i, t.toUtf8()); });
        connect(s, &QWebSocket::binaryMessageReceived, this, [this, i](const QByteArray &b) { onMessage(i, b); });
        connect(s, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this, s](QAbstractSocket::SocketError) {
            addError(s->errorString());
            s->abort();
        });
        // Qt would ignore a wss certificate we cannot check in a benchmark of our own servers.
        connect(s, &QWebSocket::sslErrors, s, [s] { s->ignoreSslErrors(); });
        m_connections.last().connectClock.start();
        s->open(m_config.url);
    }
    m_connectTimer.start(m_config.connectTimeout);
}

void LoadGenerator::onConnected(int index)
{
    Connection &c = m_connections[index];
    c.open = true;
    m_connectMs.push_back(double(c.connectClock.nsecsElapsed()) / 1e6);
    ++m_report.connectionsOpened;
    // Sending starts when all are open, so every connection sees the same load from the first message.
    if (m_report.connectionsOpened < m_config.connections)
        return;
    m_connectTimer.stop();
    m_firstSendNs = m_clock.nsecsElapsed();
    if (m_config.duration.count() > 0)
        m_durationTimer.start(m_config.duration);
    if (m_config.rate > 0) {
        m_lastRateTickNs = m_firstSendNs;
        m_rateTimer.start(1);
        return;
    }
    for (int i = 0; i < m_connections.size(); ++i)
        pump(i);
}

bool LoadGenerator::maySend(const Connection &c) const
{
    if (!c.open || c.done || m_sendingStopped)
        return false;
    if (c.nextToSend - c.nextExpected >= m_config.window)
        return false;
    return c.quota < 0 || c.nextToSend < c.quota;
}

void LoadGenerator::sendOne(int index)
{
    Connection &c = m_connections[index];
    const QByteArray payload = payloadFor(index, c.nextToSend, m_config.size);
    c.sentAtNs[size_t(c.nextToSend % m_config.window)] = m_clock.nsecsElapsed();
    if (m_config.binary)
        c.socket->sendBinaryMessage(payload);
    else
        c.socket->sendTextMessage(QString::fromLatin1(payload));
    ++c.nextToSend;
    ++m_report.sent;
}

void LoadGenerator::pump(int index)
{
    while (maySend(m_connections.at(index)))
        sendOne(index);
}

void LoadGenerator::onRateTick()
{
    const qint64 now = m_clock.nsecsElapsed();
    m_rateCredit += double(now - m_lastRateTickNs) / 1e9 * m_config.rate;
    m_lastRateTickNs = now;
    // Spread the paced sends round-robin; a full window holds a message back rather than queueing it.
    int blocked = 0;
    while (m_rateCredit >= 1.0 && blocked < m_connections.size()) {
        const int i = m_rateCursor;
        m_rateCursor = (m_rateCursor + 1) % int(m_connections.size());
        if (!maySend(m_connections.at(i))) {
            ++blocked;
            continue;
        }
        blocked = 0;
        sendOne(i);
        m_rateCredit -= 1.0;
    }
    m_rateCredit = std::min(m_rateCredit, m_config.rate); // no catching up more than a second's worth
    maybeFinish();
}

void LoadGenerator::onMessage(int index, const QByteArray &data)
{
    Connection &c = m_connections[index];
    const qint64 now = m_clock.nsecsElapsed();
    if (c.nextExpected >= c.nextToSend || data != payloadFor(index, c.nextExpected, m_config.size)) {
        ++m_report.mismatches;
    } else {
        m_rttsNs.push_back(now - c.sentAtNs[size_t(c.nextExpected % m_config.window)]);
        ++m_report.received;
    }
    ++c.nextExpected;
    m_lastReceiveNs = now;
    if (m_config.rate <= 0)
        pump(index);
    maybeFinish();
}

void LoadGenerator::onClosed(int index)
{
    Connection &c = m_connections[index];
    if (c.done)
        return;
    c.done = true;
    if (!m_finished)
        addError(QStringLiteral("connection %1 closed: %2 %3").arg(index).arg(int(c.socket->closeCode())).arg(c.socket->closeReason()));
    maybeFinish();
}

void LoadGenerator::maybeFinish()
{
    if (m_finished || m_report.connectionsOpened < m_config.connections)
        return;
    for (const Connection &c : std::as_const(m_connections)) {
        if (c.done)
            continue;
        const bool allSent = m_sendingStopped || (c.quota >= 0 && c.nextToSend >= c.quota);
        if (!allSent || c.nextExpected < c.nextToSend)
            return;
    }
    finish();
}

void LoadGenerator::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_rateTimer.stop();
    m_durationTimer.stop();
    m_drainTimer.stop();
    m_connectTimer.stop();
    Report &r = m_report;
    if (m_firstSendNs >= 0 && m_lastReceiveNs > m_firstSendNs)
        r.seconds = double(m_lastReceiveNs - m_firstSendNs) / 1e9;
    if (r.seconds > 0) {
        r.messagesPerSecond = double(r.received) / r.seconds;
        r.bytesPerSecond = double(r.received) * m_config.size / r.seconds;
    }
    if (!m_connectMs.empty()) {
        r.connectMeanMs = std::accumulate(m_connectMs.begin(), m_connectMs.end(), 0.0) / double(m_connectMs.size());
        r.connectMaxMs = *std::max_element(m_connectMs.begin(), m_connectMs.end());
    }
    if (!m_rttsNs.empty()) {
        std::sort(m_rttsNs.begin(), m_rttsNs.end());
        const auto at = [this](double q) {
            const size_t i = std::min(m_rttsNs.size() - 1, size_t(q * double(m_rttsNs.size())));
            return double(m_rttsNs[i]) / 1e3;
        };
        r.rttP50Us = at(0.50);
        r.rttP90Us = at(0.90);
        r.rttP99Us = at(0.99);
        r.rttP999Us = at(0.999);
        r.rttMaxUs = double(m_rttsNs.back()) / 1e3;
        r.rttMeanUs = std::accumulate(m_rttsNs.begin(), m_rttsNs.end(), 0.0) / double(m_rttsNs.size()) / 1e3;
    }
    for (Connection &c : m_connections) {
        c.done = true;
        if (c.socket->state() == QAbstractSocket::ConnectedState)
            c.socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("benchmark done"));
    }
    Q_EMIT finished();
}

void LoadGenerator::addError(const QString &text)
{
    ++m_report.errors;
    if (m_report.errorTexts.size() < kMaxErrorTexts)
        m_report.errorTexts << text;
}

QString LoadGenerator::Report::toText() const
{
    QString s;
    s += QStringLiteral("connections   %1 opened, connect mean %2 ms, max %3 ms\n")
             .arg(connectionsOpened)
             .arg(connectMeanMs, 0, 'f', 2)
             .arg(connectMaxMs, 0, 'f', 2);
    s += QStringLiteral("messages      %1 sent, %2 echoed, %3 mismatched, %4 errors\n").arg(sent).arg(received).arg(mismatches).arg(errors);
    s += QStringLiteral("throughput    %1 msg/s, %2 MiB/s over %3 s\n")
             .arg(messagesPerSecond, 0, 'f', 0)
             .arg(bytesPerSecond / (1024.0 * 1024.0), 0, 'f', 2)
             .arg(seconds, 0, 'f', 3);
    s += QStringLiteral("rtt (us)      p50 %1  p90 %2  p99 %3  p99.9 %4  max %5  mean %6\n")
             .arg(rttP50Us, 0, 'f', 0)
             .arg(rttP90Us, 0, 'f', 0)
             .arg(rttP99Us, 0, 'f', 0)
             .arg(rttP999Us, 0, 'f', 0)
             .arg(rttMaxUs, 0, 'f', 0)
             .arg(rttMeanUs, 0, 'f', 0);
    for (const QString &e : errorTexts)
        s += QStringLiteral("error         ") + e + u'\n';
    return s;
}

QByteArray LoadGenerator::Report::toJson() const
{
    QJsonObject o;
    o[u"connections"] = connectionsOpened;
    o[u"sent"] = sent;
    o[u"received"] = received;
    o[u"mismatches"] = mismatches;
    o[u"errors"] = errors;
    o[u"error_texts"] = QJsonValue::fromVariant(errorTexts);
    o[u"seconds"] = seconds;
    o[u"messages_per_second"] = messagesPerSecond;
    o[u"bytes_per_second"] = bytesPerSecond;
    o[u"connect_mean_ms"] = connectMeanMs;
    o[u"connect_max_ms"] = connectMaxMs;
    o[u"rtt_p50_us"] = rttP50Us;
    o[u"rtt_p90_us"] = rttP90Us;
    o[u"rtt_p99_us"] = rttP99Us;
    o[u"rtt_p999_us"] = rttP999Us;
    o[u"rtt_max_us"] = rttMaxUs;
    o[u"rtt_mean_us"] = rttMeanUs;
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace wslab
