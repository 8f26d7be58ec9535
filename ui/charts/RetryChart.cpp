#include "ui/charts/RetryChart.h"

#include "core/stats/TrafficSeries.h"

#include <QPainter>

namespace wslab {

RetryChart::RetryChart(QWidget *parent)
    : TimeChart(parent)
{
    setObjectName(QStringLiteral("retryChart"));
    setAccessibleName(title());
}

QString RetryChart::title() const
{
    return tr("Reconnects: delay before each retry");
}

QString RetryChart::unit() const
{
    return inSeconds() ? tr("s") : tr("ms");
}

qint64 RetryChart::largestDelayMs() const
{
    if (!series())
        return 0;
    qint64 largest = 0;
    const auto [first, last] = series()->retriesBetween(startUs(), endUs());
    for (qsizetype i = first; i < last; ++i)
        largest = std::max(largest, series()->retries()[size_t(i)].delayMs);
    return largest;
}

double RetryChart::largestValue() const
{
    return double(largestDelayMs()) / (inSeconds() ? 1000.0 : 1.0);
}

QList<TimeChart::LegendEntry> RetryChart::legend() const
{
    return {{tr("wait before retry #n"), colourOf(Tone::Waiting), Qt::SolidLine}, {tr("open"), colourOf(Tone::Success), Qt::SolidLine}};
}

QString RetryChart::emptyText() const
{
    if (!series())
        return tr("No endpoint chosen");
    const auto [firstRetry, lastRetry] = series()->retriesBetween(startUs(), endUs());
    const auto [firstOpen, lastOpen] = series()->opensBetween(startUs(), endUs());
    if (firstRetry == lastRetry && firstOpen == lastOpen)
        return tr("No reconnects in sight: stop the server to watch a client back off and come back");
    return {};
}

void RetryChart::paintPlot(QPainter &p, const Plot &plot) const
{
    if (!series())
        return;
    const QFontMetricsF fm(font());
    const double lineWidth = std::max(2.0, fm.height() / 8);
    // Opens first: the block of the retry that led to one ends on its line, and stays readable over it.
    const auto [firstOpen, lastOpen] = series()->opensBetween(startUs(), endUs());
    p.setPen(QPen(colourOf(Tone::Success), lineWidth));
    for (qsizetype i = firstOpen; i < lastOpen; ++i) {
        const double x = plot.xOf(series()->opens()[size_t(i)]);
        p.drawLine(QPointF(x, plot.rect.top()), QPointF(x, plot.rect.bottom()));
    }

    const auto [first, last] = series()->retriesBetween(startUs(), endUs());
    const double leastWidth = std::max(3.0, fm.height() / 4);
    const double perUnit = inSeconds() ? 1000.0 : 1.0;
    QColor fill = colourOf(Tone::Waiting);
    fill.setAlphaF(0.45);
    p.setPen(QPen(colourOf(Tone::Waiting), 1.5));
    p.setBrush(fill);
    const auto blockOf = [&](const RetryRecord &r) {
        const double left = plot.xOf(r.atUs);
        const double right = std::max(left + leastWidth, plot.xOf(r.atUs + r.delayMs * 1000));
        const double top = plot.yOf(double(r.delayMs) / perUnit);
        return QRectF(QPointF(left, top), QPointF(right, plot.rect.bottom()));
    };
    for (qsizetype i = first; i < last; ++i)
        p.drawRect(blockOf(series()->retries()[size_t(i)]));
    p.setBrush(Qt::NoBrush);
    // Numbers after every block, so none is hidden under the next; one that would overlap the number
    // before it is left out (the blocks still show every delay).
    p.setPen(palette().color(QPalette::Text));
    double labelRight = plot.rect.left() - 1;
    for (qsizetype i = first; i < last; ++i) {
        const RetryRecord &r = series()->retries()[size_t(i)];
        const QRectF block = blockOf(r);
        const QString label = u'#' + QString::number(r.attempt);
        const double w = fm.horizontalAdvance(label);
        const double left = std::max(block.left(), block.center().x() - w / 2);
        if (left <= labelRight)
            continue;
        p.drawText(QRectF(left, block.top() - fm.height(), w + 1, fm.height()), Qt::AlignCenter, label);
        labelRight = left + w + fm.averageCharWidth() / 2;
    }
}

} // namespace wslab
