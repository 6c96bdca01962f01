#!/usr/bin/env bash
# bench/cluster.sh: broadcast across two Salon nodes over the Redis bus,
# against one node, and what the Redis hop costs.
#
#   bench/cluster.sh              # 5 s per measurement, 3 runs each
#   bench/cluster.sh --quick      # 1 s per measurement, 3 runs each
#   bench/cluster.sh --runs 5 --receivers 100 --size 64
#
# One sender, R receivers, every message relayed by a PHP handler
# ($server->broadcast($data, $binary), bench/servers/broadcast.php), binary
# messages. Throughput: as fast as a window of WINDOW messages not yet
# delivered to every receiver allows (--window, 1024: deep enough that the
# servers, not the round trip, set the pace); latency: paced at RATE
# messages/s (--rate, 1000), where nothing queues and the fan-out time is
# the path's.
#   one node        sender and receivers on one node, no bus
#   one node + bus  the same node with the cluster option: every message is
#                   also published to Redis (and ignored when it comes back)
#   two nodes       sender on node A, receivers on node B: every message
#                   goes A -> Redis -> B before B fans it out
# Servers and redis-server run on CPU 0, bench/wsload on CPU 1 (taskset).
# Server CPU is utime+stime of every process of the scenario (the nodes and
# redis-server) from /proc, per delivery and per message.
#
# Writes bench/results/cluster-<stamp>.md and cluster-latest.md; prints the
# table.
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
BENCH=$ROOT/bench

QUICK=0
RUNS=3
RECV=100
SIZE=64
RATE=1000
WINDOW=1024
usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--runs) RUNS=$2; shift ;;
	--receivers) RECV=$2; shift ;;
	--size) SIZE=$2; shift ;;
	--rate) RATE=$2; shift ;;
	--window) WINDOW=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "cluster.sh: unknown option $1" >&2; usage >&2; exit 1 ;;
	esac
	shift
done
if [ "$QUICK" = 1 ]; then DUR=1 WARM=0.3 MODE_NAME=quick; else DUR=5 WARM=1 MODE_NAME=full; fi

note() { echo "cluster.sh: $*" >&2; }
TMP=$(mktemp -d /tmp/salon-cluster-bench.XXXXXX)
STARTED=()
cleanup() {
	for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${STARTED[@]}"; do wait "$p" 2>/dev/null; done
	[ -f "$TMP/redis.pid" ] && kill "$(cat "$TMP/redis.pid")" 2>/dev/null
	[ -n "${KEEP_TMP:-}" ] && echo "kept $TMP" >&2 || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PIN_S=() PIN_G=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	PIN_S=(taskset -c 0) PIN_G=(taskset -c 1)
else
	note "fewer than 2 CPUs or no taskset: nothing is pinned"
fi

SO=$ROOT/modules/salon.so
[ -f "$SO" ] || { note "modules/salon.so is missing: make build"; exit 1; }
php -n -d extension="$SO" --ri salon | grep -q '^Cluster => yes' || { note "salon.so was built without hiredis"; exit 1; }
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || { note "redis-server and redis-cli are needed"; exit 1; }
WSLOAD=$BENCH/wsload
${CC:-cc} -std=c11 -O2 -Wall -Wextra -o "$WSLOAD" "$BENCH/wsload.c" -lssl -lcrypto -lz || exit 1

free_port() { php -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo substr(strrchr(stream_socket_get_name($s, false), ":"), 1);'; }

RPORT=$(free_port)
"${PIN_S[@]}" redis-server --port "$RPORT" --bind 127.0.0.1 --daemonize yes --pidfile "$TMP/redis.pid" \
	--dir "$TMP" --logfile "$TMP/redis.log" --save '' --appendonly no || exit 1
for _ in $(seq 100); do redis-cli -p "$RPORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done
sleep 0.1
RPID=$(cat "$TMP/redis.pid")
URL="redis://127.0.0.1:$RPORT/bench"

# start_node NAME [CLUSTER_URL]: prints "PID PORT"
start_node() {
	local out=$TMP/$1.out
	"${PIN_S[@]}" php -n -d extension="$SO" "$BENCH/servers/broadcast.php" 0 "${2:-}" >"$out" 2>&1 &
	local pid=$!
	STARTED+=("$pid")
	for _ in $(seq 200); do
		grep -q 'listening on' "$out" && break
		sleep 0.02
	done
	echo "$pid $(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out" | head -n 1)"
}
stop_nodes() {
	for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${STARTED[@]}"; do wait "$p" 2>/dev/null; done
	STARTED=()
}
wait_subscribers() { # N: until N nodes are subscribed to the bus
	for _ in $(seq 200); do
		[ "$(redis-cli -p "$RPORT" pubsub numsub bench:bus | tail -n 1)" -ge "$1" ] 2>/dev/null && return 0
		sleep 0.02
	done
	note "the nodes did not subscribe"
	return 1
}

RESULTS=$TMP/results.jsonl
run_scenario() { # NAME [paced]
	local name=$1 a b pids args pace=(--window "$WINDOW") tag=$1
	if [ "${2:-}" = paced ]; then
		pace=(--rate "$RATE" --window 60000)
		tag=$1@rate
	fi
	case $name in
	one) read -r a PA < <(start_node a); pids=$a; args=(--port "$PA") ;;
	one-bus)
		read -r a PA < <(start_node a "$URL")
		wait_subscribers 1 || return
		pids=$a,$RPID; args=(--port "$PA") ;;
	two)
		read -r a PA < <(start_node a "$URL")
		read -r b PB < <(start_node b "$URL")
		wait_subscribers 2 || return
		pids=$a,$b,$RPID; args=(--port "$PA" --recv-port "$PB") ;;
	esac
	"${PIN_G[@]}" "$WSLOAD" broadcast "${args[@]}" -c "$RECV" -s "$SIZE" "${pace[@]}" -t "$DUR" --warmup "$WARM" \
		--pid "$pids" --json 2>>"$TMP/wsload.err" | sed "s/^{/{\"scenario\":\"$tag\",/" >>"$RESULTS"
	stop_nodes
}

START=$(date -u '+%Y-%m-%d %H:%M UTC')
SECONDS=0
for r in $(seq "$RUNS"); do
	for s in one one-bus two; do
		note "run $r/$RUNS: $s"
		run_scenario "$s"
	done
	for s in one two; do
		note "run $r/$RUNS: $s at $RATE messages/s"
		run_scenario "$s" paced
	done
done

mkdir -p "$BENCH/results"
STAMP=$(date -u '+%Y%m%d-%H%M%S')
OUT=$BENCH/results/cluster-$STAMP-$MODE_NAME.md
cp "$RESULTS" "$BENCH/results/cluster-$STAMP-$MODE_NAME.jsonl"
REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
REDISV=$(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p')
php -n "$BENCH/cluster_report.php" "$RESULTS" "$RECV" "$SIZE" "$RUNS" "$DUR" "$START" "$SECONDS" "$REV" "$REDISV" "$SO" "$RATE" "$WINDOW" | tee "$OUT"
cp "$OUT" "$BENCH/results/cluster-latest.md"
