#pragma once

#include "ui/charts/TimeChart.h"

#include "core/stats/TrafficCounters.h"

namespace wslab {

// Every measured round trip in sight as a point (a pong answering one of the endpoint's pings), with
// their mean and max as lines across the plot.
class RttChart : public TimeChart
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RttChart)
public:
    explicit RttChart(QWidget *parent = nullptr);

    // The round trips in sight.
    RttStats statsInSight() const;

protected:
    QString title() const override;
    QString unit() const override;
    double largestValue() const override;
    QList<LegendEntry> legend() const override;
    QString emptyText() const override;
    void paintPlot(QPainter &p, const Plot &plot) const override;
};

} // namespace wslab
