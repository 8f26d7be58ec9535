#include "core/stats/TrafficModel.h"

#include "core/log/EventLog.h"

namespace wslab {

TrafficModel::TrafficModel(QObject *parent)
    : QObject(parent)
{
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(kRefreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &TrafficModel::refresh);
}

TrafficModel::~TrafficModel() = default;

void TrafficModel::setEndpoints(const QList<TrafficEndpoint> &endpoints)
{
    std::vector<std::unique_ptr<TrafficSeries>> series;
    for (const TrafficEndpoint &endpoint : endpoints) {
        const auto known =
            std::find_if(m_endpoints.begin(), m_endpoints.end(), [&](const TrafficEndpoint &e) { return e.log == endpoint.log; });
        if (known != m_endpoints.end()) {
            series.push_back(std::move(m_series[size_t(known - m_endpoints.begin())]));
            continue;
        }
        series.push_back(std::make_unique<TrafficSeries>());
        series.back()->startAt(endpoint.log->firstSeq());
        connect(endpoint.log, &EventLog::appended, this, &TrafficModel::scheduleRefresh);
        connect(endpoint.log, &EventLog::evicted, this, &TrafficModel::scheduleRefresh);
        connect(endpoint.log, &QObject::destroyed, this, &TrafficModel::removeEndpointOf);
    }
    for (const TrafficEndpoint &old : std::as_const(m_endpoints)) {
        const bool kept = std::any_of(endpoints.begin(), endpoints.end(), [&](const TrafficEndpoint &e) { return e.log == old.log; });
        if (!kept)
            disconnect(old.log, nullptr, this, nullptr);
    }
    m_endpoints = endpoints;
    m_series = std::move(series);
    for (size_t i = 0; i < m_series.size(); ++i)
        m_series[i]->readFrom(*m_endpoints.at(qsizetype(i)).log);
    Q_EMIT endpointsChanged();
}

const TrafficSeries *TrafficModel::seriesOf(const EventLog *log) const
{
    for (qsizetype i = 0; i < m_endpoints.size(); ++i) {
        if (m_endpoints.at(i).log == log)
            return m_series[size_t(i)].get();
    }
    return nullptr;
}

void TrafficModel::scheduleRefresh()
{
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void TrafficModel::refresh()
{
    m_refreshTimer.stop();
    bool read = false;
    for (size_t i = 0; i < m_series.size(); ++i)
        read = m_series[i]->readFrom(*m_endpoints.at(qsizetype(i)).log) || read;
    if (read)
        Q_EMIT changed();
}

void TrafficModel::removeEndpointOf(const QObject *log)
{
    // Its log is half destroyed: nothing may read or disconnect it.
    for (qsizetype i = m_endpoints.size() - 1; i >= 0; --i) {
        if (static_cast<const QObject *>(m_endpoints.at(i).log) == log) {
            m_endpoints.removeAt(i);
            m_series.erase(m_series.begin() + i);
        }
    }
    Q_EMIT endpointsChanged();
}

} // namespace wslab
