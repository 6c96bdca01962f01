#!/usr/bin/python3
"""permessage-deflate interop on Python websockets (Debian python3-websockets,
which offers compression by default) for tests/13_deflate: with the default
offer, and with one asking for no context takeover and 10-bit windows,
exchanges messages of 0 B, 1 B, 100 KiB and 1 MiB of text, 1 MiB of random
binary and a chat line three times with an echo server, printing the negotiated
extension and, per message, whether it came back equal and whether it was
compressed on the wire (bytes the transport received).

    /usr/bin/python3 deflate_py.py [--tls CAFILE] PORT

With --tls (tests/14_tls) it connects over wss:// to 127.0.0.1 with SNI
"localhost", trusting only CAFILE, and prints the TLS version first; the
bytes counted are then those TLS decrypted.
"""

import asyncio
import os
import ssl
import sys

import websockets
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory


class Counting(websockets.WebSocketClientProtocol):
    received = 0

    def data_received(self, data):
        self.received += len(data)
        super().data_received(data)


def chat_text(n):
    parts, size, i = [], 0, 0
    while size < n + 100:
        parts.append(('{"type":"message","user":"user%d","text":"h\u00e9llo w\u00f6rld %d"}' % (i % 7, i)).encode())
        size += len(parts[-1])
        i += 1
    b = b"".join(parts)[:n]
    while True:
        try:
            return b.decode()
        except UnicodeDecodeError:
            b = b[:-1] + b"x"


async def run(port, mode, extensions, cafile):
    kw = {} if extensions is None else {"extensions": extensions}
    if cafile is not None:
        kw.update(ssl=ssl.create_default_context(cafile=cafile), server_hostname="localhost")
    uri = "%s://127.0.0.1:%d/" % ("ws" if cafile is None else "wss", port)
    async with websockets.connect(uri, max_size=None, ping_interval=None,
                                  create_protocol=Counting, open_timeout=10, close_timeout=10, **kw) as ws:
        tls = ws.transport.get_extra_info("ssl_object")
        if tls is not None:
            print("%s: tls %s" % (mode, tls.version()))
        print("%s: %s" % (mode, ws.response_headers.get("Sec-WebSocket-Extensions", "(none)")))
        line = '{"type":"message","room":"lobby","user":"alice","text":"hello everybody, how are you today?"}'
        msgs = [("text 0", ""), ("text 1", "x"), ("text 100 KiB", chat_text(102400)),
                ("text 1 MiB", chat_text(1 << 20)),
                ("binary 1 MiB random", os.urandom(1 << 20))]
        for name, data in msgs:
            before = ws.received
            await ws.send(data)
            got = await asyncio.wait_for(ws.recv(), 20)
            wire = ws.received - before
            size = len(data.encode()) if isinstance(data, str) else len(data)
            how = "compressed on the wire" if size >= 64 and wire < size / 2 else "full size on the wire"
            print("  %s: %s, %s" % (name, "same" if got == data and type(got) is type(data) else "DIFFERENT", how))
        # Context takeover: the same line again costs a few bytes.
        wires, same = [], True
        for _i in range(3):
            before = ws.received
            await ws.send(line)
            got = await asyncio.wait_for(ws.recv(), 20)
            wires.append(ws.received - before)
            same = same and got == line
        if wires[1] < wires[0] / 2 and wires[2] < wires[0] / 2:
            later = "later ones far smaller on the wire"
        elif wires[0] == wires[1] == wires[2]:
            later = "the same size on the wire each time"
        else:
            later = "/".join(map(str, wires))
        print("  chat line x3: %s, %s" % ("same" if same else "DIFFERENT", later))
        await ws.close(1000)
        print("  closed %s" % ws.close_code)


async def main():
    port = int(sys.argv[-1])
    cafile = sys.argv[sys.argv.index("--tls") + 1] if "--tls" in sys.argv else None
    await run(port, "default", None, cafile)
    await run(port, "no takeover, 10-bit windows", [ClientPerMessageDeflateFactory(
        server_no_context_takeover=True, client_no_context_takeover=True,
        server_max_window_bits=10, client_max_window_bits=10)], cafile)


if __name__ == "__main__":
    asyncio.run(main())
