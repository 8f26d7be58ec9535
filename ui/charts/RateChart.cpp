#include "ui/charts/RateChart.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

namespace wslab {

namespace {

constexpr double kKiB = 1024.0;
constexpr double kMiB = 1024.0 * 1024.0;

} // namespace

RateChart::RateChart(Measure measure, QWidget *parent)
    : TimeChart(parent)
    , m_measure(measure)
{
    setObjectName(measure == Measure::Messages ? QStringLiteral("messagesChart") : QStringLiteral("bytesChart"));
    setAccessibleName(title());
}

qint64 RateChart::lastCompleteSecond() const
{
    return TrafficSeries::secondOf(endUs()) - 1;
}

qint64 RateChart::valueIn(const TrafficBucket &bucket) const
{
    return m_measure == Measure::Messages ? qint64(bucket.messagesIn) : bucket.bytesIn;
}

qint64 RateChart::valueOut(const TrafficBucket &bucket) const
{
    return m_measure == Measure::Messages ? qint64(bucket.messagesOut) : bucket.bytesOut;
}

QString RateChart::title() const
{
    const bool frames = series() && series()->countsFrames();
    if (m_measure == Measure::Bytes)
        return tr("Payload bytes per second");
    return frames ? tr("Frames per second") : tr("Messages per second");
}

QString RateChart::unit() const
{
    if (m_measure == Measure::Messages)
        return series() && series()->countsFrames() ? tr("frames/s") : tr("msg/s");
    const double d = divisor();
    return d == kMiB ? tr("MiB/s") : d == kKiB ? tr("KiB/s") : tr("B/s");
}

qint64 RateChart::largestRaw() const
{
    if (!series())
        return 0;
    qint64 largest = 0;
    for (qint64 s = TrafficSeries::secondOf(startUs()); s <= lastCompleteSecond(); ++s) {
        const TrafficBucket b = series()->bucketAt(s);
        largest = std::max({largest, valueIn(b), valueOut(b)});
    }
    return largest;
}

double RateChart::divisor() const
{
    if (m_measure == Measure::Messages)
        return 1;
    const qint64 largest = largestRaw();
    return largest >= 10 * kMiB ? kMiB : largest >= 10 * kKiB ? kKiB : 1;
}

double RateChart::largestValue() const
{
    return double(largestRaw()) / divisor();
}

QList<TimeChart::LegendEntry> RateChart::legend() const
{
    const bool frames = series() && series()->countsFrames();
    const TrafficBucket last = series() ? series()->bucketAt(lastCompleteSecond()) : TrafficBucket{};
    const double d = divisor();
    const QLocale locale;
    const QString perSecond = unit();
    auto amount = [&](qint64 v) -> QString { return locale.toString(double(v) / d, 'f', d == 1 ? 0 : 1) + u' ' + perSecond; };
    return {{(frames ? tr("to clients %1") : tr("in %1")).arg(amount(valueIn(last))), colourOf(Tone::Text), Qt::SolidLine},
            {(frames ? tr("to the server %1") : tr("out %1")).arg(amount(valueOut(last))), colourOf(Tone::Closing), Qt::DashLine}};
}

QString RateChart::emptyText() const
{
    if (!series())
        return tr("No endpoint chosen");
    return largestRaw() == 0 ? tr("No messages in sight") : QString();
}

void RateChart::paintPlot(QPainter &p, const Plot &plot) const
{
    if (!series())
        return;
    const double d = divisor();
    const double width = std::max(2.0, QFontMetricsF(font()).height() / 8);
    const qint64 first = TrafficSeries::secondOf(startUs());
    const qint64 last = lastCompleteSecond();
    // The dashed "out" over the solid "in": where both are equal (an echo), the dashes show both colours.
    for (bool in : {true, false}) {
        QPainterPath path;
        for (qint64 s = first; s <= last; ++s) {
            const TrafficBucket b = series()->bucketAt(s);
            const double y = plot.yOf(double(in ? valueIn(b) : valueOut(b)) / d);
            const QPointF from(std::max(plot.rect.left(), plot.xOf(s * TrafficSeries::kBucketUs)), y);
            if (s == first)
                path.moveTo(from);
            else
                path.lineTo(from);
            path.lineTo(plot.xOf((s + 1) * TrafficSeries::kBucketUs), y);
        }
        p.setPen(QPen(colourOf(in ? Tone::Text : Tone::Closing), width, in ? Qt::SolidLine : Qt::DashLine));
        p.drawPath(path);
    }
}

} // namespace wslab
