// The log's memory bound, as a user meets it: an in-process echo Server and a Client (the lab window's
// demo pair), N text messages of 1 MiB echoed over loopback, both logs under one LogBudget. Prints the
// process's RSS before and after the flood, the budget, and RSS / (baseline + budget): the bound holds
// when that ratio stays at or below 1.25.
//
// The baseline is taken after a warm-up of a few windows of messages with the budget at zero, so it
// holds the flood's own working set (messages in flight in Qt's buffers, a few MiB each), which no log
// setting changes; the RSS at open is printed too.
//
//   bench-log-memory [--messages N] [--size BYTES] [--budget-mib M] [--window W] [--timeout S] [--json]

#include "core/client/Client.h"
#include "core/log/EventLog.h"
#include "core/log/LogBudget.h"
#include "core/server/Server.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>

using namespace wslab;

namespace {

qint64 statusKiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix(field);
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

double mib(qint64 bytes)
{
    return double(bytes) / (1024.0 * 1024.0);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("messages"), QStringLiteral("messages to echo"), QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("bytes per message"), QStringLiteral("BYTES"), QStringLiteral("1048576")});
    parser.addOption({QStringLiteral("budget-mib"), QStringLiteral("log budget in MiB"), QStringLiteral("M"), QStringLiteral("64")});
    parser.addOption({QStringLiteral("window"), QStringLiteral("messages in flight"), QStringLiteral("W"), QStringLiteral("4")});
    parser.addOption({QStringLiteral("timeout"), QStringLiteral("give up after S seconds"), QStringLiteral("S"), QStringLiteral("120")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("one JSON object on stdout")});
    parser.process(app);
    const int messages = parser.value(QStringLiteral("messages")).toInt();
    const int size = parser.value(QStringLiteral("size")).toInt();
    const qint64 budget = parser.value(QStringLiteral("budget-mib")).toLongLong() * 1024 * 1024;
    const int window = std::max(1, parser.value(QStringLiteral("window")).toInt());

    Server server;
    ServerConfig config;
    config.port = 0;
    config.mode = ServerMode::Echo;
    config.maxMessageSize = std::max<qint64>(size, config.maxMessageSize);
    server.setConfig(config);
    if (!server.start()) {
        std::fprintf(stderr, "bench-log-memory: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    Client client(QStringLiteral("client 1"));
    ClientConfig clientConfig;
    clientConfig.url = server.url();
    client.setConfig(clientConfig);

    // Both logs share the budget, as every endpoint of the lab window does.
    LogBudget logBudget;
    logBudget.setMaxBytes(0);
    logBudget.add(server.log());
    logBudget.add(client.log());

    // Every message differs in its first bytes, as real traffic does; the rest is printable ASCII.
    QString text(size, u'x');
    for (int i = 0; i < size; ++i)
        text[i] = QChar(u'a' + (i * 7) % 26);

    const int warmUp = 4 * window;
    const int total = warmUp + messages;
    qint64 openKiB = 0;
    qint64 baselineKiB = 0;
    int sent = 0;
    int echoed = 0;
    QElapsedTimer clock;
    auto sendMore = [&] {
        // The warm-up's echoes all come back before the flood starts, so the baseline is not mid-message.
        const int until = echoed < warmUp ? warmUp : total;
        while (sent < until && sent - echoed < window) {
            text.replace(0, 12, QStringLiteral("%1").arg(sent, 12, 10, QChar(u'0')));
            client.sendText(text);
            ++sent;
        }
    };
    QObject::connect(&client, &Client::opened, &app, [&] {
        openKiB = statusKiB("VmRSS:");
        sendMore();
    });
    QObject::connect(&client, &Client::textReceived, &app, [&](const QString &) {
        ++echoed;
        if (echoed == warmUp) {
            baselineKiB = statusKiB("VmRSS:");
            logBudget.setMaxBytes(budget);
            clock.start();
        }
        if (echoed == total)
            QCoreApplication::quit();
        else
            sendMore();
    });
    const int timeout = parser.value(QStringLiteral("timeout")).toInt();
    QTimer::singleShot(std::chrono::seconds(timeout), &app, [timeout] {
        std::fprintf(stderr, "bench-log-memory: gave up after %d s\n", timeout);
        QCoreApplication::exit(2);
    });
    if (!client.open()) {
        std::fprintf(stderr, "bench-log-memory: %s\n", qPrintable(client.errorString()));
        return 1;
    }
    const int rc = app.exec();
    if (rc != 0)
        return rc;
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    const qint64 afterKiB = statusKiB("VmRSS:");
    const qint64 peakKiB = statusKiB("VmHWM:");
    const qint64 held = logBudget.bytesHeld();
    const qint64 evicted = qint64(logBudget.evictedCount());
    const double bound = double(baselineKiB) * 1024.0 + double(budget);
    const double ratio = double(afterKiB) * 1024.0 / bound;

    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject o{{QStringLiteral("messages"), messages},
                            {QStringLiteral("size"), size},
                            {QStringLiteral("seconds"), seconds},
                            {QStringLiteral("budget_bytes"), budget},
                            {QStringLiteral("rss_open_kib"), openKiB},
                            {QStringLiteral("rss_baseline_kib"), baselineKiB},
                            {QStringLiteral("rss_after_kib"), afterKiB},
                            {QStringLiteral("rss_peak_kib"), peakKiB},
                            {QStringLiteral("log_bytes_counted"), held},
                            {QStringLiteral("events_evicted"), evicted},
                            {QStringLiteral("ratio"), ratio}};
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    } else {
        std::printf("%d messages of %d bytes echoed in %.1f s\n", messages, size, seconds);
        std::printf("RSS at open    %8.1f MiB\n", double(openKiB) / 1024.0);
        std::printf("RSS baseline   %8.1f MiB (after %d warm-up echoes with an empty log)\n", double(baselineKiB) / 1024.0, warmUp);
        std::printf("RSS after      %8.1f MiB (peak %.1f MiB)\n", double(afterKiB) / 1024.0, double(peakKiB) / 1024.0);
        std::printf("log budget     %8.1f MiB (counted in the logs: %.1f MiB, %lld events evicted)\n", mib(budget), mib(held),
                    static_cast<long long>(evicted));
        std::printf("RSS after / (baseline + budget) = %.2f (bound: 1.25)\n", ratio);
    }
    return ratio <= 1.25 ? 0 : 3;
}
