#!/usr/bin/python3
"""Interop client on Python websockets (Debian python3-websockets) for
tests/09_interop: exchanges text and binary messages of several sizes with
an echo server, pings it and closes cleanly, printing one line per check.

    /usr/bin/python3 client_py.py [--tls CAFILE] [SCENARIO] PORT

With --tls it connects over wss:// to 127.0.0.1 with SNI "localhost",
trusting only CAFILE, and prints the negotiated TLS version first.
"""

import asyncio
import os
import ssl
import sys

import websockets

SIZES = [0, 125, 126, 65535, 65536, 1 << 20]
# The PHPT harness scales its timeouts under valgrind (which traces this
# process too); so do these.
SCALE = max(1.0, float(os.environ.get("SALON_TIMEOUT_SCALE", "1") or 1))
SCHEME = "ws"
TLS = {}


def tls_context(cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    return ctx


def report_tls(ws):
    obj = ws.transport.get_extra_info("ssl_object")
    if obj is not None:
        print("tls %s alpn %s" % (obj.version(), obj.selected_alpn_protocol()))


async def echo(port):
    uri = "%s://127.0.0.1:%d/interop?client=python" % (SCHEME, port)
    async with websockets.connect(uri, max_size=None, compression=None, ping_interval=None,
                                  open_timeout=10 * SCALE, close_timeout=10 * SCALE, **TLS) as ws:
        report_tls(ws)
        for binary in (False, True):
            for n in SIZES:
                data = os.urandom(n) if binary else ("\u00e9" * (n // 2) + "x" * (n % 2))
                await ws.send(data)
                got = await asyncio.wait_for(ws.recv(), 20 * SCALE)
                kind = "binary" if binary else "text"
                if type(got) is not type(data):
                    print("%s %d: came back as %s" % (kind, n, type(got).__name__))
                elif got != data:
                    print("%s %d: different" % (kind, n))
                else:
                    print("%s %d ok" % (kind, n))
        waiter = await ws.ping(b"interop-ping")
        await asyncio.wait_for(waiter, 10 * SCALE)
        print("ping answered")
        await ws.close(1000, "bye from python")
        print("closed %s" % ws.close_code)


async def server_close(port):
    uri = "%s://127.0.0.1:%d/" % (SCHEME, port)
    async with websockets.connect(uri, compression=None, ping_interval=None, **TLS) as ws:
        await ws.send("close me")
        try:
            await asyncio.wait_for(ws.recv(), 10 * SCALE)
            print("unexpected message")
        except websockets.ConnectionClosed as e:  # OK only for 1000/1001
            print("server closed %s %s" % (e.rcvd.code, e.rcvd.reason))
        await ws.wait_closed()


async def main():
    global SCHEME
    if len(sys.argv) > 2 and sys.argv[1] == "--tls":
        SCHEME = "wss"
        TLS.update(ssl=tls_context(sys.argv[2]), server_hostname="localhost")
        del sys.argv[1:3]
    scenario = sys.argv[1] if len(sys.argv) > 2 else "echo"
    port = int(sys.argv[-1])
    await {"echo": echo, "server_close": server_close}[scenario](port)


if __name__ == "__main__":
    asyncio.run(main())
