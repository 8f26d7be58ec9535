#pragma once

#include <QByteArray>
#include <QByteArrayView>
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

// The walk a request head and a response head share: the bytes received so far cut into the start
// line and the header fields, under the limits. Each parser reads its own start line; the start line
// is judged before any later fault, so the first fault in the bytes is the one reported.
struct HttpHeadLines
{
    enum class Status { Incomplete, Complete, Error };
    enum class Fault { None, StartLineTooLong, HeaderLineTooLong, Folding, MalformedHeader, TooManyHeaders, WhiteSpaceInName };
    Status status = Status::Incomplete;
    Fault fault = Fault::None;
    bool hasStartLine = false;
    QByteArrayView startLine; // a view into the bytes given to split()
    HttpHeaderList headers;
    int headBytes = 0; // bytes of the head including the blank line, when Complete

    static HttpHeadLines split(QByteArrayView received, const HttpLimits &limits);
    // Why, in the words the log and a refusal's body use; the start line's own words come from the caller
    // ("request line too long", "status line too long").
    static const char *faultText(Fault fault, const char *startLineTooLong);
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
