"""python3-websockets client for WsLab's interop tests: py_client.py MODE URL [ARGS].

Prints one line per finding; the test compares them. Exits non-zero on any surprise.
  echo URL            text (ASCII, non-ASCII, 1 MiB, fragmented) and binary echo, a ping answered,
                      then close 1000
  hold URL            connect, print "open", wait for the server to close, print "closed CODE"
  lines URL           print "open", then send each stdin line and print its echo; at EOF close 1000
                      and print "closed CODE"
  oversize URL N HOW  send exactly N bytes of text and print "echo N" once it is echoed, then N + 1
                      bytes in one frame (HOW=frame) or three fragments (HOW=fragments); print "closed CODE"
  token URL [TOKEN]   connect with/without "Authorization: Bearer TOKEN", print "status S" or "echo ok"
  tls URL CAFILE      wss echo trusting CAFILE
  untrusted URL       wss with only the system's CAs: print "refused certificate" when verification fails
  stream URL N [BIG]  N connections at once, each sending 512-byte text messages without pause (and one
                      of BIG bytes after the 200th) while reading whatever comes back; prints
                      "streaming" once each has sent 100, then "closed CODE REASON" as each one ends
"""
import asyncio
import ssl
import sys

import websockets


async def echo(url, ssl_context=None):
    async with websockets.connect(url, max_size=None, ssl=ssl_context) as ws:
        for message in ["hello", "grüße, 世界 🙂", "x" * (1024 * 1024), b"\x00\x01\xfe\xff"]:
            await ws.send(message)
            reply = await ws.recv()
            if reply != message:
                print(f"mismatch for a {type(message).__name__} of {len(message)}")
                sys.exit(1)
        # A list goes out as one message: a text frame and continuation frames.
        await ws.send(["frag", "mented ", "grüße"])
        if await ws.recv() != "fragmented grüße":
            print("mismatch for a fragmented message")
            sys.exit(1)
        await asyncio.wait_for(await ws.ping(b"wslab"), 10)
        print("echo ok", flush=True)
        await ws.close(1000, "done")
        print(f"closed {ws.close_code}", flush=True)


async def hold(url):
    async with websockets.connect(url) as ws:
        print("open", flush=True)
        try:
            await ws.recv()
        except websockets.ConnectionClosed:
            pass
        print(f"closed {ws.close_code}", flush=True)


async def lines(url):
    loop = asyncio.get_running_loop()
    async with websockets.connect(url) as ws:
        print("open", flush=True)
        while line := await loop.run_in_executor(None, sys.stdin.readline):
            await ws.send(line.rstrip("\n"))
            print(await ws.recv(), flush=True)
        await ws.close(1000, "end of input")
        print(f"closed {ws.close_code}", flush=True)


async def oversize(url, limit, how):
    async with websockets.connect(url, max_size=None) as ws:
        await ws.send("y" * limit)
        if await ws.recv() == "y" * limit:
            print(f"echo {limit}", flush=True)
        if how == "fragments":
            third = limit // 3 + 1
            await ws.send(["y" * third, "y" * third, "y" * (limit + 1 - 2 * third)])
        else:
            await ws.send("y" * (limit + 1))
        try:
            await ws.recv()
        except websockets.ConnectionClosed:
            pass
        print(f"closed {ws.close_code}", flush=True)


async def token(url, value):
    headers = {"Authorization": f"Bearer {value}"} if value else {}
    try:
        async with websockets.connect(url, extra_headers=headers) as ws:
            await ws.send("with token")
            print("echo ok" if await ws.recv() == "with token" else "mismatch", flush=True)
    except websockets.InvalidStatusCode as error:
        print(f"status {error.status_code}", flush=True)


async def stream_one(url, big, progress):
    ws = await websockets.connect(url, max_size=None)

    async def read_all():
        try:
            async for _ in ws:
                pass
        except websockets.ConnectionClosed:
            pass

    reader = asyncio.create_task(read_all())
    message = "s" * 512
    sent = 0
    try:
        while True:
            if big and sent == 200:
                await ws.send("B" * big)
            await ws.send(message)
            sent += 1
            if sent == 100:
                progress()
            # send() returns without yielding while the socket takes the bytes: let the reader run.
            await asyncio.sleep(0)
    except websockets.ConnectionClosed:
        pass
    await reader
    await ws.wait_closed()
    print(f"closed {ws.close_code} {ws.close_reason}".rstrip(), flush=True)


async def stream(url, count, big):
    started = 0

    def progress():
        nonlocal started
        started += 1
        if started == count:
            print("streaming", flush=True)

    await asyncio.gather(*(stream_one(url, big, progress) for _ in range(count)))


mode, url = sys.argv[1], sys.argv[2]
if mode == "echo":
    asyncio.run(echo(url))
elif mode == "hold":
    asyncio.run(hold(url))
elif mode == "lines":
    asyncio.run(lines(url))
elif mode == "oversize":
    asyncio.run(oversize(url, int(sys.argv[3]), sys.argv[4]))
elif mode == "token":
    asyncio.run(token(url, sys.argv[3] if len(sys.argv) > 3 else ""))
elif mode == "tls":
    context = ssl.create_default_context(cafile=sys.argv[3])
    asyncio.run(echo(url, context))
elif mode == "untrusted":
    try:
        asyncio.run(echo(url, ssl.create_default_context()))
    except ssl.SSLCertVerificationError:
        print("refused certificate", flush=True)
elif mode == "stream":
    asyncio.run(stream(url, int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 0))
else:
    sys.exit(f"unknown mode {mode}")
