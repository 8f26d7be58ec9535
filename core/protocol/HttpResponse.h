#pragma once

#include "core/protocol/HttpRequest.h"

#include <QByteArray>
#include <QList>
#include <QPair>

namespace wslab {

// The head of an HTTP/1.1 response: status line and header fields, as sent.
struct HttpResponse
{
    QByteArray version;
    int statusCode = 0;
    QByteArray reasonPhrase;
    HttpHeaderList headers;

    QByteArray header(QByteArrayView name) const { return headerValue(headers, name); }
    bool hasHeader(QByteArrayView name) const { return hasHeaderField(headers, name); }
    bool headerHasToken(QByteArrayView name, QByteArrayView token) const { return headerListsToken(headers, name, token); }
    // Every value of a header that may be repeated (Sec-WebSocket-Extensions), joined with ", ".
    QByteArray joinedHeader(QByteArrayView name) const { return joinedHeaderValues(headers, name); }
};

// Parses a response head from the bytes received so far, with the same limits and outcomes as
// HttpRequestParse (the error status is only a category here: nothing is sent back).
struct HttpResponseParse
{
    enum class Status { Incomplete, Complete, Error };
    Status status = Status::Incomplete;
    HttpResponse response;
    int headBytes = 0;
    QByteArray errorText;

    static HttpResponseParse parse(QByteArrayView received, const HttpLimits &limits = {});
};

} // namespace wslab
