#pragma once

#include "core/stats/TrafficSeries.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <vector>

namespace wslab {

class EventLog;

// An endpoint the charts follow: its name in the window and the log it writes.
struct TrafficEndpoint
{
    QString name;
    const EventLog *log = nullptr;
    bool operator==(const TrafficEndpoint &) const = default;
};

// One TrafficSeries per endpoint, kept up to date as their logs grow: an append schedules one read of
// every log at most kRefreshIntervalMs later, so a flood of events costs one read (and one repaint of
// the charts) per tick, whatever the rate.
class TrafficModel : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrafficModel)
public:
    static constexpr int kRefreshIntervalMs = 33;

    explicit TrafficModel(QObject *parent = nullptr);
    ~TrafficModel() override;

    // An endpoint already followed keeps its series; a new one starts with what its log holds now. A log
    // must outlive its place here (or be destroyed, which removes its endpoint). No endpoints, no reading.
    void setEndpoints(const QList<TrafficEndpoint> &endpoints);
    const QList<TrafficEndpoint> &endpoints() const { return m_endpoints; }
    const TrafficSeries &series(qsizetype index) const { return *m_series[size_t(index)]; }
    // The series of an endpoint's log; nullptr when it is not followed.
    const TrafficSeries *seriesOf(const EventLog *log) const;

    // Reads what the logs appended since the last refresh now instead of at the next tick.
    void refresh();

Q_SIGNALS:
    // New events were read.
    void changed();
    // setEndpoints, or an endpoint's log was destroyed.
    void endpointsChanged();

private:
    void scheduleRefresh();
    void removeEndpointOf(const QObject *log);

    QList<TrafficEndpoint> m_endpoints;
    std::vector<std::unique_ptr<TrafficSeries>> m_series; // by endpoint
    QTimer m_refreshTimer;
};

} // namespace wslab
