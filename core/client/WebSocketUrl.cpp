#include "core/client/WebSocketUrl.h"

namespace wslab {

QUrl webSocketUrlFromUserInput(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    error->clear();
    if (text.isEmpty()) {
        *error = QStringLiteral("no URL given: expected ws://host[:port]/path or wss://...");
        return {};
    }
    // Without "://", QUrl would read "localhost:8080" as scheme "localhost": a bare address means ws.
    QUrl url(text.contains(QStringLiteral("://")) ? text : QStringLiteral("ws://") + text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (scheme == u"http")
        url.setScheme(QStringLiteral("ws"));
    else if (scheme == u"https")
        url.setScheme(QStringLiteral("wss"));
    else if (scheme == u"ws" || scheme == u"wss")
        url.setScheme(scheme);
    else if (url.isValid()) {
        *error = QStringLiteral("unsupported scheme \"%1\": use ws:// or wss:// (http:// and https:// are taken as ws:// and wss://)")
                     .arg(url.scheme());
        return {};
    }
    if (!url.isValid() || url.host().isEmpty()) {
        *error = QStringLiteral("invalid URL \"%1\": expected ws://host[:port]/path or wss://...").arg(text);
        return {};
    }
    // A WebSocket URL has no fragment (RFC 6455 §3); dropping it beats a refusal the user cannot see.
    url.setFragment(QString());
    return url;
}

} // namespace wslab
