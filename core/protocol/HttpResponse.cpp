#include "core/protocol/HttpResponse.h"

namespace wslab {

HttpResponseParse HttpResponseParse::parse(QByteArrayView received, const HttpLimits &limits)
{
    HttpResponseParse result;
    auto fail = [&result](const char *why) {
        result.status = Status::Error;
        result.errorText = why;
        return result;
    };

    HttpHeadLines head = HttpHeadLines::split(received, limits);
    if (head.hasStartLine) {
        // "HTTP/1.1 101 Switching Protocols": the reason phrase may be empty or hold spaces.
        const QByteArrayView line = head.startLine;
        const qsizetype sp1 = line.indexOf(' ');
        if (sp1 <= 0 || !line.startsWith("HTTP/"))
            return fail("malformed status line");
        const QByteArrayView rest = line.sliced(sp1 + 1);
        const qsizetype sp2 = rest.indexOf(' ');
        const QByteArrayView code = sp2 < 0 ? rest : rest.first(sp2);
        bool ok = false;
        const int status = code.toInt(&ok);
        if (code.size() != 3 || !ok || status < 100)
            return fail("malformed status code");
        result.response.version = line.first(sp1).toByteArray();
        result.response.statusCode = status;
        result.response.reasonPhrase = sp2 < 0 ? QByteArray() : rest.sliced(sp2 + 1).toByteArray();
    }
    // As far as they have arrived, like the start line: a caller may look before the head is complete.
    result.response.headers = std::move(head.headers);
    switch (head.status) {
    case HttpHeadLines::Status::Incomplete:
        return result;
    case HttpHeadLines::Status::Error:
        return fail(HttpHeadLines::faultText(head.fault, "status line too long"));
    case HttpHeadLines::Status::Complete:
        break;
    }
    result.status = Status::Complete;
    result.headBytes = head.headBytes;
    return result;
}

} // namespace wslab
