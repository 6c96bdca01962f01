/* Incremental UTF-8 validator (RFC 3629): rejects overlongs, surrogates
 * (U+D800..U+DFFF), code points above U+10FFFF and bytes that can never
 * appear (C0, C1, F5..FF) at the first byte where the input can no longer
 * be valid, even when a code point is split across calls. */
#ifndef SALON_WS_UTF8_H
#define SALON_WS_UTF8_H

#include <stddef.h>
#include <stdint.h>

typedef struct ws_utf8 {
	uint32_t state; /* 0: at a code point boundary; internal otherwise */
} ws_utf8_t;

static inline void ws_utf8_init(ws_utf8_t *u) { u->state = 0; }

/* Validates the next n bytes. Returns 0 while the input so far is a valid
 * prefix of some UTF-8 string, -1 as soon as it cannot be (the state then
 * stays failed). */
int ws_utf8_feed(ws_utf8_t *u, const uint8_t *p, size_t n);

/* 1 when the input fed so far ends on a code point boundary (and has not
 * failed), 0 otherwise. */
int ws_utf8_complete(const ws_utf8_t *u);

/* Whole-buffer check: 1 valid, 0 invalid. */
int ws_utf8_valid(const uint8_t *p, size_t n);

#endif
