"""Prints the table of one bench/run.sh run (a results directory) as Markdown.

Every figure is followed by its ratio to wslab-cli serve's figure on the same load: above 1 means
more (better for rates, worse for times and memory; each row says which way is better).
"""
import glob
import json
import os
import sys

SERVERS = ["serve", "bare-qt", "node-ws", "python-websockets", "tcp"]
TITLES = {
    "serve": "wslab-cli serve",
    "bare-qt": "bare Qt echo",
    "node-ws": "node-ws",
    "python-websockets": "python3-websockets",
    "tcp": "plain TCP (ceiling)",
}
MIB = 1024.0 * 1024.0


def load(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return json.loads(text.splitlines()[-1]) if text else None
    except (OSError, ValueError, IndexError):
        return None


def fmt(value):
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def main():
    results = sys.argv[1]
    servers = [s for s in SERVERS if os.path.exists(os.path.join(results, f"{s}.latency-64B.json"))
               or os.path.exists(os.path.join(results, f"{s}.idle.json"))]
    problems = []

    def run(server, name):
        r = load(os.path.join(results, f"{server}.{name}.json"))
        if r is None:
            return None, None
        if r.get("errors") or r.get("mismatches") or not r.get("received"):
            problems.append(f"{TITLES[server]}, {name}: {r.get('received')} of {r.get('sent')} echoed, "
                            f"{r.get('mismatches')} mismatched, {r.get('errors')} errors "
                            f"{'; '.join(r.get('error_texts') or [])}")
        cpu = load(os.path.join(results, f"{server}.{name}.json.cpu"))
        return r, (cpu or {}).get("server_cpu_s")

    rows = []  # (load, figure, better, {server: value})

    def add(load_title, figure, better, pick):
        rows.append((load_title, figure, better, {s: pick(s) for s in servers}))

    def field(name, key, scale=1.0):
        def pick(server):
            r, _ = run(server, name)
            return r[key] * scale if r and r.get("received") else None
        return pick

    def cpu_per(name, unit, per_mib=False):
        def pick(server):
            r, cpu = run(server, name)
            if not r or not r.get("received") or cpu is None:
                return None
            amount = r["received"] * (r["bytes_per_second"] / max(r["messages_per_second"], 1e-9)) / MIB if per_mib else r["received"]
            return cpu * unit / amount
        return pick

    add("64 B, 1 connection ping-pong", "RTT p50 (µs)", "lower", field("latency-64B", "rtt_p50_us"))
    add("", "RTT p99 (µs)", "lower", field("latency-64B", "rtt_p99_us"))
    add("", "round trips/s", "higher", field("latency-64B", "messages_per_second"))
    add("64 B, 50 conn × window 10", "messages/s", "higher", field("tput-64B", "messages_per_second"))
    add("", "server CPU µs/message", "lower", cpu_per("tput-64B", 1e6))
    add("16 KiB, 50 conn × window 10", "messages/s", "higher", field("tput-16KiB", "messages_per_second"))
    add("", "MiB/s echoed", "higher", field("tput-16KiB", "bytes_per_second", 1 / MIB))
    add("", "server CPU µs/message", "lower", cpu_per("tput-16KiB", 1e6))
    add("1 MiB binary, 1 conn × window 4", "MiB/s echoed", "higher", field("bw-1MiB", "bytes_per_second", 1 / MIB))
    add("", "server CPU ms/MiB", "lower", cpu_per("bw-1MiB", 1e3, per_mib=True))

    idle = {s: load(os.path.join(results, f"{s}.idle.json")) for s in servers}
    requested = next((i["requested"] for i in idle.values() if i), 0)

    def idle_pick(key):
        def pick(server):
            i = idle.get(server)
            h = (i or {}).get("holder") or {}
            if key == "held":
                return h.get("still_open")
            if key == "pings":
                return h.get("pings")
            if key == "kib" and h.get("still_open") and i.get("rss_held_kib"):
                return (i["rss_held_kib"] - i["rss_before_kib"]) / h["still_open"]
            return None
        return pick

    add(f"{requested:,} idle connections", "held to the end", "higher", idle_pick("held"))
    add("", "server KiB/connection (RSS)", "lower", idle_pick("kib"))
    add("", "pings received (heartbeat)", "", idle_pick("pings"))
    for s in servers:
        i = idle.get(s)
        h = (i or {}).get("holder") or {}
        if i and (h.get("failed") or h.get("still_open", 0) < requested):
            problems.append(f"{TITLES[s]}, idle: {h.get('opened')} opened, {h.get('failed')} failed, "
                            f"{h.get('still_open')} still open at the end of the hold")

    with open(os.path.join(results, "machine.txt")) as f:
        print("```\n" + f.read().strip() + "\n```\n")
    header = ["load", "figure", "better"] + [TITLES[s] for s in servers]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(["---"] * 3 + ["---:"] * len(servers)) + "|")
    for load_title, figure, better, values in rows:
        base = values.get("serve")
        cells = []
        for s in servers:
            v = values[s]
            if v is None:
                cells.append("–")
            elif s == "serve" or not base:
                cells.append(fmt(v))
            else:
                cells.append(f"{fmt(v)} ({v / base:.2f}×)")
        print("| " + " | ".join([load_title, figure, better] + cells) + " |")

    gen_w = load(os.path.join(results, "generator.wslab.json"))
    gen_n = load(os.path.join(results, "generator.node.json"))
    if gen_w and gen_n:
        w, n = gen_w["messages_per_second"], gen_n["messages_per_second"]
        print(f"\nGenerator check (64 B, 50 × 10 against the bare Qt echo): wslab-cli bench {w:,.0f} msg/s, "
              f"a node-ws client {n:,.0f} msg/s ({w / max(n, 1e-9):.2f}× the node client).")
    chats = sorted(glob.glob(os.path.join(results, "chat.*.txt")),
                   key=lambda path: [int(n) for n in os.path.basename(path).split(".")[1].split("x")])
    if chats:
        print("\nChat fan-out (bench-chat-load against serve --mode chat):\n```")
        for path in chats:
            with open(path) as f:
                print(f.read().strip())
        print("```")
    gui = os.path.join(results, "gui.txt")
    if os.path.exists(gui):
        with open(gui) as f:
            print("\nGUI log ingest:\n```\n" + f.read().strip() + "\n```")
    log_memory = os.path.join(results, "log-memory.txt")
    if os.path.exists(log_memory):
        with open(log_memory) as f:
            print("\nLog memory (bench-log-memory):\n```\n" + f.read().strip() + "\n```")
    if problems:
        print("\nProblems:")
        for p in problems:
            print(f"- {p}")


if __name__ == "__main__":
    main()
