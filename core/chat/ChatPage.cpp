#include "core/chat/ChatPage.h"

#include <QCryptographicHash>
#include <QFile>

namespace wslab {

namespace {

constexpr QByteArrayView kSocketPathMarker = "@WS_PATH@";

QByteArray readResource(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("the chat page resource %s is missing from the build", qPrintable(path));
    return file.readAll();
}

QByteArray cspHash(const QByteArray &inlineText)
{
    return "'sha256-" + QCryptographicHash::hash(inlineText, QCryptographicHash::Sha256).toBase64() + '\'';
}

// The page with its style and script in place, and their hashes. Read once: the resources are compiled in.
struct Assets
{
    QByteArray page;
    QByteArray styleHash;
    QByteArray scriptHash;

    static const Assets &get()
    {
        static const Assets assets = [] {
            Assets a;
            const QByteArray style = readResource(QStringLiteral(":/chat/chat.css"));
            const QByteArray script = readResource(QStringLiteral(":/chat/chat.js"));
            a.page = readResource(QStringLiteral(":/chat/chat.html"));
            // The hash covers exactly the text between the tags, so it is taken from what is inserted.
            a.page.replace("/*@CSS@*/", style);
            a.page.replace("/*@JS@*/", script);
            a.styleHash = cspHash(style);
            a.scriptHash = cspHash(script);
            return a;
        }();
        return assets;
    }
};

} // namespace

bool ChatPage::isPlainHost(QByteArrayView host)
{
    if (host.isEmpty() || host.size() > 262)
        return false;
    for (char c : host) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
                           c == ':' || c == '[' || c == ']';
        if (!plain)
            return false;
    }
    return true;
}

QByteArray ChatPage::normalizedOrigin(QByteArrayView origin)
{
    const QByteArray lower = origin.toByteArray().toLower();
    QByteArray scheme;
    if (lower.startsWith("http://"))
        scheme = "http";
    else if (lower.startsWith("https://"))
        scheme = "https";
    else
        return {};
    QByteArray host = lower.mid(scheme.size() + 3);
    if (!isPlainHost(host))
        return {};
    const QByteArray defaultPort = scheme == "http" ? ":80" : ":443";
    if (host.endsWith(defaultPort))
        host.chop(defaultPort.size());
    return scheme + "://" + host;
}

QByteArray ChatPage::originOf(QByteArrayView host, bool tls)
{
    if (!isPlainHost(host))
        return {};
    return normalizedOrigin(QByteArray((tls ? "https://" : "http://") + host.toByteArray()));
}

QUrl ChatPage::pageUrl(const QString &host, quint16 port, bool tls)
{
    QUrl url;
    url.setScheme(tls ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(host);
    url.setPort(port);
    url.setPath(QStringLiteral("/"));
    return url;
}

ChatPage ChatPage::make(QByteArrayView host, bool tls, const QString &socketPath)
{
    const Assets &assets = Assets::get();
    ChatPage page;
    page.body = assets.page;
    const qsizetype marker = page.body.indexOf(kSocketPathMarker);
    if (marker >= 0)
        page.body.replace(marker, kSocketPathMarker.size(), socketPath.toHtmlEscaped().toUtf8());

    // The page only ever talks to the WebSocket at the address it came from. Naming that host exactly is
    // tighter than 'self', which also allows fetches. CSP's host grammar has no IPv6 literals, and a Host
    // that is not plain is not repeated: both fall back to 'self'.
    const bool named = isPlainHost(host) && !host.startsWith('[');
    const QByteArray connectSource = named ? QByteArray((tls ? "wss://" : "ws://") + host.toByteArray().toLower()) : QByteArray("'self'");
    const QByteArray policy = "default-src 'none'; script-src " + assets.scriptHash + "; style-src " + assets.styleHash + "; connect-src " +
                              connectSource + "; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    page.headers = {
        {"Content-Type", "text/html; charset=utf-8"},
        {"Content-Security-Policy", policy},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"Cache-Control", "no-store"},
        {"Content-Length", QByteArray::number(page.body.size())},
        {"Connection", "close"},
    };
    return page;
}

QByteArray ChatPage::httpResponse() const
{
    QByteArray out = "HTTP/1.1 200 OK\r\n";
    for (const auto &[key, value] : headers)
        out += key + ": " + value + "\r\n";
    return out + "\r\n" + body;
}

} // namespace wslab
