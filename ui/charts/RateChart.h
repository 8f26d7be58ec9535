#pragma once

#include "ui/charts/TimeChart.h"

#include "core/stats/TrafficSeries.h"

namespace wslab {

// Messages or payload bytes per second, in and out, one step per second of the series' buckets. Only
// complete seconds are drawn: the second under way would always look like a drop.
class RateChart : public TimeChart
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RateChart)
public:
    enum class Measure { Messages, Bytes };

    explicit RateChart(Measure measure, QWidget *parent = nullptr);
    Measure measure() const { return m_measure; }

    // The newest complete second in sight, and its values in the chart's measure.
    qint64 lastCompleteSecond() const;
    qint64 valueIn(const TrafficBucket &bucket) const;
    qint64 valueOut(const TrafficBucket &bucket) const;

protected:
    QString title() const override;
    QString unit() const override;
    double largestValue() const override;
    QList<LegendEntry> legend() const override;
    QString emptyText() const override;
    void paintPlot(QPainter &p, const Plot &plot) const override;

private:
    qint64 largestRaw() const;
    // Bytes are shown in B, KiB or MiB per second, whichever keeps the largest value readable.
    double divisor() const;

    Measure m_measure;
};

} // namespace wslab
