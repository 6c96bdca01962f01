#!/usr/bin/python3
"""TLS probes for tests/14_tls, on Python's ssl module and raw sockets (a
small WebSocket client of its own, so that the TLS layer is in plain view).
Prints one line per observation.

    /usr/bin/python3 tls_probe.py SCENARIO [CAFILE] PORT

Scenarios:
  versions     TLS 1.2 and TLS 1.3 each negotiated and used for an echo;
               ALPN: http/1.1 picked from "h2, http/1.1"; "h2" alone gets no
               ALPN answer but still connects.
  plain        plain HTTP to the TLS port: a clear-text 400, then the server
               closes; a wss client works afterwards.
  midhandshake clients that stop mid handshake (half a ClientHello then FIN,
               a ClientHello then RST, nothing at all, a non-TLS record) while
               another connection stays open and keeps working.
  timeout      half a ClientHello, then silence: the server closes the
               connection after its handshake_timeout.
  slowread     six 1 MiB messages sent to a client with a small receive
               buffer that reads nothing until all are sent: the server's
               TLS writes block half-way and resume.
  https        GET /hello.txt over https (document_root).
  chain        verifies the server's chain against the root CA alone.
  reload       certificate reload driven by Server::reloadTls() (the
               server swaps files and reloads when told "swap-good" or
               "swap-bad" over the WebSocket).
  sighup       the same with the server only swapping the files and this
               client sending SIGHUP to its parent, the server's process.
  sighup_user  SIGHUP when the application has its own handler (pcntl).
  proxy        PROXY protocol v1 (whole and in two parts) and v2 headers in
               clear before the TLS handshake; none at all is refused.
  proxy_tlv    PROXY v2 headers with a large TLV (1,100 and 1,500 bytes, and
               the whole 2 KiB bound) written in one send with the
               ClientHello; one byte over the bound is refused.
  ciphers      TLS 1.2 with a CBC-SHA1 suite only, with the AEAD suites, and
               TLS 1.3: which ones the server accepts.
"""

import base64
import hashlib
import os
import signal
import socket
import ssl
import struct
import sys
import time

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
SCALE = max(1.0, float(os.environ.get("SALON_TIMEOUT_SCALE", "1") or 1))
HOST = "127.0.0.1"


def ctx_for(cafile, minv=None, maxv=None, alpn=("h2", "http/1.1")):
    ctx = ssl.create_default_context(cafile=cafile)
    # Python sets this by default with OpenSSL 3; without it a bare FIN
    # where a close_notify belongs is an error, as it should be here.
    ctx.options &= ~getattr(ssl, "OP_IGNORE_UNEXPECTED_EOF", 0)
    if minv:
        ctx.minimum_version = minv
    if maxv:
        ctx.maximum_version = maxv
    if alpn:
        ctx.set_alpn_protocols(list(alpn))
    return ctx


def tls_connect(port, ctx, timeout=10):
    raw = socket.create_connection((HOST, port), timeout=timeout * SCALE)
    return ctx.wrap_socket(raw, server_hostname="localhost", suppress_ragged_eofs=False)


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise EOFError("connection closed after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return buf


def ws_handshake(s, path="/"):
    key = base64.b64encode(os.urandom(16))
    s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
              b"Connection: Upgrade\r\nSec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1)
        if not chunk:
            raise EOFError("closed during the upgrade")
        head += chunk
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    if not head.startswith(b"HTTP/1.1 101") or accept not in head:
        raise RuntimeError("bad upgrade response %r" % head[:80])


def ws_frame(opcode, payload):
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    mask = os.urandom(4)
    body = (int.from_bytes(payload, "little") ^ int.from_bytes((mask * (n // 4 + 1))[:n], "little")).to_bytes(n, "little") if n else b""
    return head + mask + body


def ws_read(s):
    b0, b1 = recv_exact(s, 2)
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack("!H", recv_exact(s, 2))[0]
    elif n == 127:
        n = struct.unpack("!Q", recv_exact(s, 8))[0]
    return b0 & 0x0F, recv_exact(s, n)


def ws_send_text(s, text):
    s.sendall(ws_frame(1, text.encode()))


def ws_recv_text(s):
    op, data = ws_read(s)
    if op != 1:
        raise RuntimeError("expected a text frame, got opcode %d" % op)
    return data.decode()


def ws_close(s):
    try:
        s.sendall(ws_frame(8, struct.pack("!H", 1000)))
        ws_read(s)
        s.unwrap()
    except (OSError, EOFError, ssl.SSLError):
        pass
    s.close()


def ws_close_tls(s):
    """Close handshake, then TLS closure: with ragged EOFs not suppressed,
    recv() returns b"" only after the server's close_notify; a bare FIN
    raises SSLEOFError."""
    s.sendall(ws_frame(8, struct.pack("!H", 1000)))
    op, data = ws_read(s)
    try:
        notify = "yes" if s.recv(1) == b"" else "no (more data)"
    except (OSError, ssl.SSLError) as e:
        notify = "no (%s)" % type(e).__name__
    s.close()
    return "close %d, close_notify received: %s" % (struct.unpack("!H", data[:2])[0] if op == 8 else -1, notify)


def wss(port, cafile, path="/", **kw):
    s = tls_connect(port, ctx_for(cafile, **kw))
    ws_handshake(s, path)
    return s


def echo_ok(s, text):
    ws_send_text(s, text)
    return ws_recv_text(s) == text


def client_hello():
    """The first flight of a real TLS client, taken from a memory BIO."""
    ctx = ssl.create_default_context()
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def wait_eof(s, limit):
    """Seconds until the peer closed (None if it did not within limit)."""
    t0 = time.monotonic()
    s.settimeout(limit)
    try:
        while s.recv(4096):
            pass
    except socket.timeout:
        return None
    except OSError:
        pass
    return time.monotonic() - t0


def peer_cert(s):
    c = s.getpeercert()
    subject = dict(x[0] for x in c["subject"])
    return "serial %s O=%s" % (c["serialNumber"], subject.get("organizationName"))


# -- scenarios --------------------------------------------------------------

def versions(cafile, port):
    for name, kw in (("1.2", {"maxv": ssl.TLSVersion.TLSv1_2}), ("1.3", {"minv": ssl.TLSVersion.TLSv1_3})):
        s = wss(port, cafile, **kw)
        print("asked %s: got %s, alpn %s, echo %s" % (name, s.version(), s.selected_alpn_protocol(),
                                                      "ok" if echo_ok(s, "over TLS " + name) else "wrong"))
        print("asked %s: %s" % (name, ws_close_tls(s)))
    s = wss(port, cafile, alpn=("h2",))
    print("alpn h2 only: got %s, echo %s" % (s.selected_alpn_protocol(), "ok" if echo_ok(s, "h2") else "wrong"))
    ws_close(s)


def plain(cafile, port):
    s = socket.create_connection((HOST, port), timeout=10 * SCALE)
    s.sendall(b"GET /chat HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n\r\n")
    data = b""
    s.settimeout(10 * SCALE)
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        print("plain: no EOF from the server")
    head, _, body = data.partition(b"\r\n\r\n")
    print("plain: %s" % head.split(b"\r\n")[0].decode())
    print("plain: %s" % body.decode().strip())
    s.close()
    s = wss(port, cafile)
    print("then wss: echo %s" % ("ok" if echo_ok(s, "after plain") else "wrong"))
    ws_close(s)


def midhandshake(cafile, port):
    keep = wss(port, cafile)
    print("open connection: echo %s" % ("ok" if echo_ok(keep, "before") else "wrong"))
    hello = client_hello()

    s = socket.create_connection((HOST, port))
    s.sendall(hello[: len(hello) // 2])
    s.shutdown(socket.SHUT_WR)
    print("half ClientHello then FIN: server closed %s" % ("yes" if wait_eof(s, 10 * SCALE) is not None else "no"))
    s.close()

    s = socket.create_connection((HOST, port))
    s.sendall(hello)
    s.settimeout(10 * SCALE)
    got = s.recv(5)  # the ServerHello is on its way
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()  # RST in the middle of the handshake
    print("ClientHello then RST: server had answered %s" % ("a handshake record" if got[:1] == b"\x16" else repr(got)))

    s = socket.create_connection((HOST, port))
    s.close()
    print("connect then close: done")

    s = socket.create_connection((HOST, port))
    s.sendall(b"\x16\x03\x01\x00\x05hello")
    print("not a ClientHello: server closed %s" % ("yes" if wait_eof(s, 10 * SCALE) is not None else "no"))
    s.close()

    print("open connection after all that: echo %s" % ("ok" if echo_ok(keep, "after") else "wrong"))
    ws_close(keep)
    s = wss(port, cafile)
    print("new connection: echo %s" % ("ok" if echo_ok(s, "new") else "wrong"))
    ws_close(s)


def timeout(cafile, port):
    hello = client_hello()
    s = socket.create_connection((HOST, port))
    s.sendall(hello[:20])
    took = wait_eof(s, 10 * SCALE)
    if took is None:
        print("stalled handshake: still open after 10 s")
    else:
        print("stalled handshake: closed by the server after %s" % ("handshake_timeout" if took >= 0.3 * SCALE else "%.2f s" % took))
    s.close()


def slowread(cafile, port):
    ctx = ctx_for(cafile)
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    raw.settimeout(60 * SCALE)
    raw.connect((HOST, port))
    s = ctx.wrap_socket(raw, server_hostname="localhost")
    ws_handshake(s)
    msgs = [os.urandom(1 << 20) for _ in range(6)]
    for m in msgs:
        s.sendall(ws_frame(2, m))
        time.sleep(0.05)
    ok = 0
    for m in msgs:
        op, data = ws_read(s)
        ok += op == 2 and data == m
    print("slowread: %d of %d messages of 1 MiB came back intact" % (ok, len(msgs)))
    ws_close(s)


def https_get(cafile, port, path, slow_until=0):
    """GET path over https; reads 16 KiB at a time, pausing 2 ms after each
    read until slow_until bytes came (so that the server's writes meet a
    full socket). Returns (status line, headers as bytes, body)."""
    s = tls_connect(port, ctx_for(cafile))
    s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(16384)
        if not chunk:
            break
        data += chunk
        if len(data) < slow_until:
            time.sleep(0.002)
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    return lines[0].decode(), lines[1:], body


def https(cafile, port):
    status, _, body = https_get(cafile, port, b"/hello.txt")
    print("https: %s, body %r" % (status, body.decode()))
    # big.bin, when the test made one: streamed from the file over TLS in
    # chunks, read slowly at first.
    status, headers, body = https_get(cafile, port, b"/big.bin", 1 << 20)
    if status.endswith("404 Not Found"):
        return
    length = [int(v) for k, _, v in (h.partition(b":") for h in headers) if k.lower() == b"content-length"]
    print("https big: %s, %s, sha1 %s" % (status, "length-ok" if length == [len(body)] else "length %d vs %s" % (len(body), length),
                                          hashlib.sha1(body).hexdigest()))


def chain(cafile, port):
    try:
        s = wss(port, cafile)
    except ssl.SSLCertVerificationError as e:
        print("chain: not verified (%s)" % e.verify_message)
        return
    print("chain: verified, %s, echo %s" % (peer_cert(s), "ok" if echo_ok(s, "chain") else "wrong"))
    ws_close(s)


def fresh_cert(port, cafile):
    s = wss(port, cafile)
    cert = peer_cert(s)
    ws_close(s)
    return cert


def reload_(cafile, port, by_signal=False):
    c1 = wss(port, cafile)
    print("conn1: %s" % peer_cert(c1))
    print("conn1: echo %s" % ("ok" if echo_ok(c1, "one") else "wrong"))

    ws_send_text(c1, "swap-good")
    print("server: %s" % ws_recv_text(c1))
    if by_signal:
        os.kill(os.getppid(), signal.SIGHUP)
        cert, deadline = fresh_cert(port, cafile), time.monotonic() + 5 * SCALE
        while "serial 2002" not in cert and time.monotonic() < deadline:
            time.sleep(0.05)
            cert = fresh_cert(port, cafile)
    else:
        cert = fresh_cert(port, cafile)
    print("conn2 (new): %s" % cert)
    print("conn1 (open since before): %s, echo %s" % (peer_cert(c1), "ok" if echo_ok(c1, "still here") else "wrong"))

    ws_send_text(c1, "swap-bad")
    print("server: %s" % ws_recv_text(c1))
    if by_signal:
        os.kill(os.getppid(), signal.SIGHUP)
        print("server: %s" % ws_recv_text(c1))  # the error handler's report
    print("conn3 (new): %s" % fresh_cert(port, cafile))
    print("conn1: echo %s" % ("ok" if echo_ok(c1, "still") else "wrong"))
    ws_close(c1)


def sighup_user(cafile, port):
    """The application has its own SIGHUP handler: Salon must not reload."""
    c1 = wss(port, cafile)
    print("conn1: %s" % peer_cert(c1))
    ws_send_text(c1, "swap-good")
    print("server: %s" % ws_recv_text(c1))
    os.kill(os.getppid(), signal.SIGHUP)
    print("server: %s" % ws_recv_text(c1))  # what the user's handler broadcast
    print("conn2 (new): %s" % fresh_cert(port, cafile))
    ws_close(c1)


def proxied(cafile, port, header, split=False):
    """A PROXY protocol header in clear, then TLS on the same socket."""
    raw = socket.create_connection((HOST, port), timeout=10 * SCALE)
    if split:
        raw.sendall(header[:9])
        time.sleep(0.2)
        raw.sendall(header[9:])
    else:
        raw.sendall(header)
    s = ctx_for(cafile).wrap_socket(raw, server_hostname="localhost")
    ws_handshake(s)
    ok = echo_ok(s, "proxied")
    ws_close(s)
    return ok


def proxy(cafile, port):
    print("v1 header: echo %s" % ("ok" if proxied(cafile, port, b"PROXY TCP4 203.0.113.7 127.0.0.1 5555 443\r\n") else "wrong"))
    print("v1 header in two parts: echo %s" % (
        "ok" if proxied(cafile, port, b"PROXY TCP4 198.51.100.9 127.0.0.1 6666 443\r\n", split=True) else "wrong"))
    v2 = (b"\r\n\r\n\x00\r\nQUIT\n" + bytes([0x21, 0x11]) + struct.pack("!H", 12) +
          socket.inet_aton("192.0.2.1") + socket.inet_aton("127.0.0.1") + struct.pack("!HH", 7777, 443))
    print("v2 header: echo %s" % ("ok" if proxied(cafile, port, v2) else "wrong"))
    try:
        wss(port, cafile)
        print("no PROXY header: connected (wrong)")
    except (OSError, ssl.SSLError, EOFError) as e:
        print("no PROXY header: refused (%s)" % type(e).__name__)


class BioTls:
    """TLS over a memory BIO on a connected socket, so that the bytes of
    the first flight can be sent in the same write as a prefix (a PROXY
    header and the ClientHello in one segment, as a load balancer does)."""

    def __init__(self, raw, ctx, prefix=b""):
        self.raw = raw
        self.inc, self.out = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.obj = ctx.wrap_bio(self.inc, self.out, server_hostname="localhost")
        try:
            self.obj.do_handshake()
        except ssl.SSLWantReadError:
            pass
        raw.sendall(prefix + self.out.read())
        self._pump(self.obj.do_handshake)

    def _pump(self, fn, *args):
        while True:
            try:
                r = fn(*args)
            except ssl.SSLWantReadError:
                self._flush()
                data = self.raw.recv(65536)
                if not data:
                    raise EOFError("closed by the server")
                self.inc.write(data)
                continue
            self._flush()
            return r

    def _flush(self):
        data = self.out.read()
        if data:
            self.raw.sendall(data)

    def sendall(self, data):
        self._pump(self.obj.write, data)

    def recv(self, n):
        return self._pump(self.obj.read, n)

    def unwrap(self):
        self._pump(self.obj.unwrap)

    def close(self):
        self.raw.close()


def proxy_v2(src, tlv_len):
    """A v2 PROXY header (PROXY, TCP over IPv4) from src:8888 with one
    type 0xEE (unassigned) TLV of tlv_len bytes."""
    body = (socket.inet_aton(src) + socket.inet_aton("127.0.0.1") + struct.pack("!HH", 8888, 443) +
            bytes([0xEE]) + struct.pack("!H", tlv_len) + b"x" * tlv_len)
    return b"\r\n\r\n\x00\r\nQUIT\n" + bytes([0x21, 0x11]) + struct.pack("!H", len(body)) + body


def proxy_tlv(cafile, port):
    # 12 address bytes + 3 of TLV header + the value: 2,048 is the bound.
    for label, src, tlv in (("1,100-byte TLV", "192.0.2.11", 1100), ("1,500-byte TLV", "192.0.2.15", 1500),
                            ("2,048-byte block (the bound)", "192.0.2.20", 2048 - 15),
                            ("2,049-byte block", "192.0.2.21", 2049 - 15)):
        raw = socket.create_connection((HOST, port), timeout=10 * SCALE)
        try:
            s = BioTls(raw, ctx_for(cafile), proxy_v2(src, tlv))
            ws_handshake(s)
            print("%s with the ClientHello: echo %s" % (label, "ok" if echo_ok(s, "proxied") else "wrong"))
            ws_close(s)
        except (OSError, ssl.SSLError, EOFError) as e:
            print("%s with the ClientHello: refused (%s)" % (label, type(e).__name__))
            raw.close()


def ciphers(cafile, port):
    tries = (("TLS 1.2, ECDHE-ECDSA-AES128-SHA only (CBC, SHA-1)", ssl.TLSVersion.TLSv1_2, "ECDHE-ECDSA-AES128-SHA"),
             ("TLS 1.2, AES-CBC suites only", ssl.TLSVersion.TLSv1_2, "AES+SHA1:AES+SHA256:AES+SHA384:!AESGCM:!AESCCM"),
             ("TLS 1.2, the client's defaults", ssl.TLSVersion.TLSv1_2, None),
             ("TLS 1.3", None, None))
    for label, maxv, suites in tries:
        ctx = ctx_for(cafile, maxv=maxv, minv=None if maxv else ssl.TLSVersion.TLSv1_3)
        if suites:
            ctx.set_ciphers(suites)
        try:
            s = tls_connect(port, ctx)
            ws_handshake(s)
            name, version = s.cipher()[0], s.version()
            aead = "GCM" in name or "CHACHA20" in name or version == "TLSv1.3"
            print("%s: connected, %s %s (AEAD: %s), echo %s" % (label, version, name, "yes" if aead else "no",
                                                               "ok" if echo_ok(s, "cipher") else "wrong"))
            ws_close(s)
        except (OSError, ssl.SSLError, EOFError) as e:
            print("%s: refused (%s)" % (label, type(e).__name__))


def main():
    scenario, port = sys.argv[1], int(sys.argv[-1])
    cafile = sys.argv[2] if len(sys.argv) > 3 else None
    fn = {"versions": versions, "plain": plain, "midhandshake": midhandshake, "timeout": timeout,
          "slowread": slowread, "https": https, "chain": chain, "reload": reload_,
          "sighup": lambda ca, p: reload_(ca, p, by_signal=True), "sighup_user": sighup_user,
          "proxy": proxy, "proxy_tlv": proxy_tlv, "ciphers": ciphers}[scenario]
    try:
        fn(cafile, port)
    except Exception as e:  # the test's EXPECT shows what went wrong
        print("error: %s: %s" % (type(e).__name__, e))
        sys.exit(1)


if __name__ == "__main__":
    main()
