#pragma once

// Beacon datagrams as a server sends them, for tests that hand them to a Discovery directly.

#include "core/discovery/Announcement.h"

namespace wslab::test {

inline QByteArray helloDatagram(const QString &url = QStringLiteral("ws://10.0.0.1:8080/"), const QString &name = QStringLiteral("Lab"),
                                const QString &mode = QStringLiteral("chat"), qint64 intervalMs = 2000)
{
    Announcement a;
    a.url = QUrl(url);
    a.name = name;
    a.mode = mode;
    a.version = QStringLiteral("0.1.0");
    a.interval = std::chrono::milliseconds(intervalMs);
    return a.toDatagram();
}

inline QByteArray byeDatagram(const QString &url = QStringLiteral("ws://10.0.0.1:8080/"))
{
    Announcement a;
    a.type = Announcement::Type::Bye;
    a.url = QUrl(url);
    return a.toDatagram();
}

} // namespace wslab::test
