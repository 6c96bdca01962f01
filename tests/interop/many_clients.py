#!/usr/bin/python3
"""Opens N concurrent WebSocket connections to an echo server, has each of
them exchange a message while all are open, asks the server how many
connections it holds, then closes them all cleanly. Standard library only
(asyncio); its own minimal framing. Used by tests/10_scale.

    /usr/bin/python3 many_clients.py N PORT

Prints: "opened N", "echoed N", "server count N", "closed N" (or what went
wrong). Exits 1 on any failure.
"""

import asyncio
import base64
import hashlib
import os
import resource
import struct
import sys

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def frame(opcode, payload):
    key = os.urandom(4)
    n = len(payload)
    head = struct.pack("!BB", 0x80 | opcode, 0x80 | n) if n < 126 else struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return head + key + masked


async def read_frame(reader):
    b0, b1 = await reader.readexactly(2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", await reader.readexactly(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", await reader.readexactly(8))[0]
    if b1 & 0x80:
        raise ValueError("server frame is masked")
    return b0 & 0x0F, await reader.readexactly(n)


async def open_one(port, sem, timeout):
    async with sem:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
        key = base64.b64encode(os.urandom(16))
        writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        want = base64.b64encode(hashlib.sha1(key + GUID).digest())
        if not head.startswith(b"HTTP/1.1 101") or want not in head:
            raise ValueError("bad handshake response: %r" % head[:60])
        return reader, writer


async def exchange(conn, i, timeout):
    reader, writer = conn
    msg = b"message from client %d" % i
    writer.write(frame(0x1, msg))
    op, data = await asyncio.wait_for(read_frame(reader), timeout)
    return op == 0x1 and data == msg


async def close_one(conn, timeout):
    reader, writer = conn
    writer.write(frame(0x8, struct.pack("!H", 1000)))
    op, data = await asyncio.wait_for(read_frame(reader), timeout)
    ok = op == 0x8 and data[:2] == struct.pack("!H", 1000)
    rest = await asyncio.wait_for(reader.read(), timeout)  # server closes TCP
    writer.close()
    return ok and rest == b""


async def main():
    n, port = int(sys.argv[1]), int(sys.argv[2])
    scale = float(os.environ.get("SALON_TIMEOUT_SCALE", "1") or 1)
    timeout = 30 * scale
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 100:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 1000), hard))
        except (ValueError, OSError) as e:
            print("cannot raise the client's fd limit to %d: %s" % (n + 100, e))
            return 1
    sem = asyncio.Semaphore(200)
    results = await asyncio.gather(*(open_one(port, sem, timeout) for _ in range(n)), return_exceptions=True)
    conns = [r for r in results if not isinstance(r, BaseException)]
    errors = [r for r in results if isinstance(r, BaseException)]
    print("opened %d" % len(conns), flush=True)
    if errors:
        print("first error: %s: %s" % (type(errors[0]).__name__, errors[0]))
        return 1
    oks = await asyncio.gather(*(exchange(c, i, timeout) for i, c in enumerate(conns)), return_exceptions=True)
    print("echoed %d" % sum(1 for ok in oks if ok is True), flush=True)
    r, w = conns[0]
    w.write(frame(0x1, b"count"))
    op, data = await asyncio.wait_for(read_frame(r), timeout)
    print("server count %s" % data.decode(), flush=True)
    oks = await asyncio.gather(*(close_one(c, timeout) for c in conns), return_exceptions=True)
    print("closed %d" % sum(1 for ok in oks if ok is True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
