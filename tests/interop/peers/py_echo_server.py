"""python3-websockets server for WsLab's interop tests: py_echo_server.py [MODE]

Binds 127.0.0.1 on a free port and prints "port N" once listening.
  echo    (default) echoes every message and prints "closed CODE" when a connection ends, so the
          test sees the close code python received
  reject  answers every upgrade with HTTP 401 and prints "attempt N" for each ("attempt N probe"
          when the request carries X-Probe, the test's own marker)
"""
import asyncio
import http
import sys

import websockets

attempts = 0


async def echo(ws, path=None):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    print(f"closed {ws.close_code}", flush=True)


async def refuse(path, headers):
    global attempts
    attempts += 1
    probe = " probe" if "X-Probe" in headers else ""
    print(f"attempt {attempts}{probe}", flush=True)
    return http.HTTPStatus.UNAUTHORIZED, [], b"unauthorized\n"


async def main(mode):
    process_request = refuse if mode == "reject" else None
    async with websockets.serve(echo, "127.0.0.1", 0, max_size=None, process_request=process_request) as server:
        print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.Future()


mode = sys.argv[1] if len(sys.argv) > 1 else "echo"
if mode not in ("echo", "reject"):
    sys.exit(f"unknown mode {mode}")
asyncio.run(main(mode))
