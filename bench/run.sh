#!/usr/bin/env bash
# bench/run.sh: Salon against its peers, side by side in one run.
#
#   bench/run.sh            # ~7 minutes: 5 s per measurement, 3 runs each
#   bench/run.sh --quick    # ~2 minutes: 1 s per measurement, 3 runs each
#   bench/run.sh --servers "salon-c bun" --runs 1
#
# Servers (each skipped, with a note, when it cannot run here):
#   salon-php  Salon with PHP handlers: examples/echo/server.php and
#              bench/servers/broadcast.php on modules/salon.so
#   salon-c    Salon's C core with a C handler: bench/servers/echo_c.c
#   bun        Bun.serve (uWebSockets inside, JavaScript handlers,
#              server.publish for broadcast): bench/servers/bun_echo.js
#   node       Node + ws: bench/servers/node_ws_echo.js
# wss:// scenarios (echo over TLS, and the TLS handshakes of 1,000 idle
# connections) run on the Salon servers only, with a self-signed EC P-256
# certificate made with the openssl CLI; wsload --tls is the client.
# Bun and ws come from npm into bench/node_modules (bench/package.json).
#
# The server runs pinned to CPU 0 and the generator (bench/wsload) to CPU 1.
# Every scenario runs 3 times per server, interleaved round-robin so that
# noise on a shared machine spreads over all servers alike; the table gives
# the median and the min-max. The figure to compare is microseconds of
# server CPU per message (utime+stime from /proc): it stays put when the
# machine is busy, while msgs/s moves with whatever else runs.
#
# Compression (Salon only): the PHP echo server and the C core, each plain
# and with permessage-deflate, with a chat-like text workload (JSON lines of
# 100 B, different every message, 50 connections x 16 in flight; wsload
# --chat [--deflate [--no-context-takeover]]): msgs/s, server CPU per
# message and bytes on the wire per message each way; and the memory of
# 1,000 idle connections that each exchanged one such message.
#
# Writes bench/results/<stamp>.md (the tables), <stamp>.jsonl (every raw
# wsload result) and bench/results/latest.md; prints the tables.
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
BENCH=$ROOT/bench

QUICK=0
RUNS=3
ONLY="salon-php salon-c bun node"
usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--runs) RUNS=$2; shift ;;
	--servers) ONLY=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 1 ;;
	esac
	shift
done

if [ "$QUICK" = 1 ]; then
	DUR=1 WARM=0.3 HOLD=0.5 MODE_NAME=quick
else
	DUR=5 WARM=1 HOLD=2 MODE_NAME=full
fi

TMP=$(mktemp -d /tmp/salon-bench.XXXXXX)
STARTED=()
cleanup() {
	for p in "${STARTED[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${STARTED[@]}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ulimit -n "$(ulimit -Hn)" 2>/dev/null
note() { echo "run.sh: $*" >&2; }

# -- pinning -------------------------------------------------------------
PIN_S=() PIN_G=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
	PIN_S=(taskset -c 0) PIN_G=(taskset -c 1)
else
	note "fewer than 2 CPUs or no taskset: server and generator are not pinned"
fi

# -- build ---------------------------------------------------------------
CC=${CC:-cc}
WSLOAD=$BENCH/wsload
if ! $CC -std=c11 -O2 -Wall -Wextra -o "$WSLOAD" "$BENCH/wsload.c" -lssl -lcrypto -lz; then
	note "cannot build bench/wsload (needs a C compiler, libssl-dev and zlib1g-dev)"
	exit 1
fi
ECHO_C=$BENCH/servers/echo_c
# the cluster bus (src/ws_cluster.c) needs hiredis; the benchmark does not
CORE_SRC=()
for f in src/*.c; do [ "$f" = src/ws_cluster.c ] || CORE_SRC+=("$f"); done
if ! $CC -std=gnu11 -O2 -Isrc -o "$ECHO_C" "$BENCH/servers/echo_c.c" "${CORE_SRC[@]}" -lcrypto 2>"$TMP/echo_c.err" &&
	! $CC -std=gnu11 -O2 -Isrc -o "$ECHO_C" "$BENCH/servers/echo_c.c" "${CORE_SRC[@]}" -lssl -lcrypto -lz 2>"$TMP/echo_c.err"; then
	note "cannot build bench/servers/echo_c: $(head -c 300 "$TMP/echo_c.err")"
	rm -f "$ECHO_C"
fi

TLS_CERT="" TLS_KEY=""
if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" >/dev/null 2>&1; then
	TLS_CERT=$TMP/cert.pem TLS_KEY=$TMP/key.pem
else
	note "no openssl CLI: the wss scenarios are skipped"
fi

BUN=""
if command -v npm >/dev/null && { [ -d "$BENCH/node_modules/ws" ] && [ -d "$BENCH/node_modules/bun" ] ||
	(cd "$BENCH" && timeout 300 npm install --no-audit --no-fund >"$TMP/npm.log" 2>&1); }; then
	for b in "$BENCH/node_modules/bun/bin/bun.exe" "$BENCH/node_modules/@oven/bun-linux-x64/bin/bun" \
		"$BENCH/node_modules/.bin/bun"; do
		if [ -x "$b" ] && "$b" --version >/dev/null 2>&1; then
			BUN=$b
			break
		fi
	done
else
	note "npm install in bench/ failed: $(tail -c 300 "$TMP/npm.log" 2>/dev/null)"
fi

available() { # id -> 0 when the server can run here
	case $1 in
	salon-php) command -v php >/dev/null && [ -f "$ROOT/modules/salon.so" ] && [ -f "$ROOT/examples/echo/server.php" ] &&
		php -n -d "extension=$ROOT/modules/salon.so" -r 'exit(class_exists("Salon\\Server") ? 0 : 1);' 2>/dev/null ;;
	salon-c) [ -x "$ECHO_C" ] ;;
	bun) [ -n "$BUN" ] ;;
	node) command -v node >/dev/null && [ -d "$BENCH/node_modules/ws" ] ;;
	*) return 1 ;;
	esac
}
label() {
	case $1 in
	salon-php) echo "Salon PHP" ;;
	salon-c) echo "Salon C core" ;;
	bun) echo "Bun" ;;
	node) echo "Node ws" ;;
	esac
}

SERVERS=()
for s in $ONLY; do
	if available "$s"; then
		SERVERS+=("$s")
	else
		case $s in
		salon-php) note "skipping Salon PHP: modules/salon.so (make build) or examples/echo/server.php is missing or does not load" ;;
		*) note "skipping $s: not available here" ;;
		esac
	fi
done
[ ${#SERVERS[@]} -gt 0 ] || { note "no server to measure"; exit 1; }

# -- servers -------------------------------------------------------------
declare -A SPID SPORT
start_server() { # id variant(echo|bcast|rooms|wss|zecho) -> SPID[id] SPORT[id]; 1 if it did not come up
	local id=$1 v=$2 cmd=() log=$TMP/$1-$2.log
	local b=() env=()
	[ "$v" = bcast ] && b=(-b)
	[ "$v" = rooms ] && b=(-r)
	[ "$v" = wss ] && b=(--tls "$TLS_CERT" "$TLS_KEY") &&
		env=("SALON_OPTIONS={\"tls\": {\"cert\": \"$TLS_CERT\", \"key\": \"$TLS_KEY\"}}")
	[ "$v" = zecho ] && b=(-z) && env=('SALON_OPTIONS={"compression": true}')
	case $id in
	salon-php)
		if [ "$v" = rooms ]; then
			cmd=(php -n -d "extension=$ROOT/modules/salon.so" "$BENCH/servers/rooms.php" 0)
		elif [ "$v" = bcast ]; then
			cmd=(php -n -d "extension=$ROOT/modules/salon.so" "$BENCH/servers/broadcast.php" 0)
		else
			cmd=(env "${env[@]}" php -n -d "extension=$ROOT/modules/salon.so" "$ROOT/examples/echo/server.php" 0)
		fi ;;
	salon-c) cmd=("$ECHO_C" 0 "${b[@]}") ;;
	bun) cmd=("$BUN" "$BENCH/servers/bun_echo.js" 0 "${b[@]}") ;;
	node) cmd=(node "$BENCH/servers/node_ws_echo.js" 0 "${b[@]}") ;;
	esac
	# Empty the log first: the redirection below happens in the child, so
	# the loop that reads the port could otherwise see the previous run's.
	: >"$log"
	"${PIN_S[@]}" "${cmd[@]}" >"$log" 2>&1 &
	local pid=$! port="" i
	STARTED+=("$pid")
	for i in $(seq 100); do
		port=$(grep -oE 'listening on wss?://127.0.0.1:[0-9]*' "$log" 2>/dev/null | head -1 | grep -o '[0-9]*$')
		[ -n "$port" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$port" ]; then
		note "$id ($v) did not start: $(head -c 300 "$log")"
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 1
	fi
	SPID[$id]=$pid
	SPORT[$id]=$port
}
stop_server() {
	local pid=${SPID[$1]:-}
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "SPID[$1]" "SPORT[$1]"
}

STAMP=$(date +%Y%m%d-%H%M%S)
mkdir -p "$BENCH/results"
RAW=$BENCH/results/$STAMP-$MODE_NAME.jsonl
: >"$RAW"

measure() { # id scenario run wsload-args...
	local id=$1 scen=$2 run=$3 out
	shift 3
	out=$("${PIN_G[@]}" "$WSLOAD" "$@" --port "${SPORT[$id]}" --pid "${SPID[$id]}" --timeout 5 --json 2>"$TMP/human")
	printf '  %-10s %-9s run %d: %s\n' "$id" "$scen" "$run" "$(cat "$TMP/human")" >&2
	case $out in
	'{'*) printf '{"server":"%s","scenario":"%s","run":%d,"result":%s}\n' "$id" "$scen" "$run" "$out" >>"$RAW" ;;
	esac
	sleep 0.2
}

declare -A SCEN_ARGS=(
	[echo]="echo -c 50 -s 32 -d 1"
	[pipelined]="echo -c 50 -s 32 -d 16"
	[large]="echo -c 50 -s 16384 -d 1"
	[broadcast]="broadcast -c 100 -s 64 --window 64"
	[bcast1k]="broadcast -c 1000 -s 64 --window 64"
	[room1k]="broadcast -c 1000 --bystanders 9000 --path /room --bystander-path /idle -s 64 --window 64"
	[idle1k]="idle -c 1000"
	[idle10k]="idle -c 10000"
	[echo-wss]="echo -c 50 -s 32 -d 1 --tls"
	[pipelined-wss]="echo -c 50 -s 32 -d 16 --tls"
	[large-wss]="echo -c 50 -s 16384 -d 1 --tls"
	[idle1k-wss]="idle -c 1000 --tls"
	[chat-plain]="echo -c 50 -s 100 -d 16 --chat"
	[chat-deflate]="echo -c 50 -s 100 -d 16 --chat --deflate"
	[chat-deflate-nct]="echo -c 50 -s 100 -d 16 --chat --deflate --no-context-takeover"
	[chatidle-plain]="idle -c 1000 -s 100 --chat --deflate"
	[chatidle-deflate]="idle -c 1000 -s 100 --chat --deflate"
	[chatidle-deflate-nct]="idle -c 1000 -s 100 --chat --deflate --no-context-takeover"
)
ZSERVERS=()
for id in "${SERVERS[@]}"; do
	case $id in salon-php | salon-c) ZSERVERS+=("$id") ;; esac
done
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)
note "servers: ${SERVERS[*]}; $RUNS runs; ${DUR}s per measurement ($MODE_NAME)"

# echo scenarios: one echo server of each kind, up for the whole round
for id in "${SERVERS[@]}"; do start_server "$id" echo || true; done
for run in $(seq "$RUNS"); do
	for scen in echo pipelined large; do
		for id in "${SERVERS[@]}"; do
			[ -n "${SPID[$id]:-}" ] || continue
			# shellcheck disable=SC2086
			measure "$id" "$scen" "$run" ${SCEN_ARGS[$scen]} -t "$DUR" --warmup "$WARM"
		done
	done
done
for id in "${SERVERS[@]}"; do stop_server "$id"; done

# wss: the same echo scenarios over TLS, Salon's servers only
WSS_SERVERS=()
if [ -n "$TLS_CERT" ]; then
	for id in "${SERVERS[@]}"; do
		case $id in salon-php | salon-c) WSS_SERVERS+=("$id") ;; esac
	done
fi
for id in "${WSS_SERVERS[@]}"; do start_server "$id" wss || true; done
for run in $(seq "$RUNS"); do
	for scen in echo-wss pipelined-wss large-wss; do
		for id in "${WSS_SERVERS[@]}"; do
			[ -n "${SPID[$id]:-}" ] || continue
			# shellcheck disable=SC2086
			measure "$id" "$scen" "$run" ${SCEN_ARGS[$scen]} -t "$DUR" --warmup "$WARM"
		done
	done
done
for id in "${WSS_SERVERS[@]}"; do stop_server "$id"; done

# broadcast: the relay variant of each server
for id in "${SERVERS[@]}"; do start_server "$id" bcast || true; done
for run in $(seq "$RUNS"); do
	for id in "${SERVERS[@]}"; do
		[ -n "${SPID[$id]:-}" ] || continue
		# shellcheck disable=SC2086
		measure "$id" broadcast "$run" ${SCEN_ARGS[broadcast]} -t "$DUR" --warmup "$WARM"
	done
done
for id in "${SERVERS[@]}"; do stop_server "$id"; done

# rooms: broadcast to a 1,000-member room among 10,000 connections (9,000
# bystanders that must get nothing), against broadcast to 1,000
# connections, on Salon's own servers (the room relay joins /room on open):
# a room broadcast should cost about the same per delivery, whatever the
# connections outside the room. A fresh server per measurement.
for run in $(seq "$RUNS"); do
	for id in "${SERVERS[@]}"; do
		case $id in salon-php | salon-c) ;; *) continue ;; esac
		for v in bcast rooms; do
			start_server "$id" "$v" || continue
			scen=$([ "$v" = bcast ] && echo bcast1k || echo room1k)
			# shellcheck disable=SC2086
			measure "$id" "$scen" "$run" ${SCEN_ARGS[$scen]} -t "$DUR" --warmup "$WARM"
			stop_server "$id"
		done
	done
done

# compression (Salon only): the same chat workload against a plain server
# and a compressing one (with and without context takeover)
for run in $(seq "$RUNS"); do
	for v in echo zecho; do
		for id in "${ZSERVERS[@]}"; do
			start_server "$id" "$v" || continue
			for scen in chat-plain chat-deflate chat-deflate-nct; do
				[ "$v" = echo ] && [ "$scen" != chat-plain ] && continue
				[ "$v" = zecho ] && [ "$scen" = chat-plain ] && continue
				# shellcheck disable=SC2086
				measure "$id" "$scen" "$run" ${SCEN_ARGS[$scen]} -t "$DUR" --warmup "$WARM"
			done
			stop_server "$id"
		done
	done
	# the same, idle: each connection exchanged one message first
	for scen in chatidle-plain chatidle-deflate chatidle-deflate-nct; do
		for id in "${ZSERVERS[@]}"; do
			v=zecho
			[ "$scen" = chatidle-plain ] && v=echo
			start_server "$id" "$v" || continue
			"${PIN_G[@]}" "$WSLOAD" idle -c 10 --hold 0 --port "${SPORT[$id]}" --timeout 5 >/dev/null 2>&1
			sleep 0.2
			# shellcheck disable=SC2086
			measure "$id" "$scen" "$run" ${SCEN_ARGS[$scen]} --hold "$HOLD"
			stop_server "$id"
		done
	done
done

# idle: a fresh server per measurement (freed memory that a process reuses
# would hide the cost), warmed by 10 connections first
for run in $(seq "$RUNS"); do
	for scen in idle1k idle10k; do
		for id in "${SERVERS[@]}"; do
			start_server "$id" echo || continue
			"${PIN_G[@]}" "$WSLOAD" idle -c 10 --hold 0 --port "${SPORT[$id]}" --timeout 5 >/dev/null 2>&1
			sleep 0.2
			# shellcheck disable=SC2086
			measure "$id" "$scen" "$run" ${SCEN_ARGS[$scen]} --hold "$HOLD"
			stop_server "$id"
		done
	done
	for id in "${WSS_SERVERS[@]}"; do
		start_server "$id" wss || continue
		"${PIN_G[@]}" "$WSLOAD" idle -c 10 --hold 0 --tls --port "${SPORT[$id]}" --timeout 5 >/dev/null 2>&1
		sleep 0.2
		# shellcheck disable=SC2086
		measure "$id" idle1k-wss "$run" ${SCEN_ARGS[idle1k-wss]} --hold "$HOLD"
		stop_server "$id"
	done
done
T_END=$(date +%s)
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# -- table ---------------------------------------------------------------
MD=$BENCH/results/$STAMP-$MODE_NAME.md
{
	echo "# Salon benchmark ($MODE_NAME run, $(date -u '+%Y-%m-%d %H:%M UTC'))"
	echo
	echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), Linux $(uname -r);" \
		"load average $LOAD0 at the start, $LOAD1 at the end; $((T_END - T_START)) s."
	rev=$(git rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
	[ -n "$(git status --porcelain -- src ext bench/servers bench/wsload.c examples 2>/dev/null)" ] && rev="$rev + local changes"
	echo "Source: $rev. Server on CPU 0, bench/wsload on CPU 1; $RUNS runs of ${DUR} s each (idle: hold ${HOLD} s);" \
		"median (min–max)."
	printf 'Versions:'
	for id in "${SERVERS[@]}"; do
		case $id in
		salon-php) printf ' PHP %s;' "$(php -r 'echo PHP_VERSION;')" ;;
		bun) printf ' Bun %s;' "$("$BUN" --version)" ;;
		node) printf ' Node %s, ws %s;' "$(node --version)" "$(node -p "require('$BENCH/node_modules/ws/package.json').version")" ;;
		esac
	done
	echo
	echo
	python3 - "$RAW" "${SERVERS[@]}" <<'PY'
import json, sys
raw, servers = sys.argv[1], sys.argv[2:]
label = {"salon-php": "Salon PHP", "salon-c": "Salon C core", "bun": "Bun", "node": "Node ws"}
scen_label = {
    "echo": "echo 50 conns × 32 B, 1 in flight",
    "pipelined": "echo 50 conns × 32 B, 16 in flight",
    "large": "echo 50 conns × 16 KiB",
    "broadcast": "broadcast 1 → 100 × 64 B",
    "bcast1k": "broadcast 1 → 1,000 × 64 B (1,000 connections)",
    "room1k": "room 1 → 1,000 × 64 B (10,000 connections)",
    "idle1k": "1,000 idle connections",
    "idle10k": "10,000 idle connections",
    "echo-wss": "wss echo 50 conns × 32 B, 1 in flight",
    "pipelined-wss": "wss echo 50 conns × 32 B, 16 in flight",
    "large-wss": "wss echo 50 conns × 16 KiB",
    "idle1k-wss": "1,000 idle wss connections",
}
res = {}
for line in open(raw):
    r = json.loads(line)
    res.setdefault((r["scenario"], r["server"]), []).append(r["result"])

def med(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2

def stat(scen, srv, key):
    v = [x[key] for x in res.get((scen, srv), []) if x.get(key) is not None and x.get("ops", 0) > 0]
    return (med(v), min(v), max(v)) if v else None

def fmt(s, digits):
    if not s:
        return "—"
    m, lo, hi = s
    f = "{:,.%df}" % digits
    return f"{f.format(m)} ({f.format(lo)}–{f.format(hi)})"

def ratio(a, b, higher_is_better):
    if not a or not b or not a[0] or not b[0]:
        return ""
    r = a[0] / b[0] if higher_is_better else b[0] / a[0]
    return f" · **{r:.2f}×**"

def errors(scen, srv):
    return sum(x.get("errors", 0) for x in res.get((scen, srv), []))

def gen_bound(scen, srv):
    return any(x.get("client_cpu_pct", 0) > 95 for x in res.get((scen, srv), []))

hdr = "| scenario | " + " | ".join(label[s] for s in servers) + " |"
sep = "|---|" + "---|" * len(servers)
notes = []

def table(title, scens, key, digits, higher):
    print(f"### {title}")
    print()
    print(hdr)
    print(sep)
    for sc in scens:
        if not any((sc, s) in res for s in servers):
            continue
        bun = stat(sc, "bun", key)
        cells = []
        for s in servers:
            st = stat(sc, s, key)
            c = fmt(st, digits) + (ratio(st, bun, higher) if s != "bun" and "bun" in servers else "")
            e = errors(sc, s)
            if e:
                c += f" ⚠{e} err"
                notes.append(f"{label[s]}, {scen_label[sc]}: {e} errors over the runs (see the .jsonl)")
            if key == "ops_per_s" and gen_bound(sc, s):
                c += " †"
            cells.append(c)
        print(f"| {scen_label[sc]} | " + " | ".join(cells) + " |")
    print()

thr = ["echo", "pipelined", "large", "broadcast", "echo-wss", "pipelined-wss", "large-wss"]
table("µs of server CPU per message (broadcast: per delivery) — lower is better; ×: Bun's figure / this one",
      thr, "server_cpu_per_op_us", 2, False)
table("messages/s (broadcast: deliveries/s) — higher is better; ×: this / Bun's", thr, "ops_per_s", 0, True)
table("server memory per idle connection, bytes (VmRSS growth / connections) — lower is better; ×: Bun's / this",
      ["idle1k", "idle10k", "idle1k-wss"], "rss_per_conn_bytes", 0, False)
table("µs of server CPU per handshake (opening the idle connections)", ["idle1k", "idle10k", "idle1k-wss"],
      "server_cpu_per_op_us", 1, False)
rooms = ["bcast1k", "room1k"]
if any((sc, s) in res for sc in rooms for s in servers):
    table("Rooms: µs of server CPU per delivery, broadcast to 1,000 connections vs to a 1,000-member room among "
          "10,000 connections — the two should be close", rooms, "server_cpu_per_op_us", 2, False)
    table("Rooms: deliveries/s", rooms, "ops_per_s", 0, True)
    for s in servers:
        a, b = stat("bcast1k", s, "server_cpu_per_op_us"), stat("room1k", s, "server_cpu_per_op_us")
        if a and b and a[0]:
            print(f"- {label[s]}: a room delivery costs {b[0] / a[0]:.2f}× a plain broadcast delivery")
    print()
print("Latency p50 / p99 in µs, median of the runs (echo: round trip; broadcast: sender to receiver):")
print()
print(hdr)
print(sep)
for sc in thr:
    cells = []
    for s in servers:
        a, b = stat(sc, s, "lat_p50_us"), stat(sc, s, "lat_p99_us")
        cells.append(f"{a[0]:,.0f} / {b[0]:,.0f}" if a and b else "—")
    print(f"| {scen_label[sc]} | " + " | ".join(cells) + " |")
print()
if any(gen_bound(sc, s) for sc in thr for s in servers):
    print("† the generator was CPU-bound (over 95% of its core) in at least one run: the msgs/s figure is the "
          "generator's limit, the CPU-per-message figure still holds.")
    print()
for n in dict.fromkeys(notes):
    print("- " + n)

zs = [s for s in servers if s in ("salon-php", "salon-c")]
zrows = [("chat-plain", "chatidle-plain", "plain"),
         ("chat-deflate", "chatidle-deflate", "permessage-deflate, context takeover"),
         ("chat-deflate-nct", "chatidle-deflate-nct", "permessage-deflate, no context takeover")]
if any((r[0], s) in res for r in zrows for s in zs):
    print()
    print("### Compression: chat-like text (JSON lines of 100 B, each different), echo 50 conns × 16 in flight")
    print()
    print("Bytes on the wire per message include the frame header (client frames also their 4-byte mask). "
          "Idle: 1,000 connections that each exchanged one such message, VmRSS growth per connection.")
    print()
    print("| server | mode | messages/s | µs server CPU per message | wire bytes per message, client → server / server → client | idle bytes per connection |")
    print("|---|---|---|---|---|---|")
    for s in zs:
        for chat, idle, name in zrows:
            if (chat, s) not in res:
                continue
            wo, wi = stat(chat, s, "wire_out_per_msg"), stat(chat, s, "wire_in_per_msg")
            wire = f"{wo[0]:,.1f} / {wi[0]:,.1f}" if wo and wi else "—"
            e = errors(chat, s) + errors(idle, s)
            gb = " †" if gen_bound(chat, s) else ""
            print(f"| {label[s]} | {name} | {fmt(stat(chat, s, 'ops_per_s'), 0)}{gb} | "
                  f"{fmt(stat(chat, s, 'server_cpu_per_op_us'), 2)} | {wire} | "
                  f"{fmt(stat(idle, s, 'rss_per_conn_bytes'), 0)} |" + (f" ⚠{e} err" if e else ""))
    print()
    if any(gen_bound(r[0], s) for r in zrows for s in zs):
        print("† the generator (which compresses and inflates too) was CPU-bound in at least one run: msgs/s is "
              "then its limit; the server's CPU per message still holds.")
        print()
PY
} >"$MD"
cp "$MD" "$BENCH/results/latest.md"
echo
cat "$MD"
echo
note "written: ${MD#"$ROOT"/} and ${RAW#"$ROOT"/}"
