#include "core/discovery/Announcement.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace wslab {

namespace {

constexpr qsizetype kMaxModeLength = 16;
constexpr qsizetype kMaxVersionLength = 32;
constexpr std::chrono::milliseconds kMinInterval{100};
constexpr std::chrono::milliseconds kMaxInterval{10 * 60 * 1000};

QString typeName(Announcement::Type type)
{
    switch (type) {
    case Announcement::Type::Hello:
        return QStringLiteral("hello");
    case Announcement::Type::Bye:
        return QStringLiteral("bye");
    case Announcement::Type::Query:
        return QStringLiteral("query");
    }
    return {};
}

// Names and versions are shown in lists and printed on terminals: nothing that moves the cursor,
// rings, or reorders the text around it.
bool isPlainText(const QString &text)
{
    for (const QChar c : text) {
        if (!c.isPrint() && c != u' ')
            return false;
        if (c.category() == QChar::Other_Format)
            return false;
    }
    return true;
}

bool isServerUrl(const QUrl &url)
{
    return url.isValid() && (url.scheme() == u"ws" || url.scheme() == u"wss") && !url.host().isEmpty() && url.port() > 0 &&
           url.userInfo().isEmpty() && !url.hasFragment();
}

std::optional<Announcement> reject(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

} // namespace

QHostAddress discoveryGroup()
{
    return QHostAddress(QStringLiteral("239.255.87.83"));
}

QByteArray Announcement::toDatagram() const
{
    QJsonObject o{{QStringLiteral("wslab"), kBeaconVersion}, {QStringLiteral("type"), typeName(type)}};
    if (type != Type::Query)
        o.insert(QStringLiteral("url"), url.toString(QUrl::FullyEncoded));
    if (type == Type::Hello) {
        o.insert(QStringLiteral("name"), name);
        o.insert(QStringLiteral("mode"), mode);
        o.insert(QStringLiteral("version"), version);
        o.insert(QStringLiteral("interval_ms"), qint64(interval.count()));
        if (!pageUrl.isEmpty())
            o.insert(QStringLiteral("page"), pageUrl.toString(QUrl::FullyEncoded));
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Announcement Announcement::query()
{
    Announcement a;
    a.type = Type::Query;
    return a;
}

std::optional<Announcement> Announcement::fromDatagram(QByteArrayView datagram, QString *error)
{
    if (datagram.size() > kMaxBeaconBytes)
        return reject(error, QStringLiteral("datagram of %1 bytes is larger than a beacon").arg(datagram.size()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(datagram.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return reject(error, QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    if (!o.value(QStringLiteral("wslab")).isDouble())
        return reject(error, QStringLiteral("not a WsLab beacon"));
    if (o.value(QStringLiteral("wslab")).toDouble() != kBeaconVersion)
        return reject(error,
                      QStringLiteral("beacon version %1 is not %2").arg(o.value(QStringLiteral("wslab")).toDouble()).arg(kBeaconVersion));

    Announcement a;
    const QString type = o.value(QStringLiteral("type")).toString();
    if (type == typeName(Type::Query)) {
        a.type = Type::Query;
        return a;
    }
    if (type == typeName(Type::Hello))
        a.type = Type::Hello;
    else if (type == typeName(Type::Bye))
        a.type = Type::Bye;
    else
        return reject(error, QStringLiteral("unknown beacon type \"%1\"").arg(type.left(16)));

    a.url = QUrl(o.value(QStringLiteral("url")).toString(), QUrl::StrictMode);
    if (!isServerUrl(a.url))
        return reject(error, QStringLiteral("url is not ws:// or wss:// with a host and a port"));
    if (a.type == Type::Bye)
        return a;

    if (!o.value(QStringLiteral("name")).isString() || !o.value(QStringLiteral("mode")).isString() ||
        !o.value(QStringLiteral("version")).isString() || !o.value(QStringLiteral("interval_ms")).isDouble())
        return reject(error, QStringLiteral("a hello needs name, mode, version and interval_ms"));
    a.name = o.value(QStringLiteral("name")).toString();
    a.mode = o.value(QStringLiteral("mode")).toString();
    a.version = o.value(QStringLiteral("version")).toString();
    if (a.name.isEmpty() || a.name.size() > kMaxServerNameLength || !isPlainText(a.name))
        return reject(error, QStringLiteral("name must be 1 to %1 printable characters").arg(kMaxServerNameLength));
    if (a.mode.isEmpty() || a.mode.size() > kMaxModeLength || !isPlainText(a.mode))
        return reject(error, QStringLiteral("mode must be 1 to %1 printable characters").arg(kMaxModeLength));
    if (a.version.size() > kMaxVersionLength || !isPlainText(a.version))
        return reject(error, QStringLiteral("version must be at most %1 printable characters").arg(kMaxVersionLength));
    const double interval = o.value(QStringLiteral("interval_ms")).toDouble();
    if (!(interval >= double(kMinInterval.count()) && interval <= double(kMaxInterval.count())))
        return reject(error, QStringLiteral("interval_ms must be from %1 to %2").arg(kMinInterval.count()).arg(kMaxInterval.count()));
    a.interval = std::chrono::milliseconds(qint64(interval));
    if (o.contains(QStringLiteral("page"))) {
        a.pageUrl = QUrl(o.value(QStringLiteral("page")).toString(), QUrl::StrictMode);
        // The page is the same server's: a beacon must not send people to some other host.
        if (!a.pageUrl.isValid() || (a.pageUrl.scheme() != u"http" && a.pageUrl.scheme() != u"https") || a.pageUrl.host() != a.url.host() ||
            !a.pageUrl.userInfo().isEmpty())
            return reject(error, QStringLiteral("page must be an http:// or https:// URL on the server's host"));
    }
    return a;
}

} // namespace wslab
