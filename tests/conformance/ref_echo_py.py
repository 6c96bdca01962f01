#!/usr/bin/python3
"""Reference echo server on Python websockets (Debian python3-websockets),
used to validate autobahn.py against an independent implementation.

    /usr/bin/python3 ref_echo_py.py [PORT] [--deflate]     (0 = a free port)

Prints "listening on ws://127.0.0.1:PORT" once it accepts connections.
Compression is off unless --deflate (permessage-deflate with websockets'
defaults, for sections 12 and 13) and the message size limit is 16 MiB, as
for Salon's conformance run."""

import asyncio
import sys

import websockets


async def echo(ws, path=None):
    try:
        async for msg in ws:
            await ws.send(msg)  # str goes back as text, bytes as binary
    except websockets.ConnectionClosed:
        pass


async def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9002
    compression = "deflate" if "--deflate" in sys.argv[2:] else None
    async with websockets.serve(echo, "127.0.0.1", port, compression=compression,
                                max_size=16 * 1024 * 1024, max_queue=None,
                                ping_interval=None) as server:
        port = server.sockets[0].getsockname()[1]
        print("listening on ws://127.0.0.1:%d" % port, flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
