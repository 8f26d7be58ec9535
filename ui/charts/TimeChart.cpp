#include "ui/charts/TimeChart.h"

#include "ui/style/TextScale.h"

#include <QLocale>
#include <QPainter>

#include <array>
#include <cmath>

namespace wslab {

namespace {

constexpr qint64 kSecondUs = 1000 * 1000;
constexpr int kMostValueTicks = 4;
constexpr int kMostTimeTicks = 6;

// Seconds between time ticks, anchored at now so a tick keeps its label while time flows.
qint64 timeStepSeconds(qint64 spanUs)
{
    static constexpr std::array<qint64, 9> steps{1, 2, 5, 10, 15, 30, 60, 120, 300};
    for (qint64 step : steps) {
        if (spanUs / (step * kSecondUs) <= kMostTimeTicks)
            return step;
    }
    return steps.back();
}

QString timeLabel(qint64 secondsAgo)
{
    if (secondsAgo == 0)
        return TimeChart::tr("now");
    if (secondsAgo % 60 == 0)
        return TimeChart::tr("−%1 min").arg(secondsAgo / 60);
    return TimeChart::tr("−%1 s").arg(secondsAgo);
}

QString valueLabel(double value, double step)
{
    const int decimals = step >= 1 ? 0 : int(std::ceil(-std::log10(step)));
    return QLocale().toString(value, 'f', decimals);
}

} // namespace

double niceStep(double max, int wanted)
{
    if (!(max > 0) || wanted < 1)
        return 1;
    const double raw = max / wanted;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double factor : {1.0, 2.0, 5.0}) {
        if (factor * power >= raw)
            return factor * power;
    }
    return 10 * power;
}

TimeChart::TimeChart(QWidget *parent)
    : QWidget(parent)
{
    setBackgroundRole(QPalette::Base);
    setAttribute(Qt::WA_OpaquePaintEvent);
    // Title, legend and axes are in the application font, which carries the text scale.
    TextScale::follow(this, [this] {
        updateGeometry();
        update();
    });
}

void TimeChart::setSeries(const TrafficSeries *series)
{
    m_series = series;
}

void TimeChart::setTimeRange(qint64 endUs, qint64 spanUs)
{
    m_endUs = endUs;
    m_spanUs = std::max<qint64>(kSecondUs, spanUs);
}

QSize TimeChart::sizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.averageCharWidth() * 60, fm.height() * 12};
}

QSize TimeChart::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.averageCharWidth() * 24, fm.height() * 6};
}

void TimeChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    p.setFont(font());
    const QFontMetricsF fm(font());
    const double margin = std::round(fm.height() / 2);

    const QRectF titleLine(margin, margin / 2, width() - 2 * margin, fm.height());
    paintLegend(p, titleLine);

    const double top = titleLine.bottom() + fm.height() + margin / 2; // a line for the unit above the value axis
    const double bottom = height() - margin / 2 - fm.height();
    // As many value ticks as there is room for without their labels touching (a short chart at a large text size).
    const int wantedTicks = std::clamp(int((bottom - top) / (fm.height() * 1.5)), 1, kMostValueTicks);
    const double largest = std::max(0.0, largestValue());
    const double step = niceStep(largest, wantedTicks);
    Plot plot;
    plot.startUs = startUs();
    plot.spanUs = m_spanUs;
    plot.maxValue = std::max(step, std::ceil(largest / step - 1e-9) * step);
    double labelWidth = fm.horizontalAdvance(unit());
    for (double v = 0; v <= plot.maxValue + step / 2; v += step)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(valueLabel(v, step)));
    plot.rect = QRectF(QPointF(margin + labelWidth + margin / 2, top), QPointF(width() - margin - fm.averageCharWidth() * 2, bottom));
    if (plot.rect.width() < 8 || plot.rect.height() < 8)
        return; // too small to say anything: the title is all there is room for

    paintAxes(p, plot, step);
    p.save();
    p.setClipRect(plot.rect.adjusted(-1, -fm.height(), 1, 1));
    p.setRenderHint(QPainter::Antialiasing);
    paintPlot(p, plot);
    p.restore();
    const QString empty = emptyText();
    if (!empty.isEmpty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(plot.rect.adjusted(margin, margin, -margin, -margin), Qt::AlignCenter | Qt::TextWordWrap, empty);
    }
}

void TimeChart::paintAxes(QPainter &p, const Plot &plot, double step) const
{
    const QFontMetricsF fm(font());
    const QColor text = palette().color(QPalette::Text);
    QColor grid = palette().color(QPalette::Mid);
    grid.setAlphaF(0.5);

    // Value axis: the unit on top, a tick per step from zero.
    p.setPen(text);
    p.drawText(QRectF(0, plot.rect.top() - fm.height() - fm.height() / 4, plot.rect.left() - fm.height() / 4, fm.height()),
               Qt::AlignRight | Qt::AlignBottom, unit());
    for (double v = 0; v <= plot.maxValue + step / 2; v += step) {
        const double y = std::round(plot.yOf(v)) + 0.5;
        p.setPen(grid);
        p.drawLine(QPointF(plot.rect.left(), y), QPointF(plot.rect.right(), y));
        p.setPen(text);
        p.drawText(QRectF(0, y - fm.height() / 2, plot.rect.left() - fm.height() / 4, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   valueLabel(v, step));
    }
    // Time axis: ticks counted back from now.
    const qint64 stepSeconds = timeStepSeconds(plot.spanUs);
    for (qint64 ago = 0; ago * kSecondUs <= plot.spanUs; ago += stepSeconds) {
        const double x = std::round(plot.xOf(m_endUs - ago * kSecondUs)) + 0.5;
        p.setPen(grid);
        p.drawLine(QPointF(x, plot.rect.top()), QPointF(x, plot.rect.bottom()));
        p.setPen(text);
        const QString label = timeLabel(ago);
        const double w = fm.horizontalAdvance(label);
        const double left = std::clamp(x - w / 2, 0.0, double(width()) - w);
        p.drawText(QRectF(left, plot.rect.bottom() + 1, w + 1, fm.height()), Qt::AlignCenter, label);
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(plot.rect.bottomLeft(), plot.rect.bottomRight());
    p.drawLine(plot.rect.bottomLeft(), plot.rect.topLeft());
}

void TimeChart::paintLegend(QPainter &p, const QRectF &line) const
{
    const QFontMetricsF fm(font());
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(palette().color(QPalette::WindowText));
    const QString name = title();
    p.drawText(line, Qt::AlignLeft | Qt::AlignVCenter, name);
    double x = line.left() + QFontMetricsF(bold).horizontalAdvance(name) + fm.height();
    p.setFont(font());
    const double sample = fm.height() * 1.2;
    for (const LegendEntry &entry : legend()) {
        const double w = sample + fm.height() / 4 + fm.horizontalAdvance(entry.text);
        if (x + w > line.right())
            break; // what does not fit is left out whole
        QPen pen(entry.colour, std::max(2.0, fm.height() / 8), entry.style);
        p.setPen(pen);
        const double y = line.center().y();
        p.drawLine(QPointF(x, y), QPointF(x + sample, y));
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRectF(x + sample + fm.height() / 4, line.top(), w, line.height()), Qt::AlignLeft | Qt::AlignVCenter, entry.text);
        x += w + fm.height();
    }
}

} // namespace wslab
