"""python3-websockets echo server for WsLab's interop tests.

Binds 127.0.0.1 on a free port, prints "port N", echoes every message and prints
"closed CODE" when a connection ends, so the test sees the close code python received.
"""
import asyncio
import sys

import websockets


async def echo(ws, path=None):
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    print(f"closed {ws.close_code}", flush=True)


async def main():
    async with websockets.serve(echo, "127.0.0.1", 0, max_size=None) as server:
        print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.Future()


asyncio.run(main())
