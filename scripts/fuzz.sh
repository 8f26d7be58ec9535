#!/usr/bin/env bash
# Builds the libFuzzer targets (the HTTP request parser, the WebSocket frame decoder) with clang and runs
# them for a bounded time, split between them.
#   scripts/fuzz.sh [SECONDS]      (default 30, the total for all targets)
# A crash, a sanitizer report or a broken invariant fails the run; the input that did it is saved
# in build/fuzz/ and named in the output.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
out=build/fuzz
if ! command -v clang++ >/dev/null; then
    echo "fuzz: clang++ is missing; run scripts/install-deps.sh" >&2
    exit 1
fi
flags=(-std=c++20 -g -O1 -fPIC -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -DQT_NO_CAST_FROM_ASCII -DQT_USE_QSTRINGBUILDER -Icore)
mkdir -p "$out"
# shellcheck disable=SC2046
clang++ "${flags[@]}" $(pkg-config --cflags Qt6Core) \
    tests/fuzz/fuzz_http_request.cpp core/protocol/HttpRequest.cpp core/protocol/Redaction.cpp \
    $(pkg-config --libs Qt6Core) -o "$out/fuzz_http_request"
# shellcheck disable=SC2046
clang++ "${flags[@]}" $(pkg-config --cflags Qt6Core zlib) \
    tests/fuzz/fuzz_frame_decoder.cpp core/protocol/FrameDecoder.cpp core/protocol/Frame.cpp \
    core/protocol/PerMessageDeflate.cpp core/protocol/ExtensionHeader.cpp core/protocol/Utf8Validator.cpp \
    core/protocol/CloseCode.cpp \
    $(pkg-config --libs Qt6Core zlib) -o "$out/fuzz_frame_decoder"

# The budget is shared: each target gets its part, at least one second.
targets=(http_request frame_decoder)
share=$(( seconds / ${#targets[@]} ))
[ "$share" -ge 1 ] || share=1
for target in "${targets[@]}"; do
    # The seed corpus stays read-only in the repo; new inputs go to build/fuzz/corpus/<target>.
    mkdir -p "$out/corpus/$target"
    echo "fuzz: $target for ${share} s"
    "$out/fuzz_$target" -max_total_time="$share" -max_len=20000 -timeout=5 \
        -artifact_prefix="$out/" "$out/corpus/$target" "tests/fuzz/corpus/$target" 2>&1 | tail -n 5
done
echo "fuzz: no crash in ${seconds} s"
