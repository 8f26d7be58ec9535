#!/usr/bin/env bash
# Takes docs/screenshots/lab.png and lab-dark.png: the real lab window under Xvfb, on first start (a
# fresh settings folder), with its echo server, a connected client and their first messages.
#   scripts/screenshot.sh [BUILD_DIR]     (default: build/release, built with `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
if [ ! -x "$build/app/wslab/wslab" ]; then
    make build
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -p docs/screenshots
# The same first start twice: the light palette, then View → Dark colours with the Fusion style.
for variant in light dark; do
    out=docs/screenshots/lab.png
    extra=()
    if [ "$variant" = dark ]; then
        out=docs/screenshots/lab-dark.png
        extra=(--dark)
    fi
    rm -rf "$home"/*
    HOME="$home" XDG_CONFIG_HOME="$home" QT_STYLE_OVERRIDE=Fusion xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$build/app/wslab/wslab" --screenshot "$out" --screenshot-delay 3000 "${extra[@]}"
    echo "wrote $out"
done
