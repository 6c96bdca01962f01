/* Incremental UTF-8 validator.
 *
 * A small DFA over byte classes. Each state says what the rest of the
 * current code point may still be, so that the validator fails at the first
 * byte after which no continuation could make the input valid (RFC 3629 §4,
 * "UTF8-octets" grammar): E0 must be followed by A0..BF (no overlongs), ED by
 * 80..9F (no surrogates), F0 by 90..BF (no overlongs) and F4 by 80..8F (no
 * code points above U+10FFFF). Text frames are checked this way as they
 * arrive, which RFC 6455 §8.1 asks for ("fail the connection" as soon as
 * invalid data is seen).
 */
#include <string.h>
#include "ws_utf8.h"

/* Byte classes. */
enum {
	C_ASCII, /* 00..7F */
	C_C80,   /* 80..8F continuation */
	C_C90,   /* 90..9F continuation */
	C_CA0,   /* A0..BF continuation */
	C_L2,    /* C2..DF lead of 2 */
	C_E0,    /* E0: lead of 3, second byte A0..BF */
	C_L3,    /* E1..EC, EE..EF: lead of 3 */
	C_ED,    /* ED: lead of 3, second byte 80..9F */
	C_F0,    /* F0: lead of 4, second byte 90..BF */
	C_L4,    /* F1..F3: lead of 4 */
	C_F4,    /* F4: lead of 4, second byte 80..8F */
	C_BAD,   /* C0, C1, F5..FF: never valid */
	C_COUNT
};

/* States. S_OK must be 0: ws_utf8.h promises that 0 is the boundary. */
enum {
	S_OK,   /* at a code point boundary */
	S_1,    /* one continuation byte (80..BF) left */
	S_2,    /* two left */
	S_3,    /* three left */
	S_E0,   /* after E0: A0..BF, then one more */
	S_ED,   /* after ED: 80..9F, then one more */
	S_F0,   /* after F0: 90..BF, then two more */
	S_F4,   /* after F4: 80..8F, then two more */
	S_FAIL, /* sticky */
	S_COUNT
};

static const uint8_t ws__utf8_next[S_COUNT][C_COUNT] = {
	/*          ASCII   C80     C90     CA0     L2      E0      L3      ED      F0      L4      F4      BAD */
	[S_OK]   = {S_OK,   S_FAIL, S_FAIL, S_FAIL, S_1,    S_E0,   S_2,    S_ED,   S_F0,   S_3,    S_F4,   S_FAIL},
	[S_1]    = {S_FAIL, S_OK,   S_OK,   S_OK,   S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL},
	[S_2]    = {S_FAIL, S_1,    S_1,    S_1,    S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL},
	[S_3]    = {S_FAIL, S_2,    S_2,    S_2,    S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL},
	[S_E0]   = {S_FAIL, S_FAIL, S_FAIL, S_1,    S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL},
	[S_ED]   = {S_FAIL, S_1,    S_1,    S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL},
	[S_F0]   = {S_FAIL, S_FAIL, S_2,    S_2,    S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL},
	[S_F4]   = {S_FAIL, S_2,    S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL},
	[S_FAIL] = {S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL, S_FAIL},
};

#define X4(c) c, c, c, c
#define X16(c) X4(c), X4(c), X4(c), X4(c)

/* Class of every byte value, one row per high nibble. */
static const uint8_t ws__utf8_class[256] = {
	X16(C_ASCII), X16(C_ASCII), X16(C_ASCII), X16(C_ASCII), /* 00..3F */
	X16(C_ASCII), X16(C_ASCII), X16(C_ASCII), X16(C_ASCII), /* 40..7F */
	X16(C_C80),                                             /* 80..8F */
	X16(C_C90),                                             /* 90..9F */
	X16(C_CA0), X16(C_CA0),                                 /* A0..BF */
	C_BAD, C_BAD, C_L2, C_L2, X4(C_L2), X4(C_L2), X4(C_L2), /* C0..CF */
	X16(C_L2),                                              /* D0..DF */
	C_E0, C_L3, C_L3, C_L3, X4(C_L3), X4(C_L3),             /* E0..EB */
	C_L3, C_ED, C_L3, C_L3,                                 /* EC..EF */
	C_F0, C_L4, C_L4, C_L4, C_F4, C_BAD, C_BAD, C_BAD,      /* F0..F7 */
	X4(C_BAD), X4(C_BAD),                                   /* F8..FF */
};

#define WS_UTF8_HIGH UINT64_C(0x8080808080808080)

int ws_utf8_feed(ws_utf8_t *u, const uint8_t *p, size_t n)
{
	const uint8_t *cls = ws__utf8_class;
	uint32_t s = u->state;
	size_t i = 0;

	if (s >= S_FAIL) {
		u->state = S_FAIL;
		return -1;
	}
	while (i < n) {
		if (s == S_OK) {
			/* Between code points, runs of ASCII are the common case:
			 * check sixteen, then eight bytes at a time (memcpy keeps it free of
			 * alignment and aliasing trouble). */
			while (n - i >= 16) {
				uint64_t w1, w2;
				memcpy(&w1, p + i, 8);
				memcpy(&w2, p + i + 8, 8);
				if ((w1 | w2) & WS_UTF8_HIGH)
					break;
				i += 16;
			}
			while (n - i >= 8) {
				uint64_t w;
				memcpy(&w, p + i, 8);
				if (w & WS_UTF8_HIGH)
					break;
				i += 8;
			}
			while (i < n && p[i] < 0x80)
				i++;
			if (i == n)
				break;
		}
		s = ws__utf8_next[s][cls[p[i]]];
		i++;
		if (s == S_FAIL) {
			u->state = S_FAIL;
			return -1;
		}
	}
	u->state = s;
	return 0;
}

int ws_utf8_complete(const ws_utf8_t *u)
{
	return u->state == S_OK;
}

int ws_utf8_valid(const uint8_t *p, size_t n)
{
	ws_utf8_t u;

	ws_utf8_init(&u);
	return ws_utf8_feed(&u, p, n) == 0 && ws_utf8_complete(&u);
}
