// How long the sequence diagram takes to paint one frame over logs holding 100,000 events.
//
//   bench-sequence-paint [--events N] [--frames F]
//
// A server lane and a client lane are filled with N synthetic events (texts each way, matched across
// the two logs, and pings the server never logs), 50 µs apart. The model reads them all, then a real
// SequenceDiagramView (1200 × 800, offscreen) paints F frames at each zoom level, scrolled evenly from
// the first arrow to the last; each frame is the viewport's paintEvent into a raster image of its size,
// as the window system's backing store would get it.
#include "core/log/EventLog.h"
#include "core/sequence/SequenceModel.h"
#include "ui/sequence/SequenceDiagramView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QImage>
#include <QScrollBar>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace wslab;

namespace {

LogEvent message(EventKind kind, Direction direction, qint64 monoUs, int peer, QByteArray payload)
{
    LogEvent e;
    e.kind = kind;
    e.direction = direction;
    e.monoUs = monoUs;
    e.peer = peer;
    e.size = payload.size();
    e.payload = std::move(payload);
    return e;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions(
        {{QStringLiteral("events"), QStringLiteral("events in the two logs together"), QStringLiteral("N"), QStringLiteral("100000")},
         {QStringLiteral("frames"), QStringLiteral("frames painted per zoom level"), QStringLiteral("F"), QStringLiteral("60")}});
    parser.process(app);
    const qint64 events = parser.value(QStringLiteral("events")).toLongLong();
    const int frames = std::max(1, parser.value(QStringLiteral("frames")).toInt());

    EventLog serverLog;
    EventLog clientLog;
    qint64 us = 0;
    LogEvent open = message(EventKind::Open, Direction::Local, us, -1, {});
    open.detail = QStringLiteral("from 127.0.0.1:5000 to 127.0.0.1:8080");
    clientLog.append(open);
    open = message(EventKind::Open, Direction::Local, us += 50, 1, {});
    open.detail = QStringLiteral("peer 1 from 127.0.0.1:5000 path /");
    serverLog.append(open);
    // Five events per round: a text each way (two events each) and a ping.
    for (qint64 i = 0; i * 5 < events; ++i) {
        const QByteArray text = "{\"n\":" + QByteArray::number(i) + ",\"text\":\"hello from the benchmark\"}";
        clientLog.append(message(EventKind::Text, Direction::Out, us += 50, -1, text));
        serverLog.append(message(EventKind::Text, Direction::In, us += 50, 1, text));
        serverLog.append(message(EventKind::Text, Direction::Out, us += 50, 1, text));
        clientLog.append(message(EventKind::Text, Direction::In, us += 50, -1, text));
        clientLog.append(message(EventKind::Ping, Direction::Out, us += 50, -1, "hb"));
    }

    SequenceModel model;
    QElapsedTimer clock;
    clock.start();
    model.setLanes({{QStringLiteral("server"), &serverLog}, {QStringLiteral("client 1"), &clientLog}});
    const double buildMs = double(clock.nsecsElapsed()) / 1e6;
    std::printf("model  %lld events read in %.1f ms: %lld arrows over %.1f s\n",
                static_cast<long long>(serverLog.size() + clientLog.size()), buildMs, static_cast<long long>(model.arrowCount()),
                double(model.lastUs() - model.firstUs()) / 1e6);

    SequenceDiagramView view(&model);
    view.resize(1200, 800);
    view.show();
    view.setFollowLive(false);
    for (const double usPerPixel : {10.0, 100.0, 1000.0, 10000.0}) {
        view.setUsPerPixel(usPerPixel);
        QScrollBar *scroll = view.verticalScrollBar();
        std::vector<double> ms;
        QImage frame(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
        for (int f = 0; f < frames; ++f) {
            scroll->setValue(scroll->minimum() + int(qint64(scroll->maximum() - scroll->minimum()) * f / std::max(1, frames - 1)));
            clock.restart();
            view.viewport()->render(&frame);
            ms.push_back(double(clock.nsecsElapsed()) / 1e6);
        }
        std::sort(ms.begin(), ms.end());
        const auto [first, last] = model.arrowsBetween(model.firstUs(), model.firstUs() + qint64(usPerPixel * view.viewport()->height()));
        std::printf("paint  %6.0f µs/px (%7.1f ms in sight, ~%lld arrows): p50 %.2f ms, max %.2f ms over %d frames\n", usPerPixel,
                    usPerPixel * view.viewport()->height() / 1000.0, static_cast<long long>(last - first), ms[ms.size() / 2], ms.back(),
                    frames);
    }
    return 0;
}
