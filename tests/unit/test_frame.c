/* Unit tests for src/ws_frame.c: encoding helpers, masking and the
 * streaming receiver. Every receiver case is fed whole, a byte at a time and
 * split at every offset (scripted feeds in the manner of wslay's
 * tests/wslay_frame_test.c), each chunk placed against a PROT_NONE page. */
#include "tap.h"
#include "ws.h"
#include "ws_frame.h"

/* ---- counting allocator ------------------------------------------------ */

static long a_live;      /* blocks allocated and not freed */
static size_t a_calls;   /* malloc + realloc calls */
static size_t a_max;     /* largest single request */
static int a_fail;       /* make every allocation fail */

static void *c_malloc(size_t n)
{
	void *p;
	a_calls++;
	if (n > a_max)
		a_max = n;
	if (a_fail)
		return NULL;
	p = malloc(n);
	if (p)
		a_live++;
	return p;
}

static void *c_realloc(void *p, size_t n)
{
	void *q;
	a_calls++;
	if (n > a_max)
		a_max = n;
	if (a_fail)
		return NULL;
	q = realloc(p, n);
	if (q && !p)
		a_live++;
	return q;
}

static void c_free(void *p)
{
	if (p)
		a_live--;
	free(p);
}

static void a_reset(void)
{
	a_calls = 0;
	a_max = 0;
}

/* ---- building client frames ------------------------------------------ */

typedef struct {
	uint8_t *p;
	size_t n, cap;
} sbuf_t;

static void put(sbuf_t *b, const void *d, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			exit(2);
	}
	if (n)
		memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void sfree(sbuf_t *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static unsigned key_seq;

/* A frame as a client sends it: b0 is FIN|RSV|opcode; masked unless told;
 * lenform 0 picks the minimal length encoding, 126/127 force one; claimed
 * is the length put in the header (payload holds only len bytes). */
static void frame_ex(sbuf_t *b, int b0, int masked, int lenform, uint64_t claimed, const void *payload, size_t len)
{
	uint8_t h[14], key[4] = {0x37, 0xfa, 0x21, 0x3d};
	size_t hn = 2;
	const uint8_t *pl = payload;

	key[0] ^= (uint8_t)key_seq;
	key[3] ^= (uint8_t)(key_seq * 7);
	key_seq++;
	h[0] = (uint8_t)b0;
	if (lenform == 0)
		lenform = claimed < 126 ? 0 : claimed <= 0xFFFF ? 126 : 127;
	if (lenform == 0) {
		h[1] = (uint8_t)claimed;
	} else if (lenform == 126) {
		h[1] = 126;
		h[2] = (uint8_t)(claimed >> 8);
		h[3] = (uint8_t)claimed;
		hn = 4;
	} else {
		h[1] = 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (uint8_t)(claimed >> (56 - 8 * i));
		hn = 10;
	}
	if (masked) {
		h[1] |= 0x80;
		memcpy(h + hn, key, 4);
		hn += 4;
	}
	put(b, h, hn);
	for (size_t i = 0; i < len; i++) {
		uint8_t c = (uint8_t)(pl[i] ^ (masked ? key[i & 3] : 0));
		put(b, &c, 1);
	}
}

static void frame(sbuf_t *b, int b0, const void *payload, size_t len)
{
	frame_ex(b, b0, 1, 0, len, payload, len);
}

#define FIN 0x80
#define RSV1 0x40
#define RSV2 0x20
#define RSV3 0x10

/* ---- collecting what the receiver hands out ---------------------------- */

typedef struct {
	int kind; /* 'M' message, 'C' control */
	int op;
	size_t len;
	const void *d; /* expected events: the payload */
	int match;     /* received events: same payload as the expected one */
	int rsv1;
} ev_t;

#define MAX_EV 16

typedef struct {
	ev_t ev[MAX_EV];
	int n;
	int stop_at; /* return non-zero from the handler of event #stop_at (1-based), 0: never */
	ws_rx_t *rx;
	int slack;   /* the input has a writable byte after it */
	int bad_nul; /* a message that should be NUL-terminated was not */
} col_t;

/* The events the current run should produce: payloads are compared as
 * they are handed out (memcmp, so the 64 KiB cases stay fast). */
static const col_t *g_want;

static int add_ev(col_t *c, int kind, int op, const uint8_t *d, size_t len)
{
	if (c->n < MAX_EV) {
		ev_t *e = &c->ev[c->n];
		e->kind = kind;
		e->op = op;
		e->len = len;
		e->rsv1 = kind == 'M' ? c->rx->msg_rsv1 : 0;
		e->match = g_want && c->n < g_want->n && g_want->ev[c->n].len == len &&
			(len == 0 || memcmp(g_want->ev[c->n].d, d, len) == 0);
	}
	c->n++;
	return c->stop_at == c->n;
}

static int on_message(void *ud, int op, uint8_t *d, size_t len)
{
	col_t *c = ud;
	/* Empty messages are always a readable NUL; with input_slack every
	 * message is NUL-terminated, also those handed out in place. */
	if ((len == 0 || c->slack) && d[len] != 0)
		c->bad_nul = 1;
	return add_ev(c, 'M', op, d, len);
}

static int on_control(void *ud, int op, uint8_t *d, size_t len)
{
	return add_ev(ud, 'C', op, d, len);
}

static const ws_rx_handler_t handler = {on_message, on_control};

typedef struct {
	size_t max;
	uint32_t frags;
	int rsv1;
	int slack; /* set input_slack, with one writable byte after each chunk */
} cfg_t;

typedef struct {
	int ret;
	const char *err;
	col_t col;
	int anomaly; /* consumed != len, or a buffer held while idle, or a leak */
} res_t;

/* Feeds s[0..n) cut at cuts[0..ncuts) (ascending). */
static void run(const uint8_t *s, size_t n, const size_t *cuts, size_t ncuts, const cfg_t *cfg, res_t *res)
{
	ws_rx_t rx;
	size_t prev = 0;

	memset(res, 0, sizeof(*res));
	ws_rx_init(&rx, cfg->max, cfg->frags);
	rx.allow_rsv1 = (uint8_t)cfg->rsv1;
	rx.input_slack = (uint8_t)cfg->slack;
	res->col.rx = &rx;
	res->col.slack = cfg->slack;
	for (size_t i = 0; i <= ncuts; i++) {
		size_t end = i < ncuts ? cuts[i] : n, consumed = (size_t)-1;
		uint8_t *p;
		int r;

		if (cfg->slack) {
			/* The chunk, then the slack byte, then the guard page. */
			p = tap_guard(end - prev + 1);
			memcpy(p, s + prev, end - prev);
			p[end - prev] = 0xEE;
		} else {
			p = tap_place(s + prev, end - prev);
		}
		r = ws_rx_feed(&rx, p, end - prev, &handler, &res->col, &consumed);
		if (cfg->slack && p[end - prev] != 0xEE)
			res->anomaly = 5;

		if (r != 0) {
			res->ret = r;
			res->err = rx.error;
			break;
		}
		if (consumed != end - prev)
			res->anomaly = 1;
		if (!ws_rx_busy(&rx) && (rx.msg != NULL || a_live != 0))
			res->anomaly = 2;
		prev = end;
	}
	ws_rx_deinit(&rx);
	if (a_live != 0)
		res->anomaly = 3;
	if (res->col.bad_nul)
		res->anomaly = 4;
}

static int same(const res_t *a, const res_t *b)
{
	if (a->ret != b->ret || a->col.n != b->col.n || a->anomaly || b->anomaly)
		return 0;
	if ((a->err == NULL) != (b->err == NULL) || (a->err && strcmp(a->err, b->err) != 0))
		return 0;
	for (int i = 0; i < a->col.n && i < MAX_EV; i++) {
		const ev_t *x = &a->col.ev[i], *y = &b->col.ev[i];
		if (x->kind != y->kind || x->op != y->op || x->len != y->len || !x->match || x->rsv1 != y->rsv1)
			return 0;
	}
	return 1;
}

static void show(const char *what, const res_t *r)
{
	diag("%s: ret %d err \"%s\" anomaly %d, %d events", what, r->ret, r->err ? r->err : "", r->anomaly, r->col.n);
	for (int i = 0; i < r->col.n && i < MAX_EV; i++)
		diag("  %c op %d len %zu rsv1 %d", r->col.ev[i].kind, r->col.ev[i].op, r->col.ev[i].len, r->col.ev[i].rsv1);
}

/* Expected outcome, built by the test. */
typedef struct {
	res_t r;
} want_t;

static void want_init(want_t *w, int ret, const char *err)
{
	memset(w, 0, sizeof(*w));
	w->r.ret = ret;
	w->r.err = err;
}

static void want_ev(want_t *w, int kind, int op, const void *d, size_t len)
{
	ev_t *e = &w->r.col.ev[w->r.col.n++];
	e->kind = kind;
	e->op = op;
	e->len = len;
	e->d = d;
}

/* Runs s whole, a byte at a time, and cut at every offset (and, for short
 * streams, at every pair of offsets); each must give w. Half of the runs
 * use input_slack, so messages handed out in place are NUL-terminated. */
static void check(const char *name, const sbuf_t *s, const cfg_t *cfg0, const want_t *w)
{
	res_t r;
	size_t *cuts;
	int good;
	cfg_t cfgs[2], *cfg = &cfgs[0];

	cfgs[0] = *cfg0;
	cfgs[0].slack = 0;
	cfgs[1] = *cfg0;
	cfgs[1].slack = 1;

	g_want = &w->r.col;
	run(s->p, s->n, NULL, 0, cfg, &r);
	if (!ok(same(&r, &w->r), "%s: whole", name)) {
		show("got", &r);
		show("want", &w->r);
	}

	cuts = malloc((s->n + 1) * sizeof(*cuts));
	for (size_t i = 1; i < s->n; i++)
		cuts[i - 1] = i;
	run(s->p, s->n, NULL, 0, &cfgs[1], &r);
	if (!ok(same(&r, &w->r), "%s: whole, with input_slack", name))
		show("got", &r);
	run(s->p, s->n, cuts, s->n ? s->n - 1 : 0, &cfgs[1], &r);
	if (!ok(same(&r, &w->r), "%s: one byte at a time", name))
		show("got", &r);

	good = 1;
	for (size_t k = 1; k < s->n && good; k++) {
		run(s->p, s->n, &k, 1, &cfgs[k & 1], &r);
		if (!same(&r, &w->r)) {
			diag("split at %zu", k);
			show("got", &r);
			good = 0;
		}
	}
	ok(good, "%s: split at every offset (%zu bytes)", name, s->n);

	if (s->n <= 160) {
		good = 1;
		for (size_t a = 1; a < s->n && good; a++) {
			for (size_t b = a + 1; b < s->n && good; b++) {
				cuts[0] = a;
				cuts[1] = b;
				run(s->p, s->n, cuts, 2, &cfgs[(a + b) & 1], &r);
				if (!same(&r, &w->r)) {
					diag("split at %zu and %zu", a, b);
					show("got", &r);
					good = 0;
				}
			}
		}
		ok(good, "%s: split at every pair of offsets", name);
	}
	free(cuts);
	g_want = NULL;
}

static const cfg_t cfg_1m = {1 << 20, 0, 0, 0};

/* Valid UTF-8 of exactly n bytes with multi-byte sequences throughout, so
 * that splits land inside code points, and runs of ASCII between them. */
static uint8_t *make_text(size_t n)
{
	static const char *pieces[] = {
		"\xC3\xA9", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "\xE2\x82\xAC",
		"0123456789abcdef0123456789abcdef", "\xF0\x9F\x98\x80", "xyz",
	};
	uint8_t *p = malloc(n + 1);
	size_t o = 0, k = 0;

	while (o < n) {
		const char *s = pieces[k++ % 6];
		size_t l = strlen(s);
		if (l > n - o)
			s = "b", l = 1;
		memcpy(p + o, s, l);
		o += l;
	}
	return p;
}

static uint8_t *make_binary(size_t n)
{
	uint8_t *p = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 131 + (i >> 8));
	return p;
}

/* A one-frame stream that must fail with ret/err. */
static void check_fail1(const char *name, int b0, int masked, int lenform, uint64_t claimed, const void *pl, size_t len,
			const cfg_t *cfg, int ret, const char *err)
{
	sbuf_t s = {0};
	want_t w;

	frame_ex(&s, b0, masked, lenform, claimed, pl, len);
	want_init(&w, ret, err);
	check(name, &s, cfg, &w);
	sfree(&s);
}

/* ---- tests --------------------------------------------------------- */

static void test_helpers(void)
{
	uint8_t h[10];
	uint8_t out[125];
	char reason[200];

	is(ws_frame_header(h, 1, 0, WS_OP_TEXT, 0), 2, "header for 0 bytes is 2 bytes");
	ok(h[0] == 0x81 && h[1] == 0, "FIN|TEXT, length 0");
	is(ws_frame_header(h, 1, 0, WS_OP_BINARY, 125), 2, "125 bytes: 2-byte header");
	ok(h[0] == 0x82 && h[1] == 125, "length 125 in 7 bits");
	is(ws_frame_header(h, 0, 1, WS_OP_TEXT, 126), 4, "126 bytes: 4-byte header");
	ok(h[0] == 0x41 && h[1] == 126 && h[2] == 0 && h[3] == 126, "RSV1, no FIN, 16-bit 126");
	is(ws_frame_header(h, 1, 0, WS_OP_BINARY, 65535), 4, "65535: 4-byte header");
	ok(h[2] == 0xFF && h[3] == 0xFF, "16-bit 65535");
	is(ws_frame_header(h, 1, 0, WS_OP_BINARY, 65536), 10, "65536: 10-byte header");
	ok(h[1] == 127 && h[2] == 0 && h[7] == 1 && h[8] == 0 && h[9] == 0, "64-bit 65536");
	is(ws_frame_header(h, 1, 0, WS_OP_CLOSE, UINT64_C(0x7FFFFFFFFFFFFFFF)), 10, "2^63-1: 10-byte header");
	ok(h[0] == 0x88 && h[2] == 0x7F && h[9] == 0xFF, "64-bit 2^63-1");

	is(ws_frame_close_payload(out, 1000, "bye", 3), 5, "close payload 1000 bye");
	ok(out[0] == 0x03 && out[1] == 0xE8 && memcmp(out + 2, "bye", 3) == 0, "close payload bytes");
	is(ws_frame_close_payload(out, 1001, NULL, 0), 2, "close payload without reason");
	memset(reason, 'r', sizeof(reason));
	is(ws_frame_close_payload(out, 1000, reason, sizeof(reason)), 125, "reason cut to 123 bytes");
	/* 122 ASCII bytes then a 2-byte character straddling the limit. */
	reason[122] = (char)0xC3;
	reason[123] = (char)0xA9;
	is(ws_frame_close_payload(out, 1000, reason, 124), 124, "cut on a code point boundary");

	{
		static const uint16_t good[] = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
		static const uint16_t bad[] = {0, 1, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 1100, 2000, 2999, 5000, 65535};
		int all = 1;
		for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
			all &= ws_close_code_valid(good[i]) == 1;
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			all &= ws_close_code_valid(bad[i]) == 0;
		ok(all, "ws_close_code_valid on valid and invalid codes");
	}

	/* ws_mask against the obvious loop, at every key offset, length and
	 * alignment, and applied in two pieces. */
	{
		const uint8_t key[4] = {0x12, 0x34, 0x56, 0x78};
		uint8_t a[80], b[80];
		int all = 1;
		for (size_t off = 0; off < 8; off++) {
			for (size_t n = 0; n + off <= 72; n++) {
				for (uint8_t pos0 = 0; pos0 < 4; pos0++) {
					for (size_t cut = 0; cut <= n; cut += (n / 3) + 1) {
						uint8_t pos = pos0, want = (uint8_t)((pos0 + n) & 3);
						for (size_t i = 0; i < sizeof(a); i++)
							a[i] = b[i] = (uint8_t)(i * 37 + 1);
						for (size_t i = 0; i < n; i++)
							b[off + i] ^= key[(pos0 + i) & 3];
						ws_mask(a + off, cut, key, &pos);
						ws_mask(a + off + cut, n - cut, key, &pos);
						if (memcmp(a, b, sizeof(a)) != 0 || pos != want)
							all = 0;
					}
				}
			}
		}
		ok(all, "ws_mask matches a byte loop at every offset, length and key position");
	}
}

static void test_rfc_samples(void)
{
	/* RFC 6455 §5.7. */
	static const uint8_t hello[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
	static const uint8_t pong[] = {0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
	static const uint8_t unmasked[] = {0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
	sbuf_t s = {0};
	want_t w;

	put(&s, hello, sizeof(hello));
	want_init(&w, 0, NULL);
	want_ev(&w, 'M', WS_OP_TEXT, "Hello", 5);
	check("RFC 5.7 masked Hello", &s, &cfg_1m, &w);
	sfree(&s);

	put(&s, pong, sizeof(pong));
	want_init(&w, 0, NULL);
	want_ev(&w, 'C', WS_OP_PONG, "Hello", 5);
	check("RFC 5.7 masked pong", &s, &cfg_1m, &w);
	sfree(&s);

	put(&s, unmasked, sizeof(unmasked));
	want_init(&w, WS_CLOSE_PROTOCOL, "unmasked frame");
	check("RFC 5.7 unmasked Hello is refused", &s, &cfg_1m, &w);
	sfree(&s);
}

static void test_sizes(void)
{
	static const size_t sizes[] = {0, 1, 125, 126, 127, 65535, 65536};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (int bin = 0; bin <= 1; bin++) {
			size_t n = sizes[i];
			uint8_t *pl = bin ? make_binary(n) : make_text(n);
			sbuf_t s = {0};
			want_t w;
			char name[64];

			frame(&s, FIN | (bin ? WS_OP_BINARY : WS_OP_TEXT), pl, n);
			want_init(&w, 0, NULL);
			want_ev(&w, 'M', bin ? WS_OP_BINARY : WS_OP_TEXT, pl, n);
			snprintf(name, sizeof(name), "%zu-byte %s frame", n, bin ? "binary" : "text");
			check(name, &s, &cfg_1m, &w);
			sfree(&s);
			free(pl);
		}
	}

	/* Several messages back to back, with lengths forced to the wider
	 * encodings (RFC 6455 §5.2 asks for minimal ones, which the receiver
	 * does not insist on). */
	{
		sbuf_t s = {0};
		want_t w;
		uint8_t *t = make_text(300), *b = make_binary(200);

		want_init(&w, 0, NULL);
		frame(&s, FIN | WS_OP_TEXT, t, 300);
		want_ev(&w, 'M', WS_OP_TEXT, t, 300);
		frame_ex(&s, FIN | WS_OP_BINARY, 1, 127, 5, b, 5);
		want_ev(&w, 'M', WS_OP_BINARY, b, 5);
		frame_ex(&s, FIN | WS_OP_TEXT, 1, 126, 10, t, 10);
		want_ev(&w, 'M', WS_OP_TEXT, t, 10);
		frame(&s, FIN | WS_OP_PING, "", 0);
		want_ev(&w, 'C', WS_OP_PING, "", 0);
		frame(&s, FIN | WS_OP_BINARY, b, 200);
		want_ev(&w, 'M', WS_OP_BINARY, b, 200);
		check("five frames back to back", &s, &cfg_1m, &w);
		sfree(&s);
		free(t);
		free(b);
	}
}

static void test_fragments(void)
{
	sbuf_t s = {0};
	want_t w;

	/* A ping between fragments, and "ö" split across two of them. */
	frame(&s, WS_OP_TEXT, "Hel", 3);
	frame(&s, FIN | WS_OP_PING, "ping", 4);
	frame(&s, WS_OP_CONT, "lo w\xC3", 5);
	frame(&s, FIN | WS_OP_CONT, "\xB6rld", 4);
	want_init(&w, 0, NULL);
	want_ev(&w, 'C', WS_OP_PING, "ping", 4);
	want_ev(&w, 'M', WS_OP_TEXT, "Hello w\xC3\xB6rld", 12);
	check("fragmented text with a ping in the middle", &s, &cfg_1m, &w);
	sfree(&s);

	/* Binary in three, pong and close between and after. */
	frame(&s, WS_OP_BINARY, "\x00\x01", 2);
	frame(&s, FIN | WS_OP_PONG, "", 0);
	frame(&s, WS_OP_CONT, "\xFF", 1);
	frame(&s, FIN | WS_OP_CONT, "\x80\x00", 2);
	frame(&s, FIN | WS_OP_CLOSE, "\x03\xE8", 2);
	want_init(&w, 0, NULL);
	want_ev(&w, 'C', WS_OP_PONG, "", 0);
	want_ev(&w, 'M', WS_OP_BINARY, "\x00\x01\xFF\x80\x00", 5);
	want_ev(&w, 'C', WS_OP_CLOSE, "\x03\xE8", 2);
	check("fragmented binary with pong, then close", &s, &cfg_1m, &w);
	sfree(&s);

	/* Empty fragments make an empty message. */
	frame(&s, WS_OP_TEXT, "", 0);
	frame(&s, WS_OP_CONT, "", 0);
	frame(&s, FIN | WS_OP_CONT, "", 0);
	want_init(&w, 0, NULL);
	want_ev(&w, 'M', WS_OP_TEXT, "", 0);
	check("three empty fragments", &s, &cfg_1m, &w);
	sfree(&s);

	/* A large message in three fragments with a ping in the middle. */
	{
		uint8_t *t = make_text(70000);
		frame(&s, WS_OP_TEXT, t, 30001);
		frame(&s, FIN | WS_OP_PING, "x", 1);
		frame(&s, WS_OP_CONT, t + 30001, 39000);
		frame(&s, FIN | WS_OP_CONT, t + 69001, 999);
		want_init(&w, 0, NULL);
		want_ev(&w, 'C', WS_OP_PING, "x", 1);
		want_ev(&w, 'M', WS_OP_TEXT, t, 70000);
		check("70000-byte text in three fragments", &s, &cfg_1m, &w);
		sfree(&s);
		free(t);
	}
}

static void test_close(void)
{
	sbuf_t s = {0};
	want_t w;
	char p[125];

	frame(&s, FIN | WS_OP_CLOSE, "", 0);
	want_init(&w, 0, NULL);
	want_ev(&w, 'C', WS_OP_CLOSE, "", 0);
	check("empty close", &s, &cfg_1m, &w);
	sfree(&s);

	frame(&s, FIN | WS_OP_CLOSE, "\x03\xE8" "bye \xC3\xA9", 8);
	want_init(&w, 0, NULL);
	want_ev(&w, 'C', WS_OP_CLOSE, "\x03\xE8" "bye \xC3\xA9", 8);
	check("close 1000 with a reason", &s, &cfg_1m, &w);
	sfree(&s);

	memset(p, 'z', sizeof(p));
	p[0] = 0x0B;
	p[1] = (char)0xB8; /* 3000 */
	frame(&s, FIN | WS_OP_CLOSE, p, 125);
	want_init(&w, 0, NULL);
	want_ev(&w, 'C', WS_OP_CLOSE, p, 125);
	check("close 3000 with a 123-byte reason", &s, &cfg_1m, &w);
	sfree(&s);

	check_fail1("close with a 1-byte payload", FIN | WS_OP_CLOSE, 1, 0, 1, "\x03", 1, &cfg_1m, WS_CLOSE_PROTOCOL,
		    "invalid close payload");
	{
		static const uint16_t bad[] = {0, 999, 1004, 1005, 1006, 1012, 1015, 1016, 2999, 5000, 65535};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			uint8_t c[2] = {(uint8_t)(bad[i] >> 8), (uint8_t)bad[i]};
			char name[64];
			snprintf(name, sizeof(name), "close code %u", bad[i]);
			check_fail1(name, FIN | WS_OP_CLOSE, 1, 0, 2, c, 2, &cfg_1m, WS_CLOSE_PROTOCOL, "invalid close code");
		}
	}
	check_fail1("close reason not UTF-8", FIN | WS_OP_CLOSE, 1, 0, 4, "\x03\xE8" "a\xFF", 4, &cfg_1m,
		    WS_CLOSE_BAD_DATA, "invalid UTF-8");
	check_fail1("close reason truncated UTF-8", FIN | WS_OP_CLOSE, 1, 0, 3, "\x03\xE8\xC3", 3, &cfg_1m,
		    WS_CLOSE_BAD_DATA, "invalid UTF-8");
}

static void test_protocol_errors(void)
{
	sbuf_t s = {0};
	want_t w;
	const cfg_t cfg_rsv1 = {1 << 20, 0, 1, 0};

	check_fail1("unmasked text", FIN | WS_OP_TEXT, 0, 0, 2, "hi", 2, &cfg_1m, WS_CLOSE_PROTOCOL, "unmasked frame");
	check_fail1("unmasked close", FIN | WS_OP_CLOSE, 0, 0, 0, "", 0, &cfg_1m, WS_CLOSE_PROTOCOL, "unmasked frame");
	check_fail1("RSV1 without an extension", FIN | RSV1 | WS_OP_TEXT, 1, 0, 2, "hi", 2, &cfg_1m, WS_CLOSE_PROTOCOL,
		    "reserved bits set");
	check_fail1("RSV2", FIN | RSV2 | WS_OP_TEXT, 1, 0, 2, "hi", 2, &cfg_rsv1, WS_CLOSE_PROTOCOL, "reserved bits set");
	check_fail1("RSV3", FIN | RSV3 | WS_OP_BINARY, 1, 0, 2, "hi", 2, &cfg_rsv1, WS_CLOSE_PROTOCOL,
		    "reserved bits set");
	check_fail1("RSV1 on a ping with an extension", FIN | RSV1 | WS_OP_PING, 1, 0, 0, "", 0, &cfg_rsv1,
		    WS_CLOSE_PROTOCOL, "reserved bits set");
	for (int op = 3; op <= 0xF; op++) {
		char name[32];
		if (op >= 8 && op <= 0xA)
			continue;
		snprintf(name, sizeof(name), "opcode 0x%X", op);
		check_fail1(name, FIN | op, 1, 0, 0, "", 0, &cfg_1m, WS_CLOSE_PROTOCOL, "unknown opcode");
	}
	check_fail1("ping of 126 bytes", FIN | WS_OP_PING, 1, 126, 126, NULL, 0, &cfg_1m, WS_CLOSE_PROTOCOL,
		    "control frame too long");
	check_fail1("close with a 64-bit length", FIN | WS_OP_CLOSE, 1, 127, 2, NULL, 0, &cfg_1m, WS_CLOSE_PROTOCOL,
		    "control frame too long");
	check_fail1("ping without FIN", WS_OP_PING, 1, 0, 1, "x", 1, &cfg_1m, WS_CLOSE_PROTOCOL,
		    "fragmented control frame");
	check_fail1("continuation first", FIN | WS_OP_CONT, 1, 0, 1, "x", 1, &cfg_1m, WS_CLOSE_PROTOCOL,
		    "continuation without a message");
	check_fail1("64-bit length with the top bit set", FIN | WS_OP_BINARY, 1, 127, UINT64_C(0x8000000000000000), NULL, 0,
		    &cfg_1m, WS_CLOSE_PROTOCOL, "invalid frame length");
	check_fail1("64-bit length of all ones", FIN | WS_OP_BINARY, 1, 127, UINT64_MAX, NULL, 0, &cfg_1m,
		    WS_CLOSE_PROTOCOL, "invalid frame length");

	/* After a complete message, a continuation has nothing to continue. */
	frame(&s, FIN | WS_OP_TEXT, "a", 1);
	frame(&s, FIN | WS_OP_CONT, "b", 1);
	want_init(&w, WS_CLOSE_PROTOCOL, "continuation without a message");
	want_ev(&w, 'M', WS_OP_TEXT, "a", 1);
	check("continuation after a whole message", &s, &cfg_1m, &w);
	sfree(&s);

	frame(&s, WS_OP_TEXT, "a", 1);
	frame(&s, FIN | WS_OP_BINARY, "b", 1);
	want_init(&w, WS_CLOSE_PROTOCOL, "new message inside a fragmented message");
	check("new message inside a fragmented one", &s, &cfg_1m, &w);
	sfree(&s);

	/* RSV1 is allowed on the first frame only (RFC 7692 §6.1). */
	frame(&s, RSV1 | WS_OP_TEXT, "a", 1);
	frame(&s, FIN | RSV1 | WS_OP_CONT, "b", 1);
	want_init(&w, WS_CLOSE_PROTOCOL, "reserved bits set");
	check("RSV1 on a continuation", &s, &cfg_rsv1, &w);
	sfree(&s);

	/* With RSV1 negotiated, a compressed text message is not checked as
	 * UTF-8 (it is deflate data) and is flagged as compressed. */
	frame(&s, FIN | RSV1 | WS_OP_TEXT, "\xFF\x00\xC3", 3);
	frame(&s, RSV1 | WS_OP_BINARY, "\xFF", 1);
	frame(&s, FIN | WS_OP_CONT, "\xFE", 1);
	frame(&s, FIN | WS_OP_TEXT, "plain", 5);
	want_init(&w, 0, NULL);
	want_ev(&w, 'M', WS_OP_TEXT, "\xFF\x00\xC3", 3);
	w.r.col.ev[0].rsv1 = 1;
	want_ev(&w, 'M', WS_OP_BINARY, "\xFF\xFE", 2);
	w.r.col.ev[1].rsv1 = 1;
	want_ev(&w, 'M', WS_OP_TEXT, "plain", 5);
	check("compressed messages (RSV1 allowed)", &s, &cfg_rsv1, &w);
	sfree(&s);
}

static void test_utf8(void)
{
	sbuf_t s = {0};
	want_t w;

	check_fail1("text not UTF-8", FIN | WS_OP_TEXT, 1, 0, 3, "a\xC0\x80", 3, &cfg_1m, WS_CLOSE_BAD_DATA,
		    "invalid UTF-8");
	check_fail1("text ending inside a code point", FIN | WS_OP_TEXT, 1, 0, 2, "a\xE2", 2, &cfg_1m,
		    WS_CLOSE_BAD_DATA, "invalid UTF-8");
	check_fail1("surrogate in text", FIN | WS_OP_TEXT, 1, 0, 3, "\xED\xA0\x80", 3, &cfg_1m, WS_CLOSE_BAD_DATA,
		    "invalid UTF-8");

	frame(&s, WS_OP_TEXT, "a\xC3", 2);
	frame(&s, FIN | WS_OP_CONT, "", 0);
	want_init(&w, WS_CLOSE_BAD_DATA, "invalid UTF-8");
	check("fragmented text ending inside a code point", &s, &cfg_1m, &w);
	sfree(&s);

	/* Early failure: the first fragment claims 100000 bytes, of which only
	 * 6000 arrive, with a bad byte at 5000. The receiver must fail now,
	 * not wait for the rest. */
	{
		uint8_t *t = make_text(100000);
		memset(t, 'a', 6000);
		t[5000] = 0xFF;
		frame_ex(&s, WS_OP_TEXT, 1, 0, 100000, t, 6000);
		want_init(&w, WS_CLOSE_BAD_DATA, "invalid UTF-8");
		check("bad byte early in a long first fragment fails at once", &s, &cfg_1m, &w);
		sfree(&s);
		free(t);
	}
	frame_ex(&s, FIN | WS_OP_TEXT, 1, 0, 50000, "\xF4\x90", 2);
	want_init(&w, WS_CLOSE_BAD_DATA, "invalid UTF-8");
	check("F4 90 fails on the second byte of a 50000-byte frame", &s, &cfg_1m, &w);
	sfree(&s);

	/* Binary frames are never checked. */
	frame(&s, FIN | WS_OP_BINARY, "\xFF\xC0", 2);
	want_init(&w, 0, NULL);
	want_ev(&w, 'M', WS_OP_BINARY, "\xFF\xC0", 2);
	check("binary is not UTF-8 checked", &s, &cfg_1m, &w);
	sfree(&s);
}

static void test_limits(void)
{
	sbuf_t s = {0};
	want_t w;
	const cfg_t small = {1024, 0, 0, 0}, four = {1 << 20, 4, 0, 0};

	/* A header claiming 2^62 bytes: 1009 with nothing allocated. */
	{
		ws_rx_t rx;
		size_t consumed;
		int r;

		frame_ex(&s, FIN | WS_OP_BINARY, 1, 127, UINT64_C(1) << 62, NULL, 0);
		a_reset();
		ws_rx_init(&rx, 1 << 20, 0);
		r = ws_rx_feed(&rx, tap_place(s.p, s.n), s.n, &handler, NULL, &consumed);
		is(r, WS_CLOSE_TOO_BIG, "2^62-byte claim: 1009");
		ok(rx.error && strcmp(rx.error, "message too big") == 0, "2^62-byte claim: \"message too big\"");
		is(a_calls, 0, "2^62-byte claim: nothing allocated");
		is(ws_rx_feed(&rx, tap_place("x", 1), 1, &handler, NULL, &consumed), WS_CLOSE_TOO_BIG,
		   "failed state is sticky");
		ws_rx_deinit(&rx);
		want_init(&w, WS_CLOSE_TOO_BIG, "message too big");
		check("2^62-byte claim", &s, &cfg_1m, &w);
		sfree(&s);
	}

	check_fail1("1025 bytes over a 1024 limit", FIN | WS_OP_BINARY, 1, 0, 1025, NULL, 0, &small, WS_CLOSE_TOO_BIG,
		    "message too big");
	{
		uint8_t *b = make_binary(1024);
		frame(&s, FIN | WS_OP_BINARY, b, 1024);
		want_init(&w, 0, NULL);
		want_ev(&w, 'M', WS_OP_BINARY, b, 1024);
		check("exactly 1024 bytes under a 1024 limit", &s, &small, &w);
		sfree(&s);

		frame(&s, WS_OP_BINARY, b, 600);
		frame(&s, FIN | WS_OP_PING, "", 0);
		frame_ex(&s, FIN | WS_OP_CONT, 1, 0, 425, b, 10);
		want_init(&w, WS_CLOSE_TOO_BIG, "message too big");
		want_ev(&w, 'C', WS_OP_PING, "", 0);
		check("600 + 425 bytes over a 1024 limit", &s, &small, &w);
		sfree(&s);

		frame(&s, WS_OP_TEXT, "ab", 2);
		frame_ex(&s, FIN | WS_OP_CONT, 1, 127, UINT64_C(0x7FFFFFFFFFFFFFFF), NULL, 0);
		want_init(&w, WS_CLOSE_TOO_BIG, "message too big");
		check("continuation claiming 2^63-1 bytes", &s, &small, &w);
		sfree(&s);
		free(b);
	}

	/* A big claim is not allocated up front; the buffer grows with what
	 * arrives, geometrically, and is gone once the message is out. */
	{
		ws_rx_t rx;
		col_t col = {0};
		size_t consumed, n = 1 << 20, calls;
		uint8_t *b = make_binary(n);
		int r = 0;

		frame(&s, FIN | WS_OP_BINARY, b, n);
		a_reset();
		ws_rx_init(&rx, n, 0);
		col.rx = &rx;
		want_init(&w, 0, NULL);
		want_ev(&w, 'M', WS_OP_BINARY, b, n);
		g_want = &w.r.col;
		r = ws_rx_feed(&rx, tap_place(s.p, 110), 110, &handler, &col, &consumed);
		ok(r == 0 && a_max <= 4096, "1 MiB claim, 100 bytes in: at most 4 KiB allocated (%zu)", a_max);
		for (size_t off = 110; off < s.n && r == 0; off += 1000) {
			size_t k = s.n - off < 1000 ? s.n - off : 1000;
			r = ws_rx_feed(&rx, tap_place(s.p + off, k), k, &handler, &col, &consumed);
		}
		calls = a_calls;
		g_want = NULL;
		ok(r == 0 && col.n == 1 && col.ev[0].len == n && col.ev[0].match, "1 MiB in 1000-byte reads");
		ok(calls <= 16, "geometric growth: %zu allocation calls", calls);
		ok(a_max <= n + 1, "never more than the message and its NUL (%zu)", a_max);
		ok(rx.msg == NULL && a_live == 0 && !ws_rx_busy(&rx), "no buffer held after delivery");
		ws_rx_deinit(&rx);
		sfree(&s);
		free(b);
	}

	/* Fragment count. */
	for (int i = 0; i < 4; i++)
		frame(&s, (i == 3 ? FIN : 0) | (i ? WS_OP_CONT : WS_OP_TEXT), "ab", 2);
	want_init(&w, 0, NULL);
	want_ev(&w, 'M', WS_OP_TEXT, "abababab", 8);
	check("4 fragments with max_fragments 4", &s, &four, &w);
	sfree(&s);
	for (int i = 0; i < 5; i++)
		frame(&s, (i == 4 ? FIN : 0) | (i ? WS_OP_CONT : WS_OP_TEXT), "ab", 2);
	want_init(&w, WS_CLOSE_TOO_BIG, "too many fragments");
	check("5 fragments with max_fragments 4", &s, &four, &w);
	sfree(&s);
	{
		ws_rx_t rx;
		ws_rx_init(&rx, 1 << 20, 0);
		is(rx.max_fragments, 16384, "derived max_fragments for 1 MiB");
		ws_rx_init(&rx, 1000, 0);
		is(rx.max_fragments, 1024, "derived max_fragments floor is 1024");
		ws_rx_init(&rx, SIZE_MAX, 0);
		is(rx.max_fragments, UINT32_MAX, "derived max_fragments is capped");
	}

	/* Out of memory while assembling: WS_ERR_NOMEM, and it stays so. */
	{
		ws_rx_t rx;
		size_t consumed;
		int r;
		frame(&s, WS_OP_BINARY, "abc", 3);
		ws_rx_init(&rx, 1 << 20, 0);
		a_fail = 1;
		r = ws_rx_feed(&rx, tap_place(s.p, s.n), s.n, &handler, NULL, &consumed);
		a_fail = 0;
		is(r, WS_ERR_NOMEM, "allocation failure gives WS_ERR_NOMEM");
		is(ws_rx_feed(&rx, tap_place("x", 1), 1, &handler, NULL, &consumed), WS_ERR_NOMEM, "and it is sticky");
		ws_rx_deinit(&rx);
		is(a_live, 0, "nothing leaked");
		sfree(&s);
	}
}

/* A handler returning non-zero stops the feed just past the frame. */
static void test_stop(void)
{
	sbuf_t s = {0};
	size_t f1, f2, f3, f4;
	ws_rx_t rx;
	col_t col = {0};
	size_t consumed, pos = 0;
	int r, good = 1;

	frame(&s, FIN | WS_OP_TEXT, "one", 3);
	f1 = s.n;
	frame(&s, WS_OP_BINARY, "tw", 2);
	frame(&s, FIN | WS_OP_PING, "p", 1);
	f2 = s.n;
	frame(&s, FIN | WS_OP_CONT, "o", 1);
	f3 = s.n;
	frame(&s, FIN | WS_OP_TEXT, "three", 5);
	f4 = s.n;

	ws_rx_init(&rx, 1 << 20, 0);
	col.rx = &rx;
	uint8_t *p = tap_place(s.p, s.n);
	for (int i = 1; i <= 4; i++) {
		size_t want = i == 1 ? f1 : i == 2 ? f2 : i == 3 ? f3 : f4;
		col.stop_at = i;
		r = ws_rx_feed(&rx, p + pos, s.n - pos, &handler, &col, &consumed);
		if (r != 0 || pos + consumed != want || col.n != i) {
			diag("stop %d: r %d consumed %zu (at %zu, want %zu) events %d", i, r, consumed, pos, want, col.n);
			good = 0;
		}
		pos += consumed;
	}
	ok(good, "stopping from each handler returns just past the frame");
	ok(col.n == 4 && col.ev[0].op == WS_OP_TEXT && col.ev[1].kind == 'C' && col.ev[2].len == 3 && col.ev[3].len == 5,
	   "and feeding the rest resumes correctly");
	ok(!ws_rx_busy(&rx) && rx.msg == NULL, "idle at the end");
	ws_rx_deinit(&rx);
	sfree(&s);
}

static void test_busy(void)
{
	ws_rx_t rx;
	sbuf_t s = {0};
	size_t consumed;

	ws_rx_init(&rx, 1 << 20, 0);
	ok(!ws_rx_busy(&rx), "fresh rx is not busy");
	frame(&s, WS_OP_TEXT, "a", 1);
	ws_rx_feed(&rx, tap_place(s.p, 1), 1, &handler, NULL, &consumed);
	ok(ws_rx_busy(&rx), "busy with half a header");
	ws_rx_feed(&rx, tap_place(s.p + 1, s.n - 1), s.n - 1, &handler, NULL, &consumed);
	ok(ws_rx_busy(&rx), "busy with a fragmented message open");
	ws_rx_deinit(&rx);
	ok(a_live == 0, "deinit frees the assembly buffer");
	sfree(&s);
}

/* Feeds s as the server does with direct reads: whenever ws_rx_direct()
 * offers the payload's place (min bytes or more to come), at most step
 * bytes are copied there and given to ws_rx_feed_direct(); otherwise at
 * most step bytes go through ws_rx_feed(). */
static void run_direct(const uint8_t *s, size_t n, size_t step, size_t min, res_t *res)
{
	ws_rx_t rx;
	size_t off = 0;
	int ndirect = 0;

	memset(res, 0, sizeof(*res));
	ws_rx_init(&rx, 1 << 20, 0);
	rx.input_slack = 1;
	res->col.rx = &rx;
	res->col.slack = 1;
	while (off < n) {
		size_t room = 0, k;
		uint8_t *p = ws_rx_direct(&rx, min, &room);
		int r;

		if (p) {
			k = room < step ? room : step;
			if (k > n - off)
				k = n - off;
			memcpy(p, s + off, k);
			r = ws_rx_feed_direct(&rx, k, &handler, &res->col);
			ndirect++;
		} else {
			size_t consumed = 0;
			k = n - off < step ? n - off : step;
			uint8_t *q = tap_guard(k + 1);
			memcpy(q, s + off, k);
			r = ws_rx_feed(&rx, q, k, &handler, &res->col, &consumed);
			if (r == 0 && consumed != k)
				res->anomaly = 1;
		}
		if (r != 0) {
			res->ret = r;
			res->err = rx.error;
			break;
		}
		off += k;
	}
	if (!res->ret && ws_rx_busy(&rx))
		res->anomaly = 6;
	ws_rx_deinit(&rx);
	if (a_live != 0)
		res->anomaly = 3;
	if (res->col.bad_nul)
		res->anomaly = 4;
	if (step <= 65536 && ndirect == 0)
		res->anomaly = 7; /* the direct path was never taken */
}

static void test_direct(void)
{
	static const size_t steps[] = {1, 7, 4096, 65536, SIZE_MAX};
	static const size_t mins[] = {1, 32768};
	uint8_t *text = make_text(200000), *bin = make_binary(220000);
	sbuf_t s = {0};
	want_t w;
	res_t r;

	/* A long text frame, a long message in three fragments with a ping
	 * between them, then a short binary one. */
	frame(&s, FIN | WS_OP_TEXT, text, 200000);
	frame(&s, WS_OP_BINARY, bin, 100000);
	frame(&s, WS_OP_CONT, bin + 100000, 50000);
	frame(&s, FIN | WS_OP_PING, "p", 1);
	frame(&s, FIN | WS_OP_CONT, bin + 150000, 70000);
	frame(&s, FIN | WS_OP_BINARY, "xy", 2);
	want_init(&w, 0, NULL);
	want_ev(&w, 'M', WS_OP_TEXT, text, 200000);
	want_ev(&w, 'C', WS_OP_PING, "p", 1);
	want_ev(&w, 'M', WS_OP_BINARY, bin, 220000);
	want_ev(&w, 'M', WS_OP_BINARY, "xy", 2);
	g_want = &w.r.col;
	int good = 1;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		for (size_t j = 0; j < sizeof(mins) / sizeof(mins[0]); j++) {
			run_direct(s.p, s.n, steps[i], mins[j], &r);
			if (!same(&r, &w.r)) {
				diag("step %zu min %zu", steps[i], mins[j]);
				show("got", &r);
				good = 0;
			}
		}
	}
	ok(good, "direct reads: long text, fragmented binary with a ping inside, every step size");
	sfree(&s);

	/* Invalid UTF-8 deep inside a long text frame is caught on the direct
	 * path too. */
	text[150000] = 0xFF;
	frame(&s, FIN | WS_OP_TEXT, text, 200000);
	want_init(&w, WS_CLOSE_BAD_DATA, "invalid UTF-8");
	g_want = &w.r.col;
	good = 1;
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		run_direct(s.p, s.n, steps[i], 32768, &r);
		if (!same(&r, &w.r)) {
			diag("step %zu", steps[i]);
			show("got", &r);
			good = 0;
		}
	}
	ok(good, "direct reads: invalid UTF-8 fails with 1007");
	sfree(&s);

	/* Outside a data payload there is nothing to read directly. */
	ws_rx_t rx;
	size_t n = 0;
	ws_rx_init(&rx, 1 << 20, 0);
	ok(ws_rx_direct(&rx, 1, &n) == NULL, "direct: not between frames");
	frame(&s, FIN | WS_OP_PING, "0123456789", 10);
	size_t consumed;
	ws_rx_feed(&rx, tap_place(s.p, 8), 8, &handler, NULL, &consumed);
	ok(ws_rx_direct(&rx, 1, &n) == NULL, "direct: not inside a control frame");
	ws_rx_deinit(&rx);
	sfree(&s);
	g_want = NULL;
	free(text);
	free(bin);
}

int main(void)
{
	const ws_allocator_t a = {c_malloc, c_realloc, c_free};

	ws_set_allocator(&a);
	test_helpers();
	test_rfc_samples();
	test_sizes();
	test_fragments();
	test_close();
	test_protocol_errors();
	test_utf8();
	test_limits();
	test_stop();
	test_busy();
	test_direct();
	return done_testing();
}
