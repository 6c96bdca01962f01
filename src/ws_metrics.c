/* OpenMetrics text exposition; see ws_metrics.h. Every family has its
 * TYPE (and HELP, and UNIT when it has one, its name then ending with the
 * unit), counters' samples end in _total, the text ends with "# EOF". */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "ws_metrics.h"

typedef struct out {
	ws_buf_t *b;
	int err;
} out_t;

static void put(out_t *o, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	if (o->err)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) || ws_buf_append(o->b, line, (size_t)n) != 0)
		o->err = WS_ERR_NOMEM;
}

static void family(out_t *o, const char *name, const char *type, const char *unit, const char *help)
{
	put(o, "# TYPE %s %s\n", name, type);
	if (unit)
		put(o, "# UNIT %s %s\n", name, unit);
	put(o, "# HELP %s %s\n", name, help);
}

int ws_metrics_render(ws_buf_t *b, const ws_stats_t *st, const uint16_t *codes, const uint64_t *counts,
		      size_t ncodes)
{
	out_t o = {b, 0};

	family(&o, "salon_connections", "gauge", NULL, "Connections by state.");
	put(&o, "salon_connections{state=\"handshake\"} %llu\n", (unsigned long long)st->connections_handshake);
	put(&o, "salon_connections{state=\"open\"} %llu\n", (unsigned long long)st->connections_open);
	put(&o, "salon_connections{state=\"closing\"} %llu\n", (unsigned long long)st->connections_closing);
	family(&o, "salon_connections_accepted", "counter", NULL, "TCP connections accepted.");
	put(&o, "salon_connections_accepted_total %llu\n", (unsigned long long)st->connections_total);
	family(&o, "salon_messages", "counter", NULL, "WebSocket messages received (in) and queued for sending (out).");
	put(&o, "salon_messages_total{direction=\"in\"} %llu\n", (unsigned long long)st->messages_in);
	put(&o, "salon_messages_total{direction=\"out\"} %llu\n", (unsigned long long)st->messages_out);
	family(&o, "salon_network_bytes", "counter", "bytes", "Bytes read from (in) and written to (out) sockets.");
	put(&o, "salon_network_bytes_total{direction=\"in\"} %llu\n", (unsigned long long)st->bytes_in);
	put(&o, "salon_network_bytes_total{direction=\"out\"} %llu\n", (unsigned long long)st->bytes_out);
	family(&o, "salon_handshakes_failed", "counter", NULL, "Opening handshakes answered with an HTTP error.");
	put(&o, "salon_handshakes_failed_total %llu\n", (unsigned long long)st->handshakes_failed);
	family(&o, "salon_http_requests", "counter", NULL, "Plain HTTP requests (files, metrics).");
	put(&o, "salon_http_requests_total %llu\n", (unsigned long long)st->http_requests);
	family(&o, "salon_send_buffered_bytes", "gauge", "bytes", "Bytes queued for sending, not yet written.");
	put(&o, "salon_send_buffered_bytes %llu\n", (unsigned long long)st->bytes_buffered);
	family(&o, "salon_rooms", "gauge", NULL, "Rooms with at least one open connection.");
	put(&o, "salon_rooms %llu\n", (unsigned long long)st->rooms);
	family(&o, "salon_room_members", "gauge", NULL, "Room memberships of open connections.");
	put(&o, "salon_room_members %llu\n", (unsigned long long)st->room_members);
	family(&o, "salon_closes", "counter", NULL, "Closed WebSocket connections by close code (1006: TCP lost).");
	for (size_t i = 0; i < ncodes; i++)
		put(&o, "salon_closes_total{code=\"%u\"} %llu\n", (unsigned)codes[i], (unsigned long long)counts[i]);
	family(&o, "salon_messages_per_second", "gauge", NULL, "Messages per second over the last second.");
	put(&o, "salon_messages_per_second{direction=\"in\"} %.3f\n", st->messages_in_rate);
	put(&o, "salon_messages_per_second{direction=\"out\"} %.3f\n", st->messages_out_rate);
	family(&o, "salon_network_bytes_per_second", "gauge", NULL, "Socket bytes per second over the last second.");
	put(&o, "salon_network_bytes_per_second{direction=\"in\"} %.3f\n", st->bytes_in_rate);
	put(&o, "salon_network_bytes_per_second{direction=\"out\"} %.3f\n", st->bytes_out_rate);
	family(&o, "salon_connections_accepted_per_second", "gauge", NULL,
	       "Connections accepted per second over the last second.");
	put(&o, "salon_connections_accepted_per_second %.3f\n", st->connections_rate);
	family(&o, "salon_event_loop_lag_seconds", "gauge", "seconds",
	       "How late the loop's once-a-second timer ran, last time.");
	put(&o, "salon_event_loop_lag_seconds %.6f\n", st->loop_lag_ms / 1000.0);
	family(&o, "salon_event_loop_lag_max_seconds", "gauge", "seconds", "The largest lag of the last minute.");
	put(&o, "salon_event_loop_lag_max_seconds %.6f\n", st->loop_lag_max_ms / 1000.0);
	family(&o, "salon_uptime_seconds", "gauge", "seconds", "Time since the server was created.");
	put(&o, "salon_uptime_seconds %.3f\n", st->uptime_s);
	put(&o, "# EOF\n");
	return o.err;
}
