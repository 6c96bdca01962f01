/* Unit tests for src/ws_bus.c: the cluster bus message codec (round trips
 * of text, binary, empty and 1 MiB messages, with and without a room; a
 * golden encoding; every truncation and a trailing byte rejected; every
 * header field checked; decoding against a PROT_NONE page) and the bus URL
 * parser. */
#include "tap.h"
#include "ws.h"
#include "ws_bus.h"

static uint8_t *encode(const ws_bus_msg_t *m, size_t *n)
{
	*n = ws_bus_size(m);
	if (*n == 0)
		return NULL;
	uint8_t *buf = malloc(*n);
	int rc = ws_bus_encode(m, buf, *n);
	if (rc != (int)*n) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int same(const ws_bus_msg_t *a, const ws_bus_msg_t *b)
{
	if (a->type != b->type || a->binary != b->binary || a->origin != b->origin || a->except_id != b->except_id)
		return 0;
	if ((a->room == NULL) != (b->room == NULL) || a->room_len != b->room_len)
		return 0;
	if (a->room && memcmp(a->room, b->room, a->room_len) != 0)
		return 0;
	if (a->len != b->len)
		return 0;
	return a->len == 0 || memcmp(a->data, b->data, a->len) == 0;
}

/* Encodes m, decodes it placed against the guard page, compares; then
 * every truncation and one trailing byte must be rejected. */
static void round_trip(const char *name, const ws_bus_msg_t *m)
{
	size_t n;
	uint8_t *buf = encode(m, &n);
	if (!ok(buf != NULL, "%s: encodes", name))
		return;
	is(n, WS_BUS_HEADER + (m->room ? m->room_len : 0) + m->len, "%s: size is header + room + data", name);

	ws_bus_msg_t d;
	const uint8_t *placed = tap_place(buf, n);
	is(ws_bus_decode(placed, n, SIZE_MAX, &d), 0, "%s: decodes (against a guard page)", name);
	ok(same(m, &d), "%s: decoded fields equal the encoded ones", name);
	ok(d.data == placed + n - m->len, "%s: data borrows from the input", name);

	int bad = 0;
	size_t step = n > 4096 ? n / 64 : 1;
	for (size_t cut = 0; cut < n; cut += step)
		if (ws_bus_decode(tap_place(buf, cut), cut, SIZE_MAX, &d) != WS_ERR_PROTO)
			bad++;
	if (n > 4096 && ws_bus_decode(tap_place(buf, n - 1), n - 1, SIZE_MAX, &d) != WS_ERR_PROTO)
		bad++;
	is(bad, 0, "%s: every truncation is rejected", name);

	uint8_t *longer = malloc(n + 1);
	memcpy(longer, buf, n);
	longer[n] = 0;
	is(ws_bus_decode(tap_place(longer, n + 1), n + 1, SIZE_MAX, &d), WS_ERR_PROTO, "%s: a trailing byte is rejected",
	   name);
	if (m->len > 0)
		is(ws_bus_decode(buf, n, m->len - 1, &d), WS_ERR_TOOBIG, "%s: data over max_data is TOOBIG", name);
	is(ws_bus_encode(m, buf, n - 1), WS_ERR_TOOBIG, "%s: encoding into a buffer 1 byte short fails", name);
	free(longer);
	free(buf);
}

static void test_round_trips(void)
{
	ws_bus_msg_t m = {.type = WS_BUS_BROADCAST, .origin = 1, .data = (const uint8_t *)"hello", .len = 5};
	round_trip("text, no room", &m);

	m.binary = 1;
	m.data = (const uint8_t *)"\x00\xff\x00\x80";
	m.len = 4;
	m.room = "lobby";
	m.room_len = 5;
	m.origin = 0x7fffffffu;
	m.except_id = (uint64_t)0x7fffffffu << 32 | 0xfffffffeu;
	round_trip("binary with NUL bytes, room, except", &m);

	ws_bus_msg_t e = {.type = WS_BUS_BROADCAST, .origin = 42};
	round_trip("empty text", &e);
	e.binary = 1;
	e.room = "r";
	e.room_len = 1;
	round_trip("empty binary in a one-byte room", &e);

	static const char room_bin[] = {'a', 0, 'b', (char)0xff};
	e.room = room_bin;
	e.room_len = sizeof(room_bin);
	round_trip("room name with NUL and 0xff bytes", &e);

	size_t big = 1024 * 1024;
	uint8_t *data = malloc(big);
	for (size_t i = 0; i < big; i++)
		data[i] = (uint8_t)(i * 131 + (i >> 8));
	ws_bus_msg_t b = {.type = WS_BUS_BROADCAST, .binary = 1, .origin = 7, .data = data, .len = big};
	round_trip("1 MiB binary", &b);
	char *room = malloc(WS_BUS_MAX_ROOM);
	memset(room, 'x', WS_BUS_MAX_ROOM);
	b.room = room;
	b.room_len = WS_BUS_MAX_ROOM;
	round_trip("1 MiB binary in a 65535-byte room", &b);
	free(room);
	free(data);
}

static void test_golden(void)
{
	ws_bus_msg_t m = {.type = WS_BUS_BROADCAST,
			  .binary = 1,
			  .origin = 0x01020304u,
			  .except_id = 0x0a0b0c0d0e0f1011ull,
			  .room = "ab",
			  .room_len = 2,
			  .data = (const uint8_t *)"xyz",
			  .len = 3};
	static const uint8_t want[] = {'S', 'B', 1, 1, 0x03, 0, 0, 2, 1, 2, 3, 4, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
				       0x0f, 0x10, 0x11, 0, 0, 0, 3, 'a', 'b', 'x', 'y', 'z'};
	uint8_t out[64];
	is(ws_bus_encode(&m, out, sizeof(out)), sizeof(want), "golden: length");
	ok(memcmp(out, want, sizeof(want)) == 0, "golden: bytes (big-endian fields, room then data)");
}

static void test_header_checks(void)
{
	ws_bus_msg_t m = {.type = WS_BUS_BROADCAST, .origin = 9, .room = "rm", .room_len = 2,
			  .data = (const uint8_t *)"data", .len = 4};
	size_t n;
	uint8_t *good = encode(&m, &n);
	uint8_t *buf = malloc(n);
	ws_bus_msg_t d;
	struct {
		size_t off;
		uint8_t val;
		const char *what;
	} cases[] = {
		{0, 'X', "bad magic byte 0"},
		{1, 'b', "bad magic byte 1"},
		{2, 0, "version 0"},
		{2, 2, "version 2 (a newer node's format)"},
		{3, 0, "type 0"},
		{3, 2, "unknown type 2"},
		{4, 0x04, "unknown flag bit 2"},
		{4, 0x80, "unknown flag bit 7"},
		{4, 0x00, "room length without the room flag"},
		{5, 1, "reserved byte set"},
		{6, 0xff, "room length larger than the message"},
		{7, 3, "room length off by one"},
		{23, 5, "data length off by one"},
		{20, 1, "data length over 16 MiB"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(buf, good, n);
		buf[cases[i].off] = cases[i].val;
		is(ws_bus_decode(tap_place(buf, n), n, SIZE_MAX, &d), WS_ERR_PROTO, "header: %s is rejected", cases[i].what);
	}
	/* The room flag with a zero room length. */
	ws_bus_msg_t nr = {.type = WS_BUS_BROADCAST, .origin = 9, .data = (const uint8_t *)"x", .len = 1};
	size_t n2;
	uint8_t *b2 = encode(&nr, &n2);
	b2[4] |= 0x02;
	is(ws_bus_decode(tap_place(b2, n2), n2, SIZE_MAX, &d), WS_ERR_PROTO, "header: room flag with an empty room");
	free(b2);
	is(ws_bus_decode(NULL, 0, SIZE_MAX, &d), WS_ERR_PROTO, "header: empty input");

	/* Every single-bit flip of the header either fails or decodes to a
	 * message that accounts for every byte. */
	int inconsistent = 0;
	for (size_t bit = 0; bit < WS_BUS_HEADER * 8; bit++) {
		memcpy(buf, good, n);
		buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (ws_bus_decode(tap_place(buf, n), n, SIZE_MAX, &d) == 0 &&
		    WS_BUS_HEADER + (d.room ? d.room_len : 0) + d.len != n)
			inconsistent++;
	}
	is(inconsistent, 0, "header: no bit flip decodes to lengths that do not add up");
	free(buf);
	free(good);
}

static void test_encode_limits(void)
{
	uint8_t out[64];
	ws_bus_msg_t m = {.type = WS_BUS_BROADCAST, .room = "", .room_len = 0};
	is(ws_bus_size(&m), 0, "encode: an empty room name cannot be encoded");
	is(ws_bus_encode(&m, out, sizeof(out)), WS_ERR_INVAL, "encode: an empty room is WS_ERR_INVAL");
	m.room = "x";
	m.room_len = WS_BUS_MAX_ROOM + 1;
	is(ws_bus_size(&m), 0, "encode: a room over 65535 bytes cannot be encoded");
	ws_bus_msg_t n = {.type = WS_BUS_BROADCAST, .data = NULL, .len = 3};
	is(ws_bus_size(&n), 0, "encode: NULL data with a length cannot be encoded");
	ws_bus_msg_t z = {.type = WS_BUS_BROADCAST, .data = NULL, .len = 0};
	is(ws_bus_encode(&z, out, WS_BUS_HEADER), WS_BUS_HEADER, "encode: NULL data of length 0 is the bare header");
}

/* ---- URLs ---------------------------------------------------------------- */

static void url_ok(const char *url, int is_unix, const char *host_or_path, int port, const char *prefix,
		   const char *user, const char *pass)
{
	ws_bus_addr_t a;
	char err[256];
	int rc = ws_bus_parse_url(url, &a, err, sizeof(err));
	if (!ok(rc == 0, "url %s parses", url)) {
		diag("%s", err);
		return;
	}
	ok(a.is_unix == is_unix && strcmp(is_unix ? a.path : a.host, host_or_path) == 0 && (is_unix || a.port == port) &&
		   strcmp(a.prefix, prefix) == 0 && strcmp(a.user, user) == 0 && strcmp(a.pass, pass) == 0,
	   "url %s: fields", url);
}

static void url_bad(const char *url, const char *needle)
{
	ws_bus_addr_t a;
	char err[256];
	int rc = ws_bus_parse_url(url, &a, err, sizeof(err));
	ok(rc == WS_ERR_INVAL && strstr(err, needle) != NULL, "url \"%s\" is rejected (%s)", url, err);
}

static void test_urls(void)
{
	url_ok("redis://127.0.0.1:6379/chat", 0, "127.0.0.1", 6379, "chat", "", "");
	url_ok("redis://localhost", 0, "localhost", 6379, "salon", "", "");
	url_ok("redis://localhost/", 0, "localhost", 6379, "salon", "", "");
	url_ok("redis://[::1]:7000/a.b:c-d_e", 0, "::1", 7000, "a.b:c-d_e", "", "");
	url_ok("redis://:s3cret@10.0.0.1:1/p", 0, "10.0.0.1", 1, "p", "", "s3cret");
	url_ok("redis://app:p%40ss%3Aw@redis.example:6380/x", 0, "redis.example", 6380, "x", "app", "p@ss:w");
	url_ok("/run/redis/redis.sock", 1, "/run/redis/redis.sock", 0, "salon", "", "");
	url_ok("unix:///tmp/r.sock?prefix=room42", 1, "/tmp/r.sock", 0, "room42", "", "");
	url_ok("/tmp/r.sock?prefix=x", 1, "/tmp/r.sock", 0, "x", "", "");

	url_bad("", "empty");
	url_bad("http://127.0.0.1:6379", "expected redis://");
	url_bad("redis://", "no host");
	url_bad("redis://:6379/x", "no host");
	url_bad("redis://h:0", "between 1 and 65535");
	url_bad("redis://h:65536", "between 1 and 65535");
	url_bad("redis://h:99999999999999999999", "between 1 and 65535");
	url_bad("redis://h:63a", "not a number");
	url_bad("redis://h:", "empty port");
	url_bad("redis://[::1", "unterminated");
	url_bad("redis://[::1]x:1", "after [IPv6]");
	url_bad("redis://h/bad prefix", "prefix");
	url_bad("redis://h/" "0123456789012345678901234567890123456789012345678901234567890123456789", "prefix");
	url_bad("redis://h?db=1", "no query");
	url_bad("redis://user@h", "userinfo");
	url_bad("redis://u:@h", "empty password");
	url_bad("redis://u:%zz@h", "escape");
	url_bad("redis://u:%00@h", "escape");
	url_bad("redis://u:%4@h", "escape");
	url_bad("unix://relative.sock", "absolute");
	url_bad("unix:///tmp/x.sock?db=1", "only query");
	url_bad("/tmp/x.sock?prefix=", "prefix");
	char longpath[200];
	memset(longpath, 'a', sizeof(longpath));
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = 0;
	url_bad(longpath, "too long");
}

static void test_ids(void)
{
	/* INCR starts at 1: the first node is 1, never 0; wraps round 2^20 - 1. */
	is(ws_bus_node_from_incr(1), 1, "INCR 1 -> node 1");
	is(ws_bus_node_from_incr(2), 2, "INCR 2 -> node 2");
	is(ws_bus_node_from_incr(0xfffff), 0xfffff, "INCR 2^20-1 -> node 2^20-1");
	is(ws_bus_node_from_incr(0x100000), 1, "INCR 2^20 wraps to node 1 (0 skipped)");
	is(ws_bus_node_from_incr(0x100001), 2, "INCR 2^20+1 -> node 2");
	is(ws_bus_node_from_incr(0), 0xfffff, "INCR 0 (not from Redis) still gives a node, not 0");
	is(ws_bus_node_from_incr(-5), 0xffffa, "a negative value too");
	int nonzero = 1, below = 1;
	for (long long n = -3000000; n < 3000000; n += 997) {
		uint32_t v = ws_bus_node_from_incr(n);
		nonzero &= v != 0;
		below &= v < WS_BUS_NODE_RANDOM_MIN;
	}
	ok(nonzero && below, "Redis nodes are 1 .. 2^20-1, apart from the random range");
	ok(ws_bus_node_from_incr(9223372036854775807LL) >= 1, "INCR at LLONG_MAX");
	ok(ws_bus_node_from_incr(-9223372036854775807LL - 1) >= 1, "INCR at LLONG_MIN");

	is(ws_bus_conn_id(0, 1), 1, "no bus: ids 1, 2, 3 ...");
	is(ws_bus_conn_id(0, 3), 3, "no bus: id 3");
	ok(ws_bus_conn_id(1, 1) == ((uint64_t)1 << 32 | 1), "node 1, first connection: 2^32 + 1");
	ok(ws_bus_conn_id(WS_BUS_NODE_MAX, 0xffffffffu) == WS_BUS_ID_MAX, "largest id is 2^53 - 1");
	ok(WS_BUS_ID_MAX == 9007199254740991ull, "2^53 - 1 is JavaScript's MAX_SAFE_INTEGER");
	ok(ws_bus_conn_id(WS_BUS_NODE_MAX + 1, 5) == 5, "node taken modulo 2^21");
	ok(ws_bus_conn_id(0xffffffffu, 0xffffffffu) <= WS_BUS_ID_MAX, "any input stays <= 2^53 - 1");
	ok((double)ws_bus_conn_id(WS_BUS_NODE_MAX, 0xffffffffu) == 9007199254740991.0 &&
		   (uint64_t)(double)ws_bus_conn_id(WS_BUS_NODE_MAX, 0xfffffffeu) == WS_BUS_ID_MAX - 1,
	   "exact as a double");
	ok(ws_bus_conn_id(2, 1) != ws_bus_conn_id(1, 1) && ws_bus_conn_id(1, 0xffffffffu) < ws_bus_conn_id(2, 1),
	   "nodes do not overlap");
}

int main(void)
{
	test_ids();
	test_round_trips();
	test_golden();
	test_header_checks();
	test_encode_limits();
	test_urls();
	return done_testing();
}
