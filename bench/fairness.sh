#!/usr/bin/env bash
# Fairness under a flood (issue 13 item 15), Salon PHP echo server
# (examples/echo/server.php), one or more builds side by side:
#
#   bench/fairness.sh                                 modules/salon.so only
#   bench/fairness.sh before=/tmp/old.so after=modules/salon.so
#
# Per build, on a fresh server each, server on CPU 0 and the load on CPU 1:
#   probe      one client, 32 B echo, 1 in flight: round-trip p50/p99 alone
#   flood1     the same probe while 1 client floods 1-byte messages
#              (100,000 in flight, ~700 KB), and the flood's own msgs/s and
#              server CPU per message
#   flood4     the probe beside 4 such flooders
#   pipelined  50 clients x 32 B x 16 in flight, alone: throughput and server
#              CPU per message (what the per-pass bound must not cost)
# RUNS (3) runs of DUR (3) seconds, round-robin over the builds; medians.
# Writes bench/results/<stamp>-fairness.md and prints it.
set -u
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
RUNS=${RUNS:-3}
DUR=${DUR:-3}
PHP=${PHP:-php}
builds=("$@")
[ ${#builds[@]} -eq 0 ] && builds=("salon=$ROOT/modules/salon.so")
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"' EXIT
cc -std=c11 -O2 -Wall -Wextra -o "$TMP/wsload" "$BENCH/wsload.c" -lssl -lcrypto -lz || exit 1
W=$TMP/wsload
exec_pin() { if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then exec taskset -c "$1" "${@:2}"; else exec "${@:2}"; fi; }
pin() { if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }
jget() { /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.stdin.read() or "{}"); print(d.get(sys.argv[1]) if d.get(sys.argv[1]) is not None else "nan")' "$1"; }

start_server() { # so -> sets SPID, SPORT
	# exec: $! is then the server itself (its CPU is read from /proc)
	(exec_pin 0 "$PHP" -n -d extension="$1" "$ROOT/examples/echo/server.php" 0 >"$TMP/srv.out" 2>&1) &
	SPID=$!
	for _ in $(seq 100); do
		SPORT=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/srv.out" | head -1)
		[ -n "$SPORT" ] && return 0
		sleep 0.05
	done
	echo "server did not start: $(cat "$TMP/srv.out")" >&2
	return 1
}
stop_server() { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; }

one() { # name so scenario run -> appends "name scenario key value" lines
	local name=$1 so=$2 sc=$3
	start_server "$so" || return
	local probe="pin 1 $W echo --port $SPORT -c 1 -s 32 -d 1 -t $DUR --warmup 1 --json"
	case $sc in
	probe)
		$probe >"$TMP/p.json" 2>/dev/null ;;
	flood1 | flood4)
		local n=${sc#flood}
		(exec_pin 1 "$W" echo --port "$SPORT" -c "$n" -s 1 -d 100000 -t $((DUR + 1)) --warmup 0.5 --pid "$SPID" --json >"$TMP/f.json" 2>/dev/null) &
		local fp=$!
		sleep 0.3
		$probe >"$TMP/p.json" 2>/dev/null
		wait $fp
		echo "$name $sc flood_msgs_s $(jget ops_per_s <"$TMP/f.json")" >>"$TMP/res"
		echo "$name $sc flood_cpu_us $(jget server_cpu_per_op_us <"$TMP/f.json")" >>"$TMP/res" ;;
	pipelined)
		pin 1 "$W" echo --port "$SPORT" -c 50 -s 32 -d 16 -t "$DUR" --pid "$SPID" --json >"$TMP/f.json" 2>/dev/null
		echo "$name $sc msgs_s $(jget ops_per_s <"$TMP/f.json")" >>"$TMP/res"
		echo "$name $sc cpu_us $(jget server_cpu_per_op_us <"$TMP/f.json")" >>"$TMP/res" ;;
	esac
	if [ "$sc" != pipelined ]; then
		echo "$name $sc p50_us $(jget lat_p50_us <"$TMP/p.json")" >>"$TMP/res"
		echo "$name $sc p99_us $(jget lat_p99_us <"$TMP/p.json")" >>"$TMP/res"
	fi
	stop_server
}

: >"$TMP/res"
for r in $(seq "$RUNS"); do
	for sc in probe flood1 flood4 pipelined; do
		for b in "${builds[@]}"; do
			one "${b%%=*}" "${b#*=}" "$sc"
		done
	done
	echo "run $r of $RUNS done" >&2
done

mkdir -p "$BENCH/results"
out=$BENCH/results/$(date +%Y%m%d-%H%M%S)-fairness.md
/usr/bin/python3 - "$TMP/res" "$RUNS" "$DUR" "${builds[@]}" >"$out" <<'PY'
import sys, statistics, collections
res, runs, dur, builds = sys.argv[1], sys.argv[2], sys.argv[3], [b.split('=')[0] for b in sys.argv[4:]]
v = collections.defaultdict(list)
for line in open(res):
    n, sc, k, x = line.split()
    try: v[(n, sc, k)].append(float(x))
    except ValueError: pass
med = lambda n, sc, k: statistics.median(v[(n, sc, k)]) if v[(n, sc, k)] else float('nan')
print(f"# Fairness under a flood: Salon PHP echo, {runs} runs x {dur} s, medians\n")
print("| build | probe alone p50 / p99 µs | beside 1 flooder p50 / p99 µs | beside 4 flooders p50 / p99 µs | flood msgs/s (1 / 4) | flood server µs/msg (1 / 4) | pipelined 50x16 msgs/s | pipelined µs/msg |")
print("|---|---|---|---|---|---|---|---|")
for n in builds:
    print(f"| {n} | {med(n,'probe','p50_us'):.0f} / {med(n,'probe','p99_us'):.0f} | {med(n,'flood1','p50_us'):.0f} / {med(n,'flood1','p99_us'):.0f} | "
          f"{med(n,'flood4','p50_us'):.0f} / {med(n,'flood4','p99_us'):.0f} | {med(n,'flood1','flood_msgs_s'):.0f} / {med(n,'flood4','flood_msgs_s'):.0f} | "
          f"{med(n,'flood1','flood_cpu_us'):.3f} / {med(n,'flood4','flood_cpu_us'):.3f} | {med(n,'pipelined','msgs_s'):.0f} | {med(n,'pipelined','cpu_us'):.3f} |")
if len(builds) == 2:
    a, b = builds
    r = lambda sc, k: med(b, sc, k) / med(a, sc, k) if med(a, sc, k) else float('nan')
    print(f"\n{b} / {a}: probe p99 beside 1 flooder {r('flood1','p99_us'):.3f}x, beside 4 {r('flood4','p99_us'):.3f}x; "
          f"flood server CPU per message {r('flood1','flood_cpu_us'):.3f}x; pipelined msgs/s {r('pipelined','msgs_s'):.3f}x, CPU per message {r('pipelined','cpu_us'):.3f}x")
PY
cat "$out"
