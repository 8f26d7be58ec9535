#!/usr/bin/env bash
# WsLab's benchmark suite: every server below, in turn, on 127.0.0.1, under the same loads; then one
# table with every figure and its ratio to `wslab-cli serve`. Bounded in count and time; stops itself.
#
#   bench/run.sh [BUILD_DIR]        (default build/release; `make bench` builds it first)
#
# Environment: QUICK=1 runs a tenth of the messages and 1,000 idle connections (a smoke test);
# IDLE_CONNECTIONS (default 10000; 0 skips the idle load) and IDLE_HOLD (seconds, default 25: one heartbeat round at 20 s);
# IDLE_ONLY=1 runs only the idle load (memory per connection), skipping the generator check, the message loads and the GUI;
# CHAT_LOADS="CLIENTSxRATExSECONDS ..." (default "200x10x10 50x10x10"; QUICK: "20x10x3"; empty skips it) are
# the chat fan-out runs against serve --mode chat;
# the relay overhead (bench-relay) runs after the log-memory bench;
# SERVERS="serve bare-qt ..." picks servers; SERVE_CLI=/path/to/an/older/wslab-cli serves with that
# build (before/after comparisons; the load client stays this build's); RESULTS (default bench/results/<time>) keeps the raw JSON.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build/release}" && pwd)
CLI=$BUILD/app/wslab-cli/wslab-cli
SERVE_CLI=${SERVE_CLI:-$CLI}
BARE=$BUILD/bench/bench-bare-qt-echo
TCP_ECHO=$BUILD/bench/bench-tcp-echo
TCP_LOAD=$BUILD/bench/bench-tcp-load
PEERS=$ROOT/bench/peers
PY=/usr/bin/python3
NODE=$(command -v node || command -v nodejs)
RESULTS=${RESULTS:-$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)}
SERVERS=${SERVERS:-serve bare-qt node-ws python-websockets tcp}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
IDLE_HOLD=${IDLE_HOLD:-25}
IDLE_ONLY=${IDLE_ONLY:-0}
CHAT_LOAD=$BUILD/bench/bench-chat-load
SCALE=1
if [ "${QUICK:-0}" = 1 ]; then
    SCALE=10
    IDLE_CONNECTIONS=1000
    IDLE_HOLD=3
    CHAT_LOADS=${CHAT_LOADS-20x10x3}
fi
# The issue's load (200 clients x 10 messages/s) and one a quarter its size, which one generator
# process on this machine can receive in full (see bench/README.md, Chat fan-out).
CHAT_LOADS=${CHAT_LOADS-200x10x10 50x10x10}
# Every single run is killed past this many seconds, whatever it was doing.
RUN_TIMEOUT=60

for f in "$CLI" "$BARE" "$TCP_ECHO" "$TCP_LOAD" "$CHAT_LOAD"; do
    [ -x "$f" ] || { echo "bench: $f is missing; build first (make bench does)" >&2; exit 1; }
done
[ -n "$NODE" ] && [ -f /usr/share/nodejs/ws/index.js ] || { echo "bench: node-ws is missing (apt install node-ws)" >&2; exit 1; }
"$PY" -c 'import websockets' 2>/dev/null || { echo "bench: python3-websockets is missing (apt install python3-websockets)" >&2; exit 1; }

mkdir -p "$RESULTS"
ulimit -n "$(ulimit -Hn)" # 10,000 idle connections need as many descriptors in the holder
CHILDREN=()
cleanup() {
    for pid in "${CHILDREN[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# name | load flags for wslab-cli bench (and the TCP client) | message count
LOADS=(
    "latency-64B|--size 64 --connections 1 --window 1|$((20000 / SCALE))"
    "tput-64B|--size 64 --connections 50 --window 10|$((200000 / SCALE))"
    "tput-16KiB|--size 16384 --connections 50 --window 10|$((20000 / SCALE))"
    "bw-1MiB|--size 1048576 --connections 1 --window 4 --binary|$((300 / SCALE))"
)

start_server() { # name -> sets SERVER_PID, SERVER_PORT
    local name=$1 out=$RESULTS/$1.server.out
    case $name in
    serve)
        # As shipped (event log, heartbeat every 20 s, gate, frame guard), with room for the idle load:
        # the default caps are 1,000 connections and 64 per address.
        "$SERVE_CLI" serve --host 127.0.0.1 --port 0 --mode echo \
            --max-connections $((IDLE_CONNECTIONS + 100)) --max-per-address $((IDLE_CONNECTIONS + 100)) \
            >"$out" 2>"$RESULTS/$name.server.err" &
        ;;
    bare-qt) "$BARE" 0 >"$out" 2>"$RESULTS/$name.server.err" & ;;
    node-ws) "$NODE" "$PEERS/node-echo.js" 0 >"$out" 2>"$RESULTS/$name.server.err" & ;;
    python-websockets) "$PY" "$PEERS/python-echo.py" 0 >"$out" 2>"$RESULTS/$name.server.err" & ;;
    tcp) "$TCP_ECHO" 0 >"$out" 2>"$RESULTS/$name.server.err" & ;;
    serve-chat)
        # As shipped in chat mode, with room for every chat client from 127.0.0.1 (64 per address by default).
        "$SERVE_CLI" serve --host 127.0.0.1 --port 0 --mode chat --max-connections $((CHAT_CLIENTS + 100)) \
            --max-per-address $((CHAT_CLIENTS + 100)) >"$out" 2>"$RESULTS/$name.server.err" &
        ;;
    *) echo "bench: unknown server $name" >&2; exit 1 ;;
    esac
    SERVER_PID=$!
    CHILDREN+=("$SERVER_PID")
    SERVER_PORT=
    for _ in $(seq 100); do
        SERVER_PORT=$(sed -n 's|^listening on [a-z]*://127.0.0.1:\([0-9]*\).*|\1|p' "$out" | head -1)
        [ -n "$SERVER_PORT" ] && return 0
        sleep 0.1
    done
    echo "bench: $name did not start: $(cat "$RESULTS/$name.server.err")" >&2
    exit 1
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
}

# CPU time of every thread of a process in ns (scheduler accounting, finer than clock ticks).
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f", s}'; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

run_load() { # server load-name flags count
    local server=$1 load=$2 flags=$3 count=$4 out=$RESULTS/$1.$2.json
    local cpu0 cpu1
    cpu0=$(cpu_ns "$SERVER_PID")
    if [ "$server" = tcp ]; then
        # The TCP client has no --binary: bytes are bytes.
        timeout "$RUN_TIMEOUT" "$TCP_LOAD" "127.0.0.1:$SERVER_PORT" ${flags/--binary/} --messages "$count" --timeout $((RUN_TIMEOUT - 5)) >"$out" 2>>"$RESULTS/errors.log" || true
    else
        timeout "$RUN_TIMEOUT" "$CLI" bench "ws://127.0.0.1:$SERVER_PORT/" $flags --messages "$count" --json >"$out" 2>>"$RESULTS/errors.log" || true
    fi
    cpu1=$(cpu_ns "$SERVER_PID")
    # The server's CPU time during the run: its cost per message, which a busy machine blurs less than rates.
    echo "{\"server\":\"$server\",\"load\":\"$load\",\"server_cpu_s\":$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN{printf "%.6f", (b - a) / 1e9}')}" >"$out.cpu"
    printf '  %-18s %-12s %s\n' "$server" "$load" "$(head -c 160 "$out")"
}

run_idle() { # server
    local server=$1 out=$RESULTS/$1.idle.json url
    url="ws://127.0.0.1:$SERVER_PORT/"
    [ "$server" = tcp ] && url="tcp://127.0.0.1:$SERVER_PORT"
    local before after="" holder
    sleep 0.5
    before=$(rss_kib "$SERVER_PID")
    timeout $((IDLE_HOLD + 90)) "$NODE" --max-old-space-size=2048 "$PEERS/idle-holder.js" "$url" "$IDLE_CONNECTIONS" "$IDLE_HOLD" >"$out.holder" 2>>"$RESULTS/errors.log" &
    holder=$!
    CHILDREN+=("$holder")
    # Read the RSS near the end of the hold, after the heartbeat round, while every connection is held.
    for _ in $(seq $(((IDLE_HOLD + 80) * 10))); do
        grep -q '^open' "$out.holder" 2>/dev/null && break
        kill -0 "$holder" 2>/dev/null || break
        sleep 0.1
    done
    if grep -q '^open' "$out.holder" 2>/dev/null; then
        sleep $((IDLE_HOLD > 2 ? IDLE_HOLD - 1 : 1))
        after=$(rss_kib "$SERVER_PID" 2>/dev/null || echo "")
    fi
    wait "$holder" 2>/dev/null || true
    echo "{\"server\":\"$server\",\"rss_before_kib\":${before:-0},\"rss_held_kib\":${after:-0},\"requested\":$IDLE_CONNECTIONS,\"holder\":$(tail -1 "$out.holder" | grep '^{' || echo null)}" >"$out"
    printf '  %-18s %-12s %s\n' "$server" idle "$(cat "$out")"
}

machine_load() { cut -d' ' -f1-3 /proc/loadavg; }

START=$(date +%s)
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2/1048576}' /proc/meminfo)"
    echo "system: Debian $(cat /etc/debian_version), kernel $(uname -r), Qt $(dpkg-query -W -f='${Version}' libqt6core6 2>/dev/null || echo '?'), node $("$NODE" --version), node-ws $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' /usr/share/nodejs/ws/package.json), python3-websockets $("$PY" -c 'import websockets; print(websockets.__version__)')"
    echo "serve: $SERVE_CLI"
    echo "wslab: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)'), build $BUILD"
    echo "load average at start: $(machine_load)"
} | tee "$RESULTS/machine.txt"

# Is wslab-cli bench the bottleneck? Against the same bare Qt server it must push at least as hard as
# a small node-ws client doing the same stamped, checked load.
if [ "$IDLE_ONLY" != 1 ]; then
    echo "generator check (64 B, 50 connections x window 10, against the bare Qt echo):"
    start_server bare-qt
    timeout "$RUN_TIMEOUT" "$CLI" bench "ws://127.0.0.1:$SERVER_PORT/" --size 64 --connections 50 --window 10 --messages $((100000 / SCALE)) --json >"$RESULTS/generator.wslab.json" 2>>"$RESULTS/errors.log" || true
    timeout "$RUN_TIMEOUT" "$NODE" "$PEERS/node-load.js" "ws://127.0.0.1:$SERVER_PORT/" 50 $((100000 / SCALE)) 64 10 >"$RESULTS/generator.node.json" 2>>"$RESULTS/errors.log" || true
    stop_server
fi

for server in $SERVERS; do
    echo "$server (load average $(machine_load)):"
    if [ "$IDLE_ONLY" != 1 ]; then
        start_server "$server"
        for entry in "${LOADS[@]}"; do
            IFS='|' read -r load flags count <<<"$entry"
            run_load "$server" "$load" "$flags" "$count"
        done
        stop_server
    fi
    [ "$IDLE_CONNECTIONS" -gt 0 ] || continue
    # A fresh server, so its RSS before the idle load holds nothing left over from the others.
    start_server "$server"
    run_idle "$server"
    stop_server
done

if [ "$IDLE_ONLY" != 1 ] && [ -n "$CHAT_LOADS" ]; then
    echo "Chat fan-out ($CHAT_LOAD against serve --mode chat, load average $(machine_load)):"
    for chat in $CHAT_LOADS; do
        IFS=x read -r CHAT_CLIENTS chat_rate chat_seconds <<<"$chat"
        # A fresh room each time: no history, no members left over from the run before.
        start_server serve-chat
        # Its own bounds (30 s to join, the run, 20 s to drain) come before the run timeout's.
        timeout $((chat_seconds + 60)) "$CHAT_LOAD" "ws://127.0.0.1:$SERVER_PORT/" --clients "$CHAT_CLIENTS" --rate "$chat_rate" \
            --duration "$chat_seconds" --server-pid "$SERVER_PID" --drain 20 --json \
            >"$RESULTS/chat.$chat.json" 2>"$RESULTS/chat.$chat.txt" || true
        stop_server
        head -1 "$RESULTS/chat.$chat.txt" | sed 's/^/  /'
    done
fi

GUI_BENCH=$(find "$BUILD/bench/gui" -maxdepth 1 -type f -executable -name 'bench-gui*' 2>/dev/null | head -1 || true)
if [ -n "$GUI_BENCH" ] && [ "$IDLE_ONLY" != 1 ]; then
    echo "GUI log ingest ($GUI_BENCH):"
    QT_QPA_PLATFORM=offscreen timeout 120 "$GUI_BENCH" >"$RESULTS/gui.txt" 2>>"$RESULTS/errors.log" || echo "(exited with $?)" >>"$RESULTS/gui.txt"
fi

LOG_MEMORY=$BUILD/bench/bench-log-memory
if [ -x "$LOG_MEMORY" ] && [ "$IDLE_ONLY" != 1 ]; then
    # 1,000 (QUICK: 200) echoes of 1 MiB under a 64 MiB log budget: RSS against (baseline + budget).
    echo "Log memory ($LOG_MEMORY):"
    # Two run timeouts: a loaded machine has taken a minute for it.
    timeout $((2 * RUN_TIMEOUT)) "$LOG_MEMORY" --messages $((1000 / (SCALE > 1 ? 5 : 1))) --budget-mib 64 --timeout $((2 * RUN_TIMEOUT - 5)) \
        >"$RESULTS/log-memory.txt" 2>>"$RESULTS/errors.log" \
        || echo "(exited with $?)" >>"$RESULTS/log-memory.txt"
fi

RELAY_BENCH=$BUILD/bench/bench-relay
if [ -x "$RELAY_BENCH" ] && [ "$IDLE_ONLY" != 1 ]; then
    # The inspecting relay's overhead: 16 B and 64 KiB round trips, direct and through a Relay, in one process.
    echo "Relay overhead ($RELAY_BENCH):"
    timeout "$RUN_TIMEOUT" "$RELAY_BENCH" --round-trips $((5000 / SCALE)) --large-round-trips $((1000 / SCALE)) --timeout $((RUN_TIMEOUT - 5)) \
        >"$RESULTS/relay.txt" 2>>"$RESULTS/errors.log" \
        || echo "(exited with $?)" >>"$RESULTS/relay.txt"
    sed 's/^/  /' "$RESULTS/relay.txt"
fi

echo "load average at end: $(machine_load); suite took $(($(date +%s) - START)) s" | tee -a "$RESULTS/machine.txt"
echo
"$PY" "$ROOT/bench/table.py" "$RESULTS" | tee "$RESULTS/table.md"
