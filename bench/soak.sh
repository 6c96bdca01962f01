#!/usr/bin/env bash
# bench/soak.sh: connection churn against one server process, looking for
# leaks (issue 3's soak).
#
#   bench/soak.sh                       # 100,000 cycles against Salon PHP (Salon C if no modules/salon.so)
#   bench/soak.sh --server salon-c      # salon-php | salon-c | bun | node
#   bench/soak.sh --cycles 20000 --warmup 2000 --abrupt-ratio 0.5 --workers 8
#
# One cycle: connect, handshake, one 32-byte message and its echo, close.
# A share of the cycles (--abrupt-ratio, 0.5 by default) ends with an RST
# (SO_LINGER 0) instead of a close handshake, split evenly between right after
# the upgrade request, in the middle of a frame, and after the echo.
#
# The server's open fds (/proc/PID/fd) and VmRSS are read at the start,
# after the warm-up (10,000 cycles) and at the end (once its fd count has
# settled, at most 15 s). PASS when the fd count is back to the start, the
# RSS is within 5% of its post-warm-up value, the generator saw no errors
# and the server is still alive. Exit status 0 on PASS, 1 on FAIL.
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
BENCH=$ROOT/bench

SERVER=""
CYCLES=100000
WARMUP=10000
ABRUPT=0.5
WORKERS=8
while [ $# -gt 0 ]; do
	case $1 in
	--server) SERVER=$2; shift ;;
	--cycles) CYCLES=$2; shift ;;
	--warmup) WARMUP=$2; shift ;;
	--abrupt-ratio) ABRUPT=$2; shift ;;
	--workers) WORKERS=$2; shift ;;
	-h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "soak.sh: unknown option $1" >&2; exit 1 ;;
	esac
	shift
done
[ "$WARMUP" -lt "$CYCLES" ] || { echo "soak.sh: --warmup must be below --cycles" >&2; exit 1; }

TMP=$(mktemp -d /tmp/salon-soak.XXXXXX)
SPID=""
cleanup() {
	if [ -n "$SPID" ]; then
		kill "$SPID" 2>/dev/null
		wait "$SPID" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null

CC=${CC:-cc}
$CC -std=c11 -O2 -Wall -Wextra -o "$BENCH/wsload" "$BENCH/wsload.c" -lssl -lcrypto || exit 1

if [ -z "$SERVER" ]; then
	if [ -f "$ROOT/modules/salon.so" ] && [ -f "$ROOT/examples/echo/server.php" ]; then
		SERVER=salon-php
	else
		SERVER=salon-c
		echo "soak.sh: no modules/salon.so: soaking Salon's C core (bench/servers/echo_c) instead" >&2
	fi
fi
case $SERVER in
salon-php) CMD=(php -n -d "extension=$ROOT/modules/salon.so" "$ROOT/examples/echo/server.php" 0) ;;
salon-c)
	# the cluster bus (src/ws_cluster.c) needs hiredis; the benchmark does not
	CORE_SRC=()
	for f in src/*.c; do [ "$f" = src/ws_cluster.c ] || CORE_SRC+=("$f"); done
	$CC -std=gnu11 -O2 -Isrc -o "$BENCH/servers/echo_c" "$BENCH/servers/echo_c.c" "${CORE_SRC[@]}" -lcrypto ||
		$CC -std=gnu11 -O2 -Isrc -o "$BENCH/servers/echo_c" "$BENCH/servers/echo_c.c" "${CORE_SRC[@]}" -lssl -lcrypto -lz || exit 1
	CMD=("$BENCH/servers/echo_c" 0) ;;
bun) CMD=("$BENCH/node_modules/bun/bin/bun.exe" "$BENCH/servers/bun_echo.js" 0) ;;
node) CMD=(node "$BENCH/servers/node_ws_echo.js" 0) ;;
*) echo "soak.sh: unknown server $SERVER" >&2; exit 1 ;;
esac

PIN_S=() PIN_G=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	PIN_S=(taskset -c 0) PIN_G=(taskset -c 1)
fi

"${PIN_S[@]}" "${CMD[@]}" >"$TMP/server.log" 2>&1 &
SPID=$!
PORT=""
for _ in $(seq 100); do
	PORT=$(grep -o 'listening on ws://127.0.0.1:[0-9]*' "$TMP/server.log" | head -1 | grep -o '[0-9]*$')
	[ -n "$PORT" ] && break
	kill -0 "$SPID" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$PORT" ]; then
	echo "soak.sh: $SERVER did not start: $(head -c 400 "$TMP/server.log")" >&2
	exit 1
fi

fds() { find "/proc/$SPID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$SPID/status" 2>/dev/null; }
settle() { # until the fd count holds still for 1 s (15 s at most)
	local last=-1 same=0 n
	for _ in $(seq 150); do
		n=$(fds)
		if [ "$n" = "$last" ]; then
			same=$((same + 1))
			[ $same -ge 10 ] && return
		else
			same=0
			last=$n
		fi
		sleep 0.1
	done
}
churn() { # cycles label
	"${PIN_G[@]}" "$BENCH/wsload" churn --port "$PORT" --pid "$SPID" --cycles "$1" --duration 600 \
		--workers "$WORKERS" --abrupt-ratio "$ABRUPT" --timeout 10 --json 2>"$TMP/$2.human" >"$TMP/$2.json"
	echo "  $2: $(cat "$TMP/$2.human")"
}
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], 0))' "$1" "$2" 2>/dev/null || echo 0; }

sleep 0.3
FD0=$(fds) RSS0=$(rss)
echo "soak: $SERVER (pid $SPID, port $PORT), $CYCLES cycles, ${ABRUPT} abrupt, $WORKERS workers"
churn "$WARMUP" warmup
settle
FD1=$(fds) RSS1=$(rss)
churn $((CYCLES - WARMUP)) main
settle
FD2=$(fds) RSS2=$(rss)
ALIVE=yes
kill -0 "$SPID" 2>/dev/null || ALIVE=no
E1=$(field "$TMP/warmup.json" errors)
E2=$(field "$TMP/main.json" errors)
N1=$(field "$TMP/warmup.json" ops)
N2=$(field "$TMP/main.json" ops)

echo
printf '| when | cycles | open fds | VmRSS (KiB) |\n|---|---|---|---|\n'
printf '| start | 0 | %s | %s |\n' "$FD0" "$RSS0"
printf '| after warm-up | %s | %s | %s |\n' "$N1" "$FD1" "$RSS1"
printf '| end | %s | %s | %s |\n' "$((N1 + N2))" "$FD2" "$RSS2"
echo

FAIL=()
[ "$ALIVE" = yes ] || FAIL+=("the server died")
[ "$FD2" = "$FD0" ] || FAIL+=("open fds $FD0 at the start, $FD2 at the end")
if [ -n "$RSS1" ] && [ -n "$RSS2" ]; then
	GROW=$(awk -v a="$RSS1" -v b="$RSS2" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
	awk -v a="$RSS1" -v b="$RSS2" 'BEGIN { d = b - a; if (d < 0) d = -d; exit !(d <= a * 0.05) }' ||
		FAIL+=("RSS moved ${GROW}% after the warm-up (limit 5%)")
	echo "RSS after warm-up -> end: ${GROW}%"
else
	FAIL+=("no RSS reading")
fi
[ "$((E1 + E2))" = 0 ] || FAIL+=("the generator saw $((E1 + E2)) errors")
[ "$((N1 + N2))" -ge "$CYCLES" ] || FAIL+=("only $((N1 + N2)) of $CYCLES cycles ran")
if [ ${#FAIL[@]} -eq 0 ]; then
	echo "PASS"
	exit 0
fi
for f in "${FAIL[@]}"; do echo "  - $f"; done
echo "FAIL"
exit 1
