/* libFuzzer target for the frame receiver in src/ws_frame.c.
 *
 * Input: four configuration bytes, then the client byte stream.
 *   [0] picks max_message_size (small ones, so 1009 paths are reached)
 *   [1] max_fragments (0: derived)
 *   [2] bit 0: allow_rsv1; bit 1: handlers ask to stop after every event
 *       (second run); bit 2: input_slack (second run)
 *   [3] low 3 bits: how many cut points follow, one byte each
 * The stream is fed whole, then cut at those points (each chunk in an
 * exact-size heap copy so ASan sees over-reads), resuming after every stop.
 * Both runs must hand out the same events and end the same way, and every
 * event must respect the limits and checks the receiver promises. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ws.h"
#include "ws_frame.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)
#define MAX_EV 64

typedef struct {
	uint32_t n;
	uint8_t kind[MAX_EV], op[MAX_EV];
	size_t len[MAX_EV];
	uint64_t h[MAX_EV];
	int stop;
	ws_rx_t *rx;
} col_t;

static uint64_t hash(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211u;
	return h;
}

static int record(col_t *c, int kind, int op, const uint8_t *d, size_t len)
{
	if (c->n < MAX_EV) {
		c->kind[c->n] = (uint8_t)kind;
		c->op[c->n] = (uint8_t)op;
		c->len[c->n] = len;
		c->h[c->n] = hash(d, len);
	}
	c->n++;
	return c->stop;
}

static int on_message(void *ud, int op, uint8_t *d, size_t len)
{
	col_t *c = ud;

	CHECK(op == WS_OP_TEXT || op == WS_OP_BINARY);
	/* A compressed message may carry DEFLATE's overhead (ws_frame.h). */
	CHECK(len <= c->rx->max_message_size + (c->rx->msg_rsv1 ? c->rx->max_message_size / 16 + 64 : 0));
	if (op == WS_OP_TEXT && !c->rx->msg_rsv1)
		CHECK(ws_utf8_valid(d, len));
	if (c->rx->msg_rsv1)
		CHECK(c->rx->allow_rsv1);
	/* Empty messages always, and all of them with input_slack, are
	 * followed by a NUL. */
	if (len == 0 || c->rx->input_slack)
		CHECK(d[len] == 0);
	return record(c, 'M', op, d, len);
}

static int on_control(void *ud, int op, uint8_t *d, size_t len)
{
	CHECK(op == WS_OP_PING || op == WS_OP_PONG || op == WS_OP_CLOSE);
	CHECK(len <= 125);
	if (op == WS_OP_CLOSE) {
		CHECK(len != 1);
		if (len >= 2) {
			CHECK(ws_close_code_valid((uint16_t)(d[0] << 8 | d[1])));
			CHECK(ws_utf8_valid(d + 2, len - 2));
		}
	}
	return record(ud, 'C', op, d, len);
}

static const ws_rx_handler_t handler = {on_message, on_control};

typedef struct {
	int ret;
	const char *err;
	col_t col;
} res_t;

static void feed_chunk(ws_rx_t *rx, const uint8_t *src, size_t n, res_t *res)
{
	/* One more byte when the rx may use it (input_slack). */
	uint8_t *p = malloc(n + rx->input_slack + (n == 0));
	size_t off = 0;

	memcpy(p, src, n);
	if (rx->input_slack)
		p[n] = 0xEE;
	/* Resume after each stop; an empty chunk is fed too, once. */
	do {
		size_t consumed = (size_t)-1;
		int r = ws_rx_feed(rx, p + off, n - off, &handler, &res->col, &consumed);
		CHECK(consumed <= n - off);
		if (r != 0) {
			res->ret = r;
			res->err = rx->error;
			CHECK(r == WS_CLOSE_PROTOCOL || r == WS_CLOSE_BAD_DATA || r == WS_CLOSE_TOO_BIG);
			CHECK(rx->error != NULL);
			/* Sticky. */
			CHECK(ws_rx_feed(rx, p, n, &handler, &res->col, &consumed) == r);
			break;
		}
		if (rx->input_slack)
			CHECK(p[n] == 0xEE);
		/* Without a stop request everything is consumed. */
		CHECK(res->col.stop || consumed == n - off);
		off += consumed;
	} while (off < n);
	free(p);
}

static void run(const uint8_t *s, size_t n, const size_t *cuts, size_t ncuts, size_t max, uint32_t frags,
		int rsv1, int stop, int slack, res_t *res)
{
	ws_rx_t rx;
	size_t prev = 0;

	memset(res, 0, sizeof(*res));
	ws_rx_init(&rx, max, frags);
	rx.allow_rsv1 = (uint8_t)rsv1;
	rx.input_slack = (uint8_t)slack;
	res->col.rx = &rx;
	res->col.stop = stop;
	for (size_t i = 0; i <= ncuts && !res->ret; i++) {
		size_t end = i < ncuts ? cuts[i] : n;
		feed_chunk(&rx, s + prev, end - prev, res);
		prev = end;
		/* Idle connections hold no buffer. */
		if (!res->ret && !ws_rx_busy(&rx))
			CHECK(rx.msg == NULL);
		if (!res->ret)
			CHECK(rx.msg_len <= rx.max_message_size + (rx.msg_rsv1 ? rx.max_message_size / 16 + 64 : 0));
			CHECK(rx.msg_len <= rx.msg_cap);
	}
	ws_rx_deinit(&rx);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t maxes[8] = {0, 1, 2, 16, 125, 126, 1000, 65536};
	size_t max, ncuts, cuts[8], n;
	uint32_t frags;
	const uint8_t *s;
	res_t a, b;

	if (size < 4)
		return 0;
	max = maxes[data[0] & 7] + (data[0] >> 3);
	frags = data[1] & 7;
	ncuts = data[3] & 7;
	if (size < 4 + ncuts)
		return 0;
	s = data + 4 + ncuts;
	n = size - 4 - ncuts;
	for (size_t i = 0; i < ncuts; i++)
		cuts[i] = n ? (size_t)data[4 + i] * n / 256 : 0;
	qsort(cuts, ncuts, sizeof(cuts[0]), cmp_size);

	run(s, n, NULL, 0, max, frags, data[2] & 1, 0, 0, &a);
	run(s, n, cuts, ncuts, max, frags, data[2] & 1, (data[2] >> 1) & 1, (data[2] >> 2) & 1, &b);

	CHECK(a.ret == b.ret);
	CHECK(a.err == b.err || (a.err && b.err && strcmp(a.err, b.err) == 0));
	CHECK(a.col.n == b.col.n);
	for (uint32_t i = 0; i < a.col.n && i < MAX_EV; i++) {
		CHECK(a.col.kind[i] == b.col.kind[i] && a.col.op[i] == b.col.op[i]);
		CHECK(a.col.len[i] == b.col.len[i] && a.col.h[i] == b.col.h[i]);
	}
	return 0;
}
