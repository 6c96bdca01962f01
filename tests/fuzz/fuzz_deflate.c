/* libFuzzer target for src/ws_deflate.c. The first byte picks a mode:
 *   0  negotiation: the rest is a Sec-WebSocket-Extensions value, tried
 *      with four configurations (byte 1 picks the windows); an accepted
 *      offer must give in-range parameters and an answer that, read back
 *      as an offer, is accepted with the same parameters.
 *   1  inflation: byte 1 picks the agreed parameters and text/binary,
 *      byte 2 max_message_size; the rest is a list of messages, each
 *      prefixed by a 2-byte length, inflated in turn on one connection as
 *      a peer's compressed messages. Whatever the bytes, the result is
 *      success, 1007 or 1009, the output stays under max, is
 *      NUL-terminated and (for text) valid UTF-8.
 *   2  round trip: the rest, cut into up to four messages, is compressed
 *      for a connection (byte 1: parameters) and inflated back by a
 *      connection with the mirrored parameters; a broadcast frame made for
 *      it in the middle must decode too. Everything must come back equal.
 * Inputs are exact-size heap copies so ASan sees any read past them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ws.h"
#include "ws_deflate.h"
#include "ws_frame.h"
#include "ws_utf8.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static ws_compression_t config(unsigned sel)
{
	ws_compression_t c;

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.server_no_context_takeover = sel & 1;
	c.client_no_context_takeover = (sel >> 1) & 1;
	c.server_max_window_bits = 8 + (int)((sel >> 2) & 7);
	c.client_max_window_bits = 8 + (int)((sel >> 5) & 7);
	c.level = 1 + (int)(sel % 9);
	c.memory_level = 1 + (int)((sel >> 3) % 9);
	c.threshold = sel & 0x40 ? 0 : 8;
	return c;
}

static void fuzz_negotiate(const uint8_t *data, size_t size)
{
	unsigned sel = size ? data[0] : 0;
	const char *v = size > 1 ? (const char *)data + 1 : "";
	size_t len = size > 1 ? size - 1 : 0;
	char *copy = malloc(len ? len : 1);

	memcpy(copy, v, len);
	for (unsigned k = 0; k < 4; k++) {
		/* k == 0: the defaults (15-bit windows, takeover allowed) */
		ws_compression_t cfg = config(k == 0 ? 0xfc : sel + k * 37);
		ws_deflate_params_t p, q;
		char line[WS_DEFLATE_MAX_RESPONSE];
		size_t n;

		if (!ws_deflate_negotiate_value(&cfg, copy, len, &p))
			continue;
		CHECK(p.server_max_window_bits >= 8 && p.server_max_window_bits <= cfg.server_max_window_bits);
		CHECK(p.client_max_window_bits >= 8 && p.client_max_window_bits <= 15);
		CHECK(cfg.client_max_window_bits == 15 || p.client_max_window_bits <= cfg.client_max_window_bits);
		CHECK(!cfg.server_no_context_takeover || p.server_no_context_takeover);
		CHECK(!cfg.client_no_context_takeover || p.client_no_context_takeover);
		n = ws_deflate_response(&p, line, sizeof(line));
		CHECK(n > 0 && line[n - 2] == '\r' && line[n - 1] == '\n');
		/* "Sec-WebSocket-Extensions: " + the answer, which is itself a
		 * valid offer the same configuration accepts as it is. */
		CHECK(ws_deflate_negotiate_value(&cfg, line + 26, n - 28, &q) == 1);
		CHECK(q.server_no_context_takeover == p.server_no_context_takeover);
		CHECK(q.client_no_context_takeover == p.client_no_context_takeover);
		CHECK(q.server_max_window_bits == p.server_max_window_bits);
		CHECK(!p.answer_client_bits || q.client_max_window_bits == p.client_max_window_bits);
	}
	free(copy);
}

static void fuzz_inflate(const uint8_t *data, size_t size)
{
	ws_compression_t cfg = config(0);
	ws_deflate_t *d;
	ws_deflate_conn_t c;
	ws_deflate_params_t p;
	unsigned sel, text;
	size_t max, i;

	if (size < 3)
		return;
	sel = data[0];
	text = sel & 1;
	memset(&p, 0, sizeof(p));
	p.client_no_context_takeover = (sel >> 1) & 1;
	p.client_max_window_bits = (uint8_t)(8 + ((sel >> 2) & 7));
	p.server_max_window_bits = 15;
	max = (size_t)data[1] * 257 + 1;
	if (ws_deflate_new(&d, &cfg) != 0)
		return;
	ws_deflate_conn_init(&c, &p);
	for (i = 2; i + 2 <= size;) {
		size_t n = (size_t)data[i] | (size_t)data[i + 1] << 8, ol = 0;
		uint8_t *in, *out = NULL;
		const char *why = NULL;
		int rc;

		i += 2;
		if (n > size - i)
			n = size - i;
		in = malloc(n ? n : 1);
		memcpy(in, data + i, n);
		i += n;
		rc = ws_deflate_inflate(d, &c, in, n, (int)text, max, &out, &ol, &why);
		free(in);
		CHECK(rc == 0 || rc == WS_CLOSE_BAD_DATA || rc == WS_CLOSE_TOO_BIG || rc == WS_ERR_NOMEM);
		if (rc != 0) {
			CHECK(out == NULL);
			CHECK(rc < 0 || why != NULL);
			break;
		}
		CHECK(out != NULL && ol <= max && out[ol] == 0);
		CHECK(!text || ws_utf8_valid(out, ol));
		ws_free(out);
	}
	ws_deflate_conn_deinit(&c);
	ws_deflate_free(d);
}

/* Inflates a frame made by ws_deflate_*frame() on the peer side. */
static void check_frame(ws_deflate_t *d, ws_deflate_conn_t *peer, const uint8_t *f, size_t fl, const uint8_t *want,
			size_t wl)
{
	size_t hl = 2, plen = f[1] & 0x7f, ol = 0;
	uint8_t *copy, *out = NULL;
	const char *why;
	int rc;

	CHECK(fl >= 2 && (f[0] & 0x70) == 0x40 && (f[0] & 0x80) && !(f[1] & 0x80));
	if (plen == 126) {
		plen = (size_t)f[2] << 8 | f[3];
		hl = 4;
	} else if (plen == 127) {
		plen = 0;
		for (int k = 0; k < 8; k++)
			plen = plen << 8 | f[2 + k];
		hl = 10;
	}
	CHECK(hl + plen == fl);
	copy = malloc(plen ? plen : 1);
	memcpy(copy, f + hl, plen);
	rc = ws_deflate_inflate(d, peer, copy, plen, 0, wl, &out, &ol, &why);
	free(copy);
	CHECK(rc == 0 && ol == wl && memcmp(out, want, wl) == 0);
	ws_free(out);
}

static void fuzz_roundtrip(const uint8_t *data, size_t size)
{
	ws_compression_t cfg;
	ws_deflate_t *d;
	ws_deflate_conn_t c, peer;
	ws_deflate_params_t p, q;
	unsigned sel;
	size_t cut[5], nmsg;

	if (size < 2)
		return;
	sel = data[0];
	cfg = config(data[1]);
	cfg.threshold = 0;
	data += 2;
	size -= 2;
	memset(&p, 0, sizeof(p));
	p.server_no_context_takeover = sel & 1;
	p.server_max_window_bits = (uint8_t)(8 + ((sel >> 1) & 7));
	p.client_max_window_bits = 15;
	/* The peer inflates what we send: its client side is our server side. */
	q = p;
	q.client_no_context_takeover = p.server_no_context_takeover;
	q.client_max_window_bits = p.server_max_window_bits;
	if (ws_deflate_new(&d, &cfg) != 0)
		return;
	ws_deflate_conn_init(&c, &p);
	ws_deflate_conn_init(&peer, &q);
	nmsg = 1 + ((sel >> 4) & 3);
	cut[0] = 0;
	for (size_t k = 1; k < nmsg; k++)
		cut[k] = size * k / nmsg;
	cut[nmsg] = size;
	for (size_t k = 0; k < nmsg; k++) {
		size_t n = cut[k + 1] - cut[k], fl;
		uint8_t *msg = malloc(n ? n : 1);
		const uint8_t *f;
		int r;

		memcpy(msg, data + cut[k], n);
		if (k == 1 && (sel & 0x40)) {
			/* A broadcast frame in the middle: the peer's window
			 * takes it in, our own compressor must start over. */
			ws_deflate_broadcast_begin(d);
			r = ws_deflate_broadcast_frame(d, &c, WS_OP_BINARY, msg, n, &f, &fl);
			CHECK(r == 0 || r == 1);
			if (r == 1)
				check_frame(d, &peer, f, fl, msg, n);
			ws_deflate_broadcast_end(d);
		} else {
			r = ws_deflate_frame(d, &c, WS_OP_BINARY, msg, n, &f, &fl);
			CHECK(r == 0 || r == 1);
			if (r == 1)
				check_frame(d, &peer, f, fl, msg, n);
			ws_deflate_frame_done(d);
		}
		free(msg);
	}
	ws_deflate_conn_deinit(&c);
	ws_deflate_conn_deinit(&peer);
	ws_deflate_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_negotiate(data + 1, size - 1);
		break;
	case 1:
		fuzz_inflate(data + 1, size - 1);
		break;
	default:
		fuzz_roundtrip(data + 1, size - 1);
		break;
	}
	return 0;
}
