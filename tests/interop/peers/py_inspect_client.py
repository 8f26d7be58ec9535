"""python3-websockets client for the inspecting relay's tests: py_inspect_client.py MODE URL

Prints one line per finding; the test compares them.
  keepalive URL  pings every 0.2 s and gives up after 0.5 s without a pong; print "open", then once
                 the connection ends "closed SENT RCVD": the close code it sent (1011 when its
                 keepalive failed, "-" when it sent none) and the one it received (1006 for none)
  send URL       print "open", send one text message, read until the connection ends, print
                 "closed CODE" with the code received (1006 when the link dropped)
  rtt URL        print "rtt MS": the round trip of one ping, in milliseconds, then close 1000
  echo URL       send text, UTF-8 text, 4 KiB of text, binary and a fragmented message to an echo
                 server, print "echo ok" when each comes back the same (else "echo differs: ..."),
                 then close 1000 and print "closed CODE"
"""
import asyncio
import sys
import time

import websockets


def sent_code(ws):
    sent = getattr(ws, "close_sent", None)
    return sent.code if sent is not None else "-"


async def keepalive(url):
    async with websockets.connect(url, ping_interval=0.2, ping_timeout=0.5, close_timeout=1) as ws:
        print("open", flush=True)
        try:
            while True:
                await ws.recv()
        except websockets.ConnectionClosed:
            pass
        print(f"closed {sent_code(ws)} {ws.close_code}", flush=True)


async def send(url):
    async with websockets.connect(url, ping_interval=None, close_timeout=1) as ws:
        print("open", flush=True)
        await ws.send("one")
        try:
            while True:
                await ws.recv()
        except websockets.ConnectionClosed:
            pass
        print(f"closed {ws.close_code}", flush=True)


async def rtt(url):
    async with websockets.connect(url, ping_interval=None) as ws:
        start = time.monotonic()
        await asyncio.wait_for(await ws.ping(b"rtt"), 10)
        print(f"rtt {(time.monotonic() - start) * 1000:.0f}", flush=True)
        await ws.close(1000)


async def echo(url):
    messages = ["hello", "grüße, 世界 🙂", "x" * 4096, bytes([0, 1, 254, 255])]
    async with websockets.connect(url, ping_interval=None, close_timeout=5) as ws:
        for message in messages:
            await ws.send(message)
        await ws.send(["frag", "mented ", "grüße"])
        messages.append("fragmented grüße")
        for message in messages:
            got = await ws.recv()
            if got != message:
                print(f"echo differs: sent {message[:40]!r}, got {got[:40]!r}", flush=True)
                return
        print("echo ok", flush=True)
        await ws.close(1000)
        print(f"closed {ws.close_code}", flush=True)


mode, url = sys.argv[1], sys.argv[2]
modes = {"keepalive": keepalive, "send": send, "rtt": rtt, "echo": echo}
if mode not in modes:
    sys.exit(f"unknown mode {mode}")
asyncio.run(asyncio.wait_for(modes[mode](url), 30))
