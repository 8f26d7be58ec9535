#pragma once

#include "core/stats/TrafficModel.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;

namespace wslab {

class RateChart;
class RetryChart;
class RttChart;
class TimeChart;

// The live charts of one endpoint at a time, chosen above them: messages and payload bytes per second
// in and out, round trips, and the reconnect timeline, over the last 30 s, minute or 5 minutes. One
// endpoint at a time keeps each chart large enough to read on a projector however many clients there
// are; the model follows every endpoint, so switching shows its history at once.
//
// It owns the model; whoever places it says which endpoints it follows (none while out of sight). The
// charts repaint at most every TrafficModel::kRefreshIntervalMs, when events arrive or time moves on.
class ChartsPanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartsPanel)
public:
    static constexpr int kTimeTickMs = 250; // how often time moves on in the charts while nothing arrives

    explicit ChartsPanel(QWidget *parent = nullptr);

    void setEndpoints(const QList<TrafficEndpoint> &endpoints);
    TrafficModel *model() const { return m_model; }
    // The endpoint whose charts are shown, -1 for none.
    int currentEndpoint() const;
    void setCurrentEndpoint(int index);
    void setSpanSeconds(int seconds);
    QList<TimeChart *> charts() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onEndpointsChanged();
    void scheduleRepaint();
    void updateCharts();

    TrafficModel *m_model;
    QComboBox *m_endpoint;
    QComboBox *m_span;
    QLabel *m_summary;
    RateChart *m_messages;
    RateChart *m_bytes;
    RttChart *m_rtt;
    RetryChart *m_retries;
    QTimer m_repaintTimer;
    QTimer m_timeTick;
};

} // namespace wslab
