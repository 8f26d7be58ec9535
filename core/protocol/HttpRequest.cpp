#include "core/protocol/HttpRequest.h"

namespace wslab {

QByteArray headerValue(const HttpHeaderList &headers, QByteArrayView name)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

bool hasHeaderField(const HttpHeaderList &headers, QByteArrayView name)
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool headerListsToken(const HttpHeaderList &headers, QByteArrayView name, QByteArrayView token)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        for (const QByteArray &part : value.split(',')) {
            if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
                return true;
        }
    }
    return false;
}

QByteArray joinedHeaderValues(const HttpHeaderList &headers, QByteArrayView name)
{
    QByteArray out;
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (!out.isEmpty())
            out += ", ";
        out += value;
    }
    return out;
}

QByteArray HttpRequest::path() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? target : target.left(q);
}

QByteArray HttpRequest::query() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? QByteArray() : target.mid(q + 1);
}

bool HttpRequest::isWebSocketUpgrade() const
{
    return headerHasToken("Upgrade", "websocket") && headerHasToken("Connection", "upgrade");
}

HttpHeadLines HttpHeadLines::split(QByteArrayView received, const HttpLimits &limits)
{
    HttpHeadLines result;
    auto fail = [&result](Fault fault) {
        result.status = Status::Error;
        result.fault = fault;
        return result;
    };

    qsizetype pos = 0;
    while (true) {
        const qsizetype eol = received.indexOf('\n', pos);
        if (eol < 0) {
            // A line still being received may already be over the limit: refuse it without waiting. A CR
            // at the end does not count: it may end a line of exactly the limit whose LF is on its way.
            const qsizetype pending = received.size() - pos - (received.endsWith('\r') ? 1 : 0);
            if (pending > limits.maxLineBytes)
                return fail(result.hasStartLine ? Fault::HeaderLineTooLong : Fault::StartLineTooLong);
            return result;
        }
        QByteArrayView line = received.sliced(pos, eol - pos);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.size() > limits.maxLineBytes)
            return fail(result.hasStartLine ? Fault::HeaderLineTooLong : Fault::StartLineTooLong);
        pos = eol + 1;

        if (!result.hasStartLine) {
            result.hasStartLine = true;
            result.startLine = line;
            continue;
        }
        if (line.isEmpty()) {
            result.status = Status::Complete;
            result.headBytes = int(pos);
            return result;
        }
        if (line.front() == ' ' || line.front() == '\t')
            return fail(Fault::Folding);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(Fault::MalformedHeader);
        if (result.headers.size() >= limits.maxHeaders)
            return fail(Fault::TooManyHeaders);
        const QByteArray name = line.first(colon).toByteArray();
        if (name.contains(' ') || name.contains('\t'))
            return fail(Fault::WhiteSpaceInName);
        result.headers.append({name, line.sliced(colon + 1).toByteArray().trimmed()});
    }
}

const char *HttpHeadLines::faultText(Fault fault, const char *startLineTooLong)
{
    switch (fault) {
    case Fault::None:
        break;
    case Fault::StartLineTooLong:
        return startLineTooLong;
    case Fault::HeaderLineTooLong:
        return "header line too long";
    case Fault::Folding:
        return "obsolete header line folding";
    case Fault::MalformedHeader:
        return "malformed header line";
    case Fault::TooManyHeaders:
        return "too many header fields";
    case Fault::WhiteSpaceInName:
        return "white space in a header name";
    }
    return "";
}

HttpRequestParse HttpRequestParse::parse(QByteArrayView received, const HttpLimits &limits)
{
    HttpRequestParse result;
    auto fail = [&result](int status, const char *why) {
        result.status = Status::Error;
        result.errorStatus = status;
        result.errorText = why;
        return result;
    };

    HttpHeadLines head = HttpHeadLines::split(received, limits);
    if (head.hasStartLine) {
        const QList<QByteArray> parts = head.startLine.toByteArray().split(' ');
        if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/"))
            return fail(400, "malformed request line");
        result.request.method = parts[0];
        result.request.target = parts[1];
        result.request.version = parts[2];
    }
    // As far as they have arrived, like the start line: a caller may look before the head is complete.
    result.request.headers = std::move(head.headers);
    switch (head.status) {
    case HttpHeadLines::Status::Incomplete:
        return result;
    case HttpHeadLines::Status::Error: {
        using Fault = HttpHeadLines::Fault;
        const bool tooLarge = head.fault == Fault::HeaderLineTooLong || head.fault == Fault::TooManyHeaders;
        const int status = head.fault == Fault::StartLineTooLong ? 414 : tooLarge ? 431 : 400;
        return fail(status, HttpHeadLines::faultText(head.fault, "request line too long"));
    }
    case HttpHeadLines::Status::Complete:
        break;
    }
    result.status = Status::Complete;
    result.headBytes = head.headBytes;
    return result;
}

QByteArray httpReasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 414:
        return "URI Too Long";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

QByteArray httpRefusal(int status, QByteArrayView body, const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
    out += "Content-Type: text/plain; charset=utf-8\r\n";
    out += "Content-Length: " + QByteArray::number(body.size() + 1) + "\r\n";
    out += "Connection: close\r\n";
    for (const auto &[name, value] : extraHeaders)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    out += body;
    out += '\n';
    return out;
}

} // namespace wslab
