#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace wslab {

// Limits on an HTTP request head, checked before any of it is trusted.
struct HttpLimits
{
    int maxLineBytes = 8 * 1024;
    int maxHeaders = 100;
};

// Header fields as sent, in order; names compared case-insensitively. Requests and responses
// look them up the same way, through these.
using HttpHeaderList = QList<QPair<QByteArray, QByteArray>>;
// First value of a header; empty when absent.
QByteArray headerValue(const HttpHeaderList &headers, QByteArrayView name);
bool hasHeaderField(const HttpHeaderList &headers, QByteArrayView name);
// Whether a comma-separated header (Connection, Upgrade) lists a token, case-insensitively.
bool headerListsToken(const HttpHeaderList &headers, QByteArrayView name, QByteArrayView token);
// Every value of a header that may be repeated, joined with ", " (RFC 9110 §5.3).
QByteArray joinedHeaderValues(const HttpHeaderList &headers, QByteArrayView name);

// The head of an HTTP/1.1 request: request line and header fields, as sent.
struct HttpRequest
{
    QByteArray method;
    QByteArray target; // path and query, e.g. "/chat?token=x"
    QByteArray version;
    HttpHeaderList headers;

    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
    bool hasHeader(QByteArrayView name) const { return hasHeaderField(headers, name); }
    bool headerHasToken(QByteArrayView name, QByteArrayView token) const { return headerListsToken(headers, name, token); }
    QByteArray path() const;
    QByteArray query() const;
    bool isWebSocketUpgrade() const;
};

// Parses a request head from the bytes received so far. Incomplete means "wait for more";
// an error carries the HTTP status the peer should get (400, 414, 431).
struct HttpRequestParse
{
    enum class Status { Incomplete, Complete, Error };
    Status status = Status::Incomplete;
    HttpRequest request;
    int headBytes = 0; // bytes of the head including the blank line, when Complete
    int errorStatus = 0; // 400, 414 or 431 when Error
    QByteArray errorText; // why, for the log and the response body

    static HttpRequestParse parse(QByteArrayView received, const HttpLimits &limits = {});
};

// The reason phrase of an HTTP status code ("Service Unavailable").
QByteArray httpReasonPhrase(int status);

// A complete refusal: status line, a short text body, Connection: close.
QByteArray httpRefusal(int status, QByteArrayView body, const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});

} // namespace wslab
