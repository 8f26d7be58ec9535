#include "core/discovery/Beacon.h"

#include "core/chat/ChatPage.h"

#include <QNetworkDatagram>
#include <QSysInfo>
#include <QUdpSocket>

namespace wslab {

namespace {

constexpr int kFastHellos = 5;
constexpr std::chrono::milliseconds kFastInterval{2000};
constexpr std::chrono::milliseconds kSlowestInterval{8000};
// A crowd of listeners starting together (a class opening WsLab) gets one hello, not one each.
constexpr std::chrono::milliseconds kMinQueryAnswerGap{500};

} // namespace

Beacon::Beacon(QObject *parent)
    : QObject(parent)
    , m_queries(new QUdpSocket(this))
{
    m_next.setSingleShot(true);
    connect(&m_next, &QTimer::timeout, this, &Beacon::onTimer);
    m_answer.setSingleShot(true);
    connect(&m_answer, &QTimer::timeout, this, &Beacon::sendHellos);
    connect(m_queries, &QUdpSocket::readyRead, this, &Beacon::onQuery);
}

Beacon::~Beacon()
{
    stop();
}

std::chrono::milliseconds Beacon::intervalAfter(int sent)
{
    if (sent < kFastHellos)
        return kFastInterval;
    const int doublings = std::min(sent - kFastHellos + 1, 8);
    return std::min(kFastInterval * (1 << doublings), kSlowestInterval);
}

QString Beacon::displayName(const QString &configured)
{
    const auto fit = [](const QString &text) {
        QString kept;
        for (const QChar c : text) {
            if (c.isPrint() && c.category() != QChar::Other_Format)
                kept += c;
        }
        return kept.simplified().left(kMaxServerNameLength).trimmed();
    };
    QString name = fit(configured);
    if (name.isEmpty())
        name = fit(QSysInfo::machineHostName());
    return name.isEmpty() ? QStringLiteral("WsLab") : name;
}

Announcement Beacon::helloFor(const Content &content, const QHostAddress &address, std::chrono::milliseconds interval)
{
    Announcement a;
    a.type = Announcement::Type::Hello;
    a.name = displayName(content.name);
    a.url.setScheme(content.tls ? QStringLiteral("wss") : QStringLiteral("ws"));
    a.url.setHost(address.toString());
    a.url.setPort(content.port);
    a.url.setPath(content.path.isEmpty() ? QStringLiteral("/") : content.path);
    a.mode = content.mode;
    a.version = QStringLiteral(WSLAB_VERSION);
    if (content.servesPage)
        a.pageUrl = ChatPage::pageUrl(address.toString(), content.port, content.tls);
    a.interval = interval;
    return a;
}

bool Beacon::start(const QHostAddress &boundTo, const Content &content)
{
    stop();
    m_channels = lanChannels(boundTo);
    if (m_channels.isEmpty()) {
        m_errorString = isLanAddress(boundTo)
                            ? QStringLiteral("no interface that is up can multicast or broadcast for %1").arg(boundTo.toString())
                            : QStringLiteral("%1 is reachable from this machine only").arg(boundTo.toString());
        return false;
    }
    m_boundTo = boundTo;
    m_content = content;
    m_sent = 0;
    m_running = true;
    m_errorString.clear();
    // Without the query port (another program holds it without sharing) the beacon still announces on
    // its own schedule; listeners then wait for the next hello instead of getting one at once.
    QString ignored;
    joinDiscoveryGroup(m_queries, &ignored);
    onTimer();
    return true;
}

void Beacon::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_next.stop();
    m_answer.stop();
    m_queries->close();
    sendToEveryChannel([this](const LanChannel &channel) {
        Announcement bye = helloFor(m_content, channel.address, {});
        bye.type = Announcement::Type::Bye;
        return bye.toDatagram();
    });
}

void Beacon::setContent(const Content &content)
{
    m_content = content;
    if (m_running)
        sendHellos();
}

QList<QUrl> Beacon::announcedUrls() const
{
    QList<QUrl> urls;
    for (const LanChannel &channel : m_channels)
        urls << helloFor(m_content, channel.address, {}).url;
    return urls;
}

void Beacon::onTimer()
{
    sendHellos();
    m_next.start(intervalAfter(m_sent));
    ++m_sent;
}

void Beacon::onQuery()
{
    bool asked = false;
    while (m_queries->hasPendingDatagrams()) {
        const QNetworkDatagram datagram = m_queries->receiveDatagram(kMaxBeaconBytes + 1);
        const auto a = Announcement::fromDatagram(datagram.data());
        asked = asked || (a && a->type == Announcement::Type::Query);
    }
    if (!asked || !m_running || m_answer.isActive())
        return;
    // A listener that asked just after a hello went out may have missed it (it was not listening
    // yet): it gets another, only a little later.
    const auto sinceLast = std::chrono::duration_cast<std::chrono::milliseconds>(m_clock() - m_lastHello);
    m_answer.start(std::max(kMinQueryAnswerGap - sinceLast, std::chrono::milliseconds(0)));
}

void Beacon::sendHellos()
{
    m_lastHello = m_clock();
    const std::chrono::milliseconds interval = intervalAfter(m_sent);
    sendToEveryChannel([this, interval](const LanChannel &channel) { return helloFor(m_content, channel.address, interval).toDatagram(); });
}

void Beacon::sendToEveryChannel(const std::function<QByteArray(const LanChannel &)> &datagramFor)
{
    // A channel that fails once (a Wi-Fi link going down) may work at the next hello: no channel is
    // dropped for it.
    for (const LanChannel &channel : std::as_const(m_channels))
        sendOnChannel(channel, datagramFor(channel));
}

} // namespace wslab
