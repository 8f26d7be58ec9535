// Chat fan-out under load, against `wslab-cli serve --mode chat` (docs/chat-protocol.md): N clients
// join with distinct nicknames, then each says M messages per second for D seconds, paced by one timer
// so that the room's messages are spread evenly in time, not sent in bursts. Every text carries the
// steady-clock time it was said (this process's clock, so no clocks are compared across processes),
// and every client times every delivery of every message: fan-out latency = received - said.
//
// It checks as it counts: each message must reach every member (its sender included) exactly once and
// in order, and the server's seq must run without a gap; a loss, a duplicate, an error or a dropped
// connection makes it exit 1. With --server-pid it reads the server's CPU time (schedstat of all its
// threads) over the run, and the time it spent waiting for a CPU; the same for itself. Bounded in time: connect, say, drain, each with its own limit; 127.0.0.1 is
// what bench/run.sh and the tests give it.
//
//   bench-chat-load URL [--clients N] [--rate M] [--duration D] [--server-pid PID] [--drain S] [--json]
//
// One line for people goes to stderr; with --json one JSON object goes to stdout.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <vector>

namespace {

constexpr int kMaxErrorTexts = 5;

// What the scheduler accounts to every thread of a process, in ns (bench/run.sh's cpu_ns reads the
// same, finer than clock ticks): the CPU time it ran, and the time it was ready to run but waited for
// a CPU, which on a shared machine is where latency goes. -1 when the process is gone or unreadable.
struct SchedulerTime
{
    qint64 runNs = -1;
    qint64 waitNs = -1;
};

SchedulerTime schedulerTime(qint64 pid)
{
    const QString taskDir = QStringLiteral("/proc/%1/task").arg(pid);
    const QStringList tasks = QDir(taskDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    if (pid <= 0 || tasks.isEmpty())
        return {};
    SchedulerTime sum{0, 0};
    for (const QString &task : tasks) {
        QFile schedstat(taskDir + u'/' + task + QStringLiteral("/schedstat"));
        if (!schedstat.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> fields = schedstat.readAll().split(' ');
        sum.runNs += fields.value(0).toLongLong();
        sum.waitNs += fields.value(1).toLongLong();
    }
    return sum;
}

// Seconds between two readings, -1 when either is missing.
double secondsBetween(qint64 before, qint64 after)
{
    return before >= 0 && after >= 0 ? double(after - before) / 1e9 : -1.0;
}

// The unsigned decimal at text[from...], and where it ends; -1 when there is none.
qint64 numberAt(QStringView text, qsizetype &from)
{
    qint64 value = -1;
    while (from < text.size() && text[from].isDigit()) {
        value = (value < 0 ? 0 : value * 10) + text[from].digitValue();
        ++from;
    }
    return value;
}

class ChatLoad : public QObject
{
public:
    struct Config
    {
        QUrl url;
        int clients = 200;
        double ratePerClient = 10;
        double seconds = 10;
        qint64 serverPid = 0;
        int connectTimeoutMs = 30000;
        int drainTimeoutMs = 10000;
    };

    explicit ChatLoad(const Config &config)
        : m_config(config)
        , m_toSay(qint64(config.clients * config.ratePerClient * config.seconds + 0.5))
    {
        m_sayTimer.setTimerType(Qt::PreciseTimer);
        connect(&m_sayTimer, &QTimer::timeout, this, &ChatLoad::sayWhatIsDue);
        m_limitTimer.setSingleShot(true);
        connect(&m_limitTimer, &QTimer::timeout, this, [this] {
            if (m_firstSayNs < 0)
                addError(QStringLiteral("the room was not ready (every client joined and seeing all %1 members) within %2 ms")
                             .arg(m_config.clients)
                             .arg(m_config.connectTimeoutMs));
            finish();
        });
        // Every delivery's latency is kept for exact percentiles; reserved up front (4,000,000 for the
        // issue's load) so the vector does not grow mid-run, within a bound for larger ones.
        m_latenciesNs.reserve(std::min<size_t>(size_t(m_toSay) * size_t(config.clients), size_t(1) << 25));
    }

    void start()
    {
        m_clock.start();
        m_members.resize(size_t(m_config.clients));
        for (int i = 0; i < m_config.clients; ++i) {
            Member &m = m_members[size_t(i)];
            m.nextFromSender.assign(size_t(m_config.clients), 0);
            m.socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
            QWebSocket *s = m.socket;
            connect(s, &QWebSocket::connected, this, [this, i] { onConnected(i); });
            connect(s, &QWebSocket::textMessageReceived, this, [this, i](const QString &text) { onText(i, text); });
            connect(s, &QWebSocket::disconnected, this, [this, i] {
                if (!m_finished)
                    addError(QStringLiteral("client %1 was disconnected: %2 %3")
                                 .arg(i)
                                 .arg(int(m_members[size_t(i)].socket->closeCode()))
                                 .arg(m_members[size_t(i)].socket->closeReason()));
                if (m_finished && ++m_closedAfterFinish == m_config.clients)
                    QCoreApplication::exit(exitCode());
            });
            connect(s, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this, [this, s](QAbstractSocket::SocketError) {
                if (!m_finished)
                    addError(s->errorString());
                s->abort();
            });
            s->open(m_config.url);
        }
        m_limitTimer.start(m_config.connectTimeoutMs);
    }

    QJsonObject report() const { return m_report; }
    QString summary() const { return m_summary; }
    int exitCode() const { return m_ok ? 0 : 1; }

private:
    struct Member
    {
        QWebSocket *socket = nullptr;
        bool welcomed = false;
        int membersSeen = 0;
        qint64 lastSeq = 0;
        std::vector<qint64> nextFromSender; // the next message number expected from each sender
    };

    static QString nickOf(int client) { return QStringLiteral("load-%1").arg(client); }

    void onConnected(int client)
    {
        const QJsonObject join{
            {QStringLiteral("type"), QStringLiteral("join")}, {QStringLiteral("v"), 1}, {QStringLiteral("nick"), nickOf(client)}};
        m_members[size_t(client)].socket->sendTextMessage(QString::fromUtf8(QJsonDocument(join).toJson(QJsonDocument::Compact)));
    }

    void onText(int receiver, const QString &text)
    {
        // 200 clients at 10 messages/s each are 400,000 deliveries a second, more than this one
        // process can put through a JSON parser: a chat message is read by looking for its fields.
        if (text.contains(u"\"type\":\"message\""))
            onDelivery(receiver, text);
        else
            onControl(receiver, QJsonDocument::fromJson(text.toUtf8()).object());
    }

    void onControl(int receiver, const QJsonObject &o)
    {
        Member &m = m_members[size_t(receiver)];
        const QString type = o.value(u"type").toString();
        if (type == u"welcome") {
            m.welcomed = true;
            if (o.value(u"nick").toString() != nickOf(receiver))
                addError(QStringLiteral("client %1 joined as \"%2\": is another load running against this server?")
                             .arg(receiver)
                             .arg(o.value(u"nick").toString()));
            m.lastSeq = o.value(u"last_seq").toInteger();
        } else if (type == u"presence") {
            m.membersSeen = int(o.value(u"members").toArray().size());
        } else if (type == u"error") {
            addError(QStringLiteral("client %1 got error %2: %3")
                         .arg(receiver)
                         .arg(o.value(u"code").toString(), o.value(u"message").toString()));
        }
        if (m_firstSayNs < 0 && !m_finished && everyoneReady())
            startSaying();
    }

    bool everyoneReady() const
    {
        return std::all_of(m_members.begin(), m_members.end(),
                           [this](const Member &m) { return m.welcomed && m.membersSeen == m_config.clients; });
    }

    void startSaying()
    {
        m_limitTimer.stop();
        m_server0 = schedulerTime(m_config.serverPid);
        m_self0 = schedulerTime(QCoreApplication::applicationPid());
        m_firstSayNs = m_clock.nsecsElapsed();
        m_sayTimer.start(1);
        sayWhatIsDue();
    }

    // Message g of the room is client g % N's message number g / N, due at g / (N * M) seconds: each
    // client says one every 1/M s, the clients staggered evenly across that interval.
    void sayWhatIsDue()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const double roomRate = m_config.clients * m_config.ratePerClient;
        const qint64 due = std::min(m_toSay, qint64(double(now - m_firstSayNs) / 1e9 * roomRate) + 1);
        while (m_said < due) {
            const int sender = int(m_said % m_config.clients);
            const qint64 number = m_said / m_config.clients;
            const qint64 scheduledNs = m_firstSayNs + qint64(double(m_said) / roomRate * 1e9);
            const qint64 saidNs = m_clock.nsecsElapsed();
            m_maxSayLateNs = std::max(m_maxSayLateNs, saidNs - scheduledNs);
            const QString id = u'c' + QString::number(sender) + u'-' + QString::number(number);
            const QString text = QString::number(sender) + u' ' + QString::number(number) + u' ' + QString::number(saidNs);
            m_members[size_t(sender)].socket->sendTextMessage(u"{\"type\":\"say\",\"id\":\"" + id + u"\",\"text\":\"" + text + u"\"}");
            ++m_said;
        }
        if (m_said == m_toSay) {
            m_sayTimer.stop();
            m_lastSayNs = m_clock.nsecsElapsed();
            m_limitTimer.start(m_config.drainTimeoutMs);
            maybeFinish();
        }
    }

    void onDelivery(int receiver, QStringView json)
    {
        const qint64 now = m_clock.nsecsElapsed();
        Member &m = m_members[size_t(receiver)];
        qsizetype at = json.indexOf(u"\"seq\":");
        qint64 seq = -1;
        if (at >= 0) {
            at += 6;
            seq = numberAt(json, at);
        }
        at = json.indexOf(u"\"text\":\"");
        qint64 sender = -1, number = -1, saidNs = -1;
        if (at >= 0) {
            at += 8;
            sender = numberAt(json, at);
            ++at;
            number = numberAt(json, at);
            ++at;
            saidNs = numberAt(json, at);
        }
        if (seq < 0 || sender < 0 || sender >= m_config.clients || number < 0 || saidNs < 0) {
            addError(QStringLiteral("client %1 got a message it cannot read: %2").arg(receiver).arg(json.left(200)));
            return;
        }
        if (m.lastSeq > 0 && seq != m.lastSeq + 1)
            ++m_seqGaps;
        m.lastSeq = seq;
        qint64 &next = m.nextFromSender[size_t(sender)];
        if (number < next) {
            ++m_duplicates;
            return;
        }
        m_outOfOrder += number - next; // skipped over: never coming, since a connection keeps order
        next = number + 1;
        ++m_received;
        m_latenciesNs.push_back(now - saidNs);
        m_lastDeliveryNs = now;
        if (m_said == m_toSay)
            maybeFinish();
    }

    void maybeFinish()
    {
        if (m_received + m_duplicates >= m_toSay * m_config.clients)
            finish();
    }

    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_sayTimer.stop();
        m_limitTimer.stop();
        const qint64 endNs = m_clock.nsecsElapsed();
        const SchedulerTime server1 = schedulerTime(m_config.serverPid);
        const SchedulerTime self1 = schedulerTime(QCoreApplication::applicationPid());
        const qint64 expected = m_said * m_config.clients;
        const qint64 missing = expected - m_received;
        // From the first message said to the last delivery (or the end of the drain): the window in
        // which the server did this load's work.
        const double wallS = m_firstSayNs < 0 ? 0 : double(std::max(m_lastDeliveryNs, m_lastSayNs) - m_firstSayNs) / 1e9;
        const double cpuWallS = m_firstSayNs < 0 ? 0 : double(endNs - m_firstSayNs) / 1e9;

        std::sort(m_latenciesNs.begin(), m_latenciesNs.end());
        const auto quantileMs = [this](double q) {
            if (m_latenciesNs.empty())
                return 0.0;
            const size_t i = std::min(m_latenciesNs.size() - 1, size_t(q * double(m_latenciesNs.size())));
            return double(m_latenciesNs[i]) / 1e6;
        };
        const double meanMs = m_latenciesNs.empty() ? 0
                                                    : double(std::accumulate(m_latenciesNs.begin(), m_latenciesNs.end(), qint64(0))) /
                                                          double(m_latenciesNs.size()) / 1e6;
        const double serverCpuS = secondsBetween(m_server0.runNs, server1.runNs);
        const double serverWaitS = secondsBetween(m_server0.waitNs, server1.waitNs);
        const double selfCpuS = secondsBetween(m_self0.runNs, self1.runNs);
        const double selfWaitS = secondsBetween(m_self0.waitNs, self1.waitNs);
        const auto percentOfOneCore = [cpuWallS](double cpuS) { return cpuS >= 0 && cpuWallS > 0 ? 100.0 * cpuS / cpuWallS : -1.0; };

        m_ok = m_said == m_toSay && missing == 0 && m_duplicates == 0 && m_seqGaps == 0 && m_errors == 0;
        m_report = QJsonObject{
            {QStringLiteral("ok"), m_ok},
            {QStringLiteral("clients"), m_config.clients},
            {QStringLiteral("rate_per_client"), m_config.ratePerClient},
            {QStringLiteral("duration_s"), m_config.seconds},
            {QStringLiteral("said"), m_said},
            {QStringLiteral("said_planned"), m_toSay},
            {QStringLiteral("said_late_max_ms"), double(m_maxSayLateNs) / 1e6},
            {QStringLiteral("deliveries_expected"), expected},
            {QStringLiteral("deliveries_received"), m_received},
            {QStringLiteral("missing"), missing},
            {QStringLiteral("duplicates"), m_duplicates},
            {QStringLiteral("skipped_in_order"), m_outOfOrder},
            {QStringLiteral("seq_gaps"), m_seqGaps},
            {QStringLiteral("errors"), m_errors},
            {QStringLiteral("error_texts"), QJsonArray::fromStringList(m_errorTexts)},
            {QStringLiteral("seconds"), wallS},
            {QStringLiteral("deliveries_per_second"), wallS > 0 ? double(m_received) / wallS : 0.0},
            {QStringLiteral("latency_p50_ms"), quantileMs(0.50)},
            {QStringLiteral("latency_p90_ms"), quantileMs(0.90)},
            {QStringLiteral("latency_p99_ms"), quantileMs(0.99)},
            {QStringLiteral("latency_max_ms"), m_latenciesNs.empty() ? 0.0 : double(m_latenciesNs.back()) / 1e6},
            {QStringLiteral("latency_mean_ms"), meanMs},
            {QStringLiteral("server_pid"), m_config.serverPid},
            {QStringLiteral("server_cpu_s"), serverCpuS},
            {QStringLiteral("server_cpu_percent"), percentOfOneCore(serverCpuS)},
            {QStringLiteral("server_cpu_wait_s"), serverWaitS},
            {QStringLiteral("generator_cpu_s"), selfCpuS},
            {QStringLiteral("generator_cpu_wait_s"), selfWaitS},
            {QStringLiteral("generator_cpu_percent"), percentOfOneCore(selfCpuS)},
        };
        m_summary =
            QStringLiteral("chat fan-out: %1 clients x %2 msg/s for %3 s: %4 said, %5 of %6 deliveries (%7 missing, %8 duplicates, %9 seq "
                           "gaps, %10 errors); "
                           "latency p50 %11 ms p99 %12 ms max %13 ms; server CPU %14 s (%15% of one core, %16 s waiting for a CPU), "
                           "generator %17% of one core (%18 s waiting); %19")
                .arg(m_config.clients)
                .arg(m_config.ratePerClient)
                .arg(m_config.seconds)
                .arg(m_said)
                .arg(m_received)
                .arg(expected)
                .arg(missing)
                .arg(m_duplicates)
                .arg(m_seqGaps)
                .arg(m_errors)
                .arg(quantileMs(0.50), 0, 'f', 2)
                .arg(quantileMs(0.99), 0, 'f', 2)
                .arg(m_latenciesNs.empty() ? 0.0 : double(m_latenciesNs.back()) / 1e6, 0, 'f', 2)
                .arg(serverCpuS, 0, 'f', 2)
                .arg(percentOfOneCore(serverCpuS), 0, 'f', 0)
                .arg(serverWaitS, 0, 'f', 2)
                .arg(percentOfOneCore(selfCpuS), 0, 'f', 0)
                .arg(selfWaitS, 0, 'f', 2)
                .arg(m_ok ? QStringLiteral("ok") : QStringLiteral("FAILED"));
        for (const QString &e : std::as_const(m_errorTexts))
            m_summary += QStringLiteral("\n  error: ") + e;

        // Leave politely, but do not wait on a server that does not answer.
        for (Member &m : m_members) {
            if (m.socket->state() == QAbstractSocket::ConnectedState)
                m.socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("load done"));
            else
                ++m_closedAfterFinish;
        }
        if (m_closedAfterFinish >= m_config.clients)
            QTimer::singleShot(0, this, [this] { QCoreApplication::exit(exitCode()); });
        else
            QTimer::singleShot(3000, this, [this] { QCoreApplication::exit(exitCode()); });
    }

    void addError(const QString &text)
    {
        ++m_errors;
        if (m_errorTexts.size() < kMaxErrorTexts)
            m_errorTexts << text;
    }

    Config m_config;
    const qint64 m_toSay;
    std::vector<Member> m_members;
    QElapsedTimer m_clock;
    QTimer m_sayTimer;
    QTimer m_limitTimer; // the connect limit, then the drain limit
    qint64 m_firstSayNs = -1;
    qint64 m_lastSayNs = 0;
    qint64 m_lastDeliveryNs = 0;
    qint64 m_said = 0;
    qint64 m_maxSayLateNs = 0;
    qint64 m_received = 0;
    qint64 m_duplicates = 0;
    qint64 m_outOfOrder = 0;
    qint64 m_seqGaps = 0;
    qint64 m_errors = 0;
    QStringList m_errorTexts;
    std::vector<qint64> m_latenciesNs;
    SchedulerTime m_server0;
    SchedulerTime m_self0;
    bool m_finished = false;
    bool m_ok = false;
    int m_closedAfterFinish = 0;
    QJsonObject m_report;
    QString m_summary;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Chat fan-out load against wslab-cli serve --mode chat."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("ws:// address of the chat server"));
    parser.addOption({QStringLiteral("clients"), QStringLiteral("chat clients (default 200)"), QStringLiteral("N"), QStringLiteral("200")});
    parser.addOption({QStringLiteral("rate"), QStringLiteral("messages each client says per second (default 10)"), QStringLiteral("M"),
                      QStringLiteral("10")});
    parser.addOption(
        {QStringLiteral("duration"), QStringLiteral("seconds of saying (default 10)"), QStringLiteral("D"), QStringLiteral("10")});
    parser.addOption({QStringLiteral("server-pid"), QStringLiteral("the server's process id, to read its CPU time"), QStringLiteral("PID"),
                      QStringLiteral("0")});
    parser.addOption({QStringLiteral("connect-timeout"), QStringLiteral("seconds for every client to join (default 30)"),
                      QStringLiteral("S"), QStringLiteral("30")});
    parser.addOption({QStringLiteral("drain"), QStringLiteral("seconds after the last message said for the last deliveries (default 10)"),
                      QStringLiteral("S"), QStringLiteral("10")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("one JSON object on stdout")});
    parser.process(app);

    ChatLoad::Config config;
    config.url = QUrl(parser.positionalArguments().value(0));
    config.clients = parser.value(QStringLiteral("clients")).toInt();
    config.ratePerClient = parser.value(QStringLiteral("rate")).toDouble();
    config.seconds = parser.value(QStringLiteral("duration")).toDouble();
    config.serverPid = parser.value(QStringLiteral("server-pid")).toLongLong();
    config.connectTimeoutMs = int(parser.value(QStringLiteral("connect-timeout")).toDouble() * 1000);
    config.drainTimeoutMs = int(parser.value(QStringLiteral("drain")).toDouble() * 1000);
    if (!config.url.isValid() || config.url.scheme() != u"ws" || config.clients < 1 || config.ratePerClient <= 0 || config.seconds <= 0 ||
        config.connectTimeoutMs <= 0 || config.drainTimeoutMs <= 0) {
        std::fprintf(stderr, "bench-chat-load: give a ws:// URL, at least one client, and a positive rate, duration and timeouts\n");
        return 2;
    }

    ChatLoad load(config);
    load.start();
    const int rc = app.exec();
    std::fprintf(stderr, "%s\n", qPrintable(load.summary()));
    if (parser.isSet(QStringLiteral("json")))
        std::printf("%s\n", QJsonDocument(load.report()).toJson(QJsonDocument::Compact).constData());
    return rc;
}
