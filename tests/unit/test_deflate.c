/* Unit tests for src/ws_deflate.c: the Sec-WebSocket-Extensions negotiation
 * (RFC 7692 §5, §7), compression as a peer's zlib sees it, inflation of
 * what a peer's zlib produced, the limits (bombs, UTF-8), compressed
 * messages fragmented through the frame receiver, broadcasts, and the
 * memory a connection holds. The peer side is plain zlib, used directly. */
#include "tap.h" /* first: it sets the feature macros */

#define ZLIB_CONST
#include <stddef.h>
#include <zlib.h>

#include "ws.h"
#include "ws_deflate.h"
#include "ws_frame.h"

/* ------------------------------------------------------------------ */
/* An allocator that counts live bytes and their peak, and can fail. */

static size_t m_live, m_peak;
static long m_fail_after = -1; /* fail the allocation after this many more; -1 never */

typedef union {
	size_t n;
	max_align_t align;
} m_hdr_t;

static int m_should_fail(void)
{
	if (m_fail_after < 0)
		return 0;
	if (m_fail_after == 0)
		return 1;
	m_fail_after--;
	return 0;
}

static void *m_malloc(size_t n)
{
	m_hdr_t *h;

	if (m_should_fail() || n > SIZE_MAX - sizeof(*h))
		return NULL;
	h = malloc(sizeof(*h) + n);
	if (!h)
		return NULL;
	h->n = n;
	m_live += n;
	if (m_live > m_peak)
		m_peak = m_live;
	return h + 1;
}

static void m_free(void *p)
{
	m_hdr_t *h;

	if (!p)
		return;
	h = (m_hdr_t *)p - 1;
	m_live -= h->n;
	free(h);
}

static void *m_realloc(void *p, size_t n)
{
	m_hdr_t *h, *q;
	size_t old;

	if (!p)
		return m_malloc(n);
	if (m_should_fail() || n > SIZE_MAX - sizeof(*h))
		return NULL;
	h = (m_hdr_t *)p - 1;
	old = h->n;
	q = realloc(h, sizeof(*q) + n);
	if (!q)
		return NULL;
	q->n = n;
	m_live = m_live - old + n;
	if (m_live > m_peak)
		m_peak = m_live;
	return q + 1;
}

/* ------------------------------------------------------------------ */
/* Helpers */

static uint32_t rng_state = 12345;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

/* Chat-like text: the same keys again and again, varying words. */
static size_t fill_chat(char *p, size_t cap, int seed)
{
	static const char *const words[] = {"hello", "there", "général", "how", "are", "you", "today", "ça", "va",
					    "bien", "see", "you", "later", "🙂", "ok"};
	size_t n = 0;

	for (int i = 0; n + 80 < cap; i++) {
		n += (size_t)snprintf(p + n, cap - n, "{\"type\":\"message\",\"user\":\"user%d\",\"text\":\"%s %s\"}",
				      (seed + i) % 7, words[(seed * 3 + i) % 15], words[(i * 5 + seed) % 15]);
	}
	return n;
}

/* Parses a server frame: returns the header length and sets the fields,
 * or 0 when it is not a complete unmasked frame. */
static size_t parse_frame(const uint8_t *f, size_t n, int *fin, int *rsv, int *op, size_t *plen)
{
	size_t hl = 2, len;

	if (n < 2 || (f[1] & 0x80))
		return 0;
	*fin = f[0] >> 7;
	*rsv = (f[0] >> 4) & 7;
	*op = f[0] & 15;
	len = f[1] & 0x7f;
	if (len == 126) {
		if (n < 4)
			return 0;
		len = ((size_t)f[2] << 8) | f[3];
		hl = 4;
	} else if (len == 127) {
		if (n < 10)
			return 0;
		len = 0;
		for (int i = 0; i < 8; i++)
			len = (len << 8) | f[2 + i];
		hl = 10;
	}
	if (n != hl + len)
		return 0;
	*plen = len;
	return hl;
}

/* The peer's decompressor: inflates a payload plus 00 00 ff ff with zlib,
 * strictly with the agreed window. Within one call zlib lets a match reach
 * back into all the output of that call, whatever the window; 64 bytes of
 * output per call make it keep to its window. Returns the length or -1. */
static long peer_inflate(z_stream *zs, const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	static const uint8_t tr[4] = {0, 0, 0xff, 0xff};
	size_t got = 0;

	for (int phase = 0; phase < 2; phase++) {
		zs->next_in = phase ? tr : in;
		zs->avail_in = phase ? 4 : (uInt)n;
		do {
			int r;

			zs->next_out = out + got;
			zs->avail_out = (uInt)(cap - got < 64 ? cap - got : 64);
			r = inflate(zs, Z_SYNC_FLUSH);
			got = (size_t)(zs->next_out - out);
			if (r != Z_OK && r != Z_BUF_ERROR && r != Z_STREAM_END)
				return -1;
			if (r == Z_BUF_ERROR && zs->avail_in > 0)
				return -1;
		} while ((zs->avail_in > 0 || zs->avail_out == 0) && got < cap);
		if (zs->avail_in > 0)
			return -1;
	}
	return (long)got;
}

/* The peer's compressor: a whole message with a sync flush, trailer
 * removed (or with Z_FINISH: a final block). Returns the length. */
static size_t peer_deflate(z_stream *zs, const void *in, size_t n, uint8_t *out, size_t cap, int finish)
{
	size_t got;

	zs->next_in = in;
	zs->avail_in = (uInt)n;
	zs->next_out = out;
	zs->avail_out = (uInt)cap;
	if (deflate(zs, finish ? Z_FINISH : Z_SYNC_FLUSH) == Z_STREAM_ERROR || zs->avail_in != 0)
		return (size_t)-1;
	got = (size_t)(zs->next_out - out);
	if (!finish && got >= 4 && memcmp(out + got - 4, "\0\0\xff\xff", 4) == 0)
		got -= 4;
	return got;
}

static ws_compression_t default_cfg(void)
{
	ws_compression_t c;

	memset(&c, 0, sizeof(c));
	c.enabled = 1;
	c.server_max_window_bits = 15;
	c.client_max_window_bits = 15;
	c.level = 6;
	c.memory_level = 8;
	c.threshold = 0;
	return c;
}

static ws_deflate_params_t params(int snct, int cnct, int sbits, int cbits)
{
	ws_deflate_params_t p;

	memset(&p, 0, sizeof(p));
	p.server_no_context_takeover = (uint8_t)snct;
	p.client_no_context_takeover = (uint8_t)cnct;
	p.server_max_window_bits = (uint8_t)sbits;
	p.client_max_window_bits = (uint8_t)cbits;
	return p;
}

/* ------------------------------------------------------------------ */
/* Negotiation */

typedef struct {
	const char *offer;
	const char *answer; /* the extension after "Sec-WebSocket-Extensions: ", NULL: declined */
} neg_case_t;

static void check_neg(const char *what, const ws_compression_t *cfg, const neg_case_t *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *o = cases[i].offer;
		size_t len = strlen(o);
		ws_deflate_params_t p;
		char line[WS_DEFLATE_MAX_RESPONSE], want[WS_DEFLATE_MAX_RESPONSE];
		/* Against the guard page: reading past the value faults. */
		const char *placed = (const char *)tap_place(o, len);
		int acc = ws_deflate_negotiate_value(cfg, placed, len, &p);

		if (!cases[i].answer) {
			ok(!acc, "%s: declined: %s", what, o);
			continue;
		}
		snprintf(want, sizeof(want), "Sec-WebSocket-Extensions: %s\r\n", cases[i].answer);
		if (!ok(acc, "%s: accepted: %s", what, o))
			continue;
		ws_deflate_response(&p, line, sizeof(line));
		if (!ok(strcmp(line, want) == 0, "%s: %s -> %s", what, o, cases[i].answer))
			diag("got: %s", line);
		/* Every prefix parses without reading past it. */
		for (size_t k = 0; k < len; k++)
			ws_deflate_negotiate_value(cfg, (const char *)tap_place(o, k), k, &p);
	}
}

static void test_negotiation(void)
{
	static const neg_case_t defaults[] = {
		{"permessage-deflate", "permessage-deflate"},
		/* Chrome and Python websockets */
		{"permessage-deflate; client_max_window_bits", "permessage-deflate"},
		{"permessage-deflate; client_max_window_bits=10", "permessage-deflate; client_max_window_bits=10"},
		{"permessage-deflate; client_max_window_bits=15", "permessage-deflate; client_max_window_bits=15"},
		{"permessage-deflate; server_max_window_bits=10", "permessage-deflate; server_max_window_bits=10"},
		{"permessage-deflate; server_max_window_bits=15", "permessage-deflate; server_max_window_bits=15"},
		/* zlib cannot deflate with 8: accepted, answered 8, sent as
		 * distance-1 matches (checked in test_window_8). */
		{"permessage-deflate; server_max_window_bits=8", "permessage-deflate; server_max_window_bits=8"},
		{"permessage-deflate; server_max_window_bits=9", "permessage-deflate; server_max_window_bits=9"},
		{"permessage-deflate; client_max_window_bits=8", "permessage-deflate; client_max_window_bits=8"},
		{"permessage-deflate; server_max_window_bits", NULL},
		{"permessage-deflate; server_max_window_bits=7", NULL},
		{"permessage-deflate; server_max_window_bits=16", NULL},
		{"permessage-deflate; server_max_window_bits=08", NULL},
		{"permessage-deflate; server_max_window_bits=010", NULL},
		{"permessage-deflate; server_max_window_bits=1a", NULL},
		{"permessage-deflate; server_max_window_bits=-9", NULL},
		{"permessage-deflate; server_max_window_bits=", NULL},
		{"permessage-deflate; server_max_window_bits=999999999999999999999", NULL},
		{"permessage-deflate; client_max_window_bits=0", NULL},
		{"permessage-deflate; client_max_window_bits=\"\"", NULL},
		/* quoted-string values (RFC 6455 §9.1) */
		{"permessage-deflate; server_max_window_bits=\"10\"", "permessage-deflate; server_max_window_bits=10"},
		{"permessage-deflate; server_max_window_bits=\"1\\2\"", "permessage-deflate; server_max_window_bits=12"},
		{"permessage-deflate; server_max_window_bits=\"12", NULL},
		{"permessage-deflate; server_max_window_bits=\"12\"x", NULL},
		{"permessage-deflate; server_max_window_bits=\"12\\", NULL},
		{"permessage-deflate; client_max_window_bits=\"9\"", "permessage-deflate; client_max_window_bits=9"},
		{"permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover"},
		{"permessage-deflate; client_no_context_takeover", "permessage-deflate; client_no_context_takeover"},
		{"permessage-deflate; server_no_context_takeover; client_no_context_takeover",
		 "permessage-deflate; server_no_context_takeover; client_no_context_takeover"},
		/* §7.1.1: these have no value */
		{"permessage-deflate; server_no_context_takeover=1", NULL},
		{"permessage-deflate; client_no_context_takeover=\"\"", NULL},
		/* §7: duplicates and unknown parameters decline the offer */
		{"permessage-deflate; server_no_context_takeover; server_no_context_takeover", NULL},
		{"permessage-deflate; client_max_window_bits; client_max_window_bits=10", NULL},
		{"permessage-deflate; server_max_window_bits=10; Server_Max_Window_Bits=10", NULL},
		{"permessage-deflate; foo", NULL},
		{"permessage-deflate; foo=bar", NULL},
		{"permessage-deflate; a; b; c; d; e; f; g; h; i", NULL},
		/* several offers: the first acceptable one wins */
		{"permessage-deflate; foo, permessage-deflate; server_max_window_bits=12",
		 "permessage-deflate; server_max_window_bits=12"},
		{"permessage-deflate; server_max_window_bits=7, permessage-deflate",
		 "permessage-deflate"},
		{"permessage-deflate; server_max_window_bits=10, permessage-deflate",
		 "permessage-deflate; server_max_window_bits=10"},
		{"x-webkit-deflate-frame, permessage-deflate; client_max_window_bits", "permessage-deflate"},
		{"foo; bar=\"a, permessage-deflate\", permessage-deflate; client_no_context_takeover",
		 "permessage-deflate; client_no_context_takeover"},
		{"foo; bar=\"unterminated, permessage-deflate", NULL},
		{"foo;=x, permessage-deflate", "permessage-deflate"},
		{"@@@, permessage-deflate", "permessage-deflate"},
		{"deflate-frame", NULL},
		{"permessage-deflatex", NULL},
		{"", NULL},
		{",,, ,", NULL},
		/* case, whitespace, empty list elements */
		{"PerMessage-Deflate; Client_No_Context_Takeover", "permessage-deflate; client_no_context_takeover"},
		{" , ,permessage-deflate\t;\tclient_max_window_bits = 12 ,,", "permessage-deflate; client_max_window_bits=12"},
		{"permessage-deflate;;", NULL},
		{"permessage-deflate; ", NULL},
		{"permessage-deflate client_max_window_bits", NULL},
		/* Autobahn 13.7's three offers */
		{"permessage-deflate; server_no_context_takeover; server_max_window_bits=8; client_max_window_bits, "
		 "permessage-deflate; server_no_context_takeover; client_max_window_bits, "
		 "permessage-deflate; client_max_window_bits",
		 "permessage-deflate; server_no_context_takeover; server_max_window_bits=8"},
	};
	static const neg_case_t server_nct[] = {
		{"permessage-deflate", "permessage-deflate; server_no_context_takeover"},
		{"permessage-deflate; server_no_context_takeover", "permessage-deflate; server_no_context_takeover"},
	};
	static const neg_case_t client_nct[] = {
		{"permessage-deflate", "permessage-deflate; client_no_context_takeover"},
	};
	static const neg_case_t server_10[] = {
		{"permessage-deflate", "permessage-deflate; server_max_window_bits=10"},
		{"permessage-deflate; server_max_window_bits=12", "permessage-deflate; server_max_window_bits=10"},
		{"permessage-deflate; server_max_window_bits=9", "permessage-deflate; server_max_window_bits=9"},
	};
	static const neg_case_t client_10[] = {
		/* §7.1.2.2: without client_max_window_bits in the offer the
		 * client's window cannot be limited: declined. */
		{"permessage-deflate", NULL},
		{"permessage-deflate; client_max_window_bits", "permessage-deflate; client_max_window_bits=10"},
		{"permessage-deflate; client_max_window_bits=12", "permessage-deflate; client_max_window_bits=10"},
		{"permessage-deflate; client_max_window_bits=9", "permessage-deflate; client_max_window_bits=9"},
		{"permessage-deflate, permessage-deflate; client_max_window_bits",
		 "permessage-deflate; client_max_window_bits=10"},
	};
	ws_compression_t cfg = default_cfg();

	check_neg("defaults", &cfg, defaults, sizeof(defaults) / sizeof(defaults[0]));
	cfg.server_no_context_takeover = 1;
	check_neg("server_no_context_takeover", &cfg, server_nct, sizeof(server_nct) / sizeof(server_nct[0]));
	cfg = default_cfg();
	cfg.client_no_context_takeover = 1;
	check_neg("client_no_context_takeover", &cfg, client_nct, sizeof(client_nct) / sizeof(client_nct[0]));
	cfg = default_cfg();
	cfg.server_max_window_bits = 10;
	check_neg("server_max_window_bits 10", &cfg, server_10, sizeof(server_10) / sizeof(server_10[0]));
	cfg = default_cfg();
	cfg.client_max_window_bits = 10;
	check_neg("client_max_window_bits 10", &cfg, client_10, sizeof(client_10) / sizeof(client_10[0]));

	/* The agreed values themselves. */
	{
		ws_deflate_params_t p;
		const char *o = "permessage-deflate; server_max_window_bits=11; client_max_window_bits=9; "
				"client_no_context_takeover";

		cfg = default_cfg();
		ok(ws_deflate_negotiate_value(&cfg, o, strlen(o), &p) == 1, "params: accepted");
		is(p.server_max_window_bits, 11, "params: server window");
		is(p.client_max_window_bits, 9, "params: client window");
		is(p.server_no_context_takeover, 0, "params: server takeover");
		is(p.client_no_context_takeover, 1, "params: client no takeover");
		o = "permessage-deflate";
		ok(ws_deflate_negotiate_value(&cfg, o, strlen(o), &p) == 1, "params: bare offer");
		ok(p.server_max_window_bits == 15 && p.client_max_window_bits == 15, "params: bare offer, 15 and 15");
	}

	/* Several header lines form one list; disabled never negotiates. */
	{
		ws_request_t req;
		ws_deflate_params_t p;
		char line[WS_DEFLATE_MAX_RESPONSE];

		memset(&req, 0, sizeof(req));
		req.num_headers = 3;
		req.headers[0] = (ws_header_t){"Sec-WebSocket-Extensions", 24, "permessage-deflate; bogus", 25};
		req.headers[1] = (ws_header_t){"Host", 4, "x", 1};
		req.headers[2] = (ws_header_t){"sec-websocket-extensions", 24, "permessage-deflate; server_no_context_takeover", 46};
		cfg = default_cfg();
		ok(ws_deflate_negotiate(&cfg, &req, &p) == 1, "request: second header line accepted");
		ws_deflate_response(&p, line, sizeof(line));
		ok(strcmp(line, "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n") == 0,
		   "request: answer from the second line");
		cfg.enabled = 0;
		ok(ws_deflate_negotiate(&cfg, &req, &p) == 0, "request: compression off: no extension");
		req.num_headers = 2;
		cfg.enabled = 1;
		ok(ws_deflate_negotiate(&cfg, &req, &p) == 0, "request: only a declined offer: no extension");
		is(ws_deflate_response(&p, line, 10), 0, "response: too small a buffer gives 0");
	}

	/* Configuration checks. */
	{
		char err[128];
		ws_compression_t bad = default_cfg();

		ok(ws_deflate_check_config(&bad, err, sizeof(err)) == 0, "config: defaults valid");
		bad.level = 10;
		ok(ws_deflate_check_config(&bad, err, sizeof(err)) == WS_ERR_INVAL &&
			   strcmp(err, "compression: level must be between 0 and 9") == 0,
		   "config: level 10: %s", err);
		bad = default_cfg();
		bad.server_max_window_bits = 7;
		ok(ws_deflate_check_config(&bad, err, sizeof(err)) == WS_ERR_INVAL, "config: server window 7");
		bad = default_cfg();
		bad.client_max_window_bits = 16;
		ok(ws_deflate_check_config(&bad, err, sizeof(err)) == WS_ERR_INVAL, "config: client window 16");
		bad = default_cfg();
		bad.memory_level = 0;
		ok(ws_deflate_check_config(&bad, err, 8) == WS_ERR_INVAL && strlen(err) == 7, "config: short errbuf");
	}
}

/* ------------------------------------------------------------------ */
/* Compression, as a peer's zlib inflates it */

/* Sends msgs[] through ws_deflate_frame for a connection with params p and
 * inflates each frame with a peer zlib stream of exactly the agreed window,
 * kept across messages unless server_no_context_takeover. Returns 1 when
 * all came back equal; sizes[] gets each frame's length. */
static int roundtrip_out(ws_deflate_t *d, const ws_deflate_params_t *p, const uint8_t *const *msgs, const size_t *lens,
			 size_t n, size_t *sizes, int *compressed)
{
	ws_deflate_conn_t c;
	z_stream peer;
	uint8_t *out = malloc(1 << 22);
	int good = 1;

	memset(&peer, 0, sizeof(peer));
	inflateInit2(&peer, -p->server_max_window_bits);
	ws_deflate_conn_init(&c, p);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *f;
		size_t fl, plen, hl;
		int fin, rsv, op, r;
		long got;

		r = ws_deflate_frame(d, &c, WS_OP_TEXT, msgs[i], lens[i], &f, &fl);
		compressed[i] = r;
		if (r != 1) {
			sizes[i] = lens[i];
			continue;
		}
		sizes[i] = fl;
		hl = parse_frame(f, fl, &fin, &rsv, &op, &plen);
		if (!hl || !fin || rsv != 4 || op != WS_OP_TEXT) {
			diag("message %zu: bad frame header", i);
			good = 0;
			break;
		}
		if (p->server_no_context_takeover)
			inflateReset(&peer);
		got = peer_inflate(&peer, f + hl, plen, out, 1 << 22);
		if (got != (long)lens[i] || memcmp(out, msgs[i], lens[i]) != 0) {
			diag("message %zu: inflated %ld bytes, want %zu", i, got, lens[i]);
			good = 0;
			break;
		}
		ws_deflate_frame_done(d);
	}
	ws_deflate_conn_deinit(&c);
	inflateEnd(&peer);
	free(out);
	return good;
}

static void test_compress(void)
{
	ws_compression_t cfg = default_cfg();
	ws_deflate_t *d;
	char a[600], b[600];
	uint8_t *big = malloc(300000), *rnd_msg = malloc(70000);
	const uint8_t *msgs[6];
	size_t lens[6], sizes[6];
	int comp[6];

	is(ws_deflate_new(&d, &cfg), 0, "compress: new");
	lens[0] = fill_chat(a, sizeof(a), 1);
	memcpy(b, a, lens[0]);
	lens[1] = lens[0];
	msgs[0] = (const uint8_t *)a;
	msgs[1] = (const uint8_t *)b;

	/* Context takeover: the same message again costs a few bytes. */
	{
		ws_deflate_params_t p = params(0, 0, 15, 15);

		ok(roundtrip_out(d, &p, msgs, lens, 2, sizes, comp), "takeover: peer inflates both");
		ok(comp[0] == 1 && comp[1] == 1, "takeover: both compressed");
		ok(sizes[0] < lens[0] / 2, "takeover: first %zu bytes of %zu", sizes[0], lens[0]);
		ok(sizes[1] < 16, "takeover: repeat costs %zu bytes", sizes[1]);
	}
	/* No context takeover: each message alone, a peer resetting its
	 * window between messages decodes them. */
	{
		ws_deflate_params_t p = params(1, 0, 15, 15);

		ok(roundtrip_out(d, &p, msgs, lens, 2, sizes, comp), "no takeover: peer inflates both");
		ok(sizes[0] == sizes[1], "no takeover: repeat costs the same (%zu, %zu)", sizes[0], sizes[1]);
	}
	/* Every window size, takeover or not, with big and small messages
	 * and an incompressible one between them (sent as is: the peer never
	 * sees it, so the compressor must forget it too). */
	lens[2] = fill_chat((char *)big, 300000, 3);
	fill_random(rnd_msg, 70000);
	lens[3] = 70000;
	lens[4] = 0;
	lens[5] = 1;
	msgs[2] = big;
	msgs[3] = rnd_msg;
	msgs[4] = (const uint8_t *)"";
	msgs[5] = (const uint8_t *)"x";
	for (int bits = 8; bits <= 15; bits++) {
		for (int snct = 0; snct <= 1; snct++) {
			ws_deflate_params_t p = params(snct, 0, bits, 15);
			const uint8_t *m2[7] = {msgs[0], msgs[2], msgs[3], msgs[1], msgs[4], msgs[5], msgs[2]};
			size_t l2[7] = {lens[0], lens[2], lens[3], lens[1], lens[4], lens[5], lens[2]};
			size_t s2[7];
			int c2[7];

			ok(roundtrip_out(d, &p, m2, l2, 7, s2, c2), "window %d, %s: peer inflates every message", bits,
			   snct ? "no takeover" : "takeover");
			/* Window 8 is made of distance-1 matches: weaker. */
			ok(c2[1] == 1 && s2[1] < l2[1] / (bits == 8 ? 1.5 : 3), "window %d: 300 KB of chat text compressed to %zu",
			   bits, s2[1]);
			ok(c2[2] == 0 && c2[4] == 0 && c2[5] == 0,
			   "window %d: random, empty and 1-byte messages go out uncompressed", bits);
		}
	}
	/* The threshold. */
	{
		ws_deflate_t *d2;
		ws_deflate_conn_t c;
		ws_deflate_params_t p = params(0, 0, 15, 15);
		const uint8_t *f;
		size_t fl;

		cfg.threshold = 100;
		ws_deflate_new(&d2, &cfg);
		ws_deflate_conn_init(&c, &p);
		is(ws_deflate_frame(d2, &c, WS_OP_TEXT, (const uint8_t *)a, 99, &f, &fl), 0, "threshold: 99 bytes plain");
		is(ws_deflate_frame(d2, &c, WS_OP_TEXT, (const uint8_t *)a, 100, &f, &fl), 1,
		   "threshold: 100 bytes compressed");
		ws_deflate_conn_deinit(&c);
		ws_deflate_conn_init(&c, NULL);
		is(ws_deflate_frame(d2, &c, WS_OP_TEXT, (const uint8_t *)a, 500, &f, &fl), 0, "not negotiated: plain");
		is(ws_deflate_frame(NULL, &c, WS_OP_TEXT, (const uint8_t *)a, 500, &f, &fl), 0, "no compression: plain");
		ws_deflate_free(d2);
		cfg.threshold = 0;
	}
	/* Binary opcode and header forms. */
	{
		ws_deflate_conn_t c;
		ws_deflate_params_t p = params(1, 0, 15, 15);
		const uint8_t *f;
		size_t fl, plen, hl;
		int fin, rsv, op;

		ws_deflate_conn_init(&c, &p);
		is(ws_deflate_frame(d, &c, WS_OP_BINARY, big, 250000, &f, &fl), 1, "binary: compressed");
		hl = parse_frame(f, fl, &fin, &rsv, &op, &plen);
		ok(hl && op == WS_OP_BINARY && rsv == 4 && fin, "binary: opcode 2, RSV1, FIN");
		ws_deflate_frame_done(d);
		ws_deflate_conn_deinit(&c);
	}
	ws_deflate_free(d);
	free(big);
	free(rnd_msg);
}

/* RFC 7692 §7.1.2.1: a peer that asked for server_max_window_bits=8 may
 * inflate with a 256-byte window. zlib cannot deflate with one; our frames
 * for 8 must still decode with it, even with repeats farther back. */
static void test_window_8(void)
{
	ws_compression_t cfg = default_cfg();
	ws_deflate_t *d;
	uint8_t msg[4000];
	const uint8_t *msgs[3] = {msg, msg, msg};
	size_t lens[3] = {sizeof(msg), sizeof(msg), 300}, sizes[3];
	int comp[3];

	/* 300 random bytes and a run of 50 'a', repeated: the random bytes
	 * match only 350 bytes back, the runs match 1 byte back. */
	fill_random(msg, 300);
	memset(msg + 300, 'a', 50);
	for (size_t i = 350; i < sizeof(msg); i++)
		msg[i] = msg[i - 350];
	ws_deflate_new(&d, &cfg);
	for (int snct = 0; snct <= 1; snct++) {
		ws_deflate_params_t p = params(snct, 0, 8, 15);

		ok(roundtrip_out(d, &p, msgs, lens, 3, sizes, comp), "window 8 (%s): a peer with a 256-byte window inflates",
		   snct ? "no takeover" : "takeover");
		ok(comp[0] == 1, "window 8: compressed (%zu of %zu)", sizes[0], lens[0]);
	}
	/* The same data with a 10-bit window does use matches a 256-byte
	 * window cannot reach: the check above can fail. */
	{
		ws_deflate_params_t p = params(1, 0, 10, 15);
		ws_deflate_conn_t c;
		const uint8_t *f;
		size_t fl, plen, hl;
		int fin, rsv, op;
		z_stream peer;
		uint8_t out[8000];

		ws_deflate_conn_init(&c, &p);
		ws_deflate_frame(d, &c, WS_OP_BINARY, msg, sizeof(msg), &f, &fl);
		hl = parse_frame(f, fl, &fin, &rsv, &op, &plen);
		memset(&peer, 0, sizeof(peer));
		inflateInit2(&peer, -8);
		ok(peer_inflate(&peer, f + hl, plen, out, sizeof(out)) < 0,
		   "window 10 output does not fit a 256-byte window (the control)");
		inflateEnd(&peer);
		ws_deflate_conn_deinit(&c);
	}
	ws_deflate_free(d);
}

/* ------------------------------------------------------------------ */
/* Inflation of a peer's zlib output */

static void test_inflate(void)
{
	ws_compression_t cfg = default_cfg();
	ws_deflate_t *d;
	ws_deflate_conn_t c;
	ws_deflate_params_t p = params(0, 0, 15, 15);
	z_stream peer;
	uint8_t z[70000], *out;
	char text[2000];
	size_t tl = fill_chat(text, sizeof(text), 5), zl, ol, sizes[3];
	const char *why;
	int rc;

	ws_deflate_new(&d, &cfg);
	ws_deflate_conn_init(&c, &p);
	memset(&peer, 0, sizeof(peer));
	deflateInit2(&peer, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	/* With context takeover, three times the same text: the later ones
	 * are back-references into the first. */
	for (int i = 0; i < 3; i++) {
		zl = peer_deflate(&peer, text, tl, z, sizeof(z), 0);
		sizes[i] = zl;
		rc = ws_deflate_inflate(d, &c, z, zl, 1, 1 << 20, &out, &ol, &why);
		ok(rc == 0 && ol == tl && memcmp(out, text, tl) == 0 && out[ol] == 0,
		   "inflate: message %d (%zu bytes compressed) back, NUL-terminated", i, zl);
		ws_free(out);
	}
	ok(sizes[1] < tl / 40 && sizes[2] < tl / 40, "inflate: repeats were back-references (%zu, %zu bytes)", sizes[1], sizes[2]);

	/* Empty messages: a single 0x00 (RFC 7692 §7.2.3.6) and nothing. */
	rc = ws_deflate_inflate(d, &c, (const uint8_t *)"\x00", 1, 1, 1 << 20, &out, &ol, &why);
	ok(rc == 0 && ol == 0 && out[0] == 0, "inflate: 0x00 is an empty message");
	ws_free(out);
	rc = ws_deflate_inflate(d, &c, (const uint8_t *)"", 0, 1, 1 << 20, &out, &ol, &why);
	ok(rc == 0 && ol == 0, "inflate: an empty payload is an empty message");
	ws_free(out);
	/* zlib may write nothing at all for an empty message after a flush
	 * (an empty payload, just tested): the stream is still fine. */
	zl = peer_deflate(&peer, text, tl, z, sizeof(z), 0);
	rc = ws_deflate_inflate(d, &c, z, zl, 1, 1 << 20, &out, &ol, &why);
	ok(rc == 0 && ol == tl && memcmp(out, text, tl) == 0, "inflate: the stream goes on after empty messages");
	ws_free(out);

	/* A final block (BFINAL, §7.2.3.3), then the peer goes on from the same
	 * window (new stream primed with the old window): ours keeps it too. */
	zl = peer_deflate(&peer, text, tl, z, sizeof(z), 1);
	rc = ws_deflate_inflate(d, &c, z, zl, 1, 1 << 20, &out, &ol, &why);
	ok(rc == 0 && ol == tl && memcmp(out, text, tl) == 0, "inflate: message ending in a BFINAL block");
	ws_free(out);
	{
		uint8_t dict[32768];
		uInt dl = sizeof(dict);

		deflateGetDictionary(&peer, dict, &dl);
		deflateReset(&peer);
		deflateSetDictionary(&peer, dict, dl);
	}
	zl = peer_deflate(&peer, text, tl, z, sizeof(z), 0);
	rc = ws_deflate_inflate(d, &c, z, zl, 1, 1 << 20, &out, &ol, &why);
	ok(rc == 0 && ol == tl && memcmp(out, text, tl) == 0 && zl < tl / 40,
	   "inflate: after BFINAL the window carries over (%zu bytes)", zl);
	ws_free(out);
	deflateEnd(&peer);
	ws_deflate_conn_deinit(&c);

	/* Errors close the connection with the right code. */
	{
		static const struct {
			const char *what;
			const char *z;
			size_t n;
			int text, code;
		} bad[] = {
			{"reserved block type 3", "\x07\x00", 2, 0, WS_CLOSE_BAD_DATA},
			{"stored block with a bad length", "\x00\x05\x00\x00\x00", 5, 0, WS_CLOSE_BAD_DATA},
			{"garbage", "\xff\xff\xff\xff\xff", 5, 0, WS_CLOSE_BAD_DATA},
			{"data after the final block", "\x03\x00\x03\x00", 4, 0, WS_CLOSE_BAD_DATA},
			/* "abc" in a fixed block without the empty stored block
			 * a sync flush ends with: the stream stops mid-block. */
			{"payload not ending on a block boundary", "\x4a\x4c\x4a\x06", 4, 0, WS_CLOSE_BAD_DATA},
			{"the same, ended properly", "\x4a\x4c\x4a\x06\x00", 5, 0, 0},
			/* stored block of "\xff" */
			{"text that is not UTF-8", "\x00\x01\x00\xfe\xff\xff\x00", 7, 1, WS_CLOSE_BAD_DATA},
			{"binary is not checked", "\x00\x01\x00\xfe\xff\xff\x00", 7, 0, 0},
			/* stored block of "\xc3" (a truncated é) */
			{"text ending inside a code point", "\x00\x01\x00\xfe\xff\xc3\x00", 7, 1, WS_CLOSE_BAD_DATA},
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			ws_deflate_conn_init(&c, &p);
			rc = ws_deflate_inflate(d, &c, (const uint8_t *)bad[i].z, bad[i].n, bad[i].text, 1 << 20, &out, &ol,
						&why);
			if (!is(rc, bad[i].code, "inflate: %s -> %d", bad[i].what, bad[i].code))
				diag("why: %s", why ? why : "-");
			ok(rc == 0 ? out != NULL : out == NULL && why != NULL, "inflate: %s: output and reason", bad[i].what);
			ws_free(out);
			ws_deflate_conn_deinit(&c);
		}
	}

	/* Clients without context takeover share one decompressor: two such
	 * connections interleaved, each message must come back right. */
	{
		ws_deflate_params_t q = params(0, 1, 15, 15);
		ws_deflate_conn_t c1, c2;
		z_stream p1;
		char t2[2000];
		size_t t2l = fill_chat(t2, sizeof(t2), 9);
		int good = 1;

		ws_deflate_conn_init(&c1, &q);
		ws_deflate_conn_init(&c2, &q);
		memset(&p1, 0, sizeof(p1));
		deflateInit2(&p1, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
		for (int i = 0; i < 6; i++) {
			const char *t = i & 1 ? t2 : text;
			size_t n = i & 1 ? t2l : tl;

			deflateReset(&p1);
			zl = peer_deflate(&p1, t, n, z, sizeof(z), 0);
			rc = ws_deflate_inflate(d, i & 1 ? &c2 : &c1, z, zl, 1, 1 << 20, &out, &ol, &why);
			if (rc != 0 || ol != n || memcmp(out, t, n) != 0)
				good = 0;
			ws_free(out);
		}
		ok(good, "inflate: shared decompressor, two clients interleaved");
		ok(c1.inf == NULL && c2.inf == NULL, "inflate: no decompressor kept per connection");
		deflateEnd(&p1);
	}
	ws_deflate_free(d);
}

/* Bombs: a message that inflates to far more than max stops at max + 1
 * bytes, having allocated little more than max. */
static void test_bomb(void)
{
	ws_compression_t cfg = default_cfg();
	ws_deflate_t *d;
	ws_deflate_conn_t c;
	ws_deflate_params_t p = params(0, 0, 15, 15);
	z_stream peer;
	uint8_t *zeros = calloc(1, 1 << 20), *z = malloc(2 << 20), *out;
	size_t first, block, zl, ol;
	const char *why;
	int rc;

	/* A message of 1 GiB of zeros, built from one compressed MiB of
	 * zeros repeated: after a sync flush each repetition is a whole
	 * sequence of blocks that only refers back into zeros. */
	memset(&peer, 0, sizeof(peer));
	deflateInit2(&peer, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
	first = peer_deflate(&peer, zeros, 1 << 20, z, 1 << 20, 0);
	memcpy(z + first, "\0\0\xff\xff", 4);
	first += 4;
	block = peer_deflate(&peer, zeros, 1 << 20, z + first, (1 << 20) - first, 0);
	memcpy(z + first + block, "\0\0\xff\xff", 4);
	block += 4;
	zl = first;
	while (zl + block <= (size_t)1023 * block + first) {
		memmove(z + zl, z + first, block);
		zl += block;
	}
	deflateEnd(&peer);
	diag("bomb: %zu compressed bytes for 1 GiB", zl);

	ws_deflate_new(&d, &cfg);
	for (int shared = 0; shared <= 1; shared++) {
		ws_deflate_params_t q = params(0, shared, 15, 15);
		size_t base;

		ws_deflate_conn_init(&c, &q);
		base = m_live;
		m_peak = m_live;
		rc = ws_deflate_inflate(d, &c, z, zl, 0, 1 << 20, &out, &ol, &why);
		is(rc, WS_CLOSE_TOO_BIG, "bomb (%s decompressor): 1 GiB with max 1 MiB -> 1009",
		   shared ? "shared" : "own");
		ok(out == NULL && why && strcmp(why, "message too big") == 0, "bomb: no output, reason given");
		ok(m_peak - base < (1 << 20) + 64 * 1024,
		   "bomb: peak memory %zu bytes (max 1 MiB + zlib's state)", m_peak - base);
		ws_deflate_conn_deinit(&c);
	}
	/* The first 1 MiB of it (one repetition) is exactly max: accepted. */
	ws_deflate_conn_init(&c, &p);
	rc = ws_deflate_inflate(d, &c, z, first - 4, 0, 1 << 20, &out, &ol, &why);
	ok(rc == 0 && ol == (1 << 20), "exactly max_message_size: accepted");
	ws_free(out);
	ws_deflate_conn_deinit(&c);
	ws_deflate_conn_init(&c, &p);
	rc = ws_deflate_inflate(d, &c, z, first - 4, 0, (1 << 20) - 1, &out, &ol, &why);
	is(rc, WS_CLOSE_TOO_BIG, "max_message_size + 1: 1009");
	ws_deflate_conn_deinit(&c);

	/* Text: invalid UTF-8 near the start of a huge message stops the
	 * inflation there (1007), long before max. */
	{
		uint8_t *t = malloc(1 << 20);
		z_stream pz;

		memset(t, 'a', 1 << 20);
		t[100] = 0xff;
		memset(&pz, 0, sizeof(pz));
		deflateInit2(&pz, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
		zl = peer_deflate(&pz, t, 1 << 20, z, 1 << 20, 0);
		deflateEnd(&pz);
		ws_deflate_conn_init(&c, &p);
		m_peak = m_live;
		{
			size_t base = m_live;

			rc = ws_deflate_inflate(d, &c, z, zl, 1, 16 << 20, &out, &ol, &why);
			is(rc, WS_CLOSE_BAD_DATA, "UTF-8: invalid byte at 100 of 1 MiB -> 1007");
			ok(m_peak - base < 128 * 1024, "UTF-8: stopped early (peak %zu bytes)", m_peak - base);
		}
		ws_deflate_conn_deinit(&c);
		free(t);
	}
	ws_deflate_free(d);
	free(zeros);
	free(z);
}

/* ------------------------------------------------------------------ */
/* Compressed messages through the frame receiver */

typedef struct {
	ws_deflate_t *d;
	ws_deflate_conn_t *c;
	ws_rx_t *rx;
	uint8_t *got[8];
	size_t len[8];
	int op[8], n, pongs, fail;
} rxc_t;

static int rxc_message(void *ud, int op, uint8_t *data, size_t len)
{
	rxc_t *r = ud;
	uint8_t *out = NULL;
	size_t ol = len;
	const char *why;

	if (r->rx->msg_rsv1) {
		int rc = ws_deflate_inflate(r->d, r->c, data, len, op == WS_OP_TEXT, r->rx->max_message_size, &out, &ol,
					    &why);
		if (rc != 0) {
			r->fail = rc;
			return 1;
		}
	} else {
		out = malloc(len + 1);
		memcpy(out, data, len);
	}
	if (r->n < 8) {
		r->got[r->n] = out;
		r->len[r->n] = ol;
		r->op[r->n] = op;
		r->n++;
	} else if (r->rx->msg_rsv1) {
		ws_free(out);
	} else {
		free(out);
	}
	return 0;
}

static int rxc_control(void *ud, int op, uint8_t *data, size_t len)
{
	rxc_t *r = ud;

	(void)data;
	(void)len;
	if (op == WS_OP_PING)
		r->pongs++;
	return 0;
}

static size_t client_frame(uint8_t *out, int fin, int rsv1, int op, const uint8_t *p, size_t n)
{
	static const uint8_t key[4] = {0x12, 0x34, 0x56, 0x78};
	size_t hl = ws_frame_header(out, fin, rsv1, op, n);
	uint8_t pos = 0;

	out[1] |= 0x80;
	memcpy(out + hl, key, 4);
	memcpy(out + hl + 4, p, n);
	ws_mask(out + hl + 4, n, key, &pos);
	return hl + 4 + n;
}

static void rxc_clear(rxc_t *r, int inflated_first)
{
	for (int i = 0; i < r->n; i++) {
		if (i == 0 && inflated_first)
			ws_free(r->got[i]);
		else
			free(r->got[i]);
	}
	r->n = 0;
}

/* Feeds s[0..n) with cuts at the given offsets; returns ws_rx_feed's result. */
static int feed_cut(ws_rx_t *rx, rxc_t *r, const uint8_t *s, size_t n, const size_t *cuts, size_t ncuts)
{
	static const ws_rx_handler_t h = {rxc_message, rxc_control};
	size_t prev = 0, used;
	int rc = 0;

	for (size_t i = 0; i <= ncuts && rc == 0; i++) {
		size_t end = i < ncuts ? cuts[i] : n;
		uint8_t *chunk = tap_place(s + prev, end - prev);

		rc = ws_rx_feed(rx, chunk, end - prev, &h, r, &used);
		prev = end;
	}
	return rc;
}

static void test_fragmented(void)
{
	ws_compression_t cfg = default_cfg();
	ws_deflate_t *d;
	ws_deflate_params_t p = params(0, 0, 15, 15);
	z_stream peer;
	char text[400];
	size_t tl = fill_chat(text, sizeof(text), 2), zl, sl = 0;
	uint8_t z[1000], s[2000];
	int all_good = 1, splits = 0;

	ws_deflate_new(&d, &cfg);
	memset(&peer, 0, sizeof(peer));
	deflateInit2(&peer, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	zl = peer_deflate(&peer, text, tl, z, sizeof(z), 0);
	deflateEnd(&peer);
	/* RFC 7692 §6.1: RSV1 on the first frame only; three fragments, a
	 * ping between the second and the third, then a plain message. */
	sl += client_frame(s + sl, 0, 1, WS_OP_TEXT, z, zl / 3);
	sl += client_frame(s + sl, 0, 0, WS_OP_CONT, z + zl / 3, zl / 3);
	sl += client_frame(s + sl, 1, 0, WS_OP_PING, (const uint8_t *)"p", 1);
	sl += client_frame(s + sl, 1, 0, WS_OP_CONT, z + 2 * (zl / 3), zl - 2 * (zl / 3));
	sl += client_frame(s + sl, 1, 0, WS_OP_TEXT, (const uint8_t *)"plain", 5);

	for (size_t k = 0; k <= sl; k++) {
		ws_rx_t rx;
		ws_deflate_conn_t c;
		rxc_t r;
		int rc;

		ws_rx_init(&rx, 1 << 20, 0);
		rx.allow_rsv1 = 1;
		ws_deflate_conn_init(&c, &p);
		memset(&r, 0, sizeof(r));
		r.d = d;
		r.c = &c;
		r.rx = &rx;
		rc = k == 0 ? feed_cut(&rx, &r, s, sl, NULL, 0) : feed_cut(&rx, &r, s, sl, &k, 1);
		if (rc != 0 || r.fail || r.n != 2 || r.pongs != 1 || r.len[0] != tl || memcmp(r.got[0], text, tl) != 0 ||
		    r.len[1] != 5 || memcmp(r.got[1], "plain", 5) != 0) {
			if (all_good)
				diag("split at %zu: rc %d fail %d n %d", k, rc, r.fail, r.n);
			all_good = 0;
		}
		splits++;
		rxc_clear(&r, 1);
		ws_rx_deinit(&rx);
		ws_deflate_conn_deinit(&c);
	}
	ok(all_good, "fragmented compressed message with a ping inside: right at %d split points", splits);

	/* One byte at a time. */
	{
		ws_rx_t rx;
		ws_deflate_conn_t c;
		rxc_t r;
		size_t *cuts = malloc(sl * sizeof(*cuts));

		for (size_t i = 0; i + 1 < sl; i++)
			cuts[i] = i + 1;
		ws_rx_init(&rx, 1 << 20, 0);
		rx.allow_rsv1 = 1;
		ws_deflate_conn_init(&c, &p);
		memset(&r, 0, sizeof(r));
		r.d = d;
		r.c = &c;
		r.rx = &rx;
		ok(feed_cut(&rx, &r, s, sl, cuts, sl - 1) == 0 && r.n == 2 && r.len[0] == tl &&
			   memcmp(r.got[0], text, tl) == 0,
		   "fragmented compressed message, one byte at a time");
		rxc_clear(&r, 1);
		ws_rx_deinit(&rx);
		ws_deflate_conn_deinit(&c);
		free(cuts);
	}

	/* RSV1 where it may not be: 1002 from the receiver. */
	{
		static const struct {
			const char *what;
			int allow, fin, rsv1, op;
		} bad[] = {
			{"RSV1 without negotiation", 0, 1, 1, WS_OP_TEXT},
			{"RSV1 on a ping", 1, 1, 1, WS_OP_PING},
			{"RSV1 on a close", 1, 1, 1, WS_OP_CLOSE},
			{"RSV1 on a continuation", 1, 1, 1, WS_OP_CONT},
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			ws_rx_t rx;
			ws_deflate_conn_t c;
			rxc_t r;
			size_t n = 0;

			if (bad[i].op == WS_OP_CONT)
				n += client_frame(s + n, 0, 1, WS_OP_TEXT, z, 4);
			n += client_frame(s + n, bad[i].fin, bad[i].rsv1, bad[i].op, z + 4, bad[i].op == WS_OP_CLOSE ? 0 : 4);
			ws_rx_init(&rx, 1 << 20, 0);
			rx.allow_rsv1 = (uint8_t)bad[i].allow;
			ws_deflate_conn_init(&c, &p);
			memset(&r, 0, sizeof(r));
			r.d = d;
			r.c = &c;
			r.rx = &rx;
			is(feed_cut(&rx, &r, s, n, NULL, 0), WS_CLOSE_PROTOCOL, "%s -> 1002", bad[i].what);
			rxc_clear(&r, 0);
			ws_rx_deinit(&rx);
			ws_deflate_conn_deinit(&c);
		}
	}

	/* The compressed size may exceed max_message_size a little (DEFLATE's
	 * overhead on random data); the inflated size may not. */
	{
		uint8_t *rndm = malloc(4096), *big = malloc(8192), *fr = malloc(10000);
		ws_rx_t rx;
		ws_deflate_conn_t c;
		rxc_t r;
		size_t n;

		fill_random(rndm, 4096);
		memset(&peer, 0, sizeof(peer));
		deflateInit2(&peer, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
		zl = peer_deflate(&peer, rndm, 4096, big, 8192, 0);
		deflateEnd(&peer);
		n = client_frame(fr, 1, 1, WS_OP_BINARY, big, zl);
		ws_rx_init(&rx, 4096, 0);
		rx.allow_rsv1 = 1;
		ws_deflate_conn_init(&c, &p);
		memset(&r, 0, sizeof(r));
		r.d = d;
		r.c = &c;
		r.rx = &rx;
		ok(zl > 4096 && feed_cut(&rx, &r, fr, n, NULL, 0) == 0 && r.n == 1 && r.len[0] == 4096 &&
			   memcmp(r.got[0], rndm, 4096) == 0,
		   "4096 random bytes (%zu compressed) within max_message_size 4096", zl);
		rxc_clear(&r, 1);
		ws_rx_deinit(&rx);
		ws_deflate_conn_deinit(&c);
		free(rndm);
		free(big);
		free(fr);
	}
	ws_deflate_free(d);
}

/* ------------------------------------------------------------------ */
/* Broadcast */

static void test_broadcast(void)
{
	ws_compression_t cfg = default_cfg();
	ws_deflate_t *d;
	ws_deflate_params_t pa = params(0, 0, 15, 15), pb = params(1, 0, 15, 15), pc = params(0, 0, 10, 15);
	ws_deflate_conn_t a, b, c, none;
	z_stream peer_a, peer_c;
	char m1[1500], m2[1500];
	size_t l1 = fill_chat(m1, sizeof(m1), 11), l2 = fill_chat(m2, sizeof(m2), 12), fl, hl, plen;
	const uint8_t *fa, *fb, *fc, *f;
	uint8_t out[4000], *copy;
	int fin, rsv, op;

	ws_deflate_new(&d, &cfg);
	ws_deflate_conn_init(&a, &pa);
	ws_deflate_conn_init(&b, &pb);
	ws_deflate_conn_init(&c, &pc);
	ws_deflate_conn_init(&none, NULL);
	memset(&peer_a, 0, sizeof(peer_a));
	memset(&peer_c, 0, sizeof(peer_c));
	inflateInit2(&peer_a, -15);
	inflateInit2(&peer_c, -10);

	/* a and c have their own compressors with history. */
	ws_deflate_frame(d, &a, WS_OP_TEXT, (const uint8_t *)m2, l2, &f, &fl);
	hl = parse_frame(f, fl, &fin, &rsv, &op, &plen);
	ok(peer_inflate(&peer_a, f + hl, plen, out, sizeof(out)) == (long)l2, "broadcast: a's own message before");
	ws_deflate_frame(d, &c, WS_OP_TEXT, (const uint8_t *)m2, l2, &f, &fl);
	hl = parse_frame(f, fl, &fin, &rsv, &op, &plen);
	ok(peer_inflate(&peer_c, f + hl, plen, out, sizeof(out)) == (long)l2, "broadcast: c's own message before");

	ws_deflate_broadcast_begin(d);
	is(ws_deflate_broadcast_frame(d, &a, WS_OP_TEXT, (const uint8_t *)m1, l1, &fa, &fl), 1, "broadcast: a compressed");
	copy = malloc(fl);
	memcpy(copy, fa, fl);
	{
		size_t fbl, fcl;

		is(ws_deflate_broadcast_frame(d, &b, WS_OP_TEXT, (const uint8_t *)m1, l1, &fb, &fbl), 1,
		   "broadcast: b compressed");
		ok(fb == fa && fbl == fl, "broadcast: a (takeover) and b (no takeover) share the same bytes");
		is(ws_deflate_broadcast_frame(d, &c, WS_OP_TEXT, (const uint8_t *)m1, l1, &fc, &fcl), 1,
		   "broadcast: c compressed");
		ok(fc != fa, "broadcast: c (10-bit window) gets its own encoding");
		is(ws_deflate_broadcast_frame(d, &none, WS_OP_TEXT, (const uint8_t *)m1, l1, &f, &fbl), 0,
		   "broadcast: a connection without compression gets it plain");
		/* c's frame decodes with c's 10-bit window. */
		hl = parse_frame(fc, fcl, &fin, &rsv, &op, &plen);
		ok(peer_inflate(&peer_c, fc + hl, plen, out, sizeof(out)) == (long)l1 && memcmp(out, m1, l1) == 0,
		   "broadcast: c's peer inflates its frame");
	}
	ws_deflate_broadcast_end(d);
	hl = parse_frame(copy, fl, &fin, &rsv, &op, &plen);
	ok(hl && rsv == 4 && peer_inflate(&peer_a, copy + hl, plen, out, sizeof(out)) == (long)l1 &&
		   memcmp(out, m1, l1) == 0,
	   "broadcast: a's peer (with its window) inflates the shared frame");
	free(copy);
	/* a's peer now has m1 in its window, a's compressor does not: the next
	 * message of a must not refer to the compressor's old window. */
	ok(a.def_stale && c.def_stale, "broadcast: own compressors marked stale");
	is(ws_deflate_frame(d, &a, WS_OP_TEXT, (const uint8_t *)m2, l2, &f, &fl), 1, "broadcast: a's next own message");
	hl = parse_frame(f, fl, &fin, &rsv, &op, &plen);
	ok(peer_inflate(&peer_a, f + hl, plen, out, sizeof(out)) == (long)l2 && memcmp(out, m2, l2) == 0,
	   "broadcast: a's peer inflates a's next own message correctly");
	ws_deflate_frame(d, &c, WS_OP_TEXT, (const uint8_t *)m2, l2, &f, &fl);
	hl = parse_frame(f, fl, &fin, &rsv, &op, &plen);
	ok(peer_inflate(&peer_c, f + hl, plen, out, sizeof(out)) == (long)l2 && memcmp(out, m2, l2) == 0,
	   "broadcast: c's peer inflates c's next own message correctly");
	/* And the window builds up again afterwards. */
	ws_deflate_frame(d, &a, WS_OP_TEXT, (const uint8_t *)m2, l2, &f, &fl);
	hl = parse_frame(f, fl, &fin, &rsv, &op, &plen);
	ok(peer_inflate(&peer_a, f + hl, plen, out, sizeof(out)) == (long)l2 && fl < l2 / 40,
	   "broadcast: then a's context takeover works again (%zu bytes)", fl);

	/* Below the threshold, nothing is compressed. */
	{
		ws_deflate_t *d2;

		cfg.threshold = 10000;
		ws_deflate_new(&d2, &cfg);
		ws_deflate_broadcast_begin(d2);
		is(ws_deflate_broadcast_frame(d2, &a, WS_OP_TEXT, (const uint8_t *)m1, l1, &f, &fl), 0,
		   "broadcast: under the threshold: plain");
		ws_deflate_broadcast_end(d2);
		ws_deflate_free(d2);
	}
	inflateEnd(&peer_a);
	inflateEnd(&peer_c);
	ws_deflate_conn_deinit(&a);
	ws_deflate_conn_deinit(&b);
	ws_deflate_conn_deinit(&c);
	ws_deflate_free(d);
}

/* ------------------------------------------------------------------ */
/* Memory per connection */

static void test_memory(void)
{
	ws_compression_t cfg = default_cfg();
	ws_deflate_t *d;
	ws_deflate_conn_t c;
	char text[1000];
	size_t tl = fill_chat(text, sizeof(text), 4), zl, ol, base, after_send, after_recv;
	uint8_t z[2000], *out;
	const uint8_t *f;
	const char *why;
	z_stream peer;

	ws_deflate_new(&d, &cfg);
	memset(&peer, 0, sizeof(peer));
	deflateInit2(&peer, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	zl = peer_deflate(&peer, text, tl, z, sizeof(z), 0);
	deflateEnd(&peer);

	for (int mode = 0; mode < 3; mode++) {
		/* 0: defaults (takeover both ways); 1: both no takeover;
		 * 2: 10-bit windows, memLevel 4. */
		ws_deflate_params_t p = mode == 1 ? params(1, 1, 15, 15) : mode == 2 ? params(0, 0, 10, 10) : params(0, 0, 15, 15);
		ws_deflate_t *dm = d;
		const char *name = mode == 0 ? "defaults" : mode == 1 ? "no context takeover" : "windows 10, memory_level 4";

		if (mode == 2) {
			ws_compression_t small = cfg;

			small.memory_level = 4;
			ws_deflate_new(&dm, &small);
		}
		/* Shared streams are made once per server: warm them up. */
		ws_deflate_conn_init(&c, &p);
		ws_deflate_frame(dm, &c, WS_OP_TEXT, (const uint8_t *)text, tl, &f, &ol);
		ws_deflate_frame_done(dm);
		ws_deflate_inflate(dm, &c, z, zl, 1, 1 << 20, &out, &ol, &why);
		ws_free(out);
		ws_deflate_conn_deinit(&c);

		base = m_live;
		ws_deflate_conn_init(&c, &p);
		is(m_live - base, 0, "memory (%s): negotiated, nothing exchanged: 0 bytes", name);
		ws_deflate_frame(dm, &c, WS_OP_TEXT, (const uint8_t *)text, tl, &f, &ol);
		ws_deflate_frame_done(dm);
		after_send = m_live - base;
		ws_deflate_inflate(dm, &c, z, zl, 1, 1 << 20, &out, &ol, &why);
		ws_free(out);
		after_recv = m_live - base;
		diag("memory (%s): after one message out %zu bytes, and one in %zu bytes", name, after_send, after_recv);
		if (mode == 0) {
			ok(after_send > 200 * 1024 && after_send < 300 * 1024, "memory (defaults): compressor ~256 KiB");
			ok(after_recv - after_send > 32 * 1024 && after_recv - after_send < 48 * 1024,
			   "memory (defaults): decompressor ~39 KiB");
		} else if (mode == 1) {
			is(after_recv, 0, "memory (no context takeover): still 0 bytes per connection");
		} else {
			ok(after_recv < 40 * 1024, "memory (small windows): %zu bytes", after_recv);
		}
		ws_deflate_conn_idle(&c);
		diag("memory (%s): idle (compressor dropped) %zu bytes", name, m_live - base);
		ok(c.def == NULL && (mode == 1 || m_live - base == after_recv - after_send),
		   "memory (%s): idle keeps only the decompressor", name);
		ws_deflate_conn_deinit(&c);
		is(m_live - base, 0, "memory (%s): deinit frees everything", name);
		if (dm != d)
			ws_deflate_free(dm);
	}
	ws_deflate_free(d);
}

/* Allocation failures: every call either succeeds or reports
 * WS_ERR_NOMEM, and nothing leaks (ASan checks the latter). */
static void test_nomem(void)
{
	ws_compression_t cfg = default_cfg();
	char text[1000];
	size_t tl = fill_chat(text, sizeof(text), 6), zl, ol;
	uint8_t z[2000], *out;
	z_stream peer;
	int bad = 0;

	memset(&peer, 0, sizeof(peer));
	deflateInit2(&peer, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
	zl = peer_deflate(&peer, text, tl, z, sizeof(z), 0);
	deflateEnd(&peer);
	for (long k = 0; k < 30; k++) {
		for (int snct = 0; snct <= 1; snct++) {
			ws_deflate_t *d = NULL;
			ws_deflate_conn_t c;
			ws_deflate_params_t p = params(snct, snct, 15, 15);
			const uint8_t *f;
			const char *why;
			int r1, r2, r3;

			m_fail_after = k;
			if (ws_deflate_new(&d, &cfg) != 0) {
				m_fail_after = -1;
				continue;
			}
			ws_deflate_conn_init(&c, &p);
			r1 = ws_deflate_frame(d, &c, WS_OP_TEXT, (const uint8_t *)text, tl, &f, &ol);
			ws_deflate_frame_done(d);
			ws_deflate_broadcast_begin(d);
			r2 = ws_deflate_broadcast_frame(d, &c, WS_OP_TEXT, (const uint8_t *)text, tl, &f, &ol);
			ws_deflate_broadcast_end(d);
			out = NULL;
			r3 = ws_deflate_inflate(d, &c, z, zl, 1, 1 << 20, &out, &ol, &why);
			m_fail_after = -1;
			if ((r1 != 1 && r1 != WS_ERR_NOMEM) || (r2 != 1 && r2 != WS_ERR_NOMEM) ||
			    (r3 != 0 && r3 != WS_ERR_NOMEM) || (r3 == 0) != (out != NULL)) {
				if (!bad)
					diag("failing allocation %ld: %d %d %d", k, r1, r2, r3);
				bad++;
			}
			ws_free(out);
			ws_deflate_conn_deinit(&c);
			ws_deflate_free(d);
		}
	}
	ok(!bad, "allocation failures: results are success or WS_ERR_NOMEM");
	is(m_live, 0, "allocation failures: nothing left allocated");
}

int main(void)
{
	const ws_allocator_t a = {m_malloc, m_realloc, m_free};

	ws_set_allocator(&a);
	test_negotiation();
	test_compress();
	test_window_8();
	test_inflate();
	test_bomb();
	test_fragmented();
	test_broadcast();
	test_memory();
	test_nomem();
	is(m_live, 0, "nothing left allocated");
	return done_testing();
}
