#!/usr/bin/env bash
# Takes docs/screenshots/lab.png: the real lab window under Xvfb, on first start (a fresh settings
# folder), with its echo server, a connected client and their first messages.
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
HOME="$home" XDG_CONFIG_HOME="$home" xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$build/app/wslab/wslab" --screenshot docs/screenshots/lab.png --screenshot-delay 3000
echo "wrote docs/screenshots/lab.png"
