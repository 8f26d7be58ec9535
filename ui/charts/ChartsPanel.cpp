#include "ui/charts/ChartsPanel.h"

#include "ui/charts/RateChart.h"
#include "ui/charts/RetryChart.h"
#include "ui/charts/RttChart.h"

#include "core/log/EventLog.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace wslab {

ChartsPanel::ChartsPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new TrafficModel(this))
    , m_endpoint(new QComboBox(this))
    , m_span(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_messages(new RateChart(RateChart::Measure::Messages, this))
    , m_bytes(new RateChart(RateChart::Measure::Bytes, this))
    , m_rtt(new RttChart(this))
    , m_retries(new RetryChart(this))
{
    setObjectName(QStringLiteral("chartsPanel"));
    m_endpoint->setObjectName(QStringLiteral("chartsEndpoint"));
    m_endpoint->setToolTip(tr("Whose traffic the charts show"));
    m_endpoint->setAccessibleName(tr("Endpoint"));
    m_endpoint->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_span->setObjectName(QStringLiteral("chartsSpan"));
    m_span->setToolTip(tr("How much time the charts show, ending now"));
    m_span->setAccessibleName(tr("Span"));
    m_span->addItem(tr("30 s"), 30);
    m_span->addItem(tr("1 min"), 60);
    m_span->addItem(tr("5 min"), int(TrafficSeries::kWindowSeconds));
    m_span->setCurrentIndex(1);
    m_summary->setObjectName(QStringLiteral("chartsSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *endpointLabel = new QLabel(tr("&Endpoint"), this);
    endpointLabel->setBuddy(m_endpoint);
    auto *spanLabel = new QLabel(tr("&Span"), this);
    spanLabel->setBuddy(m_span);
    auto *bar = new QHBoxLayout;
    bar->addWidget(endpointLabel);
    bar->addWidget(m_endpoint);
    bar->addSpacing(12);
    bar->addWidget(spanLabel);
    bar->addWidget(m_span);
    bar->addSpacing(12);
    bar->addWidget(m_summary, 1);

    auto *grid = new QGridLayout;
    grid->setSpacing(2);
    grid->addWidget(m_messages, 0, 0);
    grid->addWidget(m_bytes, 0, 1);
    grid->addWidget(m_rtt, 1, 0);
    grid->addWidget(m_retries, 1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addLayout(grid, 1);

    m_repaintTimer.setSingleShot(true);
    m_repaintTimer.setInterval(TrafficModel::kRefreshIntervalMs);
    connect(&m_repaintTimer, &QTimer::timeout, this, &ChartsPanel::updateCharts);
    m_timeTick.setInterval(kTimeTickMs);
    connect(&m_timeTick, &QTimer::timeout, this, &ChartsPanel::scheduleRepaint);
    connect(m_model, &TrafficModel::changed, this, &ChartsPanel::scheduleRepaint);
    connect(m_model, &TrafficModel::endpointsChanged, this, &ChartsPanel::onEndpointsChanged);
    connect(m_endpoint, &QComboBox::currentIndexChanged, this, &ChartsPanel::updateCharts);
    connect(m_span, &QComboBox::currentIndexChanged, this, &ChartsPanel::updateCharts);
    updateCharts();
}

void ChartsPanel::setEndpoints(const QList<TrafficEndpoint> &endpoints)
{
    if (endpoints != m_model->endpoints())
        m_model->setEndpoints(endpoints);
}

int ChartsPanel::currentEndpoint() const
{
    return m_endpoint->currentIndex();
}

void ChartsPanel::setCurrentEndpoint(int index)
{
    m_endpoint->setCurrentIndex(index);
}

void ChartsPanel::setSpanSeconds(int seconds)
{
    const int index = m_span->findData(seconds);
    if (index >= 0)
        m_span->setCurrentIndex(index);
}

QList<TimeChart *> ChartsPanel::charts() const
{
    return {m_messages, m_bytes, m_rtt, m_retries};
}

void ChartsPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_timeTick.start();
    updateCharts();
}

void ChartsPanel::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timeTick.stop();
    m_repaintTimer.stop();
}

void ChartsPanel::onEndpointsChanged()
{
    // The same endpoint stays chosen while others come and go; by its log, since names can repeat.
    const quintptr chosen = m_endpoint->currentData().value<quintptr>();
    const QSignalBlocker blocker(m_endpoint);
    m_endpoint->clear();
    int keep = m_model->endpoints().isEmpty() ? -1 : 0;
    for (qsizetype i = 0; i < m_model->endpoints().size(); ++i) {
        const TrafficEndpoint &endpoint = m_model->endpoints().at(i);
        const auto log = reinterpret_cast<quintptr>(endpoint.log);
        m_endpoint->addItem(endpoint.name, QVariant::fromValue(log));
        if (log == chosen)
            keep = int(i);
    }
    m_endpoint->setCurrentIndex(keep);
    updateCharts();
}

void ChartsPanel::scheduleRepaint()
{
    if (isVisible() && !m_repaintTimer.isActive())
        m_repaintTimer.start();
}

void ChartsPanel::updateCharts()
{
    m_repaintTimer.stop();
    const int index = m_endpoint->currentIndex();
    const TrafficSeries *series = index >= 0 && index < m_model->endpoints().size() ? &m_model->series(index) : nullptr;
    const qint64 nowUs = monotonicMicros();
    const qint64 spanUs = qint64(m_span->currentData().toInt()) * TrafficSeries::kBucketUs;
    for (TimeChart *chart : charts()) {
        chart->setSeries(series);
        chart->setTimeRange(nowUs, spanUs);
        chart->update();
    }
    if (!series) {
        m_summary->clear();
        return;
    }
    const QLocale locale;
    const TrafficCounters &totals = series->totals();
    QString text = (series->countsFrames() ? tr("%1 frames in · %2 out · %3 retries") : tr("%1 messages in · %2 out · %3 retries"))
                       .arg(locale.toString(totals.messagesIn), locale.toString(totals.messagesOut), locale.toString(totals.reconnects));
    if (series->missedCount() > 0)
        text += tr(" · %1 events dropped by the log before the charts read them").arg(locale.toString(series->missedCount()));
    m_summary->setText(text);
}

} // namespace wslab
