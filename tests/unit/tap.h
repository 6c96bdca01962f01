/* A tiny TAP producer for the C unit tests, plus a guard-page helper.
 *
 *   plan(n);               optional: the number of tests expected
 *   ok(cond, fmt, ...);    "ok N - desc" / "not ok N - desc"
 *   is(got, want, fmt...); integer compare, prints both on failure
 *   diag(fmt, ...);        "# ..." comment line
 *   return done_testing(); prints "1..N"; exit status 1 on any failure
 *
 * tap_guard(n) returns n writable bytes that end exactly where a PROT_NONE
 * page begins, so that a parser reading one byte past its input faults
 * (the idea comes from picohttpparser's test.c).
 */
#ifndef SALON_TAP_H
#define SALON_TAP_H

#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS under -std=c11 */
#endif
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int tap__run, tap__failed, tap__planned = -1;

static inline void plan(int n) { tap__planned = n; }

static inline void tap__vline(int pass, const char *fmt, va_list ap)
{
	printf("%sok %d - ", pass ? "" : "not ", ++tap__run);
	vprintf(fmt, ap);
	putchar('\n');
	if (!pass)
		tap__failed++;
}

static inline int tap__ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap__vline(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
	return pass;
}

static inline int tap__is(long long got, long long want, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int pass = got == want;

	va_start(ap, fmt);
	tap__vline(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   failed at %s:%d\n#   got: %lld\n#   expected: %lld\n", file, line, got, want);
	return pass;
}

#define ok(cond, ...) tap__ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is(got, want, ...) tap__is((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define diag(...) (printf("# "), printf(__VA_ARGS__), putchar('\n'))

static inline int done_testing(void)
{
	printf("1..%d\n", tap__run);
	if (tap__planned >= 0 && tap__planned != tap__run) {
		printf("# planned %d tests but ran %d\n", tap__planned, tap__run);
		return 1;
	}
	fflush(stdout);
	return tap__failed ? 1 : 0;
}

/* One mapping, reused: [usable bytes][PROT_NONE page]. */
#define TAP_GUARD_MAX (4u << 20)

static inline uint8_t *tap_guard(size_t n)
{
	static uint8_t *base;
	static size_t page;

	if (!base) {
		page = (size_t)sysconf(_SC_PAGESIZE);
		base = mmap(NULL, TAP_GUARD_MAX + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (base == MAP_FAILED || mprotect(base + TAP_GUARD_MAX, page, PROT_NONE) != 0) {
			perror("tap_guard");
			exit(2);
		}
	}
	if (n > TAP_GUARD_MAX) {
		fprintf(stderr, "tap_guard: %zu bytes is too many\n", n);
		exit(2);
	}
	return base + TAP_GUARD_MAX - n;
}

/* Copies n bytes so that they end at the guard page. */
static inline uint8_t *tap_place(const void *src, size_t n)
{
	uint8_t *p = tap_guard(n);

	if (n)
		memcpy(p, src, n);
	return p;
}

#endif
