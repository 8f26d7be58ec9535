#!/usr/bin/env bash
# Takes docs/screenshots/lab.png and lab-dark.png (the real lab window under Xvfb, on first start: a
# fresh settings folder, its echo server, a connected client and their first messages) and
# lab-presentation.png (View → Presentation mode), sequence.png (View → Sequence diagram over a scripted
# exchange), share-qr.png (the QR dialog of a chat server on 0.0.0.0, as a classroom would use it),
# inspector.png (View → Inspector with the first client routed through it, its text frame selected) and
# explain-frame.png (that frame's "Explain this frame"), charts.png (View → Live charts of a client that
# chats, pings and rides out a server restart) and lesson.png (Help → Lessons: the close codes lesson run
# by its own "Do it" up to the server's kick with 1008, its pane beside the panels), replay.png
# (File → Open log… of examples/recording.har, replayed to the window's echo server beside it),
# rules.png (the server in rules mode answering the client by examples/mock-rules.json, the Rules…
# window over it) and settings.png (the server's and the first client's Settings opened).
#   scripts/screenshot.sh [BUILD_DIR]     (default: build/release, built with `make build`)
#   ONLY=NAME scripts/screenshot.sh       retakes only the pictures whose file name contains NAME
#
# The window listens for LAN beacons and a server on 0.0.0.0 announces itself, so everything runs in the
# private network namespace the LAN tests use (tests/lan/netns.sh: `unshare -rn`, no root needed; only lo
# and veth pairs, veth0 with 10.99.0.1): no packet reaches this machine's real network, and the QR code
# shows a LAN address. No namespace, no pictures: netns.sh fails and says why.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
if [ ! -x "$build/app/wslab/wslab" ]; then
    make build
fi
if [ "${WSLAB_NETNS:-}" != private ]; then
    exec sh tests/lan/netns.sh "$PWD/scripts/screenshot.sh" "$build"
fi

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -p docs/screenshots
shoot() { # out, then the window's extra options; SCREEN=WxH for a larger virtual screen
    local out=$1
    shift
    # ONLY=sequence retakes just the pictures whose name contains that word.
    case "$out" in *"${ONLY:-}"*) ;; *) return 0 ;; esac
    rm -rf "${home:?}"/*
    HOME="$home" XDG_CONFIG_HOME="$home" QT_STYLE_OVERRIDE=Fusion xvfb-run -a -s "-screen 0 ${SCREEN:-1600x1000}x24" \
        "$build/app/wslab/wslab" --screenshot "$out" --screenshot-delay 3000 "$@"
    echo "wrote $out"
}
# The same first start twice: the light palette, then View → Dark colours with the Fusion style.
shoot docs/screenshots/lab.png
shoot docs/screenshots/lab-dark.png --dark
shoot docs/screenshots/lab-presentation.png --presentation
shoot docs/screenshots/share-qr.png --screenshot-share-qr
SCREEN=1600x1200 shoot docs/screenshots/inspector.png --screenshot-inspector
SCREEN=1600x1200 shoot docs/screenshots/explain-frame.png --screenshot-inspector --screenshot-explain
SCREEN=1920x1080 shoot docs/screenshots/sequence.png --screenshot-sequence --screenshot-delay 4000
# Long enough for the server's stop, the client's jittered retries and its return after the restart.
SCREEN=1600x1200 shoot docs/screenshots/charts.png --screenshot-charts --screenshot-delay 18000
# Both settings forms opened: every number with its range and unit from the settings table.
SCREEN=1600x1200 shoot docs/screenshots/settings.png --screenshot-settings
SCREEN=1920x1080 shoot docs/screenshots/lesson.png --screenshot-lesson --screenshot-delay 4000
SCREEN=1600x1200 shoot docs/screenshots/replay.png --screenshot-replay examples/recording.har --screenshot-delay 4000
shoot docs/screenshots/rules.png --screenshot-rules examples/mock-rules.json
