#!/usr/bin/python3
"""Misbehaving clients for Salon's fault tests (tests/05_close,
tests/10_scale). Standard library only.

    fault_client.py reset_mid_write PORT
        Asks the echo server for a big reply ("flood"), reads none of it
        and resets the connection (SO_LINGER 0) while the server still has
        output queued; then checks with a second connection that the
        server still answers.
    slowloris N PORT
        Opens N connections that send their handshake one byte per
        second; meanwhile a real client measures round trips. Prints how
        many slow connections the server closed and whether the real
        client's worst round trip stayed under 0.5 s (x timeout scale).
"""

import asyncio
import base64
import os
import socket
import struct
import sys
import time


def frame(opcode, payload):
    key = os.urandom(4)
    n = len(payload)
    head = struct.pack("!BB", 0x80 | opcode, 0x80 | n) if n < 126 else struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    return head + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def request(port):
    key = base64.b64encode(os.urandom(16))
    return (b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (port, key))


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(request(port))
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError("closed during handshake")
        head += chunk
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError("handshake refused: %r" % head[:40])
    return s, head.split(b"\r\n\r\n", 1)[1]


def recv_frame(s, buf):
    while True:
        if len(buf) >= 2:
            n = buf[1] & 0x7F
            pos = 2
            if n == 126 and len(buf) >= 4:
                n, pos = struct.unpack("!H", buf[2:4])[0], 4
            elif n == 127 and len(buf) >= 10:
                n, pos = struct.unpack("!Q", buf[2:10])[0], 10
            if n < 126 or pos > 2:
                if len(buf) >= pos + n:
                    return buf[0] & 0x0F, buf[pos:pos + n], buf[pos + n:]
        chunk = s.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed")
        buf += chunk


def reset_mid_write(port):
    s, _ = connect(port)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(frame(0x1, b"flood"))
    time.sleep(0.5)  # the server has queued megabytes it cannot write
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()  # RST
    print("reset sent", flush=True)
    time.sleep(0.3)
    s2, buf = connect(port)
    s2.sendall(frame(0x1, b"are you there"))
    op, data, buf = recv_frame(s2, buf)
    print("second client:", data.decode(), flush=True)
    s2.sendall(frame(0x8, struct.pack("!H", 1000)))
    op, data, buf = recv_frame(s2, buf)
    print("second client close:", struct.unpack("!H", data[:2])[0], flush=True)
    s2.close()


async def slowloris(n, port):
    scale = float(os.environ.get("SALON_TIMEOUT_SCALE", "1") or 1)
    req = request(port)
    closed = 0

    async def slow():
        nonlocal closed
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for i in range(len(req)):
            try:
                writer.write(req[i:i + 1])
                await writer.drain()
            except (ConnectionError, OSError):
                closed += 1
                return
            try:
                data = await asyncio.wait_for(reader.read(1024), 1.0)
            except asyncio.TimeoutError:
                continue
            except (ConnectionError, OSError):
                closed += 1
                return
            if data == b"" or not data.startswith(b"HTTP/1.1 101"):
                closed += 1
                return
            writer.close()
            return  # a 101 for a slow client: not expected
        writer.close()

    async def real():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(request(port))
        await reader.readuntil(b"\r\n\r\n")
        worst = 0.0
        for i in range(30):
            t = time.monotonic()
            writer.write(frame(0x1, b"ping %d" % i))
            hdr = await reader.readexactly(2)
            await reader.readexactly(hdr[1] & 0x7F)
            worst = max(worst, time.monotonic() - t)
            await asyncio.sleep(0.1)
        writer.write(frame(0x8, struct.pack("!H", 1000)))
        await reader.read()
        return worst

    slow_tasks = [asyncio.ensure_future(slow()) for _ in range(n)]
    await asyncio.sleep(0.5)
    worst = await real()
    await asyncio.wait(slow_tasks, timeout=10 * scale)
    print("slow connections closed by the server: %d of %d" % (closed, n))
    print("real client worst round trip %s" % ("under 0.5 s" if worst < 0.5 * scale else "%.3f s" % worst))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "reset_mid_write":
        reset_mid_write(int(sys.argv[2]))
    elif mode == "slowloris":
        asyncio.run(slowloris(int(sys.argv[2]), int(sys.argv[3])))
