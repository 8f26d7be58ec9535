// How fast the lab window's log takes events in, and how long the event loop stalls meanwhile.
//
//   bench-gui-log-ingest [--events N] [--rate R] [--seconds S] [--json]
//
// Two runs over a real LogView (table, model, detail pane) on the offscreen platform:
//   flood: N events appended as fast as the loop allows, in chunks of 1,000 per loop iteration;
//   paced: R events per second for S seconds (20,000/s: one connection flooding the lab).
// "stall" is the longest gap between two ticks of a 1 ms timer: what a user would feel as a freeze.
#include "core/log/EventLog.h"
#include "ui/log/LogModel.h"
#include "ui/log/LogView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>

using namespace wslab;

namespace {

struct Result
{
    qint64 events = 0;
    double seconds = 0;
    double longestStallMs = 0;
};

LogEvent sampleEvent(qint64 i)
{
    LogEvent e = LogEvent::make(EventKind::Text, i % 2 ? Direction::In : Direction::Out,
                                QByteArray("{\"seq\":") + QByteArray::number(i) + ",\"text\":\"hello from the benchmark\"}");
    e.endpoint = QStringLiteral("client 1");
    return e;
}

// Runs `produce` from the event loop until it returns false, timing the loop with a 1 ms ticker.
template <typename Produce> Result run(Produce produce)
{
    Result r;
    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = 0;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, &ticker, [&] {
        const qint64 now = clock.nsecsElapsed();
        r.longestStallMs = std::max(r.longestStallMs, double(now - lastTick) / 1e6);
        lastTick = now;
    });
    ticker.start(1);
    QTimer producer;
    QEventLoop loop;
    QObject::connect(&producer, &QTimer::timeout, &producer, [&] {
        if (!produce(clock, r))
            loop.quit();
    });
    producer.start(0);
    loop.exec();
    r.seconds = double(clock.nsecsElapsed()) / 1e9;
    return r;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions(
        {{QStringLiteral("events"), QStringLiteral("events in the flood run"), QStringLiteral("N"), QStringLiteral("500000")},
         {QStringLiteral("rate"), QStringLiteral("events per second in the paced run"), QStringLiteral("R"), QStringLiteral("20000")},
         {QStringLiteral("seconds"), QStringLiteral("length of the paced run"), QStringLiteral("S"), QStringLiteral("3")},
         {QStringLiteral("json"), QStringLiteral("one JSON object instead of text")}});
    parser.process(app);
    const qint64 floodEvents = parser.value(QStringLiteral("events")).toLongLong();
    const double rate = parser.value(QStringLiteral("rate")).toDouble();
    const double pacedSeconds = parser.value(QStringLiteral("seconds")).toDouble();

    EventLog log; // default bounds: 200,000 events, so the flood also exercises eviction
    LogView view(&log);
    view.resize(1000, 700);
    view.show();

    const Result flood = run([&](const QElapsedTimer &, Result &r) {
        for (int i = 0; i < 1000 && r.events < floodEvents; ++i)
            log.append(sampleEvent(r.events++));
        return r.events < floodEvents;
    });
    view.model()->flush();

    const Result paced = run([&](const QElapsedTimer &clock, Result &r) {
        const double elapsed = double(clock.nsecsElapsed()) / 1e9;
        const auto due = qint64(elapsed * rate);
        while (r.events < due)
            log.append(sampleEvent(r.events++));
        return elapsed < pacedSeconds;
    });

    const double floodRate = double(flood.events) / flood.seconds;
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonObject o{{QStringLiteral("flood_events"), flood.events},
                      {QStringLiteral("flood_events_per_second"), floodRate},
                      {QStringLiteral("flood_longest_stall_ms"), flood.longestStallMs},
                      {QStringLiteral("paced_rate"), rate},
                      {QStringLiteral("paced_events"), paced.events},
                      {QStringLiteral("paced_longest_stall_ms"), paced.longestStallMs},
                      {QStringLiteral("rows_shown"), view.model()->rowCount()},
                      {QStringLiteral("evicted"), qint64(log.evictedCount())}};
        std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    } else {
        std::printf("flood  %lld events in %.2f s: %.0f events/s ingested, longest event-loop stall %.1f ms\n",
                    static_cast<long long>(flood.events), flood.seconds, floodRate, flood.longestStallMs);
        std::printf("paced  %.0f events/s for %.1f s (%lld events): longest event-loop stall %.1f ms\n", rate, paced.seconds,
                    static_cast<long long>(paced.events), paced.longestStallMs);
        std::printf("view   %d rows shown, %llu evicted by the 200,000-event ring\n", view.model()->rowCount(),
                    static_cast<unsigned long long>(log.evictedCount()));
    }
    return 0;
}
