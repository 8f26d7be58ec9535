"""python3-websockets peer for WsLab's window tests: py_chat_peer.py URL

Prints "open" once connected, sends each stdin line as a text message, and prints every message it
receives as "got TEXT"; prints "closed CODE" when the connection ends. Exits at end of input.
"""
import asyncio
import sys

import websockets


async def main(url):
    loop = asyncio.get_running_loop()
    async with websockets.connect(url) as ws:
        print("open", flush=True)

        async def receive():
            try:
                async for message in ws:
                    print(f"got {message}", flush=True)
            except websockets.ConnectionClosed:
                pass
            print(f"closed {ws.close_code}", flush=True)

        receiver = asyncio.create_task(receive())
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            await ws.send(line.rstrip("\n"))
        await ws.close(1000, "end of input")
        await receiver


asyncio.run(main(sys.argv[1]))
