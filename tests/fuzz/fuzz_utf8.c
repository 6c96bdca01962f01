/* libFuzzer target for src/ws_utf8.c: the incremental validator, fed at a
 * fuzzer-chosen split and a byte at a time, must agree with the whole-buffer
 * check and with a plain reference decoder (RFC 3629 §4), including on the
 * index of the first byte at which the input can no longer be valid. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ws_utf8.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* Returns the index of the first impossible byte, or -1; *complete is 1
 * when the whole input is valid and ends on a code point boundary. */
static long ref_check(const uint8_t *p, size_t n, int *complete)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t need;
		uint32_t min;

		if (p[i] < 0x80) {
			i++;
			continue;
		}
		/* Decode by arithmetic, then judge the value: a different
		 * method from the validator's ranges. */
		if ((p[i] & 0xE0) == 0xC0) {
			need = 1;
			cp = p[i] & 0x1F;
			min = 0x80;
		} else if ((p[i] & 0xF0) == 0xE0) {
			need = 2;
			cp = p[i] & 0x0F;
			min = 0x800;
		} else if ((p[i] & 0xF8) == 0xF0) {
			need = 3;
			cp = p[i] & 0x07;
			min = 0x10000;
		} else {
			goto bad;
		}
		/* A lead byte that only overlong (C0, C1) or too large (F5..F7)
		 * values can follow is impossible by itself. */
		if ((need == 1 && cp < 2) || (need == 3 && cp > 4))
			goto bad;
		for (size_t k = 1; k <= need; k++) {
			uint32_t lo, hi;
			if (i + k >= n) {
				*complete = 0;
				return -1;
			}
			if ((p[i + k] & 0xC0) != 0x80) {
				i += k;
				goto bad;
			}
			cp = (cp << 6) | (p[i + k] & 0x3F);
			/* The smallest and largest values reachable from the
			 * bytes so far must overlap the allowed range. */
			lo = cp << (6 * (need - k));
			hi = lo | ((1u << (6 * (need - k))) - 1);
			if (hi < min || lo > 0x10FFFF || (lo >= 0xD800 && hi <= 0xDFFF)) {
				i += k;
				goto bad;
			}
		}
		/* Full code points: check the value itself too. */
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
			i += need;
			goto bad;
		}
		i += need + 1;
	}
	*complete = 1;
	return -1;
bad:
	*complete = 0;
	return (long)i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ws_utf8_t u;
	size_t split, n;
	uint8_t *p;
	long ref_at, at = -1;
	int ref_complete, whole, r1, r2;

	if (size < 1)
		return 0;
	n = size - 1;
	/* An exact-size copy: ASan sees any over-read. */
	p = malloc(n ? n : 1);
	memcpy(p, data + 1, n);
	split = n ? data[0] % (n + 1) : 0;

	ref_at = ref_check(p, n, &ref_complete);
	whole = ws_utf8_valid(p, n);
	CHECK(whole == (ref_at < 0 && ref_complete));

	ws_utf8_init(&u);
	r1 = ws_utf8_feed(&u, p, split);
	r2 = ws_utf8_feed(&u, p + split, n - split);
	CHECK(((r1 | r2) == 0 && ws_utf8_complete(&u)) == whole);
	CHECK((r1 | r2) == 0 ? ref_at < 0 : ref_at >= 0);

	ws_utf8_init(&u);
	for (size_t i = 0; i < n; i++) {
		if (ws_utf8_feed(&u, p + i, 1) != 0) {
			at = (long)i;
			break;
		}
	}
	CHECK(at == ref_at);
	if (at >= 0)
		CHECK(ws_utf8_feed(&u, (const uint8_t *)"a", 1) == -1 && !ws_utf8_complete(&u));
	free(p);
	return 0;
}
