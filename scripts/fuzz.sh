#!/usr/bin/env bash
# Builds the libFuzzer target for the HTTP request parser with clang and runs it for a bounded time.
#   scripts/fuzz.sh [SECONDS]      (default 30)
# A crash, a sanitizer report or a broken invariant fails the run; the input that did it is saved
# in build/fuzz/ and named in the output.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
out=build/fuzz
mkdir -p "$out/corpus"
if ! command -v clang++ >/dev/null; then
    echo "fuzz: clang++ is missing; run scripts/install-deps.sh" >&2
    exit 1
fi
# shellcheck disable=SC2046
clang++ -std=c++20 -g -O1 -fPIC -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -DQT_NO_CAST_FROM_ASCII -DQT_USE_QSTRINGBUILDER -Icore $(pkg-config --cflags Qt6Core) \
    tests/fuzz/fuzz_http_request.cpp core/protocol/HttpRequest.cpp core/protocol/Redaction.cpp \
    $(pkg-config --libs Qt6Core) -o "$out/fuzz_http_request"
# The seed corpus stays read-only in the repo; new inputs go to build/fuzz/corpus.
"$out/fuzz_http_request" -max_total_time="$seconds" -max_len=20000 -timeout=5 \
    -artifact_prefix="$out/" "$out/corpus" tests/fuzz/corpus/http_request 2>&1 | tail -n 5
echo "fuzz: no crash in ${seconds} s"
