// What the inspecting relay costs: an in-process echo Server, and a Client that talks to it directly
// and then through a Relay with no faults, in alternating blocks so both see the same machine. One
// message in flight at a time, binary, 16 B and 64 KiB: round trips per second, MiB/s echoed, RTT p50
// and p99 for each path, and the relay's overhead in percent. Everything runs on one thread, as the lab
// window runs it, with every log on (the relay logs one event per frame).
//
//   bench-relay [--round-trips N] [--large-round-trips M] [--timeout S] [--json]

#include "core/client/Client.h"
#include "core/inspect/Relay.h"
#include "core/server/Server.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace wslab;

namespace {

// Round trips of one size over one path, gathered over its blocks.
struct Sample
{
    int size = 0;
    bool relayed = false;
    std::vector<qint64> rttNs;
    qint64 totalNs = 0;

    double roundTripsPerSecond() const { return totalNs > 0 ? double(rttNs.size()) * 1e9 / double(totalNs) : 0; }
    double mibPerSecond() const { return roundTripsPerSecond() * size / (1024.0 * 1024.0); }
    double percentileUs(double p)
    {
        if (rttNs.empty())
            return 0;
        std::vector<qint64> sorted = rttNs;
        std::sort(sorted.begin(), sorted.end());
        return double(sorted[size_t(p * double(sorted.size() - 1))]) / 1000.0;
    }
};

// One block: `count` round trips of `sample`'s size over its path.
struct Block
{
    Sample *sample;
    int count;
};

QString sizeName(int size)
{
    return size >= 1024 ? QStringLiteral("%1 KiB").arg(size / 1024) : QStringLiteral("%1 B").arg(size);
}

double overheadPercent(double relayed, double direct)
{
    return direct != 0 ? (relayed - direct) * 100.0 / direct : 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption(
        {QStringLiteral("round-trips"), QStringLiteral("16 B round trips per path"), QStringLiteral("N"), QStringLiteral("5000")});
    parser.addOption(
        {QStringLiteral("large-round-trips"), QStringLiteral("64 KiB round trips per path"), QStringLiteral("M"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("timeout"), QStringLiteral("give up after S seconds"), QStringLiteral("S"), QStringLiteral("120")});
    parser.addOption({QStringLiteral("json"), QStringLiteral("one JSON object on stdout")});
    parser.process(app);
    const int small = std::max(2, parser.value(QStringLiteral("round-trips")).toInt());
    const int large = std::max(2, parser.value(QStringLiteral("large-round-trips")).toInt());

    Server server;
    ServerConfig serverConfig;
    serverConfig.host = QStringLiteral("127.0.0.1");
    serverConfig.port = 0;
    serverConfig.mode = ServerMode::Echo;
    server.setConfig(serverConfig);
    if (!server.start()) {
        std::fprintf(stderr, "bench-relay: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    Relay relay;
    RelayConfig relayConfig;
    relayConfig.target = server.url();
    relay.setConfig(relayConfig);
    if (!relay.start()) {
        std::fprintf(stderr, "bench-relay: %s\n", qPrintable(relay.errorString()));
        return 1;
    }
    Client direct(QStringLiteral("direct"));
    Client relayed(QStringLiteral("relayed"));
    for (auto [client, url] : {std::pair{&direct, server.url()}, std::pair{&relayed, relay.url()}}) {
        ClientConfig config;
        config.url = url;
        config.reconnect.enabled = false;
        client->setConfig(config);
    }

    Sample samples[] = {{16, false, {}, 0}, {16, true, {}, 0}, {64 * 1024, false, {}, 0}, {64 * 1024, true, {}, 0}};
    // Alternating halves (direct, relayed, direct, relayed) for each size, so a change in the machine's
    // load between the first and the second half touches both paths alike.
    std::vector<Block> blocks;
    for (int pair = 0; pair < 2; ++pair) {
        for (Sample &sample : samples) {
            const int total = sample.size == 16 ? small : large;
            blocks.push_back({&sample, pair == 0 ? total / 2 : total - total / 2});
        }
    }
    std::stable_sort(blocks.begin(), blocks.end(), [](const Block &a, const Block &b) { return a.sample->size < b.sample->size; });

    size_t blockIndex = 0;
    int done = 0;
    QByteArray message;
    QElapsedTimer blockClock;
    QElapsedTimer roundTrip;
    auto clientOf = [&](const Block &block) { return block.sample->relayed ? &relayed : &direct; };
    auto sendOne = [&] {
        roundTrip.start();
        clientOf(blocks[blockIndex])->sendBinary(message);
    };
    auto startBlock = [&] {
        const Block &block = blocks[blockIndex];
        message = QByteArray(block.sample->size, '\x5a');
        done = 0;
        blockClock.start();
        sendOne();
    };
    bool failed = false;
    auto onEcho = [&](const QByteArray &data) {
        Block &block = blocks[blockIndex];
        block.sample->rttNs.push_back(roundTrip.nsecsElapsed());
        if (data != message) {
            std::fprintf(stderr, "bench-relay: an echo differs from what was sent\n");
            failed = true;
            QCoreApplication::exit(1);
            return;
        }
        if (++done < block.count) {
            sendOne();
            return;
        }
        block.sample->totalNs += blockClock.nsecsElapsed();
        if (++blockIndex == blocks.size()) {
            QCoreApplication::quit();
            return;
        }
        startBlock();
    };
    QObject::connect(&direct, &Client::binaryReceived, &app, onEcho);
    QObject::connect(&relayed, &Client::binaryReceived, &app, onEcho);
    int opened = 0;
    for (Client *client : {&direct, &relayed}) {
        QObject::connect(client, &Client::opened, &app, [&] {
            if (++opened == 2)
                startBlock();
        });
        QObject::connect(client, &Client::closed, &app, [&](int code, const QString &reason) {
            if (blockIndex == blocks.size())
                return; // torn down after the last block
            std::fprintf(stderr, "bench-relay: a client closed (%d %s)\n", code, qPrintable(reason));
            QCoreApplication::exit(1);
        });
    }
    const int timeout = parser.value(QStringLiteral("timeout")).toInt();
    QTimer::singleShot(std::chrono::seconds(timeout), &app, [timeout] {
        std::fprintf(stderr, "bench-relay: gave up after %d s\n", timeout);
        QCoreApplication::exit(2);
    });
    if (!direct.open() || !relayed.open()) {
        std::fprintf(stderr, "bench-relay: a client did not open\n");
        return 1;
    }
    const int rc = app.exec();
    if (rc != 0 || failed)
        return rc != 0 ? rc : 1;

    QJsonArray rows;
    if (!parser.isSet(QStringLiteral("json")))
        std::printf("%-7s %-8s %13s %10s %13s %13s\n", "size", "path", "round trips/s", "MiB/s", "RTT p50 µs", "RTT p99 µs");
    for (int i = 0; i < 4; i += 2) {
        Sample &d = samples[i];
        Sample &r = samples[i + 1];
        const double overhead[] = {overheadPercent(r.roundTripsPerSecond(), d.roundTripsPerSecond()),
                                   overheadPercent(r.percentileUs(0.5), d.percentileUs(0.5)),
                                   overheadPercent(r.percentileUs(0.99), d.percentileUs(0.99))};
        if (parser.isSet(QStringLiteral("json"))) {
            for (Sample *s : {&d, &r}) {
                rows.append(QJsonObject{{QStringLiteral("size"), s->size},
                                        {QStringLiteral("path"), s->relayed ? QStringLiteral("relayed") : QStringLiteral("direct")},
                                        {QStringLiteral("round_trips"), qint64(s->rttNs.size())},
                                        {QStringLiteral("round_trips_per_s"), s->roundTripsPerSecond()},
                                        {QStringLiteral("mib_per_s"), s->mibPerSecond()},
                                        {QStringLiteral("rtt_p50_us"), s->percentileUs(0.5)},
                                        {QStringLiteral("rtt_p99_us"), s->percentileUs(0.99)}});
            }
            rows.append(QJsonObject{{QStringLiteral("size"), d.size},
                                    {QStringLiteral("path"), QStringLiteral("overhead")},
                                    {QStringLiteral("throughput_percent"), overhead[0]},
                                    {QStringLiteral("rtt_p50_percent"), overhead[1]},
                                    {QStringLiteral("rtt_p99_percent"), overhead[2]}});
            continue;
        }
        for (Sample *s : {&d, &r})
            std::printf("%-7s %-8s %13.0f %10.1f %12.1f %12.1f\n", qPrintable(sizeName(s->size)), s->relayed ? "relayed" : "direct",
                        s->roundTripsPerSecond(), s->mibPerSecond(), s->percentileUs(0.5), s->percentileUs(0.99));
        std::printf("%-7s %-8s %+12.1f%% %+9.1f%% %+11.1f%% %+11.1f%%\n", qPrintable(sizeName(d.size)), "overhead", overhead[0],
                    overhead[0], overhead[1], overhead[2]);
    }
    if (parser.isSet(QStringLiteral("json")))
        std::printf("%s\n", QJsonDocument(QJsonObject{{QStringLiteral("rows"), rows}}).toJson(QJsonDocument::Compact).constData());
    return 0;
}
