"""Debian's python3-websockets as an echo server (asyncio, run with /usr/bin/python3).

Usage: /usr/bin/python3 python-echo.py [PORT]   (prints "listening on ws://127.0.0.1:PORT")
Its own heartbeat stays on (ping every 20 s, 20 s to answer: the same as wslab-cli serve).
"""
import asyncio
import signal
import sys

import websockets


async def echo(websocket, path=None):
    try:
        async for message in websocket:
            await websocket.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    # The same incoming limit as wslab-cli serve (16 MiB; the library's default of 1 MiB would refuse
    # the bandwidth load), no compression (Qt does not offer it), a backlog for the idle load.
    async with websockets.serve(echo, "127.0.0.1", port, max_size=16 * 1024 * 1024, compression=None,
                                backlog=4096, ping_interval=20, ping_timeout=20) as server:
        bound = server.sockets[0].getsockname()[1]
        print(f"listening on ws://127.0.0.1:{bound}", flush=True)
        await stop


if __name__ == "__main__":
    asyncio.run(main())
