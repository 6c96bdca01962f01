/* Unit tests for the output paths of src/ws_server.c, over real loopback
 * sockets driven by ws_server_run_once() in this one process:
 * - a large send with nothing queued goes to the socket at once; when the
 *   kernel takes only part of it, the rest and everything sent after it
 *   arrive whole and in order;
 * - broadcast frames are shared by their recipients (no copy per
 *   recipient), interleaved correctly with a recipient's own sends, with a
 *   recipient left out (except) and with a slow recipient whose shared
 *   bytes wait across steps; a slow recipient that disconnects with shared
 *   bytes still queued lets go of them (ASan checks the block is freed once,
 *   after its last holder, and not used after);
 * - max_connections_per_ip counts per address through a hash table that
 *   grows and deletes (backward shift) as connections come and go.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "tap.h"
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include "ws.h"
#include "ws_utf8.h"

static ws_server_t *S;
static ws_conn_t *conns[8];
static size_t nconns;

static void on_open(ws_conn_t *c, void *ud)
{
	(void)ud;
	if (nconns < 8)
		conns[nconns++] = c;
}

static int echo_mode;
static void on_message(ws_conn_t *c, const uint8_t *d, size_t n, int binary, void *ud)
{
	(void)ud;
	if (echo_mode)
		ws_conn_send(c, d, n, binary);
}

static int bcast_on_close; /* on_close broadcasts a 64-byte "left" message (tag 99) */
static int bcast_pattern(size_t n, unsigned tag, ws_conn_t *except);

static int send_pattern(ws_conn_t *c, size_t n, unsigned tag);

/* When set, the close handler of the connection fail_from overfills
 * fail_next's queue, which fails it in turn (from inside a broadcast). */
static ws_conn_t *fail_from, *fail_next;

static int nclosed;
static char last_reason[128];
static size_t last_reason_len;
static void on_close(ws_conn_t *c, uint16_t code, const char *r, size_t rl, void *ud)
{
	(void)code, (void)ud;
	nclosed++;
	last_reason_len = rl < sizeof(last_reason) ? rl : 0;
	memcpy(last_reason, r, last_reason_len);
	if (bcast_on_close)
		bcast_pattern(64, 99, c);
	if (fail_from && c == fail_from) {
		for (int i = 0; i < 16 && ws_conn_is_open(fail_next); i++)
			send_pattern(fail_next, 2048 * 1024, 70);
	}
	for (size_t i = 0; i < nconns; i++)
		if (conns[i] == c)
			conns[i] = NULL;
}

static void pump(int n)
{
	for (int i = 0; i < n; i++)
		ws_server_run_once(S, 0);
}

static size_t max_buffered = 64 * 1024 * 1024;
static size_t max_per_ip;

static void server_new(void)
{
	ws_config_t cfg;
	ws_config_init(&cfg);
	cfg.port = 0;
	cfg.idle_timeout_ms = 0;
	cfg.max_buffered = max_buffered;
	cfg.max_message_size = 8 * 1024 * 1024;
	cfg.max_connections_per_ip = max_per_ip;
	ws_callbacks_t cb = {0};
	cb.on_open = on_open;
	cb.on_close = on_close;
	cb.on_message = on_message;
	char err[256];
	nconns = 0;
	memset(conns, 0, sizeof(conns));
	if (ws_server_new(&S, &cfg, &cb, NULL, err, sizeof(err)) != 0) {
		printf("Bail out! ws_server_new: %s\n", err);
		exit(1);
	}
}

/* An upgrade request from the loopback address src (0: any), on a
 * non-blocking socket; rcvbuf > 0 shrinks its receive buffer (before
 * connecting, so the window stays small). Reads the answer byte by byte up
 * to its blank line; *status gets its status code (0 when none came). */
static int client_at(uint32_t src, int rcvbuf, int *status)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	if (src) {
		a.sin_addr.s_addr = htonl(src);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
			printf("Bail out! bind %08x: %s\n", src, strerror(errno));
			exit(1);
		}
	}
	a.sin_port = htons((uint16_t)ws_server_port(S));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		printf("Bail out! connect: %s\n", strerror(errno));
		exit(1);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
	if (write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1))
		exit(1);
	char h[512];
	size_t n = 0;
	for (int tries = 0; tries < 2000 && (n < 4 || memcmp(h + n - 4, "\r\n\r\n", 4) != 0);) {
		pump(1);
		ssize_t r = read(fd, h + n, 1);
		if (r == 1 && n < sizeof(h) - 1)
			n++;
		else
			tries++, usleep(1000);
	}
	h[n] = 0;
	*status = n >= 12 && strncmp(h, "HTTP/1.1 ", 9) == 0 ? atoi(h + 9) : 0;
	return fd;
}

/* A client: upgraded, or the test bails out. */
static int client(int rcvbuf)
{
	int status;
	int fd = client_at(0, rcvbuf, &status);
	if (status != 101) {
		printf("Bail out! handshake: status %d\n", status);
		exit(1);
	}
	return fd;
}

/* Reads exactly n bytes, running the server meanwhile. Returns 0 or -1
 * (no progress for a long while). */
static int read_exact(int fd, uint8_t *p, size_t n)
{
	size_t got = 0;
	int idle = 0;
	while (got < n) {
		pump(1);
		ssize_t r = read(fd, p + got, n - got);
		if (r > 0) {
			got += (size_t)r;
			idle = 0;
		} else if (++idle > 3000) {
			return -1;
		} else {
			usleep(1000);
		}
	}
	return 0;
}

/* Reads one unmasked server frame: its opcode and payload (malloc'd). */
static int read_frame(int fd, uint8_t **payload, size_t *len)
{
	uint8_t h[10];
	if (read_exact(fd, h, 2) != 0)
		return -1;
	uint64_t n = h[1] & 0x7F;
	if (n == 126) {
		if (read_exact(fd, h + 2, 2) != 0)
			return -1;
		n = (uint64_t)h[2] << 8 | h[3];
	} else if (n == 127) {
		if (read_exact(fd, h + 2, 8) != 0)
			return -1;
		n = 0;
		for (int i = 0; i < 8; i++)
			n = n << 8 | h[2 + i];
	}
	*payload = malloc(n + 1);
	*len = (size_t)n;
	if (read_exact(fd, *payload, (size_t)n) != 0)
		return -1;
	return h[0] & 0x0F;
}

/* A message of n bytes whose content tells its tag and offset apart. */
static uint8_t *pattern(size_t n, unsigned tag)
{
	uint8_t *p = malloc(n ? n : 1);
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(tag * 31 + i * 7 + (i >> 8));
	return p;
}

/* Reads one frame and checks it is the binary message pattern(n, tag). */
static int expect(int fd, size_t n, unsigned tag)
{
	uint8_t *got = NULL, *want = pattern(n, tag);
	size_t len = 0;
	int op = read_frame(fd, &got, &len);
	int good = op == WS_OP_BINARY && len == n && memcmp(got, want, n) == 0;
	if (!good)
		diag("expected tag %u, %zu bytes; got opcode %d, %zu bytes", tag, n, op, len);
	free(got);
	free(want);
	return good;
}

static int send_pattern(ws_conn_t *c, size_t n, unsigned tag)
{
	uint8_t *p = pattern(n, tag);
	int rc = ws_conn_send(c, p, n, 1);
	free(p);
	return rc;
}

static int bcast_pattern(size_t n, unsigned tag, ws_conn_t *except)
{
	uint8_t *p = pattern(n, tag);
	int rc = ws_server_broadcast(S, p, n, 1, except);
	free(p); /* the core keeps no pointer to it */
	return rc;
}

static uint64_t buffered_total(void)
{
	ws_stats_t st;
	ws_server_stats(S, &st);
	return st.bytes_buffered;
}

/* Sends one masked client frame, running the server while the socket is
 * full. */
static int client_send(int fd, int op, const uint8_t *p, size_t n)
{
	static const uint8_t key[4] = {0x11, 0xa2, 0x5c, 0xe7};
	uint8_t *f = malloc(n + 14);
	size_t h = 2;
	f[0] = (uint8_t)(0x80 | op);
	if (n < 126) {
		f[1] = (uint8_t)(0x80 | n);
	} else if (n <= 0xFFFF) {
		f[1] = 0x80 | 126, f[2] = (uint8_t)(n >> 8), f[3] = (uint8_t)n, h = 4;
	} else {
		f[1] = 0x80 | 127, h = 10;
		for (int i = 0; i < 8; i++)
			f[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
	}
	memcpy(f + h, key, 4);
	h += 4;
	for (size_t i = 0; i < n; i++)
		f[h + i] = p[i] ^ key[i & 3];
	size_t off = 0;
	int idle = 0;
	while (off < h + n && idle < 3000) {
		ssize_t w = write(fd, f + off, h + n - off);
		if (w > 0)
			off += (size_t)w, idle = 0;
		else
			idle++, pump(1), usleep(100);
	}
	free(f);
	return off == h + n ? 0 : -1;
}

static void test_read_direct(void)
{
	/* Long messages from the client arrive in many reads, the rest of
	 * each payload read straight into the message: echoed intact. */
	server_new();
	echo_mode = 1;
	int fd = client(0);
	pump(3);
	int good = 1;
	static const size_t sizes[] = {40000, 1u << 20, 3000000, 70000};
	for (size_t i = 0; i < 4; i++) {
		uint8_t *p = pattern(sizes[i], 70 + (unsigned)i);
		good = good && client_send(fd, WS_OP_BINARY, p, sizes[i]) == 0;
		free(p);
	}
	for (size_t i = 0; i < 4; i++)
		good = good && expect(fd, sizes[i], 70 + (unsigned)i);
	ok(good, "read: long messages echoed intact");
	/* Text: a long valid one comes back; one with a bad byte deep inside
	 * is refused with 1007. */
	uint8_t *t = malloc(500000);
	for (size_t i = 0; i < 500000; i++)
		t[i] = (uint8_t)('a' + i % 26);
	memcpy(t + 1000, "\xC3\xA9\xE2\x82\xAC", 5);
	good = client_send(fd, WS_OP_TEXT, t, 500000) == 0;
	uint8_t *got = NULL;
	size_t len = 0;
	good = good && read_frame(fd, &got, &len) == WS_OP_TEXT && len == 500000 && memcmp(got, t, len) == 0;
	free(got);
	ok(good, "read: a long text message echoed intact");
	t[400000] = 0xFF;
	good = client_send(fd, WS_OP_TEXT, t, 500000) == 0;
	got = NULL;
	good = good && read_frame(fd, &got, &len) == WS_OP_CLOSE && len >= 2 && (got[0] << 8 | got[1]) == 1007;
	free(got);
	ok(good, "read: invalid UTF-8 deep in a long text message closes with 1007");
	free(t);
	echo_mode = 0;
	ws_server_free(S);
	close(fd);
}

static void test_direct_write(void)
{
	server_new();
	int fd = client(0);
	pump(3);
	ok(nconns == 1 && conns[0], "direct: connection open");
	ws_conn_t *c = conns[0];

	/* Nothing queued, a fresh socket: a 16 KiB message is written at
	 * once (the kernel takes at least part of it). */
	is(send_pattern(c, 16384, 1), 0, "direct: 16 KiB send");
	ok(ws_conn_buffered(c) < 16384 + 4, "direct: written at once (%zu left queued)", ws_conn_buffered(c));
	ok(expect(fd, 16384, 1), "direct: 16 KiB message arrives whole");
	ws_server_free(S);
	close(fd);

	/* A reader with a small window that does not read yet: the kernel
	 * takes part of a 6 MiB message, the rest is queued, and what is sent
	 * after it (small, then large: both queued) follows it in order. */
	server_new();
	fd = client(4096);
	pump(3);
	c = conns[0];
	is(send_pattern(c, 6u << 20, 2), 0, "partial: 6 MiB send");
	size_t left = ws_conn_buffered(c);
	ok(left > 0 && left < (6u << 20) + 10, "partial: the kernel took part, the rest is queued (%zu)", left);
	is(send_pattern(c, 100, 3), 0, "partial: small send after it");
	is(send_pattern(c, 100000, 4), 0, "partial: large send after it");
	ok(ws_conn_buffered(c) == left + 102 + 100010, "partial: both queued behind the rest");
	ok(expect(fd, 6u << 20, 2), "partial: the 6 MiB message arrives whole");
	ok(expect(fd, 100, 3), "partial: then the small one");
	ok(expect(fd, 100000, 4), "partial: then the large one");
	pump(2);
	is(ws_conn_buffered(c), 0, "partial: queue empty at the end");
	ws_server_free(S);
	close(fd);
}

static void test_broadcast_shared(void)
{
	server_new();
	int a = client(0), b = client(0), c = client(0);
	pump(3);
	ok(nconns == 3 && conns[0] && conns[1] && conns[2], "bcast: three connections");
	ws_conn_t *ca = conns[0], *cb = conns[1];
	/* Many small broadcasts in one step, a private send in the middle,
	 * one broadcast that leaves a out, and a large one (a block of its
	 * own). */
	is(bcast_pattern(64, 10, NULL), 3, "bcast: first to all");
	is(bcast_pattern(64, 11, NULL), 3, "bcast: second to all");
	is(send_pattern(cb, 50, 12), 0, "bcast: a private send to b");
	is(bcast_pattern(64, 13, ca), 2, "bcast: one that leaves a out");
	is(bcast_pattern(64, 14, NULL), 3, "bcast: fourth to all");
	is(bcast_pattern(200000, 15, NULL), 3, "bcast: a large one to all");
	is(bcast_pattern(64, 16, NULL), 3, "bcast: a small one after it");
	ok(buffered_total() == 2 * (66 * 4 + 200010) + 66 + 52 + (66 * 5 + 200010),
	   "bcast: all of it counted as buffered before the flush");
	ok(expect(a, 64, 10) && expect(a, 64, 11) && expect(a, 64, 14) && expect(a, 200000, 15) && expect(a, 64, 16),
	   "bcast: a got its frames in order, without the one it was left out of");
	ok(expect(b, 64, 10) && expect(b, 64, 11) && expect(b, 50, 12) && expect(b, 64, 13) && expect(b, 64, 14) &&
		   expect(b, 200000, 15) && expect(b, 64, 16),
	   "bcast: b got the broadcasts and its own message in order");
	ok(expect(c, 64, 10) && expect(c, 64, 11) && expect(c, 64, 13) && expect(c, 64, 14) &&
		   expect(c, 200000, 15) && expect(c, 64, 16),
	   "bcast: c got every broadcast in order");
	pump(2);
	is(buffered_total(), 0, "bcast: nothing left buffered");
	/* Many steps of small broadcasts: the block is reused, not regrown. */
	int good = 1;
	for (unsigned i = 0; i < 300; i++) {
		for (unsigned j = 0; j < 8; j++)
			bcast_pattern(100 + j, 20 + j, NULL);
		pump(1);
		for (unsigned j = 0; j < 8; j++)
			good = good && expect(a, 100 + j, 20 + j) && expect(b, 100 + j, 20 + j) &&
			       expect(c, 100 + j, 20 + j);
	}
	ok(good, "bcast: 300 steps of 8 broadcasts arrive in order");
	ws_server_free(S);
	close(a);
	close(b);
	close(c);
}

static void test_broadcast_slow(void)
{
	server_new();
	int fast = client(0), slow = client(4096);
	pump(3);
	ws_conn_t *cf = conns[0], *cs = conns[1];
	ok(cf && cs, "slow: two connections");
	/* Large broadcasts fill the slow reader's socket: its shared bytes
	 * wait across steps while the fast reader takes everything. */
	for (unsigned i = 0; i < 4; i++)
		is(bcast_pattern(1u << 20, 30 + i, NULL), 2, "slow: 1 MiB broadcast %u", i);
	is(bcast_pattern(64, 40, NULL), 2, "slow: a small one after them");
	is(send_pattern(cs, 64, 41), 0, "slow: a private send to the slow one");
	int good = 1;
	for (unsigned i = 0; i < 4; i++)
		good = good && expect(fast, 1u << 20, 30 + i);
	ok(good && expect(fast, 64, 40), "slow: the fast reader got everything");
	pump(3);
	ok(ws_conn_buffered(cs) > 0, "slow: the slow reader still has %zu bytes queued", ws_conn_buffered(cs));
	/* The slow reader takes its first message, then more broadcasts are
	 * queued behind what it has not read yet. */
	good = expect(slow, 1u << 20, 30);
	is(bcast_pattern(64, 42, NULL), 2, "slow: another broadcast while it lags");
	ok(good && expect(slow, 1u << 20, 31) && expect(slow, 1u << 20, 32) && expect(slow, 1u << 20, 33) &&
		   expect(slow, 64, 40) && expect(slow, 64, 41) && expect(slow, 64, 42),
	   "slow: the slow reader got everything in order");
	ok(expect(fast, 64, 42), "slow: and the fast one the last broadcast");

	/* Again, and this time the slow reader vanishes (RST) with shared
	 * bytes queued: the server lets go of them, the other reader is not
	 * disturbed. */
	for (unsigned i = 0; i < 4; i++)
		bcast_pattern(1u << 20, 50 + i, NULL);
	good = 1;
	for (unsigned i = 0; i < 4; i++)
		good = good && expect(fast, 1u << 20, 50 + i);
	ok(good, "vanish: the fast reader got the four");
	ok(ws_conn_buffered(cs) > 0, "vanish: the slow one has bytes queued");
	struct linger lg = {1, 0};
	setsockopt(slow, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(slow);
	for (int i = 0; i < 200 && conns[1]; i++) {
		pump(1);
		if (conns[1])
			bcast_pattern(64, 60, NULL), usleep(1000);
	}
	ok(conns[1] == NULL, "vanish: the slow connection was closed");
	/* The fast reader's frames are intact after that. */
	for (int i = 0; i < 200; i++)
		pump(1);
	is(buffered_total(), 0, "vanish: nothing of the slow one left buffered");
	uint8_t *p;
	size_t n;
	good = 1;
	for (;;) {
		struct pollfd pf = {fast, POLLIN, 0};
		pump(1);
		if (poll(&pf, 1, 20) <= 0)
			break;
		int op = read_frame(fast, &p, &n);
		uint8_t *w = pattern(64, 60);
		good = good && op == WS_OP_BINARY && n == 64 && memcmp(p, w, 64) == 0;
		free(w);
		free(p);
	}
	ok(good, "vanish: the fast reader's later frames are intact");
	ws_server_free(S);
	close(fast);
}

/* A recipient over max_buffered is failed in the middle of a broadcast,
 * and its close handler broadcasts in turn: the outer broadcast's shared
 * frame stays valid (ASan), every other recipient gets both. */
static void test_broadcast_nested(void)
{
	max_buffered = 300 * 1024;
	bcast_on_close = 1;
	server_new();
	/* The newest connection comes first in a broadcast: the fast one
	 * takes the shared frame before the slow one fails. */
	int slow = client(4096), fast = client(0);
	pump(3);
	ok(conns[0] && conns[1], "nested: two connections");
	int good = 1, left = 0;
	for (unsigned i = 0; i < 80; i++) {
		bcast_pattern(100000, 80 + i, NULL);
		/* The fast reader keeps up (its queue stays under the cap). */
		for (;;) {
			uint8_t *p = NULL;
			size_t n = 0;
			int op = read_frame(fast, &p, &n);
			uint8_t *w = pattern(n, n == 64 ? 99 : 80 + i);
			int same = op == WS_OP_BINARY && memcmp(p, w, n) == 0;
			free(w);
			free(p);
			if (n == 64 && same) {
				left++;
				continue;
			}
			good = good && same && n == 100000;
			break;
		}
	}
	pump(3);
	ok(conns[0] == NULL, "nested: the slow reader was closed for its full queue");
	ok(good, "nested: the fast reader got the eighty in order");
	is(left, 1, "nested: and the close handler's broadcast once");
	ws_server_free(S);
	close(fast);
	close(slow);
	bcast_on_close = 0;
	max_buffered = 64 * 1024 * 1024;
}

/* A broadcast whose first recipient is failed (its queue full), and whose
 * close handler fails the next recipient: the ones after those two still
 * get the message (the walk is over a copy of the open list, not the live
 * links that failing a connection clears). */
static void test_broadcast_fail_next(void)
{
	max_buffered = 4 * 1024 * 1024;
	server_new();
	/* The newest connection comes first: C last, B before it, A first. */
	int c_fd = client(0), b_fd = client(4096), a_fd = client(4096);
	pump(3);
	ws_conn_t *c = conns[0], *b = conns[1], *a = conns[2];
	ok(a && b && c, "fail next: three connections");
	for (int i = 0; i < 64 && ws_conn_buffered(a) < 3584 * 1024; i++)
		send_pattern(a, 256 * 1024, 71);
	ok(ws_conn_buffered(a) + 1024 * 1024 > max_buffered, "fail next: A has %zu bytes queued", ws_conn_buffered(a));
	fail_from = a;
	fail_next = b;
	is(bcast_pattern(1024 * 1024, 72, NULL), 1, "fail next: the broadcast reached one recipient");
	ok(conns[2] == NULL && conns[1] == NULL, "fail next: A and B were failed");
	ok(conns[0] == c && expect(c_fd, 1024 * 1024, 72), "fail next: C got the broadcast");
	fail_from = fail_next = NULL;
	ws_server_free(S);
	close(a_fd);
	close(b_fd);
	close(c_fd);
	max_buffered = 64 * 1024 * 1024;
}

/* A close reason longer than a close frame holds (a C caller's, the
 * core's own) is cut on a UTF-8 code point boundary: the peer gets a valid
 * reason of at most 123 bytes. */
static void test_close_reason_trim(void)
{
	server_new();
	int fd = client(0);
	pump(3);
	ok(conns[0] != NULL, "reason: a connection");
	char reason[200];
	for (size_t i = 0; i < sizeof(reason); i += 2)
		reason[i] = (char)0xc3, reason[i + 1] = (char)0xa9; /* é: 2 bytes */
	/* 123 is odd: a cut at 123 would end inside an é. */
	ws_server_close_all(S, WS_CLOSE_GOING_AWAY, reason, sizeof(reason), 1000);
	uint8_t *p = NULL;
	size_t n = 0;
	int op = read_frame(fd, &p, &n);
	is(op, WS_OP_CLOSE, "reason: a close frame");
	is(n, 2 + 122, "reason: cut to 122 bytes, 61 whole characters");
	ok(n >= 2 && ws_utf8_valid(p + 2, n - 2), "reason: valid UTF-8");
	free(p);
	ws_server_free(S);
	close(fd);
}

/* The h-th of 250 distinct loopback addresses, spread over 127/8 so that
 * their hashes collide as real clients' do (addresses that differ in their
 * last byte only would each get a slot of their own). */
static uint32_t host_addr(unsigned h)
{
	return 0x7f000000u | (h % 16) << 16 | (h * 13 % 256) << 8 | (h * 101 % 253 + 1);
}

/* An upgrade from the nth address; *status gets the answer's status code. */
static int client_from(unsigned nth, int *status)
{
	return client_at(host_addr(nth), 0, status);
}

static void test_per_ip_limit(void)
{
	/* 250 addresses fill the table to nearly half (512 slots): about 50
	 * of them sit away from their home slot, in runs of up to 10, so
	 * deletions land in the middle of probe runs. */
	enum { HOSTS = 250 };
	static int fds[HOSTS + 1][2];
	max_per_ip = 2;
	server_new();
	int good = 1, st;
	for (unsigned h = 1; h <= HOSTS; h++)
		for (int k = 0; k < 2; k++) {
			fds[h][k] = client_from(h, &st);
			good &= st == 101;
		}
	ok(good, "2 connections from each of %d addresses: 101 (the table grew from 64 slots)", HOSTS);
	good = 1;
	for (unsigned h = 1; h <= HOSTS; h++) {
		int fd = client_from(h, &st);
		good &= st == 503;
		close(fd);
	}
	ok(good, "a third from each: 503");
	/* Every third address closes both (its entry is deleted), the next
	 * closes one (its count drops to 1), the next keeps both: the
	 * survivors must still be found after the deletions around them. */
	int want = 0;
	nclosed = 0;
	for (unsigned h = 1; h <= HOSTS; h++)
		for (int k = 0; k < (h % 3 == 0 ? 2 : h % 3 == 1 ? 1 : 0); k++) {
			close(fds[h][k]);
			fds[h][k] = -1;
			want++;
		}
	for (int i = 0; i < 4000 && nclosed < want; i++)
		pump(1), usleep(200);
	ok(nclosed == want, "%d connections closed (%d)", want, nclosed);
	int again = 1, one_left = 1, full = 1;
	static int extra[HOSTS + 1];
	for (unsigned h = 1; h <= HOSTS; h++) {
		extra[h] = client_from(h, &st);
		if (h % 3 == 0)
			again &= st == 101;
		else if (h % 3 == 1)
			one_left &= st == 101;
		else
			full &= st == 503;
	}
	ok(again, "addresses that closed both: a new connection gets 101");
	ok(one_left, "addresses down to one connection: a new one gets 101");
	ok(full, "addresses still at two: 503");
	for (unsigned h = 1; h <= HOSTS; h++) {
		close(extra[h]);
		for (int k = 0; k < 2; k++)
			if (fds[h][k] >= 0)
				close(fds[h][k]);
	}
	pump(20);
	ws_server_free(S);
	S = NULL;
	max_per_ip = 0;
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_direct_write();
	test_read_direct();
	test_broadcast_shared();
	test_broadcast_slow();
	test_broadcast_nested();
	test_broadcast_fail_next();
	test_close_reason_trim();
	test_per_ip_limit();
	return done_testing();
}
