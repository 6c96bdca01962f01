/* Unit tests for src/ws_metrics.c: the OpenMetrics text for known figures,
 * and an allocation failure. */
#include "tap.h"
#include "ws.h"
#include "ws_buf.h"
#include "ws_metrics.h"

static int has_line(const ws_buf_t *b, const char *line)
{
	size_t n = strlen(line), len = ws_buf_pending(b);
	const char *p = (const char *)b->base + b->pos, *end = p + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (l == n && memcmp(p, line, n) == 0)
			return 1;
		p += l + 1;
	}
	diag("missing line: %s", line);
	return 0;
}

static int fail_now;
static void *fmalloc(size_t n) { return fail_now ? NULL : malloc(n); }
static void *frealloc(void *p, size_t n) { return fail_now ? NULL : realloc(p, n); }

int main(void)
{
	ws_stats_t st;
	memset(&st, 0, sizeof(st));
	st.connections_open = 3;
	st.connections_handshake = 1;
	st.connections_total = 12345678901ull;
	st.messages_in = 7;
	st.bytes_out = 1000;
	st.rooms = 2;
	st.messages_in_rate = 2.5;
	st.loop_lag_ms = 1.5;
	st.uptime_s = 60;
	uint16_t codes[] = {1000, 1006};
	uint64_t counts[] = {4, 1};
	ws_buf_t b = {0};
	is(ws_metrics_render(&b, &st, codes, counts, 2), 0, "renders");
	ok(has_line(&b, "# TYPE salon_connections gauge"), "a gauge family");
	ok(has_line(&b, "salon_connections{state=\"open\"} 3"), "connections by state");
	ok(has_line(&b, "salon_connections{state=\"handshake\"} 1"), "handshake state");
	ok(has_line(&b, "# TYPE salon_connections_accepted counter"), "a counter family");
	ok(has_line(&b, "salon_connections_accepted_total 12345678901"), "64-bit counters, _total");
	ok(has_line(&b, "# UNIT salon_network_bytes bytes"), "a unit, matching the name's suffix");
	ok(has_line(&b, "salon_network_bytes_total{direction=\"out\"} 1000"), "bytes out");
	ok(has_line(&b, "salon_closes_total{code=\"1000\"} 4") && has_line(&b, "salon_closes_total{code=\"1006\"} 1"),
	   "close codes");
	ok(has_line(&b, "salon_messages_per_second{direction=\"in\"} 2.500"), "rates");
	ok(has_line(&b, "salon_event_loop_lag_seconds 0.001500"), "lag in seconds");
	ok(has_line(&b, "salon_uptime_seconds 60.000"), "uptime");
	size_t len = ws_buf_pending(&b);
	ok(len > 6 && memcmp(b.base + b.pos + len - 6, "# EOF\n", 6) == 0, "ends with # EOF");
	ws_buf_free(&b);

	ws_set_allocator(&(ws_allocator_t){fmalloc, frealloc, free});
	fail_now = 1;
	is(ws_metrics_render(&b, &st, codes, counts, 2), WS_ERR_NOMEM, "out of memory is reported");
	fail_now = 0;
	ws_buf_free(&b);
	return done_testing();
}
