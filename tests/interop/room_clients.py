#!/usr/bin/python3
"""Opens N WebSocket connections to the room server of
tests/15_app/rooms_10000.phpt (which puts every connection in the room
"big" and in a room of its own, "solo-ID"), then drives it from the first
connection. Standard library only (asyncio); minimal framing as in
many_clients.py.

    /usr/bin/python3 room_clients.py N PORT

Prints one line per step (or what went wrong). Exits 1 on any failure.
"""

import asyncio
import os
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from many_clients import close_one, frame, open_one, read_frame  # noqa: E402


async def request(conn, text, timeout):
    """Sends text on conn and returns the first text reply (messages to rooms,
    "to ...", are skipped)."""
    r, w = conn
    w.write(frame(0x1, text.encode()))
    while True:
        op, data = await asyncio.wait_for(read_frame(r), timeout)
        if op == 0x1 and not data.startswith(b"to "):
            return data.decode()


async def expect_one(conn, timeout):
    op, data = await asyncio.wait_for(read_frame(conn[0]), timeout)
    return data.decode() if op == 0x1 else "opcode %d" % op


async def main():
    n, port = int(sys.argv[1]), int(sys.argv[2])
    scale = float(os.environ.get("SALON_TIMEOUT_SCALE", "1") or 1)
    timeout = 60 * scale
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
    first, others = conns[0], conns[1:]

    print("stats: %s" % await request(first, "stats", timeout), flush=True)

    # One broadcast to the big room, except the sender: every other
    # connection gets exactly that message.
    print("big: %s" % await request(first, "big", timeout), flush=True)
    got = await asyncio.gather(*(expect_one(c, timeout) for c in others), return_exceptions=True)
    print("received 'to big': %d" % sum(1 for g in got if g == "to big"), flush=True)

    # One broadcast per solo room: each connection gets its own, once.
    reply = await request(first, "solo", timeout)
    got = await asyncio.gather(*(expect_one(c, timeout) for c in others), return_exceptions=True)
    mine = [g for g in got if isinstance(g, str) and g.startswith("to solo-")]
    print("solo: %s" % reply, flush=True)
    print("received own solo message: %d, distinct %d" % (len(mine), len(set(mine))), flush=True)

    # Half of the connections close: they leave their rooms.
    half = others[: len(others) // 2]
    oks = await asyncio.gather(*(close_one(c, timeout) for c in half), return_exceptions=True)
    print("closed %d" % sum(1 for ok in oks if ok is True), flush=True)
    print("stats: %s" % await request(first, "stats", timeout), flush=True)

    rest = [first] + others[len(others) // 2:]
    oks = await asyncio.gather(*(close_one(c, timeout) for c in rest), return_exceptions=True)
    print("closed %d" % sum(1 for ok in oks if ok is True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
