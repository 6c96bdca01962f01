#!/bin/sh
# Builds every tests/unit/test_*.c with ASan+UBSan into a build directory
# ($1, default build-c/ at the top of the repository), runs them and counts
# TAP "ok" / "not ok" lines. A test that fails to build, crashes or exits
# non-zero counts as a failure too. CC is honoured (default cc).
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build-c}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
CC=${CC:-cc}
CFLAGS="-std=c11 -Wall -Wextra -Werror -O1 -g -fno-omit-frame-pointer
	-fsanitize=address,undefined -fno-sanitize-recover=all -I$root/src"

# The sources each test links: fixed lists, so a test never depends on
# files it does not exercise (and on the server being buildable).
deps() {
	case $1 in
	test_utf8) echo "src/ws_utf8.c src/ws_alloc.c" ;;
	test_frame) echo "src/ws_frame.c src/ws_utf8.c src/ws_alloc.c" ;;
	test_http) echo "src/ws_http.c src/ws_alloc.c" ;;
	test_room) echo "src/ws_room.c src/ws_alloc.c" ;;
	test_proxy) echo "src/ws_proxy.c src/ws_alloc.c" ;;
	test_upgrade) echo "src/ws_upgrade.c src/ws_alloc.c" ;;
	test_metrics) echo "src/ws_metrics.c src/ws_buf.c src/ws_alloc.c" ;;
	test_tls) echo "src/ws_tls.c src/ws_alloc.c" ;;
	test_deflate) echo "src/ws_deflate.c src/ws_frame.c src/ws_utf8.c src/ws_alloc.c" ;;
	test_bus) echo "src/ws_bus.c src/ws_alloc.c" ;;
	test_server) (cd "$root" && ls src/*.c | grep -v -e ws_cluster.c -e ws_workers.c) ;;
	*) echo "src/ws_alloc.c" ;;
	esac
}
libs() {
	case $1 in
	test_http) echo "-lcrypto" ;;
	test_tls) echo "-lssl -lcrypto" ;;
	test_deflate) echo "-lz" ;;
	test_server) echo "-lssl -lcrypto -lz" ;;
	*) echo "" ;;
	esac
}

mkdir -p "$out" || exit 2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
cd "$root" || exit 2
for src in tests/unit/test_*.c; do
	name=$(basename "$src" .c)
	bin=$out/$name
	srcs=""
	for d in $(deps "$name"); do srcs="$srcs $root/$d"; done
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS -o "$bin" "$root/$src" $srcs $(libs "$name") 2>"$out/$name.build.log"; then
		cat "$out/$name.build.log"
		echo "$name: build failed"
		failed=$((failed + 1))
		continue
	fi
	"$bin" >"$out/$name.log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out/$name.log")
	f=$(grep -c '^not ok ' "$out/$name.log")
	grep -v '^ok ' "$out/$name.log" | grep -v '^1\.\.[0-9]*$'
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$name: exited with status $rc"
		f=1
	fi
	echo "$name: $p passed, $f failed"
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
