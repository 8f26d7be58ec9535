#!/usr/bin/env bash
# Builds the libFuzzer targets (the HTTP request parser, the WebSocket frame decoder) with the fuzz
# preset and runs them for a bounded time, split between them.
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
# The fuzzers are CMake targets (tests/fuzz/CMakeLists.txt) of the fuzz preset: clang, the same
# definitions and -Werror as every other target; they land in build/fuzz.
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "${JOBS:-$(nproc)}"

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
