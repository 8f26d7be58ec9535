#pragma once

#include "ui/charts/TimeChart.h"

namespace wslab {

// The reconnect timeline: one block per retry scheduled, from when it was scheduled to when it is due,
// as tall as that delay (so full jitter shows as blocks of random size under a cap that doubles),
// numbered by attempt; and a line at each open, where a retry (or the first connect) succeeded.
class RetryChart : public TimeChart
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RetryChart)
public:
    explicit RetryChart(QWidget *parent = nullptr);

protected:
    QString title() const override;
    QString unit() const override;
    double largestValue() const override;
    QList<LegendEntry> legend() const override;
    QString emptyText() const override;
    void paintPlot(QPainter &p, const Plot &plot) const override;

private:
    qint64 largestDelayMs() const;
    // Delays are shown in ms up to a few seconds, in s beyond.
    bool inSeconds() const { return largestDelayMs() >= 2000; }
};

} // namespace wslab
