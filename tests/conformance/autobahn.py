#!/usr/bin/python3
"""Autobahn|Testsuite-style conformance client for WebSocket echo servers.

An independent implementation written from RFC 6455 (and RFC 3629 for
UTF-8, RFC 7692 for permessage-deflate). It follows the case families and
numbering of Autobahn's fuzzingclient (sections 1-7, 9, 10, 12 and 13) so
results can be compared, but it shares no code with it. Python 3 standard
library only (zlib for permessage-deflate, with its own framing).

The server under test must echo every text message as text and every binary
message as binary, answer pings, and run the close handshake.

    autobahn.py --host 127.0.0.1 --port 9001 [--cases 1.*,5.*] [--limits]
                [--deflate [--full]] [--report out.json] [--strict]
                [--close-codes salon|iana] [--tls [--tls-ca CAFILE]]

--tls runs every case over wss:// (TLS from Python's ssl module; the
certificate is not verified unless --tls-ca names the CA to trust). A TLS
error while reading (a bad record, an alert) counts as a connection reset.

Sections 12 and 13 (permessage-deflate) run only with --deflate. Their
message counts are scaled to about 1 MiB of payload per case (Autobahn's
1000 messages per case with --full).

Results per case:
  OK             the server did what the RFC requires.
  NON-STRICT     acceptable, but not the strict behaviour (for example an
                 invalid UTF-8 byte detected only at the end of the message
                 instead of as soon as it arrived, or a TCP drop instead of a
                 close frame). Counted as passed unless --strict is given.
  INFORMATIONAL  no requirement; what the server did is recorded.
  FAILED         the server broke a requirement; the reason says which.

The last line printed is "conformance: N passed, N failed".
"""

import argparse
import base64
import fnmatch
import hashlib
import json
import os
import random
import re
import socket
import ssl
import struct
import sys
import time
import zlib

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

OP_CONT, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA
OP_NAMES = {0: "continuation", 1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong"}

OK, NON_STRICT, INFORMATIONAL, FAILED = "OK", "NON-STRICT", "INFORMATIONAL", "FAILED"

# How long the server has to close TCP once the close handshake is done.
TCP_CLOSE_WAIT = 2.0


class CaseFailed(Exception):
    pass


class Timeout(Exception):
    pass


def mask_payload(key, data):
    """RFC 6455 §5.3: octet i of the payload is XORed with key[i % 4]."""
    n = len(data)
    if n == 0:
        return b""
    k = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "little") ^ int.from_bytes(k, "little")).to_bytes(n, "little")


def build_frame(opcode, payload=b"", fin=True, rsv=0, mask=True, length=None, len_form=None):
    """Encodes one frame (RFC 6455 §5.2). Every argument can be wrong on
    purpose: rsv bits, reserved opcodes, no mask, a claimed length that is not
    the payload's (length=), or a longer length form than needed
    (len_form=16 or 64). A fresh random masking key is drawn per frame."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    n = len(payload) if length is None else length
    b0 = (0x80 if fin else 0) | ((rsv & 7) << 4) | (opcode & 0xF)
    m = 0x80 if mask else 0
    if len_form is None:
        len_form = 7 if n < 126 else (16 if n < 65536 else 64)
    if len_form == 7:
        head = struct.pack("!BB", b0, m | n)
    elif len_form == 16:
        head = struct.pack("!BBH", b0, m | 126, n)
    else:
        head = struct.pack("!BBQ", b0, m | 127, n)
    if mask:
        key = os.urandom(4)
        return head + key + mask_payload(key, payload)
    return head + payload


def close_payload(code=None, reason=b""):
    if code is None:
        return b""
    if isinstance(reason, str):
        reason = reason.encode("utf-8")
    return struct.pack("!H", code) + reason


def is_utf8(b):
    try:
        b.decode("utf-8", "strict")
        return True
    except UnicodeDecodeError:
        return False


def hexs(b, limit=40):
    h = b[:limit].hex()
    return h + ("..." if len(b) > limit else "")


# ---------------------------------------------------------------------------
# permessage-deflate (RFC 7692), client side

PMD_PARAMS = ("server_no_context_takeover", "client_no_context_takeover",
              "server_max_window_bits", "client_max_window_bits")


def format_offers(offers):
    """[{"server_max_window_bits": "8", "client_max_window_bits": None}, ...]
    -> "permessage-deflate; server_max_window_bits=8; client_max_window_bits, ..."."""
    out = []
    for params in offers:
        parts = ["permessage-deflate"]
        for name, value in params.items():
            parts.append(name if value is None else "%s=%s" % (name, value))
        out.append("; ".join(parts))
    return ", ".join(out)


def parse_extension_header(value):
    """Parses an extension list (RFC 6455 §9.1) into [(name, {param: value
    or None})], or raises ValueError. Duplicate parameters are kept apart
    in the returned "dups" list of the element."""
    token = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
    quoted = r'"(?:[^"\\]|\\.)*"'
    elems = []
    pos = 0
    value = value.strip()
    while pos < len(value):
        m = re.compile(r"[ \t]*(%s)[ \t]*" % token).match(value, pos)
        if not m:
            raise ValueError("bad extension name at %r" % value[pos:])
        name, params, dups = m.group(1), {}, []
        pos = m.end()
        while pos < len(value) and value[pos] == ";":
            m = re.compile(r";[ \t]*(%s)[ \t]*(?:=[ \t]*(%s|%s)[ \t]*)?" % (token, token, quoted)).match(value, pos)
            if not m:
                raise ValueError("bad parameter at %r" % value[pos:])
            pname, pval = m.group(1), m.group(2)
            if pval is not None and pval.startswith('"'):
                pval = re.sub(r"\\(.)", r"\1", pval[1:-1])
            if pname in params:
                dups.append(pname)
            params[pname] = pval
            pos = m.end()
        elems.append((name, params, dups))
        if pos < len(value):
            if value[pos] != ",":
                raise ValueError("expected ',' at %r" % value[pos:])
            pos += 1
    return elems


def window_bits(value):
    """RFC 7692 §7.1.2: 8-15, decimal without leading zeros; None if not."""
    if value is None or not re.fullmatch(r"[1-9][0-9]?", value) or not 8 <= int(value) <= 15:
        return None
    return int(value)


def check_pmd_response(offers, header):
    """Checks the server's answer against what was offered (RFC 7692
    §7.1): one permessage-deflate element whose parameters are known,
    not repeated, well-formed and allowed by one of the offers. Returns
    (params, None) or (None, reason)."""
    try:
        elems = parse_extension_header(header)
    except ValueError as e:
        return None, "malformed Sec-WebSocket-Extensions: %s" % e
    if len(elems) != 1 or elems[0][0] != "permessage-deflate":
        return None, "expected one permessage-deflate element in the answer"
    _name, params, dups = elems[0]
    if dups:
        return None, "parameter %s named twice" % dups[0]
    for name, value in params.items():
        if name not in PMD_PARAMS:
            return None, "unknown parameter %s" % name
        if name.endswith("no_context_takeover") and value is not None:
            return None, "%s has a value" % name
        if name.endswith("max_window_bits") and window_bits(value) is None:
            return None, "%s=%r is not 8-15 (a response must give a value)" % (name, value)
    for offer in offers:
        if "server_no_context_takeover" in offer and "server_no_context_takeover" not in params:
            continue  # §7.1.1.1: a request for it must be honoured
        if "server_max_window_bits" in offer:
            # §7.1.2.1: accepted with the same or a smaller value.
            if "server_max_window_bits" not in params:
                continue
            if window_bits(params["server_max_window_bits"]) > int(offer["server_max_window_bits"]):
                continue
        if "client_max_window_bits" in params:
            # §7.1.2.2: only if offered, and not above the offered value.
            if "client_max_window_bits" not in offer:
                continue
            offered = offer["client_max_window_bits"]
            if offered is not None and window_bits(params["client_max_window_bits"]) > int(offered):
                continue
        return params, None
    return None, "the answer fits none of the offers"


class PerMessageDeflate:
    """One connection's agreed parameters and zlib streams. The server's
    messages are inflated strictly within the agreed window: zlib lets a
    match reach into everything one call produced, so output is taken in
    64-byte steps whenever the window is under 32 KiB; and with
    server_no_context_takeover each message gets a fresh decompressor, so
    a server that kept its context fails here."""

    def __init__(self, params):
        self.params = params
        self.server_nct = "server_no_context_takeover" in params
        self.client_nct = "client_no_context_takeover" in params
        self.server_bits = window_bits(params.get("server_max_window_bits")) or 15
        self.client_bits = window_bits(params.get("client_max_window_bits")) or 15
        self.encoder = None
        self.decoder = None
        self.compressed_in = 0
        self.messages_in = 0

    def compress(self, payload):
        if self.encoder is None or self.client_nct:
            bits, strategy = self.client_bits, zlib.Z_DEFAULT_STRATEGY
            if bits < 9:  # zlib cannot deflate in a 256-byte window: matches of distance 1 only
                bits, strategy = 9, zlib.Z_RLE
            self.encoder = zlib.compressobj(6, zlib.DEFLATED, -bits, 8, strategy)
        data = self.encoder.compress(payload) + self.encoder.flush(zlib.Z_SYNC_FLUSH)
        if data.endswith(b"\x00\x00\xff\xff"):
            data = data[:-4]
        return data or b"\x00"

    def decompress(self, payload, fail):
        self.messages_in += 1
        self.compressed_in += 1
        if self.decoder is None or self.server_nct:
            self.decoder = zlib.decompressobj(-self.server_bits)
        data = payload + b"\x00\x00\xff\xff"
        step = 0 if self.server_bits == 15 else 64
        out = []
        try:
            if not step:
                out.append(self.decoder.decompress(data))
            else:
                while data:
                    out.append(self.decoder.decompress(data, step))
                    data = self.decoder.unconsumed_tail
        except zlib.error as e:
            fail("server's compressed message does not inflate with a %d-bit window%s: %s" % (
                self.server_bits, " from an empty window (server_no_context_takeover)" if self.server_nct else "", e))
        if self.decoder.eof:
            # A final block ends the stream; a new one starts empty.
            self.decoder = None
        return b"".join(out)


class Conn:
    """A client connection with its own framing code."""

    def __init__(self, host, port, path="/", deadline=None, first_bytes=b"", tls=None, offers=None):
        self.host, self.port = host, port
        self.offers = offers  # permessage-deflate offers (list of param dicts), or None
        self.pmd = None       # PerMessageDeflate once negotiated
        self.frag_rsv1 = False
        self.buf = bytearray()
        self.eof = None  # None, "fin" or "reset"
        self.write_error = None
        self.frag_op = None
        self.frag_data = bytearray()
        self.closed_by_server_first = None
        self.deadline = deadline or (time.monotonic() + 5)
        try:
            self.sock = socket.create_connection((host, port), timeout=max(0.1, self.deadline - time.monotonic()))
        except OSError as e:
            raise CaseFailed("cannot connect to %s:%d: %s" % (host, port, e))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if tls is not None:
            try:
                self.sock = tls.wrap_socket(self.sock, server_hostname=None if tls.check_hostname is False else host)
            except (OSError, ssl.SSLError) as e:
                self.sock.close()
                raise CaseFailed("TLS handshake with %s:%d failed: %s" % (host, port, e))
        self._handshake(path, first_bytes)

    # -- handshake (RFC 6455 §4.1) -------------------------------------
    def _handshake(self, path, first_bytes):
        key = base64.b64encode(os.urandom(16))
        ext = ""
        if self.offers is not None:
            ext = "Sec-WebSocket-Extensions: %s\r\n" % format_offers(self.offers)
        req = (
            "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nUser-Agent: salon-conformance\r\n%s\r\n"
            % (path, self.host, self.port, key.decode(), ext)
        ).encode()
        self.sock.settimeout(max(0.1, self.deadline - time.monotonic()))
        try:
            self.sock.sendall(req + first_bytes)
        except OSError as e:
            raise CaseFailed("handshake: send failed: %s" % e)
        while b"\r\n\r\n" not in self.buf:
            if len(self.buf) > 16384:
                raise CaseFailed("handshake: response head over 16 KiB")
            chunk = self._recv_some()
            if chunk is None:
                raise CaseFailed("handshake: timeout waiting for the 101 response")
            if chunk == b"":
                raise CaseFailed("handshake: connection closed before the response was complete")
        head, _, rest = bytes(self.buf).partition(b"\r\n\r\n")
        self.buf = bytearray(rest)
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or parts[0] != "HTTP/1.1" or parts[1] != "101":
            raise CaseFailed("handshake: expected 'HTTP/1.1 101', got %r" % lines[0])
        headers = {}
        for line in lines[1:]:
            if ":" not in line:
                raise CaseFailed("handshake: malformed header line %r" % line)
            name, value = line.split(":", 1)
            name = name.strip().lower()
            value = value.strip()
            headers[name] = headers[name] + ", " + value if name in headers else value
        if headers.get("upgrade", "").lower() != "websocket":
            raise CaseFailed("handshake: Upgrade header is %r" % headers.get("upgrade"))
        tokens = [t.strip().lower() for t in headers.get("connection", "").split(",")]
        if "upgrade" not in tokens:
            raise CaseFailed("handshake: Connection header %r lacks 'Upgrade'" % headers.get("connection"))
        accept = base64.b64encode(hashlib.sha1(key + GUID).digest()).decode()
        if headers.get("sec-websocket-accept") != accept:
            raise CaseFailed("handshake: Sec-WebSocket-Accept %r, expected %r" % (headers.get("sec-websocket-accept"), accept))
        # §4.1: an extension that was not offered may not be accepted.
        if "sec-websocket-extensions" in headers:
            if self.offers is None:
                raise CaseFailed("handshake: server selected an extension that was not offered: %r" % headers["sec-websocket-extensions"])
            params, error = check_pmd_response(self.offers, headers["sec-websocket-extensions"])
            if error:
                raise CaseFailed("handshake: %s (offered %r, answered %r)" % (
                    error, format_offers(self.offers), headers["sec-websocket-extensions"]))
            self.pmd = PerMessageDeflate(params)
        if "sec-websocket-protocol" in headers:
            raise CaseFailed("handshake: server selected a subprotocol that was not offered")

    # -- low-level I/O ------------------------------------------------------
    def _recv_some(self):
        """Returns bytes, b"" at EOF, or None at the deadline."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return None
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(1 << 20)
        except socket.timeout:
            return None
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError):
            self.eof = "reset"
            return b""
        if chunk == b"":
            self.eof = self.eof or "fin"
            return b""
        self.buf += chunk
        return chunk

    def send_raw(self, data, chop=None, delay=0.0):
        """Writes bytes, optionally in chops of `chop` octets with `delay`
        seconds between them. A write error (the server closed) is recorded,
        not raised: what the server sent before is still read afterwards."""
        if self.write_error:
            return False
        step = chop or len(data) or 1
        try:
            for i in range(0, max(len(data), 1), step):
                remaining = self.deadline - time.monotonic()
                if remaining <= 0:
                    self.write_error = "deadline while writing"
                    return False
                self.sock.settimeout(remaining)
                self.sock.sendall(data[i:i + step])
                if delay and i + step < len(data):
                    time.sleep(delay)
        except socket.timeout:
            self.write_error = "write timed out (server not reading)"
            return False
        except OSError as e:
            self.write_error = "write failed: %s" % e.strerror
            return False
        return True

    def send(self, opcode, payload=b"", fin=True, rsv=0, mask=True, chop=None, delay=0.0, **kw):
        return self.send_raw(build_frame(opcode, payload, fin, rsv, mask, **kw), chop, delay)

    def send_compressed(self, opcode, payload, frag=None):
        """A message compressed per RFC 7692 §7.2.1, RSV1 on its first
        frame only, the compressed bytes cut into frames of `frag` octets."""
        data = self.pmd.compress(payload)
        if not frag or frag >= len(data):
            return self.send(opcode, data, rsv=4)
        frames = []
        for i in range(0, len(data), frag):
            first = i == 0
            frames.append(build_frame(opcode if first else OP_CONT, data[i:i + frag], fin=i + frag >= len(data),
                                      rsv=4 if first else 0))
        return self.send_raw(b"".join(frames))

    def read_frame(self, until):
        """Reads one frame. Returns (fin, rsv, opcode, masked, payload), "eof"
        or "timeout"."""
        saved = self.deadline
        self.deadline = min(saved, until)
        try:
            while True:
                frame = self._parse_frame()
                if frame is not None:
                    return frame
                if self.eof:
                    return "eof"
                chunk = self._recv_some()
                if chunk is None:
                    return "timeout"
        finally:
            self.deadline = saved

    def _parse_frame(self):
        b = self.buf
        if len(b) < 2:
            return None
        fin = bool(b[0] & 0x80)
        rsv = (b[0] >> 4) & 7
        opcode = b[0] & 0xF
        masked = bool(b[1] & 0x80)
        n = b[1] & 0x7F
        pos = 2
        if n == 126:
            if len(b) < 4:
                return None
            n = struct.unpack_from("!H", b, 2)[0]
            pos = 4
        elif n == 127:
            if len(b) < 10:
                return None
            n = struct.unpack_from("!Q", b, 2)[0]
            pos = 10
        key = None
        if masked:
            if len(b) < pos + 4:
                return None
            key = bytes(b[pos:pos + 4])
            pos += 4
        if len(b) < pos + n:
            return None
        payload = bytes(b[pos:pos + n])
        del b[:pos + n]
        if masked:
            payload = mask_payload(key, payload)
        return (fin, rsv, opcode, masked, payload)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Ctx:
    """What a case function gets: the connection(s) and the expectations."""

    def __init__(self, runner, case_id, timeout):
        self.runner = runner
        self.case_id = case_id
        self.timeout = timeout
        self.start = time.monotonic()
        self.deadline = self.start + timeout
        self.notes = []
        self.nonstrict_reasons = []
        self.info_reasons = []
        self.conns = []
        self.c = None
        self.label = ""

    # -- outcome helpers --------------------------------------------------
    def fail(self, reason):
        raise CaseFailed((self.label + reason) if self.label else reason)

    def nonstrict(self, reason):
        self.nonstrict_reasons.append(self.label + reason)

    def info(self, reason):
        self.info_reasons.append(self.label + reason)

    def note(self, text):
        """Recorded in the report; does not change the result."""
        self.notes.append(text)

    # -- connection -----------------------------------------------------------
    def connect(self, path="/", label="", first_bytes=b"", offers=None):
        if self.c is not None:
            self.c.close()
        self.label = ("[%s] " % label) if label else ""
        self.c = Conn(self.runner.host, self.runner.port, path, self.deadline, first_bytes, self.runner.tls, offers)
        self.conns.append(self.c)
        return self.c

    def send(self, opcode, payload=b"", fin=True, rsv=0, mask=True, chop=None, delay=0.0, **kw):
        self.c.deadline = self.deadline
        return self.c.send(opcode, payload, fin, rsv, mask, chop, delay, **kw)

    def send_raw(self, data, chop=None, delay=0.0):
        self.c.deadline = self.deadline
        return self.c.send_raw(data, chop, delay)

    def text(self, payload, **kw):
        return self.send(OP_TEXT, payload, **kw)

    def send_compressed(self, opcode, payload, frag=None):
        self.c.deadline = self.deadline
        return self.c.send_compressed(opcode, payload, frag)

    def binary(self, payload, **kw):
        return self.send(OP_BINARY, payload, **kw)

    def ping(self, payload=b"", **kw):
        return self.send(OP_PING, payload, **kw)

    def sleep(self, s):
        time.sleep(max(0.0, min(s, self.deadline - time.monotonic())))

    # -- reading events -------------------------------------------------------
    def next_event(self, within=None):
        """Returns one of ("message", opcode, payload), ("ping", payload),
        ("pong", payload), ("close", code, reason), ("eof", how),
        ("timeout",). Checks what the server sends against §5: its frames
        must be unmasked, use no RSV bit or reserved opcode, control frames
        must be whole and short, fragments well ordered, text valid UTF-8."""
        until = self.deadline if within is None else min(self.deadline, time.monotonic() + within)
        c = self.c
        while True:
            fr = c.read_frame(until)
            if fr == "timeout":
                return ("timeout",)
            if fr == "eof":
                if c.frag_op is not None:
                    self.fail("connection closed in the middle of a fragmented message from the server")
                return ("eof", c.eof)
            fin, rsv, op, masked, payload = fr
            if masked:
                self.fail("server sent a masked frame (RFC 6455 §5.1: a server MUST NOT mask)")
            if rsv and c.pmd is None:
                self.fail("server sent a frame with RSV bits %d and no extension negotiated" % rsv)
            if rsv & 3:
                self.fail("server sent a frame with RSV2/RSV3 set (RSV bits %d)" % rsv)
            if rsv and (op >= 8 or op == OP_CONT):
                # RFC 7692 §6: RSV1 on the first frame of a data message only.
                self.fail("server sent RSV1 on a %s frame" % OP_NAMES.get(op, "reserved"))
            if op >= 8:
                if op not in (OP_CLOSE, OP_PING, OP_PONG):
                    self.fail("server sent reserved control opcode %#x" % op)
                if not fin:
                    self.fail("server sent a fragmented control frame")
                if len(payload) > 125:
                    self.fail("server sent a control frame of %d bytes" % len(payload))
                if op == OP_PING:
                    # Heartbeat pings may happen; answer them and keep reading.
                    c.send(OP_PONG, payload)
                    continue
                if op == OP_PONG:
                    return ("pong", payload)
                if len(payload) == 1:
                    self.fail("server sent a close frame with a 1-byte payload")
                if len(payload) == 0:
                    return ("close", None, b"")
                code = struct.unpack("!H", payload[:2])[0]
                reason = payload[2:]
                if not is_utf8(reason):
                    self.fail("server's close reason is not valid UTF-8")
                return ("close", code, reason)
            if op not in (OP_CONT, OP_TEXT, OP_BINARY):
                self.fail("server sent reserved data opcode %#x" % op)
            if op == OP_CONT:
                if c.frag_op is None:
                    self.fail("server sent a continuation frame with no message started")
                c.frag_data += payload
            else:
                if c.frag_op is not None:
                    self.fail("server started a new message inside a fragmented one")
                c.frag_op = op
                c.frag_data = bytearray(payload)
                c.frag_rsv1 = bool(rsv & 4)
            if fin:
                op, data = c.frag_op, bytes(c.frag_data)
                c.frag_op, c.frag_data = None, bytearray()
                if c.frag_rsv1:
                    data = c.pmd.decompress(data, self.fail)
                if op == OP_TEXT and not is_utf8(data):
                    self.fail("server sent a text message that is not valid UTF-8")
                return ("message", op, data)

    @staticmethod
    def describe(ev):
        kind = ev[0]
        if kind == "message":
            return "%s message of %d bytes (%s)" % (OP_NAMES[ev[1]], len(ev[2]), hexs(ev[2], 16))
        if kind in ("ping", "pong"):
            return "%s with %d-byte payload (%s)" % (kind, len(ev[1]), hexs(ev[1], 16))
        if kind == "close":
            return "close frame with code %s" % ev[1]
        if kind == "eof":
            return "TCP %s" % ("reset" if ev[1] == "reset" else "closed")
        return "nothing within the time limit"

    def expect_message(self, opcode, payload):
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        ev = self.next_event()
        if ev[0] != "message":
            self.fail("expected the echo (%s, %d bytes), got %s" % (OP_NAMES[opcode], len(payload), self.describe(ev)))
        if ev[1] != opcode:
            self.fail("echo came back as %s, sent as %s" % (OP_NAMES[ev[1]], OP_NAMES[opcode]))
        if ev[2] != payload:
            self.fail("echo differs: sent %d bytes (%s), got %d bytes (%s)" % (len(payload), hexs(payload, 16), len(ev[2]), hexs(ev[2], 16)))

    def expect_pong(self, payload):
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        ev = self.next_event()
        if ev[0] != "pong":
            self.fail("expected a pong with %d-byte payload, got %s" % (len(payload), self.describe(ev)))
        if ev[1] != payload:
            self.fail("pong payload %s differs from the ping's %s" % (hexs(ev[1]), hexs(payload)))

    def _finish_after_server_close(self, code):
        """The server sent a close frame: answer it (echoing its code) and
        wait for the server to close TCP (§7.1.1: the server closes first)."""
        self.c.send(OP_CLOSE, close_payload(code) if code is not None else b"")
        ev = self.next_event(TCP_CLOSE_WAIT)
        if ev[0] == "eof":
            return
        if ev[0] == "timeout":
            self.fail("server did not close the TCP connection within %.0f s after the close handshake" % TCP_CLOSE_WAIT)
        self.fail("after its close frame the server sent %s" % self.describe(ev))

    def expect_fail(self, codes=(1002,), within=None, what=""):
        """The server must fail the connection: a close frame with a code in
        `codes`, then TCP closed. A bare TCP drop is NON-STRICT (§7.1.7
        allows it, the close code tells the peer why)."""
        ev = self.next_event(within)
        if ev[0] == "close":
            if ev[1] not in codes:
                self.fail("expected close code %s%s, got %s (reason %r)" % (
                    "/".join(map(str, codes)), what, ev[1], ev[2][:60].decode("utf-8", "replace")))
            self._finish_after_server_close(ev[1])
            return ev[1]
        if ev[0] == "eof":
            self.nonstrict("server dropped TCP without a close frame (expected close %s%s)" % ("/".join(map(str, codes)), what))
            return None
        self.fail("expected close %s%s, got %s" % ("/".join(map(str, codes)), what, self.describe(ev)))

    def expect_echo_then_fail(self, opcode, payload, codes=(1002,), what=""):
        """A good message followed by a bad frame: the echo, then the close.
        A close without the echo is NON-STRICT (the server may fail the
        connection before the application had a chance to answer)."""
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        ev = self.next_event()
        if ev[0] == "close" and ev[1] in codes:
            self.nonstrict("connection failed before the message preceding the bad frame was echoed")
            self._finish_after_server_close(ev[1])
            return
        if ev[0] != "message" or ev[1] != opcode or ev[2] != payload:
            self.fail("expected the echo (%s, %d bytes) or close %s, got %s" % (
                OP_NAMES[opcode], len(payload), "/".join(map(str, codes)), self.describe(ev)))
        self.expect_fail(codes, what=what)

    def wait_fail_window(self, window, codes):
        """Fail-fast check: returns True if the server failed the connection
        within `window` seconds (and checks the rest), False if nothing came.
        Anything else fails the case."""
        ev = self.next_event(window)
        if ev[0] == "timeout":
            return False
        if ev[0] == "close":
            if ev[1] not in codes:
                self.fail("expected close code %s, got %s" % ("/".join(map(str, codes)), ev[1]))
            self._finish_after_server_close(ev[1])
            return True
        if ev[0] == "eof":
            self.nonstrict("server dropped TCP without a close frame")
            return True
        self.fail("expected close %s, got %s" % ("/".join(map(str, codes)), self.describe(ev)))

    def close_normal(self, code=1000, reason=b"", expect_codes=None, what="closing handshake"):
        """Client-initiated close: the server must answer with a close frame
        (echoing the code; 1000 is NON-STRICT) and then close TCP."""
        self.c.send(OP_CLOSE, close_payload(code, reason))
        ev = self.next_event()
        if ev[0] != "close":
            self.fail("%s: expected the server's close frame, got %s" % (what, self.describe(ev)))
        want = expect_codes if expect_codes is not None else ((code,) if code is not None else (None, 1000))
        if ev[1] not in want:
            if code is not None and ev[1] == 1000 and expect_codes is None:
                self.nonstrict("server answered close %d with 1000 instead of echoing the code" % code)
            else:
                self.fail("%s: expected close code %s, got %s" % (what, "/".join(map(str, want)), ev[1]))
        ev = self.next_event(TCP_CLOSE_WAIT)
        if ev[0] == "timeout":
            self.fail("server did not close the TCP connection within %.0f s after the close handshake" % TCP_CLOSE_WAIT)
        if ev[0] != "eof":
            self.fail("after its close frame the server sent %s" % self.describe(ev))


# ---------------------------------------------------------------------------
# Case registry

CASES = []  # (id, description, function, options)


def case(cid, desc, timeout=None):
    def deco(fn):
        CASES.append((cid, desc, fn, {"timeout": timeout}))
        return fn
    return deco


def add_case(cid, desc, fn, timeout=None):
    CASES.append((cid, desc, fn, {"timeout": timeout}))


# ---------------------------------------------------------------------------
# 1. Framing

SIZES = [0, 125, 126, 127, 128, 65535, 65536]


def make_echo_case(op, payload, chop=None, delay=0.0):
    def fn(t):
        t.connect()
        t.send(op, payload, chop=chop, delay=delay)
        t.expect_message(op, payload)
        t.close_normal()
    return fn


for i, n in enumerate(SIZES, 1):
    add_case("1.1.%d" % i, "text message, payload of %d bytes" % n, make_echo_case(OP_TEXT, b"*" * n))
    add_case("1.2.%d" % i, "binary message, payload of %d bytes" % n, make_echo_case(OP_BINARY, b"\xfe" * n))
add_case("1.1.8", "text message of 65536 bytes written in chops of 997 octets", make_echo_case(OP_TEXT, b"*" * 65536, chop=997))
add_case("1.2.8", "binary message of 65536 bytes written in chops of 997 octets", make_echo_case(OP_BINARY, b"\xfe" * 65536, chop=997))


@case("1.3.1", "unmasked text frame from the client -> 1002 (RFC 6455 §5.1)")
def _(t):
    t.connect()
    t.send(OP_TEXT, b"Hello, world!", mask=False)
    t.expect_fail((1002,))


@case("1.3.2", "64-bit payload length with the most significant bit set -> 1002 (§5.2)")
def _(t):
    t.connect()
    t.send_raw(struct.pack("!BBQ", 0x82, 0x80 | 127, (1 << 63) | 5) + os.urandom(4) + b"hello")
    code = t.expect_fail((1002, 1009))
    if code == 1009:
        t.nonstrict("length with the top bit set closed with 1009 (message too big) rather than 1002 (protocol error)")


@case("1.3.3", "first frame in the same TCP segment as the handshake request")
def _(t):
    frame = build_frame(OP_TEXT, b"first frame")
    t.connect(first_bytes=frame)
    t.expect_message(OP_TEXT, b"first frame")
    t.close_normal()


@case("1.3.4", "frame header written one byte at a time, 16-bit length")
def _(t):
    t.connect()
    payload = os.urandom(300)
    t.send(OP_BINARY, payload, chop=1)
    t.expect_message(OP_BINARY, payload)
    t.close_normal()


@case("1.3.5", "non-minimal length encoding (16-bit length for 5 bytes)")
def _(t):
    t.connect()
    t.send(OP_TEXT, b"hello", len_form=16)
    ev = t.next_event()
    if ev[0] == "message" and ev[2] == b"hello":
        t.info("echoed (non-minimal length accepted)")
        t.close_normal()
    elif ev[0] == "close" and ev[1] == 1002:
        t.info("failed with 1002 (non-minimal length rejected)")
    else:
        t.info("got %s" % t.describe(ev))


@case("1.3.6", "a frame header that claims 2^63-1 bytes -> 1009 or 1002 at once")
def _(t):
    t.connect()
    t.send_raw(struct.pack("!BBQ", 0x82, 0x80 | 127, (1 << 63) - 1) + os.urandom(4) + b"x" * 100)
    t.expect_fail((1009, 1002))


# ---------------------------------------------------------------------------
# 2. Pings and pongs

def make_ping_case(payload, chop=None, delay=0.0):
    def fn(t):
        t.connect()
        t.ping(payload, chop=chop, delay=delay)
        t.expect_pong(payload)
        t.close_normal()
    return fn


add_case("2.1", "ping without payload", make_ping_case(b""))
add_case("2.2", "ping with small text payload", make_ping_case(b"Hello, world!"))
add_case("2.3", "ping with small binary payload", make_ping_case(b"\x00\xff\xfe\xfd\xfc\xfb\x00\xff"))
add_case("2.4", "ping with 125-byte binary payload", make_ping_case(bytes(range(125))))


@case("2.5", "ping with 126-byte payload -> 1002 (§5.5: control frames <= 125 bytes)")
def _(t):
    t.connect()
    t.ping(b"\xfe" * 126)
    t.expect_fail((1002,))


add_case("2.6", "ping with 125-byte payload written one octet at a time", make_ping_case(b"\xfe" * 125, chop=1, delay=0.001))


@case("2.7", "unsolicited pong without payload is ignored")
def _(t):
    t.connect()
    t.send(OP_PONG, b"")
    t.close_normal()


@case("2.8", "unsolicited pong with payload is ignored")
def _(t):
    t.connect()
    t.send(OP_PONG, b"unsolicited pong payload")
    t.close_normal()


@case("2.9", "unsolicited pong, then ping: only the ping is answered")
def _(t):
    t.connect()
    t.send(OP_PONG, b"unsolicited pong payload")
    t.ping(b"ping payload")
    t.expect_pong(b"ping payload")
    t.close_normal()


@case("2.10", "10 pings answered in order")
def _(t):
    t.connect()
    for i in range(10):
        t.ping(b"payload-%d" % i)
    for i in range(10):
        t.expect_pong(b"payload-%d" % i)
    t.close_normal()


@case("2.11", "10 pings written one octet at a time, answered in order")
def _(t):
    t.connect()
    for i in range(10):
        t.ping(b"payload-%d" % i, chop=1, delay=0.001)
    for i in range(10):
        t.expect_pong(b"payload-%d" % i)
    t.close_normal()


# ---------------------------------------------------------------------------
# 3. Reserved bits: §5.2, without a negotiated extension a non-zero RSV bit
# fails the connection.

@case("3.1", "text frame with RSV = 1 -> 1002")
def _(t):
    t.connect()
    t.text(b"Hello, world!", rsv=1)
    t.expect_fail((1002,))


def make_rsv_case(rsv, chop_mode, bad_op=OP_TEXT):
    def fn(t):
        t.connect()
        kw = {}
        if chop_mode == "octet":
            kw = {"chop": 1, "delay": 0.001}
        t.text(b"Hello, world!", **kw)
        if chop_mode == "frame":
            t.expect_message(OP_TEXT, b"Hello, world!")
        if bad_op == OP_CLOSE:
            t.send(OP_CLOSE, close_payload(1000), rsv=rsv, **kw)
        else:
            t.send(bad_op, b"Hello, world!" if bad_op != OP_BINARY else bytes(range(256)), rsv=rsv, **kw)
        t.ping(b"ping after bad frame", **kw)
        what = " (the ping after the bad frame must not be answered)"
        if chop_mode != "frame":
            t.expect_echo_then_fail(OP_TEXT, b"Hello, world!", what=what)
        else:
            t.expect_fail((1002,), what=what)
    return fn


add_case("3.2", "text, then text with RSV = 2, then ping: echo, then 1002", make_rsv_case(2, None))
add_case("3.3", "as 3.2 with RSV = 3, each frame written after the previous answer", make_rsv_case(3, "frame"))
add_case("3.4", "as 3.2 with RSV = 4, written one octet at a time", make_rsv_case(4, "octet"))
add_case("3.5", "binary frame with RSV = 5 -> 1002", make_rsv_case(5, None, OP_BINARY))
add_case("3.6", "ping with RSV = 6 -> 1002", make_rsv_case(6, None, OP_PING))
add_case("3.7", "close with RSV = 7 -> 1002", make_rsv_case(7, None, OP_CLOSE))


# ---------------------------------------------------------------------------
# 4. Reserved opcodes: §5.2, an unknown opcode fails the connection.

def make_opcode_case(op, variant):
    def fn(t):
        t.connect()
        if variant == 1:
            t.send(op, b"")
            t.expect_fail((1002,))
            return
        if variant == 2:
            t.send(op, b"reserved opcode payload")
            t.expect_fail((1002,))
            return
        kw = {"chop": 1, "delay": 0.001} if variant == 5 else {}
        t.text(b"Hello, world!", **kw)
        t.send(op, b"" if variant == 3 else b"reserved opcode payload", **kw)
        t.ping(b"ping after bad frame", **kw)
        t.expect_echo_then_fail(OP_TEXT, b"Hello, world!", what=" (the ping after the bad frame must not be answered)")
    return fn


for i, op in enumerate([3, 4, 5, 6, 7], 1):
    add_case("4.1.%d" % i, "reserved non-control opcode %d -> 1002" % op, make_opcode_case(op, i))
for i, op in enumerate([11, 12, 13, 14, 15], 1):
    add_case("4.2.%d" % i, "reserved control opcode %d -> 1002" % op, make_opcode_case(op, i))


# ---------------------------------------------------------------------------
# 5. Fragmentation (§5.4)

@case("5.1", "ping fragmented into 2 frames -> 1002 (§5.5)")
def _(t):
    t.connect()
    t.send(OP_PING, b"fragment1", fin=False)
    t.send(OP_CONT, b"fragment2", fin=True)
    t.expect_fail((1002,))


@case("5.2", "pong fragmented into 2 frames -> 1002")
def _(t):
    t.connect()
    t.send(OP_PONG, b"fragment1", fin=False)
    t.send(OP_CONT, b"fragment2", fin=True)
    t.expect_fail((1002,))


def make_frag_case(chop=None, delay=0.0, frame_delay=0.0, with_ping=False):
    def fn(t):
        t.connect()
        kw = {"chop": chop, "delay": delay}
        t.text(b"fragment1", fin=False, **kw)
        if frame_delay:
            t.sleep(frame_delay)
        if with_ping:
            t.ping(b"pongme!", **kw)
            if frame_delay:
                t.sleep(frame_delay)
        t.send(OP_CONT, b"fragment2", fin=True, **kw)
        if with_ping:
            t.expect_pong(b"pongme!")
        t.expect_message(OP_TEXT, b"fragment1fragment2")
        t.close_normal()
    return fn


add_case("5.3", "text message in 2 fragments", make_frag_case())
add_case("5.4", "text message in 2 fragments, 0.5 s between them", make_frag_case(frame_delay=0.5))
add_case("5.5", "text message in 2 fragments, written one octet at a time", make_frag_case(chop=1, delay=0.001))
add_case("5.6", "text in 2 fragments with a ping between them: pong, then echo", make_frag_case(with_ping=True))
add_case("5.7", "as 5.6 with 0.5 s between the frames", make_frag_case(frame_delay=0.5, with_ping=True))
add_case("5.8", "as 5.6, written one octet at a time", make_frag_case(chop=1, delay=0.001, with_ping=True))


def make_bad_cont_case(fin, chop=None, delay=0.0):
    def fn(t):
        t.connect()
        kw = {"chop": chop, "delay": delay}
        t.send(OP_CONT, b"non-continuation payload", fin=fin, **kw)
        t.text(b"Hello, world!", **kw)
        t.expect_fail((1002,), what=" (a continuation frame with no message started)")
    return fn


add_case("5.9", "continuation frame (FIN) with no message started -> 1002", make_bad_cont_case(True))
add_case("5.10", "as 5.9, written in one-octet chops", make_bad_cont_case(True, chop=1))
add_case("5.11", "as 5.9, one octet at a time with 1 ms pauses", make_bad_cont_case(True, chop=1, delay=0.001))
add_case("5.12", "continuation frame (no FIN) with no message started -> 1002", make_bad_cont_case(False))
add_case("5.13", "as 5.12, written in one-octet chops", make_bad_cont_case(False, chop=1))
add_case("5.14", "as 5.12, one octet at a time with 1 ms pauses", make_bad_cont_case(False, chop=1, delay=0.001))


@case("5.15", "text(1/2), cont(2/2), cont(no start), text -> echo, then 1002")
def _(t):
    t.connect()
    t.text(b"fragment1", fin=False)
    t.send(OP_CONT, b"fragment2", fin=True)
    t.send(OP_CONT, b"fragment3", fin=False)
    t.text(b"fragment4", fin=True)
    t.expect_echo_then_fail(OP_TEXT, b"fragment1fragment2")


@case("5.16", "twice: cont(no FIN), text(no FIN), cont(FIN) -> 1002")
def _(t):
    t.connect()
    for _i in range(2):
        t.send(OP_CONT, b"fragment1", fin=False)
        t.text(b"fragment2", fin=False)
        t.send(OP_CONT, b"fragment3", fin=True)
    t.expect_fail((1002,))


@case("5.17", "twice: cont(FIN), text(no FIN), cont(FIN) -> 1002")
def _(t):
    t.connect()
    for _i in range(2):
        t.send(OP_CONT, b"fragment1", fin=True)
        t.text(b"fragment2", fin=False)
        t.send(OP_CONT, b"fragment3", fin=True)
    t.expect_fail((1002,))


@case("5.18", "text(no FIN), then a new text frame inside the message -> 1002")
def _(t):
    t.connect()
    t.text(b"fragment1", fin=False)
    t.text(b"fragment2", fin=True)
    t.expect_fail((1002,), what=" (new data frame inside a fragmented message)")


def make_5_19(chop=None, delay=0.0):
    def fn(t):
        t.connect()
        kw = {"chop": chop, "delay": delay}
        t.text(b"fragment1", fin=False, **kw)
        t.send(OP_CONT, b"fragment2", fin=False, **kw)
        t.ping(b"pongme 1!", **kw)
        t.expect_pong(b"pongme 1!")
        t.sleep(1.0)
        t.send(OP_CONT, b"fragment3", fin=False, **kw)
        t.send(OP_CONT, b"fragment4", fin=False, **kw)
        t.ping(b"pongme 2!", **kw)
        t.expect_pong(b"pongme 2!")
        t.sleep(1.0)
        t.send(OP_CONT, b"fragment5", fin=True, **kw)
        t.expect_message(OP_TEXT, b"fragment1fragment2fragment3fragment4fragment5")
        t.close_normal()
    return fn


add_case("5.19", "text in 5 fragments, pings between them, 1 s pauses: pongs at once, then echo", make_5_19())
add_case("5.20", "as 5.19, written one octet at a time", make_5_19(chop=1, delay=0.0005))


@case("5.21", "binary message in 3 fragments")
def _(t):
    t.connect()
    data = os.urandom(300)
    t.binary(data[:100], fin=False)
    t.send(OP_CONT, data[100:200], fin=False)
    t.send(OP_CONT, data[200:], fin=True)
    t.expect_message(OP_BINARY, data)
    t.close_normal()


@case("5.22", "binary message in 1000 one-byte fragments")
def _(t):
    t.connect()
    data = os.urandom(1000)
    frames = build_frame(OP_BINARY, data[:1], fin=False)
    frames += b"".join(build_frame(OP_CONT, data[i:i + 1], fin=(i == 999)) for i in range(1, 1000))
    t.send_raw(frames)
    t.expect_message(OP_BINARY, data)
    t.close_normal()


@case("5.23", "text(no FIN), then binary frame inside the message -> 1002")
def _(t):
    t.connect()
    t.text(b"fragment1", fin=False)
    t.binary(b"fragment2", fin=True)
    t.expect_fail((1002,))


# ---------------------------------------------------------------------------
# 6. UTF-8 (§5.6, §8.1: text must be valid UTF-8 per RFC 3629; an invalid
# message fails the connection with 1007).

KOSME = b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"  # "kosme" in Greek


@case("6.1.1", "empty text message")
def _(t):
    t.connect()
    t.text(b"")
    t.expect_message(OP_TEXT, b"")
    t.close_normal()


@case("6.1.2", "text message of 3 empty fragments")
def _(t):
    t.connect()
    t.text(b"", fin=False)
    t.send(OP_CONT, b"", fin=False)
    t.send(OP_CONT, b"", fin=True)
    t.expect_message(OP_TEXT, b"")
    t.close_normal()


@case("6.1.3", "text message: empty, non-empty, empty fragments")
def _(t):
    t.connect()
    t.text(b"", fin=False)
    t.send(OP_CONT, b"middle frame payload", fin=False)
    t.send(OP_CONT, b"", fin=True)
    t.expect_message(OP_TEXT, b"middle frame payload")
    t.close_normal()


HELLO_UTF8 = "Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!".encode("utf-8")


def send_fragmented(t, op, payload, sizes):
    """Sends payload as frames whose payload sizes come from `sizes`."""
    pos = 0
    frames = []
    for n in sizes:
        chunk = payload[pos:pos + n]
        pos += n
        last = pos >= len(payload)
        frames.append(build_frame(OP_CONT if frames else op, chunk, fin=last))
        if last:
            break
    t.send_raw(b"".join(frames))


@case("6.2.1", "valid UTF-8 text with multi-byte code points in one frame")
def _(t):
    t.connect()
    t.text(HELLO_UTF8)
    t.expect_message(OP_TEXT, HELLO_UTF8)
    t.close_normal()


@case("6.2.2", "the same text in 2 fragments split at a code point boundary")
def _(t):
    t.connect()
    t.text(HELLO_UTF8[:12], fin=False)
    t.send(OP_CONT, HELLO_UTF8[12:], fin=True)
    t.expect_message(OP_TEXT, HELLO_UTF8)
    t.close_normal()


@case("6.2.3", "the same text fragmented at every byte (code points split)")
def _(t):
    t.connect()
    send_fragmented(t, OP_TEXT, HELLO_UTF8, [1] * len(HELLO_UTF8))
    t.expect_message(OP_TEXT, HELLO_UTF8)
    t.close_normal()


@case("6.2.4", "'kosme' fragmented at every byte")
def _(t):
    t.connect()
    send_fragmented(t, OP_TEXT, KOSME, [1] * len(KOSME))
    t.expect_message(OP_TEXT, KOSME)
    t.close_normal()


INVALID_KOSME = KOSME + b"\xed\xa0\x80" + b"edited"


@case("6.3.1", "invalid UTF-8 (a surrogate) in one frame -> 1007")
def _(t):
    t.connect()
    t.text(INVALID_KOSME)
    t.expect_fail((1007,))


@case("6.3.2", "the same, fragmented at every byte -> 1007")
def _(t):
    t.connect()
    send_fragmented(t, OP_TEXT, INVALID_KOSME, [1] * len(INVALID_KOSME))
    t.expect_fail((1007,))


def make_failfast(parts, mode):
    """parts = [valid prefix, invalid piece, rest]. mode "frames": three
    fragments; "chops": one frame whose bytes are written in three writes.
    After the invalid piece the server must fail at once (within 1 s),
    before the rest is sent. Failing only at the end is NON-STRICT."""
    def fn(t):
        t.connect()
        total = b"".join(parts)
        if mode == "frames":
            t.text(parts[0], fin=False)
            t.send(OP_CONT, parts[1], fin=False)
        else:
            frame = build_frame(OP_TEXT, total)
            head = len(frame) - len(total)
            t.send_raw(frame[:head + len(parts[0])])
            t.sleep(0.05)
            t.send_raw(frame[head + len(parts[0]):head + len(parts[0]) + len(parts[1])])
            rest = frame[head + len(parts[0]) + len(parts[1]):]
        if t.wait_fail_window(1.0, (1007,)):
            return
        if mode == "frames":
            t.send(OP_CONT, parts[2], fin=True)
        else:
            t.send_raw(rest)
        t.expect_fail((1007,))
        t.nonstrict("invalid UTF-8 detected only at the end of the message, not when the bad byte arrived")
    return fn


add_case("6.4.1", "fail fast: 3 fragments, the 2nd holds an invalid code point (> U+10FFFF)",
         make_failfast([KOSME, b"\xf4\x90\x80\x80", b"edited"], "frames"))
add_case("6.4.2", "fail fast: invalid sequence split across fragments (F4 | 90 80 80)",
         make_failfast([KOSME + b"\xf4", b"\x90\x80\x80", b"edited"], "frames"))
add_case("6.4.3", "fail fast: one frame written in 3 chops, the 2nd invalid",
         make_failfast([KOSME, b"\xf4\x90\x80\x80", b"edited"], "chops"))
add_case("6.4.4", "fail fast: one frame, chop ends right after the first invalid byte",
         make_failfast([KOSME, b"\xf4\x90", b"\x80\x80edited"], "chops"))
def _failfast_first(t):
    t.connect()
    t.text(b"abc\xffdef", fin=False)
    if t.wait_fail_window(1.0, (1007,)):
        return
    t.send(OP_CONT, b"ghi", fin=False)
    t.send(OP_CONT, b"jkl", fin=True)
    t.expect_fail((1007,))
    t.nonstrict("invalid UTF-8 in the first fragment detected only at the end of the message")


add_case("6.4.5", "fail fast: invalid byte in the FIRST fragment; close before the rest is sent", _failfast_first)


def utf8_vectors():
    """Markus Kuhn's UTF-8 decoder stress test (sections 1-5), plus
    prefixes of a valid string, noncharacters and specials, grouped like
    Autobahn's 6.5-6.23. Each entry: (title, [payloads]); validity is
    decided by Python's strict RFC 3629 decoder and checked against the
    expectation written here."""
    groups = []
    # (expected_valid, payload)
    groups.append(("valid UTF-8 sequences", [
        (True, b"hello\x24world"), (True, b"hello\xc2\xa2world"), (True, b"hello\xe2\x82\xacworld"),
        (True, b"hello\xf0\xa4\xad\xa2world"), (True, KOSME)]))
    groups.append(("every prefix of a valid multi-byte string", [
        (None, KOSME[:i]) for i in range(1, len(KOSME) + 1)]))
    groups.append(("first possible sequence of each length", [
        (True, b"\x00"), (True, b"\xc2\x80"), (True, b"\xe0\xa0\x80"), (True, b"\xf0\x90\x80\x80")]))
    groups.append(("first possible 5- and 6-byte sequences (not UTF-8)", [
        (False, b"\xf8\x88\x80\x80\x80"), (False, b"\xfc\x84\x80\x80\x80\x80")]))
    groups.append(("last possible sequence of each length", [
        (True, b"\x7f"), (True, b"\xdf\xbf"), (True, b"\xef\xbf\xbf"), (True, b"\xf4\x8f\xbf\xbf")]))
    groups.append(("last possible 4-, 5- and 6-byte sequences (beyond U+10FFFF)", [
        (False, b"\xf7\xbf\xbf\xbf"), (False, b"\xfb\xbf\xbf\xbf\xbf"), (False, b"\xfd\xbf\xbf\xbf\xbf\xbf")]))
    groups.append(("other boundary conditions", [
        (True, b"\xed\x9f\xbf"), (True, b"\xee\x80\x80"), (True, b"\xef\xbf\xbd"), (True, b"\xf4\x8f\xbf\xbf"),
        (False, b"\xf4\x90\x80\x80")]))
    groups.append(("unexpected continuation bytes", [
        (False, b"\x80"), (False, b"\xbf"), (False, b"\x80\xbf"), (False, b"\x80\xbf\x80"),
        (False, b"\x80\xbf\x80\xbf"), (False, b"\x80\xbf\x80\xbf\x80"), (False, b"\x80\xbf\x80\xbf\x80\xbf"),
        (False, bytes(range(0x80, 0xc0)))]))
    groups.append(("lonely start bytes, each followed by a space", [
        (False, b"".join(bytes([c, 0x20]) for c in range(lo, hi + 1)))
        for lo, hi in [(0xc0, 0xdf), (0xe0, 0xef), (0xf0, 0xf7), (0xf8, 0xfb), (0xfc, 0xfd)]]))
    incomplete = [b"\xc0", b"\xe0\x80", b"\xf0\x80\x80", b"\xf8\x80\x80\x80", b"\xfc\x80\x80\x80\x80",
                  b"\xdf", b"\xef\xbf", b"\xf7\xbf\xbf", b"\xfb\xbf\xbf\xbf", b"\xfd\xbf\xbf\xbf\xbf"]
    groups.append(("sequences with the last continuation byte missing", [(False, s) for s in incomplete]))
    groups.append(("concatenation of incomplete sequences", [(False, b"".join(incomplete))]))
    groups.append(("impossible bytes", [(False, b"\xfe"), (False, b"\xff"), (False, b"\xfe\xfe\xff\xff")]))
    groups.append(("overlong ASCII '/'", [
        (False, b"\xc0\xaf"), (False, b"\xe0\x80\xaf"), (False, b"\xf0\x80\x80\xaf"),
        (False, b"\xf8\x80\x80\x80\xaf"), (False, b"\xfc\x80\x80\x80\x80\xaf")]))
    groups.append(("maximum overlong sequences", [
        (False, b"\xc1\xbf"), (False, b"\xe0\x9f\xbf"), (False, b"\xf0\x8f\xbf\xbf"),
        (False, b"\xf8\x87\xbf\xbf\xbf"), (False, b"\xfc\x83\xbf\xbf\xbf\xbf")]))
    groups.append(("overlong NUL", [
        (False, b"\xc0\x80"), (False, b"\xe0\x80\x80"), (False, b"\xf0\x80\x80\x80"),
        (False, b"\xf8\x80\x80\x80\x80"), (False, b"\xfc\x80\x80\x80\x80\x80")]))
    groups.append(("single UTF-16 surrogates", [
        (False, s) for s in [b"\xed\xa0\x80", b"\xed\xad\xbf", b"\xed\xae\x80", b"\xed\xaf\xbf",
                             b"\xed\xb0\x80", b"\xed\xbe\x80", b"\xed\xbf\xbf"]]))
    hi = [b"\xed\xa0\x80", b"\xed\xad\xbf", b"\xed\xae\x80", b"\xed\xaf\xbf"]
    lo = [b"\xed\xb0\x80", b"\xed\xbf\xbf"]
    groups.append(("paired UTF-16 surrogates", [(False, h + l) for h in hi for l in lo]))
    nonchars = [(True, b"\xef\xbf\xbe"), (True, b"\xef\xbf\xbf")]
    for b1 in (0xf0, 0xf1, 0xf2, 0xf3, 0xf4):
        for b2 in (0x8f, 0x9f, 0xaf, 0xbf):
            if b1 == 0xf4 and b2 != 0x8f:
                continue  # beyond U+10FFFF
            if b1 == 0xf0 and b2 == 0x8f:
                continue  # overlong
            for b4 in (0xbe, 0xbf):
                nonchars.append((True, bytes([b1, b2, 0xbf, b4])))
    groups.append(("noncharacters (valid UTF-8)", nonchars))
    groups.append(("specials U+FFF9..U+FFFF (valid UTF-8)", [(True, bytes([0xef, 0xbf, c])) for c in range(0xb9, 0xc0)]))
    out = []
    for title, vs in groups:
        checked = []
        for expected, payload in vs:
            valid = is_utf8(payload)
            if expected is not None and expected != valid:
                raise AssertionError("UTF-8 vector %s: expected %s" % (payload.hex(), expected))
            checked.append((valid, payload))
        out.append((title, checked))
    return out


def make_utf8_case(valid, payload):
    """Each vector three ways: one frame; one frame written one byte per
    write; one fragment per byte. Valid text must be echoed, invalid must
    get 1007."""
    def fn(t):
        for label, how in (("one frame", "frame"), ("1-byte writes", "chop"), ("1-byte fragments", "frag")):
            t.connect(label=label)
            if how == "frame":
                t.text(payload)
            elif how == "chop":
                t.text(payload, chop=1)
            else:
                send_fragmented(t, OP_TEXT, payload, [1] * max(1, len(payload)))
            if valid:
                t.expect_message(OP_TEXT, payload)
                t.close_normal()
            else:
                t.expect_fail((1007,))
    return fn


for gi, (title, vectors) in enumerate(utf8_vectors(), 5):
    for vi, (valid, payload) in enumerate(vectors, 1):
        add_case("6.%d.%d" % (gi, vi), "%s: %s -> %s" % (title, payload.hex(), "echo" if valid else "1007"),
                 make_utf8_case(valid, payload))


# ---------------------------------------------------------------------------
# 7. Closing (§5.5.1, §7)

@case("7.1.1", "text message, then a normal close")
def _(t):
    t.connect()
    t.text(b"Hello World!")
    t.expect_message(OP_TEXT, b"Hello World!")
    t.close_normal()


@case("7.1.2", "two close frames: the second is ignored")
def _(t):
    t.connect()
    t.send(OP_CLOSE, close_payload(1000))
    t.send(OP_CLOSE, close_payload(1000))
    ev = t.next_event()
    if ev[0] != "close" or ev[1] != 1000:
        t.fail("expected the server's close 1000, got %s" % t.describe(ev))
    ev = t.next_event(TCP_CLOSE_WAIT)
    if ev[0] != "eof":
        t.fail("after the close handshake expected TCP close, got %s" % t.describe(ev))


def make_after_close_case(what):
    def fn(t):
        t.connect()
        if what == "frag":
            t.text(b"fragment1", fin=False)
        t.send(OP_CLOSE, close_payload(1000))
        if what == "ping":
            t.ping(b"ping after close")
        elif what == "text":
            t.text(b"text after close")
        else:
            t.send(OP_CONT, b"fragment2", fin=True)
        ev = t.next_event()
        if ev[0] != "close":
            t.fail("data after the close frame must be ignored; expected the server's close, got %s" % t.describe(ev))
        if ev[1] != 1000:
            t.fail("expected close 1000, got %s" % ev[1])
        ev = t.next_event(TCP_CLOSE_WAIT)
        if ev[0] != "eof":
            t.fail("after the close handshake expected TCP close, got %s" % t.describe(ev))
    return fn


add_case("7.1.3", "close, then ping: no pong", make_after_close_case("ping"))
add_case("7.1.4", "close, then text: no echo", make_after_close_case("text"))
add_case("7.1.5", "text(no FIN), close, continuation: no echo", make_after_close_case("frag"))


@case("7.1.6", "256 KiB message, close, ping: server's behaviour while busy")
def _(t):
    t.connect()
    data = b"BAsd7&jh23" * 26214 + b"Bj"
    t.text(data)
    t.send(OP_CLOSE, close_payload(1000))
    t.ping(b"ping after close")
    got = []
    while True:
        ev = t.next_event()
        got.append(ev[0])
        if ev[0] in ("close", "eof", "timeout"):
            break
    if got[-1] != "close":
        t.fail("expected a close frame, got %s" % got)
    if "pong" in got:
        t.fail("the ping after the close frame was answered")
    t.info("events: %s" % ", ".join(got))
    ev = t.next_event(TCP_CLOSE_WAIT)
    if ev[0] != "eof":
        t.fail("after the close handshake expected TCP close, got %s" % t.describe(ev))


@case("7.3.1", "close without payload: answered with an empty close or 1000")
def _(t):
    t.connect()
    t.close_normal(None, expect_codes=(None, 1000))


@case("7.3.2", "close with a 1-byte payload -> 1002 (§5.5.1)")
def _(t):
    t.connect()
    t.send(OP_CLOSE, b"\x03")
    t.expect_fail((1002,))


@case("7.3.3", "close 1000 without reason")
def _(t):
    t.connect()
    t.close_normal(1000)


@case("7.3.4", "close 1000 with a short reason")
def _(t):
    t.connect()
    t.close_normal(1000, b"Hello World!")


@case("7.3.5", "close 1000 with a 123-byte reason (payload 125)")
def _(t):
    t.connect()
    t.close_normal(1000, b"*" * 123)


@case("7.3.6", "close with a 124-byte reason (payload 126) -> 1002")
def _(t):
    t.connect()
    t.send(OP_CLOSE, close_payload(1000, b"*" * 124))
    t.expect_fail((1002,))


@case("7.5.1", "close reason that is not valid UTF-8 -> 1007")
def _(t):
    t.connect()
    t.send(OP_CLOSE, close_payload(1000, INVALID_KOSME))
    code = t.expect_fail((1007, 1002))
    if code == 1002:
        t.nonstrict("invalid UTF-8 close reason answered with 1002 instead of 1007")


VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999]
for i, code in enumerate(VALID_CODES, 1):
    add_case("7.7.%d" % i, "close with valid code %d: echoed" % code,
             (lambda code: lambda t: (t.connect(), t.close_normal(code, b"")))(code))

INVALID_CODES = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 1015]
IANA_CODES = [1012, 1013, 1014]


def make_invalid_code_case(code):
    def fn(t):
        t.connect()
        t.send(OP_CLOSE, close_payload(code))
        t.expect_fail((1002,), what=" for close code %d" % code)
    return fn


def make_iana_code_case(code):
    """1012-1014 are registered at IANA (Service Restart, Try Again Later,
    Bad Gateway) after RFC 6455. With --close-codes salon (the default,
    Salon's specification accepts 1000-1003, 1007-1011, 3000-4999 only)
    they must get 1002; with --close-codes iana they must be echoed."""
    def fn(t):
        t.connect()
        if t.runner.close_codes == "iana":
            t.close_normal(code)
        else:
            t.send(OP_CLOSE, close_payload(code))
            t.expect_fail((1002,), what=" for close code %d (--close-codes salon)" % code)
    return fn


for i, code in enumerate(INVALID_CODES, 1):
    add_case("7.9.%d" % i, "close with invalid code %d -> 1002" % code, make_invalid_code_case(code))
for i, code in enumerate(IANA_CODES, len(INVALID_CODES) + 1):
    add_case("7.9.%d" % i, "close with IANA-registered code %d: 1002 (salon) or echo (iana)" % code, make_iana_code_case(code))
add_case("7.13.1", "close with code 5000 -> 1002", make_invalid_code_case(5000))
add_case("7.13.2", "close with code 65535 -> 1002", make_invalid_code_case(65535))


# ---------------------------------------------------------------------------
# 9. Limits and performance (only with --limits; needs the server's
# maximum message size >= 16 MiB)

KIB, MIB = 1024, 1024 * 1024


def big_text(n):
    block = b"BAsd7&jh23"
    return (block * (n // len(block) + 1))[:n]


def make_big_case(op, n, frag=None, chop=None):
    def fn(t):
        t.connect()
        payload = big_text(n) if op == OP_TEXT else os.urandom(n)
        t0 = time.monotonic()
        if frag:
            sizes = [frag] * ((n + frag - 1) // frag)
            send_fragmented(t, op, payload, sizes)
        else:
            t.send(op, payload, chop=chop)
        t.expect_message(op, payload)
        t.note("round trip %.3f s" % (time.monotonic() - t0))
        t.close_normal()
    return fn


def make_many_case(op, n, count=1000):
    def fn(t):
        t.connect()
        payload = big_text(n) if op == OP_TEXT else os.urandom(n)
        t0 = time.monotonic()
        for _i in range(count):
            t.send(op, payload)
            t.expect_message(op, payload)
        t.note("%d round trips %.3f s" % (count, time.monotonic() - t0))
        t.close_normal()
    return fn


LIMIT_SIZES = [64 * KIB, 256 * KIB, 1 * MIB, 4 * MIB, 8 * MIB, 16 * MIB]
for i, n in enumerate(LIMIT_SIZES, 1):
    add_case("9.1.%d" % i, "text message of %d bytes" % n, make_big_case(OP_TEXT, n), timeout=60)
    add_case("9.2.%d" % i, "binary message of %d bytes" % n, make_big_case(OP_BINARY, n), timeout=60)
for i, f in enumerate([64, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB, 4 * MIB], 1):
    add_case("9.3.%d" % i, "4 MiB text message in fragments of %d bytes" % f, make_big_case(OP_TEXT, 4 * MIB, frag=f), timeout=60)
    add_case("9.4.%d" % i, "4 MiB binary message in fragments of %d bytes" % f, make_big_case(OP_BINARY, 4 * MIB, frag=f), timeout=60)
for i, c in enumerate([64, 128, 256, 512, 1024, 2048], 1):
    add_case("9.5.%d" % i, "1 MiB text message written in chops of %d bytes" % c, make_big_case(OP_TEXT, MIB, chop=c), timeout=60)
    add_case("9.6.%d" % i, "1 MiB binary message written in chops of %d bytes" % c, make_big_case(OP_BINARY, MIB, chop=c), timeout=60)
for i, n in enumerate([0, 16, 64, 256, 1024, 4096], 1):
    add_case("9.7.%d" % i, "1000 text messages of %d bytes, one at a time" % n, make_many_case(OP_TEXT, n), timeout=60)
    add_case("9.8.%d" % i, "1000 binary messages of %d bytes, one at a time" % n, make_many_case(OP_BINARY, n), timeout=60)


# ---------------------------------------------------------------------------
# 10. Auto-fragmentation: the client's fragment size is its own business.

def make_autofrag_case(op, payload, size):
    def fn(t):
        t.connect()
        send_fragmented(t, op, payload, [size] * ((len(payload) + size - 1) // size))
        t.expect_message(op, payload)
        t.close_normal()
    return fn


add_case("10.1.1", "65536-byte text message sent in 1300-byte fragments", make_autofrag_case(OP_TEXT, b"*" * 65536, 1300))
add_case("10.1.2", "65536-byte binary message sent in 1300-byte fragments", make_autofrag_case(OP_BINARY, os.urandom(65536), 1300))
add_case("10.1.3", "multi-byte text sent in 1301-byte fragments (code points split)",
         make_autofrag_case(OP_TEXT, (KOSME * 6000)[:65534], 1301))


# ---------------------------------------------------------------------------
# 12. and 13. permessage-deflate (RFC 7692), only with --deflate. Like
# Autobahn's: 18 cases per family, messages of 16 B to 128 KiB, sent whole
# (x.1-x.10) or with the compressed payload cut into 256-octet frames
# (x.11-x.18), each echoed and checked. 12.x varies the payload with the
# default offer; 13.x varies the offer with one payload. The payloads are
# generated (Autobahn reads files): JSON, a bitmap, German prose, HTML and
# mostly incompressible binary, sliced at a different place per message.

PMD_SIZES = [16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536, 131072]
PMD_FRAG_SIZES = [256, 1024, 4096, 8192, 16384, 32768, 65536, 131072]
PMD_BUDGET = 1 << 20  # payload bytes per case unless --full

_CORPORA = {}


def corpus(kind):
    """A deterministic payload source of a few hundred KiB."""
    if kind in _CORPORA:
        return _CORPORA[kind]
    rnd = random.Random(7692 + len(kind))
    names = ["Anna", "Bj\u00f6rn", "Chlo\u00e9", "Dmitri", "Eva", "Fran\u00e7ois", "G\u00fcl", "Hiro"]
    words = ("der die das und ist nicht ein zu den mit sich des auf f\u00fcr im dem Faust Gretchen "
             "Mephistopheles Gott Welt Natur Geist K\u00f6nig sch\u00f6n \u00fcber Gr\u00fc\u00dfe "
             "Stra\u00dfe Nacht Liebe Herz gehen sehen wissen wollen").split()
    if kind == "json":
        items = []
        while sum(map(len, items)) < 200000:
            items.append(json.dumps({"id": len(items), "user": rnd.choice(names), "room": "lobby",
                                     "text": " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 12))),
                                     "ts": 1700000000 + len(items) * 7, "tags": rnd.sample(words, 2)},
                                    ensure_ascii=False))
        data = ("[" + ",\n".join(items) + "]").encode()
    elif kind == "bitmap":
        w = h = 512
        rows = []
        for y in range(h):
            rows.append(bytes((((x * x + y * y) >> 9) + (x ^ y) // 32 + rnd.randint(0, 3)) & 0xFF for x in range(w)))
        data = b"BM" + struct.pack("<IHHI", 54 + w * h, 0, 0, 54) + bytes(40) + b"".join(rows)
    elif kind == "prose":
        lines = []
        while sum(map(len, lines)) < 220000:
            s = " ".join(rnd.choice(words) for _ in range(rnd.randint(4, 14)))
            lines.append(s[0].upper() + s[1:] + rnd.choice([".", "!", "?", ";", ","]))
        data = "\n".join(lines).encode()
    elif kind == "html":
        parts = ["<!DOCTYPE html><html><head><title>Salon</title></head><body><table>"]
        while sum(map(len, parts)) < 250000:
            parts.append('<tr class="row"><td class="name">%s</td><td><a href="/u/%d">%s</a></td></tr>\n' % (
                rnd.choice(names), rnd.randint(1, 99999), " ".join(rnd.choice(words) for _ in range(5))))
        data = ("".join(parts) + "</table></body></html>").encode()
    else:  # "binary": compressed streams between a little structure, like a PDF
        parts = []
        while sum(map(len, parts)) < 512 * 1024:
            n = rnd.randint(1000, 20000)
            parts.append(b"%d 0 obj << /Length %d /Filter /FlateDecode >> stream\n" % (len(parts), n))
            parts.append(rnd.getrandbits(8 * n).to_bytes(n, "little"))
            parts.append(b"\nendstream endobj\n")
        data = b"".join(parts)
    _CORPORA[kind] = (data, data + data)
    return _CORPORA[kind]


def utf8_boundary(b, i):
    return i >= len(b) or (b[i] & 0xC0) != 0x80


def pmd_payload(kind, text, i, size):
    data, twice = corpus(kind)
    start = (i * size * 7919 + i * 31) % len(data)
    if text:
        # Slices of a UTF-8 text must be UTF-8 themselves: move to a
        # place where both ends are code point boundaries.
        while not (utf8_boundary(twice, start) and utf8_boundary(twice, start + size)):
            start = (start + 1) % len(data)
    while size > len(data):
        twice += data
    return twice[start:start + size]


def make_pmd_case(kind, text, size, frag, offers, may_decline=False):
    def fn(t):
        t.connect(offers=offers)
        pmd = t.c.pmd
        if pmd is None:
            if may_decline:
                t.info("server declined %r" % format_offers(offers))
                t.close_normal()
                return
            t.fail("server declined permessage-deflate (offered %r)" % format_offers(offers))
        op = OP_TEXT if text else OP_BINARY
        count = 1000 if t.runner.args.full else max(8, min(1000, PMD_BUDGET // size))
        t0 = time.monotonic()
        for i in range(count):
            payload = pmd_payload(kind, text, i, size)
            t.send_compressed(op, payload, frag)
            t.expect_message(op, payload)
        t.note("agreed %r; %d messages in %.3f s, %d of the echoes compressed" % (
            t.c.pmd.params, count, time.monotonic() - t0, pmd.compressed_in))
        t.close_normal()
    return fn


def add_pmd_family(prefix, what, kind, text, offers, may_decline=False):
    cases = [(n, None) for n in PMD_SIZES] + [(n, 256) for n in PMD_FRAG_SIZES]
    for i, (n, frag) in enumerate(cases, 1):
        add_case("%s.%d" % (prefix, i), "%s: compressed %s messages of %d bytes%s, echoed" % (
            what, "text" if text else "binary", n, ", cut into 256-octet frames" if frag else ""),
            make_pmd_case(kind, text, n, frag, offers, may_decline), timeout=120)


DEFAULT_OFFER = [{"client_max_window_bits": None}]
add_pmd_family("12.1", "JSON", "json", True, DEFAULT_OFFER)
add_pmd_family("12.2", "bitmap", "bitmap", False, DEFAULT_OFFER)
add_pmd_family("12.3", "German prose", "prose", True, DEFAULT_OFFER)
add_pmd_family("12.4", "HTML", "html", True, DEFAULT_OFFER)
add_pmd_family("12.5", "mostly incompressible binary", "binary", False, DEFAULT_OFFER)


def offer(nct, bits):
    """Autobahn's (requestNoContextTakeover, requestMaxWindowBits)."""
    o = {}
    if nct:
        o["server_no_context_takeover"] = None
    if bits:
        o["server_max_window_bits"] = str(bits)
    o["client_max_window_bits"] = None
    return o


# A server that cannot give a 256-byte window may decline those offers.
for fam, (offers, may) in enumerate([
        ([offer(False, 0)], False),
        ([offer(True, 0)], False),
        ([offer(False, 8)], True),
        ([offer(False, 15)], False),
        ([offer(True, 8)], True),
        ([offer(True, 15)], False),
        ([offer(True, 8), offer(True, 0), offer(False, 0)], False)], 1):
    add_pmd_family("13.%d" % fam, "offer %r" % format_offers(offers), "json", True, offers, may)


# ---------------------------------------------------------------------------
# Runner

def case_key(cid):
    return tuple(int(x) for x in cid.split("."))


class Runner:
    def __init__(self, args):
        self.host, self.port = args.host, args.port
        self.close_codes = args.close_codes
        self.args = args
        self.tls = None
        if args.tls:
            self.tls = ssl.create_default_context(cafile=args.tls_ca) if args.tls_ca else ssl.create_default_context()
            if not args.tls_ca:
                self.tls.check_hostname = False
                self.tls.verify_mode = ssl.CERT_NONE

    def run_case(self, cid, desc, fn, opts):
        timeout = opts.get("timeout") or self.args.timeout
        t = Ctx(self, cid, timeout)
        try:
            fn(t)
            if t.nonstrict_reasons:
                result, reason = NON_STRICT, "; ".join(t.nonstrict_reasons)
            elif t.info_reasons:
                result, reason = INFORMATIONAL, "; ".join(t.info_reasons)
            else:
                result, reason = OK, ""
        except CaseFailed as e:
            result, reason = FAILED, str(e)
        except Exception as e:  # a bug in a case must not stop the run
            result, reason = FAILED, "client error: %s: %s" % (type(e).__name__, e)
        finally:
            for c in t.conns:
                c.close()
        out = {"result": result, "reason": reason, "description": desc,
               "duration": round(time.monotonic() - t.start, 3)}
        if t.notes:
            out["notes"] = t.notes
        return out


def select(patterns, limits, deflate=False):
    chosen = []
    for cid, desc, fn, opts in sorted(CASES, key=lambda c: case_key(c[0])):
        if patterns and not any(fnmatch.fnmatchcase(cid, p) for p in patterns):
            continue
        if cid.startswith("9.") and not limits:
            continue
        if (cid.startswith("12.") or cid.startswith("13.")) and not deflate:
            continue
        chosen.append((cid, desc, fn, opts))
    return chosen


def main():
    ap = argparse.ArgumentParser(description="Autobahn-style WebSocket server conformance client (RFC 6455)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9001)
    ap.add_argument("--cases", default="", help="comma-separated patterns, e.g. '1.*,5.*,7.9.1'")
    ap.add_argument("--limits", action="store_true", help="also run section 9 (messages up to 16 MiB)")
    ap.add_argument("--deflate", action="store_true", help="also run sections 12 and 13 (permessage-deflate)")
    ap.add_argument("--full", action="store_true", help="sections 12 and 13 with 1000 messages per case")
    ap.add_argument("--strict", action="store_true", help="count NON-STRICT results as failures")
    ap.add_argument("--close-codes", choices=["salon", "iana"], default="salon",
                    help="salon: 1012-1014 must get 1002; iana: they must be echoed")
    ap.add_argument("--timeout", type=float, default=5.0, help="time limit per case, seconds")
    ap.add_argument("--report", help="write the JSON report to this file")
    ap.add_argument("--tls", action="store_true", help="connect over TLS (wss://)")
    ap.add_argument("--tls-ca", help="with --tls: verify the server's certificate against this CA file")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")
    args = ap.parse_args()

    patterns = [p.strip() for p in args.cases.split(",") if p.strip()]
    chosen = select(patterns, args.limits, args.deflate)
    if args.list:
        for cid, desc, _fn, _o in chosen:
            print("%-8s %s" % (cid, desc))
        return 0
    if not chosen:
        print("no case matches %r" % args.cases, file=sys.stderr)
        return 2

    runner = Runner(args)
    results = {}
    counts = {OK: 0, NON_STRICT: 0, INFORMATIONAL: 0, FAILED: 0}
    t0 = time.monotonic()
    for cid, desc, fn, opts in chosen:
        r = runner.run_case(cid, desc, fn, opts)
        results[cid] = r
        counts[r["result"]] += 1
        if not args.quiet or r["result"] == FAILED or (args.strict and r["result"] == NON_STRICT):
            line = "%-8s %-13s %s" % (cid, r["result"], desc)
            if r["reason"]:
                line += "\n         -> " + r["reason"]
            print(line, flush=True)
    failed = counts[FAILED] + (counts[NON_STRICT] if args.strict else 0)
    passed = len(chosen) - failed
    report = {
        "server": "%s://%s:%d" % ("wss" if args.tls else "ws", args.host, args.port),
        "options": {"tls": args.tls, "strict": args.strict, "close_codes": args.close_codes, "limits": args.limits,
                    "deflate": args.deflate, "full": args.full, "cases": args.cases},
        "counts": counts,
        "passed": passed,
        "failed": failed,
        "seconds": round(time.monotonic() - t0, 1),
        "cases": results,
    }
    if args.report:
        with open(args.report, "w") as f:
            json.dump(report, f, indent=1, sort_keys=True)
    print("results: %d OK, %d NON-STRICT, %d INFORMATIONAL, %d FAILED in %.1f s" % (
        counts[OK], counts[NON_STRICT], counts[INFORMATIONAL], counts[FAILED], report["seconds"]))
    print("conformance: %d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
