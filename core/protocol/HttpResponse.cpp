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

    qsizetype pos = 0;
    bool firstLine = true;
    while (true) {
        const qsizetype eol = received.indexOf('\n', pos);
        if (eol < 0) {
            const qsizetype pending = received.size() - pos - (received.endsWith('\r') ? 1 : 0);
            if (pending > limits.maxLineBytes)
                return fail(firstLine ? "status line too long" : "header line too long");
            return result;
        }
        QByteArrayView line = received.sliced(pos, eol - pos);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.size() > limits.maxLineBytes)
            return fail(firstLine ? "status line too long" : "header line too long");
        pos = eol + 1;

        if (firstLine) {
            firstLine = false;
            // "HTTP/1.1 101 Switching Protocols": the reason phrase may be empty or hold spaces.
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
            continue;
        }
        if (line.isEmpty()) {
            result.status = Status::Complete;
            result.headBytes = int(pos);
            return result;
        }
        if (line.front() == ' ' || line.front() == '\t')
            return fail("obsolete header line folding");
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail("malformed header line");
        if (result.response.headers.size() >= limits.maxHeaders)
            return fail("too many header fields");
        const QByteArray name = line.first(colon).toByteArray();
        if (name.contains(' ') || name.contains('\t'))
            return fail("white space in a header name");
        result.response.headers.append({name, line.sliced(colon + 1).toByteArray().trimmed()});
    }
}

} // namespace wslab
