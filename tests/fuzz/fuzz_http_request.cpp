// libFuzzer target for the Gate's HTTP request parser and the redaction of what it logs.
// A CMake target of the fuzz preset (clang, -fsanitize=fuzzer,address,undefined), run by scripts/fuzz.sh.
#include "core/protocol/HttpRequest.h"
#include "core/protocol/Redaction.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    // Small limits reach the 414/431 branches with short inputs.
    const wslab::HttpLimits limits{64, 8};
    for (const wslab::HttpLimits &l : {wslab::HttpLimits{}, limits}) {
        const wslab::HttpRequestParse parse = wslab::HttpRequestParse::parse(input, l);
        if (parse.status == wslab::HttpRequestParse::Status::Complete) {
            // What a complete parse promises: the head fits in the input and ends with a blank line.
            if (parse.headBytes <= 0 || parse.headBytes > qsizetype(size))
                __builtin_trap();
            const wslab::HttpRequest &r = parse.request;
            (void)r.isWebSocketUpgrade();
            (void)r.path();
            (void)r.query();
            (void)wslab::redactSecrets(r);
            if (r.headers.size() > l.maxHeaders)
                __builtin_trap();
        } else if (parse.status == wslab::HttpRequestParse::Status::Error) {
            if (parse.errorStatus != 400 && parse.errorStatus != 414 && parse.errorStatus != 431)
                __builtin_trap();
        }
    }
    (void)wslab::redactSecrets(input.toByteArray());
    return 0;
}
