#!/bin/sh
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined;
# on Debian this needs libclang-rt-<version>-dev) into a build directory ($1,
# default build-c/fuzz at the top of the repository), runs each for
# $FUZZ_SECONDS seconds (default 60) from its seed corpus and dictionary,
# and reports executions per target. A crash, leak, timeout or sanitizer
# report fails the target; its reproducer is left in the build directory.
# CLANG overrides the compiler (default clang); FUZZ_TARGETS picks targets
# (e.g. FUZZ_TARGETS=http; default all six).
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build-c/fuzz}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
CLANG=${CLANG:-clang}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
CFLAGS="-std=c11 -Wall -Wextra -Werror -O1 -g -fno-omit-frame-pointer
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I$root/src"

deps() {
	case $1 in
	utf8) echo "src/ws_utf8.c" ;;
	frame) echo "src/ws_frame.c src/ws_utf8.c src/ws_alloc.c" ;;
	http) echo "src/ws_http.c src/ws_alloc.c" ;;
	proxy) echo "src/ws_proxy.c src/ws_alloc.c" ;;
	deflate) echo "src/ws_deflate.c src/ws_frame.c src/ws_utf8.c src/ws_alloc.c" ;;
	bus) echo "src/ws_bus.c src/ws_alloc.c" ;;
	esac
}
libs() {
	case $1 in
	http) echo "-lcrypto" ;;
	deflate) echo "-lz" ;;
	*) echo "" ;;
	esac
}

mkdir -p "$out" || exit 2
passed=0
failed=0
for t in ${FUZZ_TARGETS:-utf8 frame http proxy deflate bus}; do
	bin=$out/fuzz_$t
	log=$out/fuzz_$t.log
	srcs=""
	for d in $(deps "$t"); do srcs="$srcs $root/$d"; done
	# shellcheck disable=SC2086
	if ! $CLANG $CFLAGS -o "$bin" "$root/tests/fuzz/fuzz_$t.c" $srcs $(libs "$t") 2>"$out/fuzz_$t.build.log"; then
		cat "$out/fuzz_$t.build.log"
		echo "fuzz_$t: build failed"
		failed=$((failed + 1))
		continue
	fi
	dict=""
	[ -f "$root/tests/fuzz/$t.dict" ] && dict="-dict=$root/tests/fuzz/$t.dict"
	# New inputs go to a work corpus in the build directory; the seeds in
	# the repository are only read.
	mkdir -p "$out/corpus/$t"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 -timeout=25 \
		-artifact_prefix="$out/fuzz_$t-" $dict \
		"$out/corpus/$t" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$log"; then
		grep -E -A 30 'ERROR: |runtime error:|==[0-9]+==' "$log" | head -n 60
		echo "fuzz_$t: FAILED (exit $rc) after ${execs:-?} executions; log: $log"
		failed=$((failed + 1))
	else
		echo "fuzz_$t: ${execs:-?} executions in ${FUZZ_SECONDS}s"
		passed=$((passed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
