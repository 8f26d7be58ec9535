#pragma once

#include "ui/style/LabColors.h"

#include <QColor>
#include <QList>
#include <QRectF>
#include <QString>
#include <QWidget>

#include <algorithm>

class QPainter;

namespace wslab {

class TrafficSeries;

// One live chart of an endpoint's TrafficSeries: time flowing left to right over a chosen span that ends
// now, a value axis from zero with its unit, a title with a legend, drawn with QPainter in the palette's
// colours and the application font (so presentation mode's size and contrast reach it). Subclasses say
// what the value axis holds and draw their marks inside the plot; only what falls in the span is drawn.
class TimeChart : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimeChart)
public:
    explicit TimeChart(QWidget *parent = nullptr);

    // What to draw; nullptr for nothing (no endpoint chosen).
    void setSeries(const TrafficSeries *series);
    const TrafficSeries *series() const { return m_series; }
    // The span shown, ending at endUs (monoUs, the logs' time).
    void setTimeRange(qint64 endUs, qint64 spanUs);
    qint64 endUs() const { return m_endUs; }
    qint64 spanUs() const { return m_spanUs; }
    qint64 startUs() const { return m_endUs - m_spanUs; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    struct LegendEntry
    {
        QString text;
        QColor colour;
        Qt::PenStyle style = Qt::SolidLine;
    };
    // Where marks go, and how a time and a value map into it.
    struct Plot
    {
        QRectF rect;
        qint64 startUs = 0;
        qint64 spanUs = 1;
        double maxValue = 1; // the top of the value axis, in the axis' unit
        double xOf(qint64 us) const { return rect.left() + rect.width() * double(us - startUs) / double(spanUs); }
        double yOf(double value) const { return rect.bottom() - rect.height() * std::min(value, maxValue) / maxValue; }
    };

    // The chart's name above the plot.
    virtual QString title() const = 0;
    // The value axis' unit ("msg/s", "KiB/s", "ms") for the largest value in sight.
    virtual QString unit() const = 0;
    // The largest value in sight, in the axis' unit; the axis rounds it up to a tick.
    virtual double largestValue() const = 0;
    virtual QList<LegendEntry> legend() const = 0;
    // Said in the plot when there is nothing in sight ("No pongs in sight …"); empty while there is.
    virtual QString emptyText() const = 0;
    virtual void paintPlot(QPainter &p, const Plot &plot) const = 0;

    void paintEvent(QPaintEvent *event) override;
    // The colour of a tone on this chart's palette.
    QColor colourOf(Tone tone) const { return toneColor(tone, palette()); }

private:
    void paintAxes(QPainter &p, const Plot &plot, double step) const;
    void paintLegend(QPainter &p, const QRectF &line) const;

    const TrafficSeries *m_series = nullptr;
    qint64 m_endUs = 0;
    qint64 m_spanUs = 60ll * 1000 * 1000;
};

// 1, 2 or 5 times a power of ten: the step between value ticks for about `wanted` ticks up to `max`.
double niceStep(double max, int wanted);

} // namespace wslab
