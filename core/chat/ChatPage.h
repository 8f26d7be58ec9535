#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace wslab {

// The page a browser gets from a chat-mode server at the server's own address: one HTML document with
// its style and script inline, read from Qt resources (resources/chat/), and headers whose
// Content-Security-Policy allows exactly that style and script (by their SHA-256, computed when the
// resources are first read) and WebSockets to the host the page came from; nothing else loads.
struct ChatPage
{
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers; // in the order they are sent, Content-Length included

    // host: the request's Host header, which the page connects back to; tls: the page came over https;
    // socketPath: the path the page opens its WebSocket at.
    static ChatPage make(QByteArrayView host, bool tls, const QString &socketPath);
    // Where a browser finds the page of a server listening on host:port: http(s)://host:port/, the
    // address the Share field's QR code and the LAN beacon give out.
    static QUrl pageUrl(const QString &host, quint16 port, bool tls);
    // The whole HTTP/1.1 200 answer: status line, headers, body.
    QByteArray httpResponse() const;

    // Whether a Host header value is a plain host[:port] (or [IPv6][:port]) that is safe to repeat in
    // a header; anything else is not trusted for the policy or the Origin default.
    static bool isPlainHost(QByteArrayView host);
    // The origin a page served under `host` has, as a browser sends it in Origin: lower-case scheme and
    // host, the port only when it is not the scheme's default. Empty when the host is not plain.
    static QByteArray originOf(QByteArrayView host, bool tls);
    // An Origin header value in the same normal form (empty when it is not scheme://plain-host).
    static QByteArray normalizedOrigin(QByteArrayView origin);
};

} // namespace wslab
