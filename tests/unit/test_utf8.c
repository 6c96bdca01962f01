/* Unit tests for src/ws_utf8.c. */
#include "tap.h"
#include "ws_utf8.h"

/* A reference written from RFC 3629 §4 the plain way: decode one code point
 * at a time with explicit ranges. Returns the index of the first byte at
 * which the input can no longer be valid, or -1 when p[0..n) is a valid
 * prefix; *complete says whether it is valid and ends on a code point
 * boundary. */
static long ref_check(const uint8_t *p, size_t n, int *complete)
{
	size_t i = 0;

	*complete = 1;
	while (i < n) {
		uint8_t b = p[i];
		size_t need;
		uint8_t lo = 0x80, hi = 0xBF; /* range of the second byte */

		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF)
			need = 1;
		else if (b >= 0xE0 && b <= 0xEF)
			need = 2;
		else if (b >= 0xF0 && b <= 0xF4)
			need = 3;
		else
			goto bad;
		if (b == 0xE0)
			lo = 0xA0;
		if (b == 0xED)
			hi = 0x9F;
		if (b == 0xF0)
			lo = 0x90;
		if (b == 0xF4)
			hi = 0x8F;
		for (size_t k = 1; k <= need; k++) {
			uint8_t c;
			if (i + k >= n) {
				*complete = 0;
				return -1;
			}
			c = p[i + k];
			if (k == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) {
				i += k;
				goto bad;
			}
		}
		i += need + 1;
	}
	return -1;
bad:
	*complete = 0;
	return (long)i;
}

/* Feeds a byte at a time; returns the index where feed first failed. */
static long fail_index(const uint8_t *p, size_t n, int *complete)
{
	ws_utf8_t u;

	ws_utf8_init(&u);
	for (size_t i = 0; i < n; i++) {
		if (ws_utf8_feed(&u, tap_place(p + i, 1), 1) != 0) {
			*complete = 0;
			return (long)i;
		}
	}
	*complete = ws_utf8_complete(&u);
	return -1;
}

static int valid_str(const char *s)
{
	size_t n = strlen(s);
	return ws_utf8_valid(tap_place(s, n), n);
}

/* Every way to cut s in two (and in three) gives the same answer. */
static int splits_agree(const uint8_t *s, size_t n)
{
	int want = ws_utf8_valid(tap_place(s, n), n);

	for (size_t a = 0; a <= n; a++) {
		for (size_t b = a; b <= n; b++) {
			ws_utf8_t u;
			int r;

			ws_utf8_init(&u);
			r = ws_utf8_feed(&u, tap_place(s, a), a);
			r |= ws_utf8_feed(&u, tap_place(s + a, b - a), b - a);
			r |= ws_utf8_feed(&u, tap_place(s + b, n - b), n - b);
			if ((r == 0 && ws_utf8_complete(&u)) != want) {
				diag("split %zu/%zu of %zu bytes disagrees", a, b, n);
				return 0;
			}
		}
	}
	return 1;
}

static const uint8_t edge_bytes[] = {
	0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
	0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFF,
};
#define NEDGE (sizeof(edge_bytes))

int main(void)
{
	/* Valid text. */
	ok(valid_str(""), "empty is valid");
	ok(valid_str("Hello, world"), "ASCII");
	ok(valid_str("\xC2\x80"), "U+0080");
	ok(valid_str("\xDF\xBF"), "U+07FF");
	ok(valid_str("\xE0\xA0\x80"), "U+0800");
	ok(valid_str("\xED\x9F\xBF"), "U+D7FF (last before surrogates)");
	ok(valid_str("\xEE\x80\x80"), "U+E000 (first after surrogates)");
	ok(valid_str("\xEF\xBF\xBF"), "U+FFFF");
	ok(valid_str("\xF0\x90\x80\x80"), "U+10000");
	ok(valid_str("\xF4\x8F\xBF\xBF"), "U+10FFFF");
	ok(valid_str("\xCE\xBA\xE1\xBD\xB9\xCF\x83\xCE\xBC\xCE\xB5"), "Greek kosme");
	ok(valid_str("h\xC3\xA9llo w\xC3\xB6rld \xF0\x9F\x98\x80 and more ASCII after it"), "mixed");

	/* Invalid text. */
	ok(!valid_str("\xC0\x80"), "overlong NUL (C0 80)");
	ok(!valid_str("\xC1\xBF"), "overlong (C1 BF)");
	ok(!valid_str("\xE0\x80\x80"), "overlong 3-byte (E0 80 80)");
	ok(!valid_str("\xE0\x9F\xBF"), "overlong 3-byte (E0 9F BF)");
	ok(!valid_str("\xF0\x80\x80\x80"), "overlong 4-byte (F0 80 80 80)");
	ok(!valid_str("\xF0\x8F\xBF\xBF"), "overlong 4-byte (F0 8F BF BF)");
	ok(!valid_str("\xED\xA0\x80"), "surrogate U+D800");
	ok(!valid_str("\xED\xBF\xBF"), "surrogate U+DFFF");
	ok(!valid_str("\xED\xA0\x80\xED\xB0\x80"), "surrogate pair");
	ok(!valid_str("\xF4\x90\x80\x80"), "U+110000");
	ok(!valid_str("\xF5\x80\x80\x80"), "F5 lead");
	ok(!valid_str("\xFE"), "FE");
	ok(!valid_str("\xFF"), "FF");
	ok(!valid_str("\x80"), "lone continuation");
	ok(!valid_str("a\xBF" "b"), "continuation after ASCII");
	ok(!valid_str("\xC3"), "truncated 2-byte");
	ok(!valid_str("\xE2\x82"), "truncated 3-byte");
	ok(!valid_str("\xF0\x9F\x98"), "truncated 4-byte");
	ok(!valid_str("\xC3" "a"), "ASCII inside a sequence");
	ok(!valid_str("\xE2\x82\xC3\xA9"), "lead inside a sequence");

	/* Fails at the first impossible byte, not later. */
	{
		static const struct {
			const char *s;
			long at;
		} early[] = {
			{"\xED\xA0", 1}, {"\xF4\x90", 1}, {"\xC0", 0}, {"\xC1", 0}, {"\xF5", 0},
			{"\xFF", 0}, {"\xE0\x80", 1}, {"\xF0\x80", 1}, {"ab\xE2\x82(", 4}, {"\xE2(", 1},
		};
		for (size_t i = 0; i < sizeof(early) / sizeof(early[0]); i++) {
			int c;
			const uint8_t *s = (const uint8_t *)early[i].s;
			is(fail_index(s, strlen(early[i].s), &c), early[i].at, "early failure of case %zu at byte %ld", i,
			   early[i].at);
		}
	}

	/* Truncated sequences are valid prefixes but not complete. */
	{
		ws_utf8_t u;
		ws_utf8_init(&u);
		ok(ws_utf8_feed(&u, tap_place("\xF0\x9F", 2), 2) == 0 && !ws_utf8_complete(&u), "F0 9F: prefix, not complete");
		ok(ws_utf8_feed(&u, tap_place("\x98", 1), 1) == 0 && !ws_utf8_complete(&u), "+98: still not complete");
		ok(ws_utf8_feed(&u, tap_place("\x80", 1), 1) == 0 && ws_utf8_complete(&u), "+80: complete");
		ok(ws_utf8_feed(&u, tap_place("\xFF", 1), 1) == -1, "FF fails");
		ok(ws_utf8_feed(&u, tap_place("a", 1), 1) == -1 && !ws_utf8_complete(&u), "failure is sticky");
		ws_utf8_init(&u);
		ok(ws_utf8_feed(&u, tap_place("", 0), 0) == 0 && ws_utf8_complete(&u), "empty feed");
	}

	/* Every split point of every multi-byte sequence (and of a mix). */
	{
		static const char *seqs[] = {
			"\xC2\x80", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF",
			"\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE0\x80\x80",
			"x\xC3\xA9y\xE2\x82\xAC\xF0\x9F\x98\x80zzzzzzzzzzzzzzzzzz\xCE\xBA",
			"abcdefghijklmnopqrstuvwxyz0123456789\xF0\x9F\x98",
		};
		int all = 1;
		for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
			all &= splits_agree((const uint8_t *)seqs[i], strlen(seqs[i]));
		ok(all, "every two- and three-way split gives the whole-buffer answer");
	}

	/* The 8-byte ASCII path: a bad byte at every position of a long
	 * buffer, entered at every alignment, is found at its index. */
	{
		uint8_t buf[80];
		int all = 1;
		for (size_t start = 0; start < 9; start++) {
			for (size_t bad = start; bad < sizeof(buf); bad++) {
				ws_utf8_t u;
				memset(buf, 'a', sizeof(buf));
				buf[bad] = 0x80;
				ws_utf8_init(&u);
				if (ws_utf8_feed(&u, tap_place(buf, start), start) != 0 ||
				    ws_utf8_feed(&u, tap_place(buf + start, bad - start), bad - start) != 0 ||
				    ws_utf8_feed(&u, tap_place(buf + bad, sizeof(buf) - bad), sizeof(buf) - bad) != -1)
					all = 0;
				/* A valid sequence at the same spot passes. */
				buf[bad] = 0xC3;
				if (bad + 1 < sizeof(buf)) {
					buf[bad + 1] = 0xA9;
					if (!ws_utf8_valid(tap_place(buf, sizeof(buf)), sizeof(buf)))
						all = 0;
				}
			}
		}
		ok(all, "ASCII fast path finds bad and good bytes at every offset");
	}

	/* Against the reference: all 1- to 4-byte strings over bytes at the
	 * edges of every range, fed a byte at a time and whole. */
	{
		int all = 1;
		long cases = 0;
		uint8_t s[4];
		for (size_t len = 1; len <= 4 && all; len++) {
			size_t total = 1;
			for (size_t k = 0; k < len; k++)
				total *= NEDGE;
			for (size_t idx = 0; idx < total && all; idx++) {
				size_t x = idx;
				int c1, c2;
				long f1, f2;
				for (size_t k = 0; k < len; k++) {
					s[k] = edge_bytes[x % NEDGE];
					x /= NEDGE;
				}
				f1 = ref_check(s, len, &c1);
				f2 = fail_index(s, len, &c2);
				if (f1 != f2 || c1 != c2 || ws_utf8_valid(tap_place(s, len), len) != (f1 < 0 && c1)) {
					diag("mismatch on %zu bytes %02x %02x %02x %02x: ref %ld/%d, got %ld/%d", len, s[0],
					     len > 1 ? s[1] : 0, len > 2 ? s[2] : 0, len > 3 ? s[3] : 0, f1, c1, f2, c2);
					all = 0;
				}
				cases++;
			}
		}
		ok(all, "agrees with the reference decoder on %ld edge-byte strings", cases);
	}

	/* Every code point encodes to something the validator accepts. */
	{
		int all = 1;
		for (uint32_t cp = 0; cp <= 0x10FFFF && all; cp++) {
			uint8_t b[4];
			size_t n;
			int want = !(cp >= 0xD800 && cp <= 0xDFFF);
			if (cp < 0x80) {
				b[0] = (uint8_t)cp;
				n = 1;
			} else if (cp < 0x800) {
				b[0] = (uint8_t)(0xC0 | cp >> 6);
				b[1] = (uint8_t)(0x80 | (cp & 0x3F));
				n = 2;
			} else if (cp < 0x10000) {
				b[0] = (uint8_t)(0xE0 | cp >> 12);
				b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
				b[2] = (uint8_t)(0x80 | (cp & 0x3F));
				n = 3;
			} else {
				b[0] = (uint8_t)(0xF0 | cp >> 18);
				b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
				b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
				b[3] = (uint8_t)(0x80 | (cp & 0x3F));
				n = 4;
			}
			if (ws_utf8_valid(b, n) != want) {
				diag("U+%04X: got %d", (unsigned)cp, !want);
				all = 0;
			}
		}
		ok(all, "every scalar value is accepted, every surrogate refused");
	}

	return done_testing();
}
