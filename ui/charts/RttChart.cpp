#include "ui/charts/RttChart.h"

#include "core/stats/TrafficSeries.h"

#include <QLocale>
#include <QPainter>

namespace wslab {

namespace {

double millis(std::chrono::microseconds us)
{
    return double(us.count()) / 1000.0;
}

QString millisText(std::chrono::microseconds us)
{
    const double ms = millis(us);
    return QLocale().toString(ms, 'f', ms < 10 ? 2 : ms < 100 ? 1 : 0);
}

} // namespace

RttChart::RttChart(QWidget *parent)
    : TimeChart(parent)
{
    setObjectName(QStringLiteral("rttChart"));
    setAccessibleName(title());
}

RttStats RttChart::statsInSight() const
{
    return series() ? series()->rttStatsBetween(startUs(), endUs()) : RttStats{};
}

QString RttChart::title() const
{
    return tr("Round trip (ping → pong)");
}

QString RttChart::unit() const
{
    return tr("ms");
}

double RttChart::largestValue() const
{
    return millis(statsInSight().max);
}

QList<TimeChart::LegendEntry> RttChart::legend() const
{
    const RttStats stats = statsInSight();
    if (stats.samples == 0)
        return {};
    return {{tr("%n pong(s)", nullptr, int(stats.samples)), colourOf(Tone::Pong), Qt::SolidLine},
            {tr("mean %1 ms").arg(millisText(stats.mean())), colourOf(Tone::Neutral), Qt::DashLine},
            {tr("max %1 ms").arg(millisText(stats.max)), colourOf(Tone::Error), Qt::DotLine}};
}

QString RttChart::emptyText() const
{
    if (!series())
        return tr("No endpoint chosen");
    return statsInSight().samples == 0 ? tr("No round trips in sight: a ping, or the heartbeat, measures one") : QString();
}

void RttChart::paintPlot(QPainter &p, const Plot &plot) const
{
    if (!series())
        return;
    const auto [first, last] = series()->rttBetween(startUs(), endUs());
    if (first == last)
        return;
    const QFontMetricsF fm(font());
    const double radius = std::max(2.5, fm.height() / 6);
    const double width = std::max(2.0, fm.height() / 8);
    p.setPen(Qt::NoPen);
    p.setBrush(colourOf(Tone::Pong));
    const auto &samples = series()->rttSamples();
    for (qsizetype i = first; i < last; ++i) {
        const RttSample &s = samples[size_t(i)];
        p.drawEllipse(QPointF(plot.xOf(s.atUs), plot.yOf(double(s.rttUs) / 1000.0)), radius, radius);
    }
    p.setBrush(Qt::NoBrush);
    const RttStats stats = statsInSight();
    const double meanY = plot.yOf(millis(stats.mean()));
    const double maxY = plot.yOf(millis(stats.max));
    p.setPen(QPen(colourOf(Tone::Neutral), width, Qt::DashLine));
    p.drawLine(QPointF(plot.rect.left(), meanY), QPointF(plot.rect.right(), meanY));
    p.setPen(QPen(colourOf(Tone::Error), width, Qt::DotLine));
    p.drawLine(QPointF(plot.rect.left(), maxY), QPointF(plot.rect.right(), maxY));
}

} // namespace wslab
