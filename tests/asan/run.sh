#!/bin/bash
# Builds the extension with -fsanitize=address,undefined in a build
# directory of its own and runs the PHPT suite against it. Independent of
# the root GNUmakefile and of the build in the source tree: the sources
# are copied to $1 (default build-c/asan at the top of the repository),
# where phpize, configure and make run.
#
#   bash tests/asan/run.sh [BUILD_DIR]        all of tests/
#   ASAN_TESTS="tests/06_limits" bash tests/asan/run.sh
#
# Prints "asan: N passed, N failed" last; exits non-zero on any failure.
#
# php itself is not built with ASan, so the runtime is brought in with
# LD_PRELOAD (gcc's libasan; the extension's own DT_NEEDED libasan and
# libubsan then resolve to the preloaded ones). The tests run php through a
# wrapper ($1/php) that sets the environment below, so run-tests itself runs
# without it. What the run needs, and why:
#   nodeepbind.so         php dlopen()s extensions with RTLD_DEEPBIND, which
#                         ASan refuses outright ("incompatible with sanitizer
#                         runtime", google/sanitizers#611). This small
#                         preloaded library drops the flag; it has to come
#                         before libasan in LD_PRELOAD to be the dlopen php
#                         calls, hence verify_asan_link_order=0.
#   USE_ZEND_ALLOC=0      the Zend memory manager hands out its own chunks;
#                         without it ASan would see none of PHP's
#                         allocations (only the core's, which use libc).
#   lsan.supp             LeakSanitizer stays on, with suppressions: php
#                         does not free what its allocator handed out when it
#                         exits (it drops the heap wholesale; objects still
#                         alive or in a cycle at shutdown are never freed), so
#                         with USE_ZEND_ALLOC=0 LeakSanitizer would report
#                         blocks allocated through __zend_malloc in most
#                         tests. Those are suppressed; the core allocates
#                         with ws_malloc straight from libc, so a leak in
#                         src/ is still reported. So are the clients'
#                         (python3, node) exit-time blocks, which inherit the
#                         preload. print_suppressions=0: the list of matched
#                         suppressions would otherwise end every test's
#                         output. (Without the file: detect_leaks=0.)
#   quarantine_size_mb=16 ASan keeps freed memory out of reuse (256 MiB by
#                         default); the hardening tests assert bounds on the
#                         server's RSS, which a big quarantine would break.
#   SALON_MEM_SCALE=4     those RSS bounds, widened for shadow memory and
#                         redzones (tests/16_hardening/hardening.inc);
#   SALON_ASAN=1          and the volume tests, skipped under valgrind, run.
#   SALON_TIMEOUT_SCALE=3 the tests' timing bounds, widened for ASan's
#                         slowdown (USE_ZEND_ALLOC=0 alone would mean
#                         valgrind's 10, which only makes the run longer).
#   ZEND_DONT_UNLOAD_MODULES=1  keeps salon.so mapped at exit, so that a
#                         report at shutdown still has symbolized frames.
#   halt_on_error=1 (UBSan) and ASan's default abort: a report ends the
#                         test's process, so the test fails with the report
#                         in its output; the script also greps every
#                         test's output for reports.
# Children of the tests (client processes: php -n, python3, node) inherit
# the preload; LD_PRELOAD of libasan into an uninstrumented program only
# replaces malloc and friends, which they tolerate.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/build-c/asan}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
PHP=${PHP:-php}
PHPIZE=${PHPIZE:-phpize}
CC=${CC:-gcc}
tests=${ASAN_TESTS:-tests/}
jobs=${ASAN_JOBS:-2}

fail() {
	echo "asan: $*" >&2
	echo "asan: 0 passed, 1 failed"
	exit 1
}

libasan=$($CC -print-file-name=libasan.so)
[ -f "$libasan" ] || fail "libasan.so not found ($CC -print-file-name=libasan.so gave $libasan)"

# A clean copy of the sources: what git knows (tracked or not ignored), or
# the source directories when this is not a git checkout.
rm -rf "$out" && mkdir -p "$out/src" || fail "cannot create $out"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$root" && git ls-files -z --cached --others --exclude-standard -- config.m4 Makefile.frag src ext php |
		xargs -0 cp --parents -t "$out/src") || fail "copying the sources failed"
else
	(cd "$root" && cp -R --parents config.m4 Makefile.frag src ext php "$out/src") || fail "copying the sources failed"
fi

flags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
echo "asan: building in $out/src with $flags"
(
	cd "$out/src" &&
		$PHPIZE >"$out/phpize.log" 2>&1 &&
		CC=$CC CFLAGS="$flags" LDFLAGS="-fsanitize=address,undefined" \
			./configure --enable-salon >"$out/configure.log" 2>&1 &&
		make -j"$jobs" >"$out/make.log" 2>&1
) || {
	tail -n 30 "$out"/*.log >&2
	fail "build failed (logs in $out)"
}
so=$out/src/modules/salon.so
[ -f "$so" ] || fail "no $so"
ldd "$so" | grep -q libasan || fail "$so is not linked with libasan"

$CC -shared -fPIC -O1 -o "$out/nodeepbind.so" "$root/tests/asan/nodeepbind.c" -ldl || fail "cannot build nodeepbind.so"

# The php the tests run: the real binary under the sanitizer environment.
# Their child processes (clients, php -n) inherit it.
realphp=$(command -v "$PHP") || fail "$PHP not found"
cat >"$out/php" <<WRAPPER
#!/bin/sh
export USE_ZEND_ALLOC=0
export ZEND_DONT_UNLOAD_MODULES=1
export LD_PRELOAD="$out/nodeepbind.so $libasan"
export ASAN_OPTIONS="\${ASAN_OPTIONS:-verify_asan_link_order=0:detect_leaks=1:quarantine_size_mb=16:abort_on_error=1}"
export LSAN_OPTIONS="\${LSAN_OPTIONS:-suppressions=$root/tests/asan/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="\${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export SALON_MEM_SCALE="\${SALON_MEM_SCALE:-4}"
export SALON_TIMEOUT_SCALE="\${SALON_TIMEOUT_SCALE:-3}"
export SALON_SO="$so"
export SALON_ASAN=1
exec "$realphp" "\$@"
WRAPPER
chmod +x "$out/php"
"$out/php" -n -d "extension=$so" -r 'echo "asan: loaded salon ", phpversion("salon"), "\n";' || fail "the ASan build does not load"
export NO_INTERACTION=1

log=$out/run-tests.log
cd "$root" || exit 2
# -n: no php.ini (so no other build of salon gets loaded); the extension
# under test by path. --show-diff prints what a failing test said.
stamp=$out/started
touch "$stamp"
"$realphp" -n "$out/src/run-tests.php" -p "$out/php" -n -d "extension=$so" -j"$jobs" --show-diff -q $tests 2>&1 | tee "$log"

passed=$(awk '/^Tests passed/ {print $4}' "$log")
failed=$(awk '/^Tests (failed|borked|leaked)/ {n += $4} END {print n + 0}' "$log")
passed=${passed:-0}
grep -q '^Tests passed' "$log" || failed=$((failed + 1))

# A sanitizer report that did not fail its test (e.g. in a client process
# whose output the test ignores) still counts.
reports=$(find tests -newer "$stamp" \( -name '*.out' -o -name '*.log' \) -print0 2>/dev/null |
	xargs -0 -r grep -lE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' | wc -l)
if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log"; then
	echo "asan: sanitizer report in the run (see above)"
	[ "$failed" -gt 0 ] || failed=1
elif [ "$reports" -gt 0 ]; then
	echo "asan: sanitizer reports in $reports test output file(s)"
	failed=$((failed + reports))
fi
echo "asan: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
