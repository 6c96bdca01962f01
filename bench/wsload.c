/*
 * wsload: a WebSocket load generator for Salon's benchmarks (bench/run.sh,
 * bench/soak.sh). One C11 file on libc, plus libcrypto for the SHA-1 and
 * base64 of the handshake check, libssl for --tls (wss://) and zlib for
 * permessage-deflate.
 *
 *   cc -std=c11 -O2 -Wall -Wextra -o bench/wsload bench/wsload.c -lssl -lcrypto -lz
 *
 * One thread, epoll, non-blocking sockets. Every client frame is masked with
 * a fresh key from a xorshift PRNG seeded by getrandom(). The handshake is
 * checked (status 101, Upgrade, Connection, Sec-WebSocket-Accept). Pings are
 * answered with pongs. Every phase is bounded in time and the program stops
 * by itself. It only connects to loopback addresses (127.0.0.0/8, ::1).
 *
 * Modes (see usage() for the options):
 *   echo       N connections x S-byte messages, D in flight per connection;
 *              msgs/s and round-trip p50/p99 (a FIFO of send times per
 *              connection; the echoed length is checked).
 *   broadcast  R receivers + 1 sender; the server relays every message of
 *              the sender to everyone. The sender paces by rate or by a
 *              window of messages not yet delivered to every receiver.
 *              Deliveries/s, fan-out latency p50/p99 from a timestamp in the
 *              payload, missing deliveries. With --bystanders B, B more
 *              connections (on --bystander-path) that must receive
 *              nothing: a room broadcast among many connections.
 *   idle       opens and holds N connections: handshake rate, then server
 *              RSS before/after (with --pid) -> bytes per idle connection.
 *   churn      K workers loop connect/handshake/message/close; a share
 *              (--abrupt-ratio) ends abruptly with an RST (SO_LINGER 0):
 *              mid-handshake, mid-frame or after the echo.
 *
 * With --tls every connection speaks TLS (OpenSSL, certificate not verified:
 * the server under test is on loopback), so the same modes measure wss://.
 *
 * echo with --deflate offers permessage-deflate (RFC 7692) and, once it is
 * agreed, compresses every message it sends (context takeover unless
 * --no-context-takeover) and inflates what comes back; --chat sends
 * chat-like JSON lines instead of a fixed pattern. Echo reports the bytes on
 * the wire per message each way (frame headers included), with or without.
 *
 * With --pid, the server's utime+stime (/proc/PID/stat) is read at both ends
 * of the measured window and reported as microseconds of server CPU per
 * message / delivery / handshake / cycle: the figure that stays stable when
 * the machine is noisy. --pid A,B,C sums several processes (a cluster: two
 * nodes and Redis); memory figures are the first one's.
 *
 * Broadcast across a cluster: --recv-port N connects the receivers to
 * another node (port N) than the sender (--port), so every delivery crosses
 * the bus.
 *
 * Output: one human line; with --json the human line goes to stderr and one
 * JSON object to stdout. Exit status: 0 clean, 2 ran but saw errors, 1 could
 * not run (usage, no connection).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* ------------------------------------------------------------------ */
/* Options                                                            */

enum { M_ECHO, M_BCAST, M_IDLE, M_CHURN };
static const char *const MODE_NAME[] = {"echo", "broadcast", "idle", "churn"};

static struct {
	int mode;
	const char *host;
	int port;
	const char *path;
	long conns;       /* echo: connections; broadcast: receivers; idle: connections */
	long size;        /* message bytes */
	int depth;        /* echo: messages in flight per connection */
	double duration;  /* measured phase, s (idle: hold) */
	double warmup;    /* s */
	double timeout;   /* handshake, drain, close, churn cycle: s */
	double rate;      /* broadcast: messages/s, 0 = as fast as the window allows */
	int window;       /* broadcast: messages not yet delivered to all */
	int workers;      /* churn */
	long long cycles; /* churn: stop after this many (0 = until --duration) */
	double abrupt;    /* churn: share of cycles ended with an RST */
	int concurrency;  /* handshakes in progress at once */
	int src_addrs;    /* bind to 127.0.0.1 .. 127.0.0.N (more than ~28k conns) */
	long bystanders;  /* broadcast: connections that must receive nothing */
	const char *bypath; /* their request path */
	int binary;
	int json;
	long pid;      /* the first of pids */
	long pids[8];
	int npids;
	int recv_port; /* broadcast: receivers' port, 0 = --port */
	int tls;
	int deflate;      /* echo, idle: 0 off; 1 offer permessage-deflate; 2 also no context takeover */
	int chat;         /* chat-like JSON text instead of a fixed pattern */
} O;

static SSL_CTX *TLS_CTX;

/* ------------------------------------------------------------------ */
/* Small helpers                                                      */

static uint64_t NOW; /* ns, CLOCK_MONOTONIC, refreshed after every wait and read */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("wsload: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

/* xorshift64*: mask keys and handshake keys; seeded from getrandom(). */
static uint64_t RNG;

static inline uint64_t rnd(void)
{
	RNG ^= RNG >> 12;
	RNG ^= RNG << 25;
	RNG ^= RNG >> 27;
	return RNG * 0x2545F4914F6CDD1Dull;
}

static void rnd_seed(void)
{
	uint64_t s = 0;
	if (getrandom(&s, sizeof s, 0) != (ssize_t)sizeof s)
		s = now_ns() ^ ((uint64_t)getpid() << 32);
	RNG = s ? s : 0x9E3779B97F4A7C15ull;
}

/* Log-linear histogram of nanoseconds: 64 buckets per power of two (~1.6%). */
#define H_SUB_BITS 6
#define H_SUB (1u << H_SUB_BITS)
#define H_BUCKETS ((64 - H_SUB_BITS + 1) * (H_SUB / 2) + H_SUB)
static uint64_t HIST[H_BUCKETS];
static uint64_t HIST_N, HIST_MAX;

static void hist_add(uint64_t v)
{
	unsigned idx;
	if (v < H_SUB) {
		idx = (unsigned)v;
	} else {
		unsigned msb = 63u - (unsigned)__builtin_clzll(v);
		unsigned shift = msb - (H_SUB_BITS - 1);
		idx = shift * (H_SUB / 2) + (unsigned)(v >> shift);
	}
	HIST[idx]++;
	HIST_N++;
	if (v > HIST_MAX)
		HIST_MAX = v;
}

static uint64_t hist_value(unsigned idx) /* middle of the bucket */
{
	if (idx < H_SUB)
		return idx;
	unsigned shift = idx / (H_SUB / 2) - 1;
	uint64_t m = idx % (H_SUB / 2) + H_SUB / 2;
	return (m << shift) + ((1ull << shift) >> 1);
}

static uint64_t hist_pct(double p)
{
	if (!HIST_N)
		return 0;
	uint64_t want = (uint64_t)(p / 100.0 * (double)HIST_N);
	if (want >= HIST_N)
		want = HIST_N - 1;
	uint64_t seen = 0;
	for (unsigned i = 0; i < H_BUCKETS; i++) {
		seen += HIST[i];
		if (seen > want)
			return hist_value(i) < HIST_MAX ? hist_value(i) : HIST_MAX;
	}
	return HIST_MAX;
}

/* Server process figures from /proc. */
static long long proc_cpu_us(long pid) /* utime + stime, all threads */
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')'); /* comm may hold spaces and parens */
	if (!p)
		return -1;
	unsigned long long ut = 0, st = 0;
	/* fields after ")": 3 state ... 14 utime 15 stime */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	long hz = sysconf(_SC_CLK_TCK);
	return (long long)((ut + st) * 1000000ull / (unsigned long long)(hz > 0 ? hz : 100));
}

static long long server_cpu_us(void) /* summed over --pid's list */
{
	if (O.npids == 0)
		return -1;
	long long sum = 0;
	for (int i = 0; i < O.npids; i++) {
		long long v = proc_cpu_us(O.pids[i]);
		if (v < 0)
			return -1;
		sum += v;
	}
	return sum;
}

static long server_rss_kb(void)
{
	if (O.pid <= 0)
		return -1;
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%ld/status", O.pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long kb = -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0) {
			kb = strtol(line + 6, NULL, 10);
			break;
		}
	fclose(f);
	return kb;
}

static double self_cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

/* ------------------------------------------------------------------ */
/* Connections                                                        */

enum { ST_FREE, ST_CONNECTING, ST_HANDSHAKE, ST_OPEN, ST_CLOSING };
enum { R_ECHO, R_RECV, R_SEND, R_IDLE, R_CHURN };
/* churn cycle kinds */
enum { K_CLEAN, K_RST_HANDSHAKE, K_RST_FRAME, K_RST_MESSAGE, K_NKINDS };
static const char *const KIND_NAME[] = {"clean", "rst_handshake", "rst_mid_frame", "rst_after_echo"};

#define HS_MAX 4096

typedef struct conn {
	int fd;
	SSL *ssl;            /* --tls: NULL until connected */
	uint8_t tls_ready;   /* TLS handshake done */
	uint8_t tls_ww;      /* the TLS handshake waits to write */
	uint32_t gen;        /* bumped on every (re)use, checked against epoll events */
	uint32_t evmask;     /* what epoll watches now */
	uint8_t st, role, kind;
	uint8_t close_sent, close_rcvd;
	uint8_t pstate;      /* 0 header, 1 payload */
	uint8_t hlen, hneed; /* header bytes held / needed */
	uint8_t fop, ffin;   /* current frame */
	uint8_t mop;         /* opcode of the message being received, 0 = none */
	uint8_t ctrl_len, head_len;
	uint8_t hdr[14];
	uint8_t head[24];   /* first bytes of the message (broadcast timestamp) */
	uint8_t ctrl[125];  /* control frame payload */
	uint16_t hslen;
	char key[25];
	char *hs;           /* handshake response being read */
	uint64_t remain, msg_len;
	uint8_t *wbuf;
	size_t wlen, woff, wcap;
	uint64_t *fifo;     /* echo: send times */
	uint32_t fhead, fcnt, fcap;
	uint64_t rcvd;      /* broadcast receiver: in-order deliveries */
	int64_t last_seq;
	uint64_t t_start, deadline, retry_at;
	/* permessage-deflate */
	uint8_t pmd, pmd_snct, pmd_cnct; /* agreed; server / client no context takeover */
	uint8_t mrsv1;                   /* the message being received is compressed */
	uint64_t mwire;                  /* its bytes on the wire, headers included */
	z_stream *zd, *zi;
	uint8_t *zbuf;                   /* compressed message being received */
	size_t zlen, zcap;
} conn_t;

static conn_t *C;
static long NC;
static int EP;
static uint8_t RBUF[256 * 1024];
static struct sockaddr_storage ADDR, RECV_ADDR; /* RECV_ADDR: --recv-port */
static socklen_t ADDRLEN;
static char HOSTHDR[96];
static uint8_t *TEMPLATE; /* message payload template, O.size bytes */
static uint8_t *ZOUT;     /* compression / inflation scratch */
static size_t ZOUT_CAP;
static volatile sig_atomic_t STOP;

static long n_active, n_pending, n_open;

/* Counters. Those named err_* add up to "errors". */
static struct {
	uint64_t ops;           /* messages / deliveries / cycles in the measured window */
	uint64_t bytes;
	uint64_t sent, sent_win; /* messages sent (broadcast: by the sender) */
	uint64_t wire_out, wire_out_n, wire_in, wire_in_n, zin; /* echo, measured: data frame bytes, messages, compressed in */
	uint64_t idle_echoes; /* idle --deflate: connections that exchanged their message */
	uint64_t inflight;      /* echo */
	uint64_t hs_done;
	uint64_t pings;
	uint64_t self_rcvd;     /* broadcast: copies the sender got back */
	uint64_t missing, retired;
	uint64_t kinds[K_NKINDS];
	uint64_t port_exhausted;
	uint64_t err_connect, err_handshake, err_proto, err_closed, err_timeout, err_lost, err_badlen,
		err_order, err_close;
} S;

static char FIRST_ERR[200];

static void note_err(uint64_t *ctr, const char *fmt, ...)
{
	(*ctr)++;
	if (!FIRST_ERR[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(FIRST_ERR, sizeof FIRST_ERR, fmt, ap);
		va_end(ap);
	}
}

static uint64_t errors_total(void)
{
	return S.err_connect + S.err_handshake + S.err_proto + S.err_closed + S.err_timeout + S.err_lost +
	       S.err_badlen + S.err_order + S.err_close + S.missing;
}

/* Phases */
enum { PH_CONNECT, PH_WARMUP, PH_MEASURE, PH_DRAIN, PH_CLOSE, PH_DONE };
static int PH;
static uint64_t PH_T;
static uint64_t T0, T1;
static long long CPU0 = -1, CPU1 = -1;
static double RU0, RU1;
static long RSS0 = -1, RSS1 = -1, RSS_OPEN = -1;
static long next_start;
static int no_conn;

static void conn_finish(conn_t *c, int rst);

/* send()/recv() or, with --tls, SSL_write()/SSL_read() with the same
 * results: bytes, 0 at EOF, -1 with errno (EAGAIN when it would block). */
static ssize_t io_send(conn_t *c, const void *buf, size_t len)
{
	if (!c->ssl)
		return send(c->fd, buf, len, MSG_NOSIGNAL);
	size_t done = 0;
	ERR_clear_error();
	if (SSL_write_ex(c->ssl, buf, len, &done) == 1)
		return (ssize_t)done;
	int e = SSL_get_error(c->ssl, 0);
	if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
		errno = EAGAIN;
		return -1;
	}
	if (e != SSL_ERROR_SYSCALL || !errno)
		errno = EPROTO;
	return -1;
}

static ssize_t io_recv(conn_t *c, void *buf, size_t len)
{
	if (!c->ssl)
		return recv(c->fd, buf, len, 0);
	size_t got = 0;
	ERR_clear_error();
	if (SSL_read_ex(c->ssl, buf, len, &got) == 1)
		return (ssize_t)got;
	int e = SSL_get_error(c->ssl, 0);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		errno = EAGAIN;
		return -1;
	}
	if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && !errno))
		return 0;
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING /* OpenSSL 3: EOF without close_notify */
	if (e == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_last_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
		return 0;
#endif
	if (e != SSL_ERROR_SYSCALL)
		errno = EPROTO;
	return -1;
}

static void set_events(conn_t *c)
{
	uint32_t want = EPOLLIN;
	if (c->st == ST_CONNECTING || c->tls_ww)
		want = EPOLLOUT;
	else if (c->woff < c->wlen)
		want |= EPOLLOUT;
	if (want == c->evmask)
		return;
	struct epoll_event ev = {.events = want, .data.u64 = ((uint64_t)c->gen << 32) | (uint64_t)(c - C)};
	if (epoll_ctl(EP, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->evmask = want;
}

/* Writes what is queued; arms EPOLLOUT only when the kernel buffer is full.
 * Returns -1 when the connection was finished. */
static int flush(conn_t *c)
{
	while (c->woff < c->wlen) {
		ssize_t w = io_send(c, c->wbuf + c->woff, c->wlen - c->woff);
		if (w > 0) {
			c->woff += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		note_err(&S.err_closed, "send: %s", strerror(errno));
		conn_finish(c, 0);
		return -1;
	}
	if (c->woff == c->wlen) {
		c->woff = c->wlen = 0;
		if (c->wcap > (4u << 20) || c->role == R_IDLE || c->role == R_CHURN) {
			free(c->wbuf);
			c->wbuf = NULL;
			c->wcap = 0;
		}
	}
	set_events(c);
	return 0;
}

static uint8_t *wreserve(conn_t *c, size_t n)
{
	if (c->woff && c->woff == c->wlen)
		c->woff = c->wlen = 0;
	if (c->wlen + n > c->wcap) {
		if (c->woff) {
			memmove(c->wbuf, c->wbuf + c->woff, c->wlen - c->woff);
			c->wlen -= c->woff;
			c->woff = 0;
		}
		if (c->wlen + n > c->wcap) {
			size_t cap = c->wcap ? c->wcap : 256;
			while (cap < c->wlen + n)
				cap *= 2;
			c->wbuf = xrealloc(c->wbuf, cap);
			c->wcap = cap;
		}
	}
	return c->wbuf + c->wlen;
}

static void mask_bytes(uint8_t *p, size_t n, uint32_t key)
{
	uint8_t k8[8];
	memcpy(k8, &key, 4);
	memcpy(k8 + 4, &key, 4);
	uint64_t k;
	memcpy(&k, k8, 8);
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, p + i, 8);
		v ^= k;
		memcpy(p + i, &v, 8);
	}
	for (; i < n; i++)
		p[i] ^= k8[i & 7];
}

/* Queues one masked frame whose payload is a ++ b. Returns the frame's size. */
static size_t queue_frame(conn_t *c, int op, const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	size_t n = na + nb, h = 2 + (n < 126 ? 0 : n < 65536 ? 2 : 8) + 4;
	uint8_t *p = wreserve(c, h + n);
	p[0] = (uint8_t)(0x80 | op);
	if (n < 126) {
		p[1] = (uint8_t)(0x80 | n);
	} else if (n < 65536) {
		p[1] = 0x80 | 126;
		p[2] = (uint8_t)(n >> 8);
		p[3] = (uint8_t)n;
	} else {
		p[1] = 0x80 | 127;
		for (int i = 0; i < 8; i++)
			p[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
	}
	uint32_t key = (uint32_t)(rnd() >> 32);
	memcpy(p + h - 4, &key, 4);
	if (na)
		memcpy(p + h, a, na);
	if (nb)
		memcpy(p + h + na, b, nb);
	mask_bytes(p + h, n, key);
	c->wlen += h + n;
	return h + n;
}

static int data_op(void)
{
	return O.binary ? 2 : 1;
}

static void begin_close(conn_t *c, uint16_t code)
{
	if (c->close_sent)
		return;
	uint8_t b[2] = {(uint8_t)(code >> 8), (uint8_t)code};
	queue_frame(c, 8, b, 2, NULL, 0);
	c->close_sent = 1;
	c->st = ST_CLOSING;
	c->deadline = NOW + (uint64_t)(O.timeout * 1e9);
	flush(c);
}

static int conn_start(long i)
{
	conn_t *c = &C[i];
	int fd = socket(ADDR.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		note_err(&S.err_connect, "socket: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (O.src_addrs > 1 && ADDR.ss_family == AF_INET) {
		struct sockaddr_in src = {.sin_family = AF_INET};
		src.sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(i % O.src_addrs));
#ifdef IP_BIND_ADDRESS_NO_PORT
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
		if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
			int e = errno;
			close(fd);
			if (e == EADDRINUSE || e == EADDRNOTAVAIL)
				return -2;
			note_err(&S.err_connect, "bind: %s", strerror(e));
			return -1;
		}
	}
	const struct sockaddr_storage *to = O.recv_port && c->role == R_RECV ? &RECV_ADDR : &ADDR;
	if (connect(fd, (const struct sockaddr *)to, ADDRLEN) != 0 && errno != EINPROGRESS) {
		int e = errno;
		close(fd);
		if (e == EADDRNOTAVAIL || e == EADDRINUSE)
			return -2; /* ephemeral ports exhausted */
		note_err(&S.err_connect, "connect: %s", strerror(e));
		return -1;
	}
	uint32_t gen = c->gen + 1;
	uint8_t role = c->role, kind = c->kind;
	uint64_t *fifo = c->fifo;
	uint32_t fcap = c->fcap;
	uint64_t rcvd = c->rcvd;
	int64_t last_seq = c->last_seq;
	memset(c, 0, sizeof *c);
	c->gen = gen;
	c->role = role;
	c->kind = kind;
	c->fifo = fifo;
	c->fcap = fcap;
	c->rcvd = rcvd;
	c->last_seq = last_seq;
	c->fd = fd;
	c->st = ST_CONNECTING;
	c->t_start = NOW;
	c->deadline = NOW + (uint64_t)(O.timeout * 1e9);
	struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = ((uint64_t)c->gen << 32) | (uint64_t)i};
	if (epoll_ctl(EP, EPOLL_CTL_ADD, fd, &ev) != 0)
		die("epoll_ctl: %s", strerror(errno));
	c->evmask = EPOLLOUT;
	n_active++;
	n_pending++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Modes: what happens on open, on message, on finish                 */

static uint64_t BC_RING_T[1 << 16];
static uint32_t BC_RING_N[1 << 16];
#define BC_MASK ((1u << 16) - 1)
static uint64_t bc_done;     /* every seq below is delivered to all (or retired) */
static long bc_live;         /* receivers open */
static uint64_t bc_send_t0;  /* rate pacing origin */
static uint64_t churn_started, churn_done_n;

/* Chat-like text of exactly n bytes: JSON lines with a few users and
 * common words, different for every message (truncated at n, ASCII). */
static void chat_fill(uint8_t *p, size_t n)
{
	static const char *const users[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
	static const char *const words[] = {"hello", "there", "how", "are", "you", "today", "I", "think", "that",
					    "we", "should", "meet", "at", "the", "cafe", "later", "yes", "no",
					    "maybe", "tomorrow", "sounds", "good", "see", "ya", "lol", "ok", "thanks",
					    "what", "about", "lunch", "new", "release", "is", "out", "great", "work"};
	size_t k = 0;
	while (k < n) {
		char line[256];
		int m = snprintf(line, sizeof line, "{\"type\":\"message\",\"room\":\"lobby\",\"user\":\"%s\",\"text\":\"",
				 users[rnd() % 8]);
		for (int w = 0, nw = 3 + (int)(rnd() % 8); w < nw; w++)
			m += snprintf(line + m, sizeof line - (size_t)m, "%s%s", w ? " " : "", words[rnd() % 36]);
		m += snprintf(line + m, sizeof line - (size_t)m, "\"}\n");
		size_t take = (size_t)m < n - k ? (size_t)m : n - k;
		memcpy(p + k, line, take);
		k += take;
	}
}

static uint8_t *zout_reserve(size_t n)
{
	if (n > ZOUT_CAP) {
		ZOUT_CAP = n;
		ZOUT = xrealloc(ZOUT, ZOUT_CAP);
	}
	return ZOUT;
}

/* RFC 7692 §7.2.1: deflate with a sync flush, remove the final 00 00 ff ff. */
static size_t pmd_compress(conn_t *c, const uint8_t *in, size_t n)
{
	if (!c->zd) {
		c->zd = calloc(1, sizeof *c->zd);
		if (!c->zd || deflateInit2(c->zd, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			die("deflateInit2 failed");
	} else if (c->pmd_cnct) {
		deflateReset(c->zd);
	}
	size_t cap = deflateBound(c->zd, n) + 16, out;
	uint8_t *o = zout_reserve(cap);
	c->zd->next_in = (Bytef *)in;
	c->zd->avail_in = (uInt)n;
	c->zd->next_out = o;
	c->zd->avail_out = (uInt)cap;
	deflate(c->zd, Z_SYNC_FLUSH);
	out = cap - c->zd->avail_out;
	if (out >= 4 && !memcmp(o + out - 4, "\0\0\xff\xff", 4))
		out -= 4;
	if (!out)
		o[out++] = 0;
	return out;
}

/* RFC 7692 §7.2.2: append 00 00 ff ff and inflate; the inflated length, or
 * -1 when it is not valid DEFLATE. */
static long long pmd_inflate(conn_t *c)
{
	static const uint8_t tail[4] = {0, 0, 0xff, 0xff};
	long long total = 0;
	if (!c->zi) {
		c->zi = calloc(1, sizeof *c->zi);
		if (!c->zi || inflateInit2(c->zi, -15) != Z_OK)
			die("inflateInit2 failed");
	} else if (c->pmd_snct) {
		inflateReset(c->zi);
	}
	uint8_t *o = zout_reserve(ZOUT_CAP > 65536 ? ZOUT_CAP : 65536);
	for (int part = 0; part < 2; part++) {
		c->zi->next_in = part ? (Bytef *)tail : c->zbuf;
		c->zi->avail_in = part ? 4 : (uInt)c->zlen;
		do {
			c->zi->next_out = o;
			c->zi->avail_out = (uInt)ZOUT_CAP;
			int r = inflate(c->zi, Z_SYNC_FLUSH);
			if (r != Z_OK && r != Z_BUF_ERROR)
				return -1;
			total += (long long)(ZOUT_CAP - c->zi->avail_out);
		} while (c->zi->avail_out == 0);
	}
	c->zlen = 0;
	return total;
}

static void pmd_free(conn_t *c)
{
	if (c->zd) {
		deflateEnd(c->zd);
		free(c->zd);
	}
	if (c->zi) {
		inflateEnd(c->zi);
		free(c->zi);
	}
	free(c->zbuf);
	c->zd = c->zi = NULL;
	c->zbuf = NULL;
	c->zlen = c->zcap = 0;
	c->pmd = c->pmd_snct = c->pmd_cnct = 0;
}

/* Queues one data message of O.size bytes (chat text with --chat),
 * compressed when permessage-deflate was agreed. */
static void send_data(conn_t *c)
{
	const uint8_t *payload = TEMPLATE;
	size_t n = (size_t)O.size, fl;
	static uint8_t *chat;
	if (O.chat) {
		if (!chat)
			chat = xmalloc(n + 1);
		chat_fill(chat, n);
		payload = chat;
	}
	if (c->pmd) {
		size_t zl = pmd_compress(c, payload, n);
		fl = queue_frame(c, data_op(), ZOUT, zl, NULL, 0);
		c->wbuf[c->wlen - fl] |= 0x40; /* RSV1: compressed (RFC 7692 §6) */
	} else {
		fl = queue_frame(c, data_op(), payload, n, NULL, 0);
	}
	if (PH == PH_MEASURE) {
		S.wire_out += fl;
		S.wire_out_n++;
	}
}

static void echo_send(conn_t *c)
{
	if (c->fcnt == c->fcap)
		return;
	c->fifo[(c->fhead + c->fcnt) % c->fcap] = NOW;
	c->fcnt++;
	S.inflight++;
	S.sent++;
	send_data(c);
}

static void echo_kick(conn_t *c)
{
	for (int k = 0; k < O.depth; k++)
		echo_send(c);
	flush(c);
}

static void put_hex(uint8_t *p, uint64_t v, int digits)
{
	static const char hx[] = "0123456789abcdef";
	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		p[i] = (uint8_t)hx[v & 15];
}

static int get_hex(const uint8_t *p, int digits, uint64_t *out)
{
	uint64_t v = 0;
	for (int i = 0; i < digits; i++) {
		int d = p[i] >= '0' && p[i] <= '9' ? p[i] - '0' : p[i] >= 'a' && p[i] <= 'f' ? p[i] - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return 0;
}

static void bcast_send(conn_t *c)
{
	uint8_t head[24];
	uint64_t seq = S.sent;
	put_hex(head, NOW, 16);
	put_hex(head + 16, seq & 0xffffffffu, 8);
	BC_RING_T[seq & BC_MASK] = NOW;
	BC_RING_N[seq & BC_MASK] = 0;
	queue_frame(c, data_op(), head, 24, TEMPLATE, (size_t)O.size - 24);
	S.sent++;
	if (PH == PH_MEASURE)
		S.sent_win++;
}

static void on_open(conn_t *c)
{
	switch (c->role) {
	case R_ECHO:
		if (!c->fifo) {
			c->fcap = (uint32_t)O.depth;
			c->fifo = xmalloc(sizeof(uint64_t) * c->fcap);
		}
		c->fhead = c->fcnt = 0;
		if (PH == PH_WARMUP || PH == PH_MEASURE)
			echo_kick(c);
		break;
	case R_RECV:
		bc_live++;
		break;
	case R_IDLE:
		if (PH == PH_CONNECT && O.mode == M_IDLE)
			hist_add(NOW - c->t_start);
		if (O.deflate) {
			/* One message each way first, so that the server holds
			 * what a used compressed connection keeps. */
			c->fcap = 1;
			send_data(c);
			flush(c);
		}
		break;
	case R_CHURN:
		if (c->kind == K_RST_FRAME) {
			/* a frame header that announces O.size bytes, and half of them */
			size_t n = queue_frame(c, data_op(), TEMPLATE, (size_t)O.size, NULL, 0);
			c->wlen -= (size_t)O.size - (size_t)O.size / 2;
			(void)n;
			if (flush(c) == 0)
				conn_finish(c, 1);
			return;
		}
		c->fcap = 1;
		c->fhead = c->fcnt = 0;
		queue_frame(c, data_op(), TEMPLATE, (size_t)O.size, NULL, 0);
		S.sent++;
		flush(c);
		break;
	default:
		break;
	}
}

static void on_message(conn_t *c, int op, uint64_t len)
{
	(void)op;
	switch (c->role) {
	case R_ECHO: {
		if (!c->fcnt) {
			note_err(&S.err_proto, "echo: unexpected message");
			return;
		}
		uint64_t t = c->fifo[c->fhead];
		c->fhead = (c->fhead + 1) % c->fcap;
		c->fcnt--;
		S.inflight--;
		if (len != (uint64_t)O.size)
			note_err(&S.err_badlen, "echo: %" PRIu64 " bytes back for %ld sent", len, O.size);
		if (PH == PH_MEASURE) {
			S.ops++;
			S.bytes += len;
			S.wire_in += c->mwire;
			S.wire_in_n++;
			S.zin += c->mrsv1;
			hist_add(NOW - t);
		}
		if (PH == PH_WARMUP || PH == PH_MEASURE)
			echo_send(c);
		break;
	}
	case R_RECV: {
		uint64_t ts, seq;
		if (c->head_len < 24 || get_hex(c->head, 16, &ts) || get_hex(c->head + 16, 8, &seq)) {
			note_err(&S.err_proto, "broadcast: a message without a timestamp");
			return;
		}
		if ((int64_t)seq <= c->last_seq) {
			note_err(&S.err_order, "broadcast: seq %" PRIu64 " after %" PRId64, seq, c->last_seq);
			return;
		}
		c->last_seq = (int64_t)seq;
		c->rcvd++;
		if (seq >= bc_done && seq < S.sent)
			BC_RING_N[seq & BC_MASK]++;
		if (PH == PH_MEASURE) {
			S.ops++;
			S.bytes += len;
			hist_add(NOW - ts);
		}
		break;
	}
	case R_SEND:
		S.self_rcvd++;
		break;
	case R_CHURN:
		if (len != (uint64_t)O.size)
			note_err(&S.err_badlen, "churn: %" PRIu64 " bytes back for %ld sent", len, O.size);
		if (c->fcap != 1)
			break; /* already answered */
		c->fcap = 0;
		if (c->kind == K_RST_MESSAGE)
			conn_finish(c, 1);
		else
			begin_close(c, 1000);
		break;
	case R_IDLE:
		if (!O.deflate || c->fcap != 1) {
			note_err(&S.err_proto, O.mode == M_BCAST ? "bystander: a message it should not get"
								 : "idle: unexpected message");
			break;
		}
		c->fcap = 0;
		S.idle_echoes++;
		if (len != (uint64_t)O.size)
			note_err(&S.err_badlen, "idle: %" PRIu64 " bytes back for %ld sent", len, O.size);
		break;
	default:
		note_err(&S.err_proto, O.mode == M_BCAST ? "bystander: a message it should not get" : "idle: unexpected message");
		break;
	}
}

/* Closes the socket (with an RST when rst) and accounts for the connection.
 * Never reopens synchronously: the churn worker restarts from tick(). */
static void conn_finish(conn_t *c, int rst)
{
	if (c->fd < 0 || c->st == ST_FREE)
		return;
	if (rst) {
		struct linger l = {.l_onoff = 1, .l_linger = 0};
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	}
	SSL_free(c->ssl);
	c->ssl = NULL;
	close(c->fd);
	c->fd = -1;
	if (c->st == ST_CONNECTING || c->st == ST_HANDSHAKE)
		n_pending--;
	else
		n_open--;
	n_active--;
	if ((c->st == ST_OPEN || c->st == ST_CLOSING) && c->role == R_RECV)
		bc_live--;
	if (c->role == R_ECHO && c->fcnt) {
		S.err_lost += c->fcnt;
		S.inflight -= c->fcnt;
		c->fcnt = 0;
	}
	free(c->hs);
	c->hs = NULL;
	free(c->wbuf);
	c->wbuf = NULL;
	c->wcap = c->wlen = c->woff = 0;
	pmd_free(c);
	c->st = ST_FREE;
	c->evmask = 0;
	if (c->role == R_CHURN) {
		churn_done_n++;
		if (PH == PH_MEASURE)
			hist_add(NOW - c->t_start);
		c->retry_at = NOW;
	}
}

static void conn_error(conn_t *c, uint64_t *ctr, const char *what)
{
	note_err(ctr, "%s", what);
	conn_finish(c, 0);
}

/* ------------------------------------------------------------------ */
/* Handshake                                                          */

static void accept_for(const char *key, char out[29])
{
	char buf[80];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int n = snprintf(buf, sizeof buf, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
	EVP_Digest(buf, (size_t)n, md, &mdlen, EVP_sha1(), NULL);
	EVP_EncodeBlock((unsigned char *)out, md, 20);
}

static int has_token(const char *v, const char *tok)
{
	size_t tl = strlen(tok);
	while (*v) {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		const char *e = v;
		while (*e && *e != ',')
			e++;
		const char *t = e;
		while (t > v && (t[-1] == ' ' || t[-1] == '\t'))
			t--;
		if ((size_t)(t - v) == tl && strncasecmp(v, tok, tl) == 0)
			return 1;
		v = e;
	}
	return 0;
}

static void send_request(conn_t *c)
{
	uint8_t raw[16];
	uint64_t a = rnd(), b = rnd();
	memcpy(raw, &a, 8);
	memcpy(raw + 8, &b, 8);
	EVP_EncodeBlock((unsigned char *)c->key, raw, 16);
	char req[640];
	const char *ext = O.deflate == 2 ? "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
					   "client_no_context_takeover\r\n"
			  : O.deflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
				      : "";
	int n = snprintf(req, sizeof req,
			 "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
			 "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nUser-Agent: wsload\r\n%s\r\n",
			 O.mode == M_BCAST && c->role == R_IDLE ? O.bypath : O.path, HOSTHDR, c->key, ext);
	memcpy(wreserve(c, (size_t)n), req, (size_t)n);
	c->wlen += (size_t)n;
}

/* Checks the head in c->hs[0..end). Returns NULL or what is wrong. */
static const char *check_response(conn_t *c, size_t end)
{
	char *p = c->hs;
	p[end - 2] = 0; /* cut after the last header line's CRLF */
	if (strncmp(p, "HTTP/1.1 101", 12) != 0) {
		static char why[96];
		char *eol = strstr(p, "\r\n");
		if (eol)
			*eol = 0;
		snprintf(why, sizeof why, "handshake: status \"%.60s\"", p);
		return why;
	}
	char expect[29];
	accept_for(c->key, expect);
	int up = 0, co = 0, acc = 0;
	char *line = strstr(p, "\r\n");
	while (line && line[2]) {
		line += 2;
		char *eol = strstr(line, "\r\n");
		if (eol)
			*eol = 0;
		char *colon = strchr(line, ':');
		if (!colon)
			return "handshake: a header line without a colon";
		*colon = 0;
		char *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		char *ve = v + strlen(v);
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			*--ve = 0;
		if (!strcasecmp(line, "upgrade"))
			up = !strcasecmp(v, "websocket");
		else if (!strcasecmp(line, "connection"))
			co = has_token(v, "upgrade");
		else if (!strcasecmp(line, "sec-websocket-accept"))
			acc = !strcmp(v, expect);
		else if (!strcasecmp(line, "sec-websocket-extensions") && *v) {
			if (!O.deflate || strncmp(v, "permessage-deflate", 18) != 0)
				return "handshake: an extension nobody asked for";
			if (strstr(v, "client_max_window_bits=") || strstr(v, "server_max_window_bits="))
				return "handshake: window bits wsload did not ask for";
			c->pmd = 1;
			c->pmd_snct = strstr(v, "server_no_context_takeover") != NULL;
			c->pmd_cnct = strstr(v, "client_no_context_takeover") != NULL;
		}
		if (!eol)
			break;
		line = eol;
	}
	if (!up)
		return "handshake: no Upgrade: websocket";
	if (!co)
		return "handshake: no Connection: upgrade";
	if (!acc)
		return "handshake: wrong or missing Sec-WebSocket-Accept";
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Frames from the server                                             */

static void on_control(conn_t *c)
{
	switch (c->fop) {
	case 9: /* ping -> pong with the same payload */
		S.pings++;
		if (!c->close_sent) {
			queue_frame(c, 10, c->ctrl, c->ctrl_len, NULL, 0);
			flush(c);
		}
		break;
	case 10:
		break;
	case 8:
		c->close_rcvd = 1;
		if (c->ctrl_len == 1) {
			note_err(&S.err_proto, "close frame with a 1-byte payload");
			conn_finish(c, 0);
			return;
		}
		if (!c->close_sent) {
			/* the server closed first: unexpected unless we are churning */
			if (c->ctrl_len >= 2) {
				unsigned code = (unsigned)c->ctrl[0] << 8 | c->ctrl[1];
				note_err(&S.err_closed, "server closed with %u \"%.*s\"", code, c->ctrl_len - 2,
					 (const char *)c->ctrl + 2);
			} else {
				note_err(&S.err_closed, "server closed (no code)");
			}
			begin_close(c, 1000);
		}
		/* now wait for the server to close TCP (RFC 6455 §7.1.1), bounded */
		break;
	}
}

static void parse(conn_t *c, const uint8_t *p, size_t n)
{
	uint32_t gen = c->gen;
	while (n && c->fd >= 0 && c->gen == gen) {
		if (c->pstate == 0) {
			if (c->hlen < 2) {
				c->hdr[c->hlen++] = *p++;
				n--;
				if (c->hlen < 2)
					continue;
				uint8_t b0 = c->hdr[0], b1 = c->hdr[1];
				/* RSV1 only with permessage-deflate, on the first
				 * frame of a data message (RFC 7692 §6). */
				if ((b0 & 0x70) && !(c->pmd && (b0 & 0x70) == 0x40 && ((b0 & 0x0f) == 1 || (b0 & 0x0f) == 2))) {
					conn_error(c, &S.err_proto, "frame with RSV bits set");
					return;
				}
				if (b1 & 0x80) {
					conn_error(c, &S.err_proto, "masked frame from the server");
					return;
				}
				unsigned l7 = b1 & 0x7f;
				c->hneed = (uint8_t)(2 + (l7 == 126 ? 2 : l7 == 127 ? 8 : 0));
			}
			while (c->hlen < c->hneed && n) {
				c->hdr[c->hlen++] = *p++;
				n--;
			}
			if (c->hlen < c->hneed)
				return;
			/* header complete */
			c->fop = c->hdr[0] & 0x0f;
			c->ffin = c->hdr[0] >> 7;
			unsigned l7 = c->hdr[1] & 0x7f;
			uint64_t len = l7;
			if (l7 == 126)
				len = (uint64_t)c->hdr[2] << 8 | c->hdr[3];
			else if (l7 == 127)
				for (int i = 0; i < 8; i++)
					len = (i ? len << 8 : 0) | c->hdr[2 + i];
			c->hlen = 0;
			c->remain = len;
			if (c->fop >= 8) {
				if (!c->ffin || len > 125 || (c->fop != 8 && c->fop != 9 && c->fop != 10)) {
					conn_error(c, &S.err_proto, "bad control frame");
					return;
				}
				c->ctrl_len = 0;
			} else if (c->fop == 0) {
				if (!c->mop) {
					conn_error(c, &S.err_proto, "continuation without a message");
					return;
				}
			} else if (c->fop == 1 || c->fop == 2) {
				if (c->mop) {
					conn_error(c, &S.err_proto, "new message inside a fragmented one");
					return;
				}
				c->mop = c->fop;
				c->msg_len = 0;
				c->head_len = 0;
				c->mrsv1 = (c->hdr[0] & 0x40) != 0;
				c->mwire = 0;
				c->zlen = 0;
			} else {
				conn_error(c, &S.err_proto, "unknown opcode");
				return;
			}
			if (c->fop < 8)
				c->mwire += c->hneed + len;
			c->pstate = 1;
		}
		/* payload */
		size_t m = c->remain < n ? (size_t)c->remain : n;
		if (c->fop >= 8) {
			memcpy(c->ctrl + c->ctrl_len, p, m);
			c->ctrl_len = (uint8_t)(c->ctrl_len + m);
		} else {
			if (c->head_len < sizeof c->head) {
				size_t k = sizeof c->head - c->head_len;
				if (k > m)
					k = m;
				memcpy(c->head + c->head_len, p, k);
				c->head_len = (uint8_t)(c->head_len + k);
			}
			c->msg_len += m;
			if (c->mrsv1) {
				if (c->zlen + m > c->zcap) {
					c->zcap = (c->zlen + m) * 2;
					c->zbuf = xrealloc(c->zbuf, c->zcap);
				}
				memcpy(c->zbuf + c->zlen, p, m);
				c->zlen += m;
			}
		}
		p += m;
		n -= m;
		c->remain -= m;
		if (c->remain)
			return;
		c->pstate = 0;
		if (c->fop >= 8) {
			on_control(c);
		} else if (c->ffin) {
			int op = c->mop;
			uint64_t len = c->msg_len;
			c->mop = 0;
			if (c->mrsv1) {
				long long il = pmd_inflate(c);
				if (il < 0) {
					conn_error(c, &S.err_proto, "a compressed message that does not inflate");
					return;
				}
				len = (uint64_t)il;
			}
			if (c->st == ST_OPEN)
				on_message(c, op, len);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Events                                                             */

static void tls_step(conn_t *c);

static void on_connected(conn_t *c)
{
	int err = 0;
	socklen_t el = sizeof err;
	getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
	if (err) {
		note_err(&S.err_connect, "connect: %s", strerror(err));
		conn_finish(c, 0);
		return;
	}
	c->st = ST_HANDSHAKE;
	c->hs = xmalloc(HS_MAX + 1);
	c->hslen = 0;
	if (O.tls) {
		c->ssl = SSL_new(TLS_CTX);
		if (!c->ssl || !SSL_set_fd(c->ssl, c->fd))
			die("SSL_new: out of memory");
		SSL_set_tlsext_host_name(c->ssl, "localhost");
		SSL_set_connect_state(c->ssl);
		tls_step(c);
		return;
	}
	send_request(c);
	if (flush(c) < 0)
		return;
	if (c->role == R_CHURN && c->kind == K_RST_HANDSHAKE)
		conn_finish(c, 1);
}

/* --tls: drives the TLS handshake; once done, sends the upgrade request. */
static void tls_step(conn_t *c)
{
	ERR_clear_error();
	int r = SSL_do_handshake(c->ssl);
	if (r != 1) {
		int e = SSL_get_error(c->ssl, r);
		c->tls_ww = e == SSL_ERROR_WANT_WRITE;
		if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
			char why[160];
			ERR_error_string_n(ERR_get_error(), why, sizeof why);
			note_err(&S.err_handshake, "TLS handshake: %s", e == SSL_ERROR_SYSCALL ? "connection closed" : why);
			conn_finish(c, 0);
			return;
		}
		set_events(c);
		return;
	}
	c->tls_ww = 0;
	c->tls_ready = 1;
	send_request(c);
	if (flush(c) < 0)
		return;
	set_events(c);
	if (c->role == R_CHURN && c->kind == K_RST_HANDSHAKE)
		conn_finish(c, 1);
}

static void read_handshake(conn_t *c)
{
	if (c->ssl && !c->tls_ready) {
		tls_step(c);
		return;
	}
	ssize_t r = io_recv(c, c->hs + c->hslen, HS_MAX - c->hslen);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		note_err(&S.err_handshake, "handshake: %s", r == 0 ? "connection closed" : strerror(errno));
		conn_finish(c, 0);
		return;
	}
	NOW = now_ns();
	c->hslen = (uint16_t)(c->hslen + r);
	c->hs[c->hslen] = 0;
	char *e = memmem(c->hs, c->hslen, "\r\n\r\n", 4);
	if (!e) {
		if (c->hslen >= HS_MAX)
			conn_error(c, &S.err_handshake, "handshake: response head over 4 KiB");
		return;
	}
	size_t end = (size_t)(e + 4 - c->hs), extra = c->hslen - end;
	const char *why = check_response(c, end);
	if (why) {
		conn_error(c, &S.err_handshake, why);
		return;
	}
	uint8_t tail[HS_MAX];
	memcpy(tail, c->hs + end, extra);
	free(c->hs);
	c->hs = NULL;
	c->st = ST_OPEN;
	if (c->role != R_CHURN)
		c->deadline = 0; /* a churn cycle keeps its bound */
	n_pending--;
	n_open++;
	S.hs_done++;
	uint32_t gen = c->gen;
	on_open(c);
	if (extra && c->fd >= 0 && c->gen == gen)
		parse(c, tail, extra);
}

static void on_readable(conn_t *c)
{
	if (c->st == ST_HANDSHAKE) {
		read_handshake(c);
		return;
	}
	ssize_t r = io_recv(c, RBUF, sizeof RBUF);
	if (r > 0) {
		NOW = now_ns();
		uint32_t gen = c->gen;
		parse(c, RBUF, (size_t)r);
		if (c->fd >= 0 && c->gen == gen && c->wlen > c->woff)
			flush(c);
		return;
	}
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r == 0 && c->close_rcvd) {
		conn_finish(c, 0); /* the clean end of a close handshake */
		return;
	}
	if (c->close_sent) {
		note_err(&S.err_close, "close: connection %s before the server's close frame",
			 r == 0 ? "closed" : "reset");
	} else {
		note_err(&S.err_closed, "connection %s by the server", r == 0 ? "closed" : "reset");
	}
	conn_finish(c, 0);
}

static void on_event(conn_t *c, uint32_t ev)
{
	if (c->st == ST_CONNECTING) {
		on_connected(c);
		return;
	}
	uint32_t gen = c->gen;
	if (c->ssl && !c->tls_ready) {
		tls_step(c);
		return;
	}
	if ((ev & EPOLLOUT) && c->wlen > c->woff)
		if (flush(c) < 0)
			return;
	if (c->fd >= 0 && c->gen == gen && (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)))
		on_readable(c);
	/* Bytes OpenSSL already took from the socket raise no event. */
	while (c->fd >= 0 && c->gen == gen && c->ssl && SSL_pending(c->ssl) > 0)
		on_readable(c);
}

/* ------------------------------------------------------------------ */
/* Phases                                                             */

static void enter(int ph)
{
	PH = ph;
	PH_T = NOW;
}

static void snap_start(void)
{
	T0 = NOW;
	CPU0 = server_cpu_us();
	RU0 = self_cpu_s();
}

static void snap_end(void)
{
	T1 = now_ns();
	CPU1 = server_cpu_us();
	RU1 = self_cpu_s();
}

static void start_connects(void)
{
	while (next_start < NC && n_pending < O.concurrency) {
		int r = conn_start(next_start);
		if (r == -2) {
			S.port_exhausted++;
			break; /* retried on the next tick */
		}
		next_start++;
	}
}

static void enter_close(void)
{
	enter(PH_CLOSE);
	for (long i = 0; i < NC; i++) {
		conn_t *c = &C[i];
		if (c->fd < 0)
			continue;
		if (c->st == ST_OPEN)
			begin_close(c, 1000);
		else if (c->st == ST_CONNECTING || c->st == ST_HANDSHAKE)
			conn_finish(c, 0);
	}
}

static void scan_deadlines(void)
{
	for (long i = 0; i < NC; i++) {
		conn_t *c = &C[i];
		if (c->fd < 0 || !c->deadline || NOW < c->deadline)
			continue;
		if (c->st == ST_CONNECTING || c->st == ST_HANDSHAKE)
			note_err(&S.err_timeout, "handshake timed out");
		else if (c->st == ST_CLOSING)
			note_err(&S.err_close, c->close_rcvd ? "close: the server never closed TCP"
							     : "close: no close frame from the server");
		else
			note_err(&S.err_timeout, "churn: cycle timed out");
		conn_finish(c, c->st != ST_CLOSING);
	}
}

static uint64_t secs(double s)
{
	return (uint64_t)(s * 1e9);
}

static void tick(void)
{
	if (STOP && PH < PH_DRAIN) {
		if (PH == PH_MEASURE && O.mode != M_IDLE)
			snap_end();
		else if (PH != PH_MEASURE)
			T0 = T1 = 0;
		enter(PH_DRAIN);
	}
	uint64_t el = NOW - PH_T;
	switch (PH) {
	case PH_CONNECT: {
		start_connects();
		uint64_t budget = secs(O.timeout) + (uint64_t)NC * 1000000ull; /* + 1 ms per connection */
		if ((next_start == NC && n_pending == 0) || el > budget) {
			if (n_open == 0) {
				no_conn = 1;
				enter_close();
				break;
			}
			if (O.mode == M_IDLE) {
				snap_end();
				RSS_OPEN = server_rss_kb();
				enter(PH_MEASURE); /* the hold */
				break;
			}
			enter(PH_WARMUP);
			if (O.mode == M_ECHO) {
				for (long i = 0; i < NC; i++)
					if (C[i].st == ST_OPEN)
						echo_kick(&C[i]);
			}
			bc_send_t0 = NOW;
			if (O.warmup <= 0) {
				enter(PH_MEASURE);
				snap_start();
			}
		}
		break;
	}
	case PH_WARMUP:
		if (el >= secs(O.warmup)) {
			enter(PH_MEASURE);
			snap_start();
		}
		break;
	case PH_MEASURE:
		if (O.mode == M_CHURN) {
			int limit = O.cycles > 0 && churn_started >= (uint64_t)O.cycles;
			if (el >= secs(O.duration) || (limit && n_active == 0)) {
				snap_end();
				enter(PH_DRAIN);
				break;
			}
			if (limit)
				break;
			for (long i = 0; i < NC; i++) {
				conn_t *c = &C[i];
				if (c->fd >= 0 || NOW < c->retry_at)
					continue;
				if (O.cycles > 0 && churn_started >= (uint64_t)O.cycles)
					break;
				c->kind = K_CLEAN;
				if (O.abrupt > 0 && (double)(rnd() >> 11) * 0x1p-53 < O.abrupt)
					c->kind = (uint8_t)(K_RST_HANDSHAKE + rnd() % 3);
				int r = conn_start(i);
				if (r == -2) {
					S.port_exhausted++;
					c->retry_at = NOW + 50000000ull;
					continue;
				}
				if (r < 0) {
					c->retry_at = NOW + 10000000ull;
					continue;
				}
				churn_started++;
				S.kinds[c->kind]++;
			}
			break;
		}
		if (el >= secs(O.duration)) {
			if (O.mode != M_IDLE)
				snap_end();
			else
				RSS1 = server_rss_kb();
			enter(PH_DRAIN);
		}
		break;
	case PH_DRAIN: {
		int done = 1;
		if (O.mode == M_ECHO) {
			done = S.inflight == 0;
		} else if (O.mode == M_BCAST) {
			for (long i = 0; i < NC && done; i++)
				if (C[i].role == R_RECV && C[i].st == ST_OPEN && C[i].rcvd < S.sent)
					done = 0;
		} else if (O.mode == M_CHURN) {
			done = n_active == 0;
		}
		if (done || el > secs(O.timeout))
			enter_close();
		break;
	}
	case PH_CLOSE:
		if (n_active == 0) {
			enter(PH_DONE);
		} else if (el > secs(O.timeout) + secs(0.5)) {
			for (long i = 0; i < NC; i++)
				if (C[i].fd >= 0) {
					note_err(&S.err_close, "close: timed out");
					conn_finish(&C[i], 1);
				}
			enter(PH_DONE);
		}
		break;
	}

	/* broadcast sender */
	if (O.mode == M_BCAST && (PH == PH_WARMUP || PH == PH_MEASURE)) {
		while (bc_done < S.sent && BC_RING_N[bc_done & BC_MASK] >= (uint32_t)bc_live)
			bc_done++;
		while (bc_done < S.sent && NOW - BC_RING_T[bc_done & BC_MASK] > secs(O.timeout)) {
			S.retired++;
			bc_done++;
		}
		conn_t *snd = &C[NC - 1];
		if (snd->st == ST_OPEN) {
			uint64_t due = UINT64_MAX;
			if (O.rate > 0)
				due = (uint64_t)((double)(NOW - bc_send_t0) * O.rate / 1e9) + 1;
			while (S.sent < due && S.sent - bc_done < (uint64_t)O.window)
				bcast_send(snd);
			if (snd->wlen > snd->woff)
				flush(snd);
		}
	}

	static uint64_t last_scan;
	if (NOW - last_scan > 50000000ull) {
		last_scan = NOW;
		scan_deadlines();
	}
}

/* ------------------------------------------------------------------ */
/* Report                                                             */

static void report(void)
{
	double dur = T1 > T0 ? (double)(T1 - T0) / 1e9 : 0;
	long long cpu = CPU0 >= 0 && CPU1 >= 0 ? CPU1 - CPU0 : -1;
	double ccpu = dur > 0 ? (RU1 - RU0) / dur * 100 : 0;
	uint64_t ops = S.ops;
	const char *unit = "msg";
	if (O.mode == M_BCAST) {
		unit = "delivery";
		for (long i = 0; i < NC - 1; i++)
			if (C[i].role == R_RECV && C[i].rcvd < S.sent)
				S.missing += S.sent - C[i].rcvd;
	} else if (O.mode == M_IDLE) {
		unit = "handshake";
		ops = HIST_N;
	} else if (O.mode == M_CHURN) {
		unit = "cycle";
		ops = HIST_N;
	}
	double rate = dur > 0 ? (double)ops / dur : 0;
	double per_op = cpu >= 0 && ops ? (double)cpu / (double)ops : -1;
	double spct = cpu >= 0 && dur > 0 ? (double)cpu / (dur * 1e4) : -1;
	double p50 = hist_pct(50) / 1e3, p99 = hist_pct(99) / 1e3, pmax = HIST_MAX / 1e3;
	uint64_t errs = errors_total();
	int have_rss = O.mode == M_IDLE && RSS0 >= 0 && RSS1 >= 0 && S.hs_done;
	double rss_per = have_rss ? (double)(RSS1 - RSS0) * 1024.0 / (double)S.hs_done : 0;

	char line[1024];
	int n = 0;
#define ADD(...) n += snprintf(line + n, sizeof line - (size_t)n, __VA_ARGS__)
	switch (O.mode) {
	case M_ECHO:
		ADD("echo %ld conns x %ld B x depth %d%s%s: %.0f msgs/s, rtt p50 %.0f us p99 %.0f us", NC, O.size,
		    O.depth, O.chat ? ", chat text" : "",
		    O.deflate == 2 ? ", deflate (no context takeover)" : O.deflate ? ", deflate" : "", rate, p50, p99);
		if (S.wire_out_n && S.wire_in_n)
			ADD(", wire %.1f B out / %.1f B in per msg (%" PRIu64 "%% of echoes compressed)",
			    (double)S.wire_out / (double)S.wire_out_n, (double)S.wire_in / (double)S.wire_in_n,
			    S.zin * 100 / S.wire_in_n);
		break;
	case M_BCAST:
		if (O.bystanders)
			ADD("(+%ld bystanders) ", O.bystanders);
		ADD("broadcast 1 -> %ld x %ld B (%s): %.0f msgs/s sent, %.0f deliveries/s, fan-out p50 %.0f us p99 %.0f "
		    "us, missing %" PRIu64,
		    O.conns, O.size, O.rate > 0 ? "paced" : "window", dur > 0 ? S.sent_win / dur : 0, rate, p50, p99,
		    S.missing);
		break;
	case M_IDLE:
		ADD("idle %" PRIu64 "/%ld conns open, %.0f handshakes/s (p50 %.0f us p99 %.0f us), held %.0f s", S.hs_done,
		    NC, rate, p50, p99, O.duration);
		if (O.deflate)
			ADD(", %" PRIu64 " exchanged a %s message", S.idle_echoes,
			    O.deflate == 2 ? "compressed (no context takeover)" : "compressed");
		if (have_rss)
			ADD(", server RSS %ld -> %ld KiB = %.0f B/conn", RSS0, RSS1, rss_per);
		break;
	case M_CHURN:
		ADD("churn %d workers: %" PRIu64 " cycles, %.0f cycles/s (p50 %.0f us p99 %.0f us), %" PRIu64
		    " clean / %" PRIu64 " abrupt",
		    O.workers, ops, rate, p50, p99, S.kinds[K_CLEAN],
		    S.kinds[K_RST_HANDSHAKE] + S.kinds[K_RST_FRAME] + S.kinds[K_RST_MESSAGE]);
		if (S.port_exhausted)
			ADD(", ephemeral ports exhausted %" PRIu64 "x (retried)", S.port_exhausted);
		break;
	}
	ADD(", errors %" PRIu64, errs);
	if (per_op >= 0)
		ADD(" | server %.2f us CPU/%s (%.0f%% of a core)", per_op, unit, spct);
	ADD(" | client %.0f%% CPU", ccpu);
	if (ccpu > 95)
		ADD(" (generator-bound)");
	if (errs && FIRST_ERR[0])
		ADD(" | first error: %s", FIRST_ERR);
#undef ADD
	FILE *hf = O.json ? stderr : stdout;
	fprintf(hf, "%s\n", line);
	fflush(hf);
	if (!O.json)
		return;

	printf("{\"mode\":\"%s\",\"tls\":%s,\"host\":\"%s\",\"port\":%d,\"conns\":%ld,\"size\":%ld,\"depth\":%d,\"binary\":%s,"
	       "\"duration_s\":%.3f,\"unit\":\"%s\",\"ops\":%" PRIu64 ",\"ops_per_s\":%.1f,"
	       "\"lat_p50_us\":%.1f,\"lat_p99_us\":%.1f,\"lat_max_us\":%.1f,"
	       "\"client_cpu_pct\":%.1f,",
	       MODE_NAME[O.mode], O.tls ? "true" : "false", O.host, O.port, O.mode == M_BCAST ? O.conns : O.mode == M_CHURN ? 0 : NC, O.size,
	       O.depth, O.binary ? "true" : "false", dur, unit, ops, rate, p50, p99, pmax, ccpu);
	if (cpu >= 0)
		printf("\"server_cpu_us\":%lld,\"server_cpu_per_op_us\":%.3f,\"server_cpu_pct\":%.1f,", cpu,
		       per_op >= 0 ? per_op : 0, spct);
	else
		printf("\"server_cpu_us\":null,\"server_cpu_per_op_us\":null,\"server_cpu_pct\":null,");
	if (O.mode == M_ECHO)
		printf("\"deflate\":%d,\"chat\":%s,\"wire_out_per_msg\":%.2f,\"wire_in_per_msg\":%.2f,"
		       "\"compressed_in_pct\":%.1f,",
		       O.deflate, O.chat ? "true" : "false", S.wire_out_n ? (double)S.wire_out / (double)S.wire_out_n : 0,
		       S.wire_in_n ? (double)S.wire_in / (double)S.wire_in_n : 0,
		       S.wire_in_n ? (double)S.zin * 100 / (double)S.wire_in_n : 0);
	if (O.mode == M_BCAST)
		printf("\"receivers\":%ld,\"bystanders\":%ld,\"rate\":%.1f,\"window\":%d,\"sent\":%" PRIu64 ",\"sent_per_s\":%.1f,"
		       "\"deliveries\":%" PRIu64 ",\"missing\":%" PRIu64 ",\"self_deliveries\":%" PRIu64 ",",
		       O.conns, O.bystanders, O.rate, O.window, S.sent, dur > 0 ? S.sent_win / dur : 0, S.ops, S.missing, S.self_rcvd);
	if (O.mode == M_IDLE)
		printf("\"deflate\":%d,\"exchanged\":%" PRIu64 ",\"open\":%" PRIu64 ",\"hold_s\":%.1f,\"rss_before_kb\":%ld,\"rss_open_kb\":%ld,\"rss_after_kb\":%ld,"
		       "\"rss_per_conn_bytes\":",
		       O.deflate, S.idle_echoes, S.hs_done, O.duration, RSS0, RSS_OPEN, RSS1);
	if (O.mode == M_IDLE)
		printf(have_rss ? "%.1f," : "null,", rss_per);
	if (O.mode == M_CHURN) {
		printf("\"workers\":%d,\"abrupt_ratio\":%.3f,\"port_exhausted\":%" PRIu64 ",\"kinds\":{", O.workers,
		       O.abrupt, S.port_exhausted);
		for (int k = 0; k < K_NKINDS; k++)
			printf("%s\"%s\":%" PRIu64, k ? "," : "", KIND_NAME[k], S.kinds[k]);
		printf("},");
	}
	printf("\"pings\":%" PRIu64 ",\"errors\":%" PRIu64 ",\"error_detail\":{\"connect\":%" PRIu64
	       ",\"handshake\":%" PRIu64 ",\"protocol\":%" PRIu64 ",\"closed_by_server\":%" PRIu64
	       ",\"timeout\":%" PRIu64 ",\"lost\":%" PRIu64 ",\"bad_length\":%" PRIu64 ",\"out_of_order\":%" PRIu64
	       ",\"close\":%" PRIu64 ",\"missing\":%" PRIu64 "},\"first_error\":\"",
	       S.pings, errs, S.err_connect, S.err_handshake, S.err_proto, S.err_closed, S.err_timeout, S.err_lost,
	       S.err_badlen, S.err_order, S.err_close, S.missing);
	for (const char *p = FIRST_ERR; *p; p++) {
		if (*p == '"' || *p == '\\')
			putchar('\\');
		putchar((unsigned char)*p < 0x20 ? ' ' : *p);
	}
	printf("\"}\n");
	fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* Setup                                                              */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: wsload MODE --port N [options]      MODE: echo | broadcast | idle | churn\n"
		"  --host H           127.0.0.1 (any 127.x.y.z), ::1 or localhost; nothing else\n"
		"  --port N           server port (required)\n"
		"  --path P           request path (/)\n"
		"  -c, --conns N      echo: connections (50); broadcast: receivers (100); idle: connections (1000)\n"
		"  -s, --size B       message bytes (echo, churn 32; broadcast 64, at least 24)\n"
		"  -d, --depth D      echo: messages in flight per connection (1)\n"
		"  -t, --duration S   measured seconds (5; churn 10); idle: seconds to hold the connections\n"
		"  --hold S           same as --duration, for idle\n"
		"  --warmup S         unmeasured seconds before (1; idle and churn 0)\n"
		"  --timeout S        bound of every handshake, drain, close and churn cycle (10)\n"
		"  --rate R           broadcast: messages/s from the sender (0 = as the window allows)\n"
		"  --window W         broadcast: messages not yet delivered to every receiver (16)\n"
		"  --bystanders B     broadcast: B more connections that must receive nothing (0)\n"
		"  --bystander-path P broadcast: their request path (/idle)\n"
		"  -w, --workers K    churn: parallel workers (8)\n"
		"  --cycles N         churn: stop after N cycles (0 = run for --duration)\n"
		"  --abrupt-ratio F   churn: share of cycles ended with an RST (0.5)\n"
		"  --concurrency N    handshakes in progress at once (256)\n"
		"  --src-addrs N      spread connections over 127.0.0.1..127.0.0.N (auto above 20000)\n"
		"  --text             text messages (default binary)\n"
		"  --chat             chat-like JSON text, different every message (implies --text)\n"
		"  --deflate          echo: offer permessage-deflate and compress when agreed; idle: also\n"
		"                     exchange one message per connection before holding\n"
		"  --no-context-takeover  with --deflate: offer no context takeover both ways\n"
		"  --pid PID[,PID..]  the server's pid: its CPU per message and RSS from /proc;\n"
		"                     several are summed for CPU (cluster nodes and Redis)\n"
		"  --recv-port N      broadcast: receivers connect to port N (another node)\n"
		"  --json             JSON object on stdout (the human line goes to stderr)\n"
		"  --tls              wss://: TLS on every connection (certificate not verified)\n");
}

static void on_signal(int sig)
{
	(void)sig;
	STOP = 1;
}

static void set_address(void)
{
	const char *h = O.host;
	char buf[64];
	if (!strcmp(h, "localhost"))
		h = "127.0.0.1";
	size_t hl = strlen(h);
	if (h[0] == '[' && hl < sizeof buf + 1 && h[hl - 1] == ']') {
		memcpy(buf, h + 1, hl - 2);
		buf[hl - 2] = 0;
		h = buf;
	}
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ADDR;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ADDR;
	memset(&ADDR, 0, sizeof ADDR);
	if (inet_pton(AF_INET, h, &a4->sin_addr) == 1) {
		if ((ntohl(a4->sin_addr.s_addr) >> 24) != 127)
			die("refusing %s: wsload only connects to loopback (127.0.0.0/8, ::1)", O.host);
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)O.port);
		ADDRLEN = sizeof *a4;
		snprintf(HOSTHDR, sizeof HOSTHDR, "%s:%d", h, O.port);
	} else if (inet_pton(AF_INET6, h, &a6->sin6_addr) == 1) {
		if (!IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr))
			die("refusing %s: wsload only connects to loopback (127.0.0.0/8, ::1)", O.host);
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)O.port);
		ADDRLEN = sizeof *a6;
		snprintf(HOSTHDR, sizeof HOSTHDR, "[%s]:%d", h, O.port);
		if (O.src_addrs > 1)
			O.src_addrs = 1;
	} else {
		die("refusing %s: give a loopback address (127.0.0.1, ::1 or localhost), not a name", O.host);
	}
	RECV_ADDR = ADDR;
	if (O.recv_port) {
		if (ADDR.ss_family == AF_INET)
			((struct sockaddr_in *)&RECV_ADDR)->sin_port = htons((uint16_t)O.recv_port);
		else
			((struct sockaddr_in6 *)&RECV_ADDR)->sin6_port = htons((uint16_t)O.recv_port);
	}
}

static void raise_nofile(long need)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur < (rlim_t)need) {
		struct rlimit more = {(rlim_t)need, (rlim_t)need};
		if (setrlimit(RLIMIT_NOFILE, &more) == 0)
			rl = more;
	}
	if (rl.rlim_cur < (rlim_t)need)
		fprintf(stderr, "wsload: warning: open-file limit %llu is below the %ld needed\n",
			(unsigned long long)rl.rlim_cur, need);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{"host", 1, 0, 'H'},	     {"port", 1, 0, 'p'},	{"path", 1, 0, 'P'},	   {"conns", 1, 0, 'c'},
		{"size", 1, 0, 's'},	     {"depth", 1, 0, 'd'},	{"duration", 1, 0, 't'},   {"hold", 1, 0, 't'},
		{"warmup", 1, 0, 'W'},	     {"timeout", 1, 0, 'T'},	{"rate", 1, 0, 'r'},	   {"window", 1, 0, 'n'},
		{"workers", 1, 0, 'w'},	     {"cycles", 1, 0, 'N'},	{"abrupt-ratio", 1, 0, 'a'}, {"concurrency", 1, 0, 'C'},
		{"src-addrs", 1, 0, 'A'},    {"bystanders", 1, 0, 'B'},	{"bystander-path", 1, 0, 'Y'},
		{"text", 0, 0, 'x'},	{"pid", 1, 0, 'i'},	   {"json", 0, 0, 'j'},
		{"tls", 0, 0, 'S'},	     {"chat", 0, 0, 'm'},	{"deflate", 0, 0, 'z'},
		{"no-context-takeover", 0, 0, 'Z'}, {"recv-port", 1, 0, 'R'},	{"help", 0, 0, 'h'},
		{0, 0, 0, 0},
	};
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	O.mode = -1;
	for (int m = 0; m < 4; m++)
		if (!strcmp(argv[1], MODE_NAME[m]))
			O.mode = m;
	if (O.mode < 0) {
		usage(stderr);
		die("unknown mode \"%s\"", argv[1]);
	}
	O.host = "127.0.0.1";
	O.path = "/";
	O.bypath = "/idle";
	O.conns = O.size = O.depth = -1;
	O.duration = O.warmup = -1;
	O.timeout = 10;
	O.window = 16;
	O.workers = 8;
	O.abrupt = 0.5;
	O.concurrency = 256;
	O.binary = 1;
	optind = 2;
	int ch;
	while ((ch = getopt_long(argc, argv, "p:c:s:d:t:w:h", lo, NULL)) != -1) {
		switch (ch) {
		case 'H': O.host = optarg; break;
		case 'p': O.port = atoi(optarg); break;
		case 'P': O.path = optarg; break;
		case 'c': O.conns = atol(optarg); break;
		case 's': O.size = atol(optarg); break;
		case 'd': O.depth = atoi(optarg); break;
		case 't': O.duration = atof(optarg); break;
		case 'W': O.warmup = atof(optarg); break;
		case 'T': O.timeout = atof(optarg); break;
		case 'r': O.rate = atof(optarg); break;
		case 'n': O.window = atoi(optarg); break;
		case 'w': O.workers = atoi(optarg); break;
		case 'N': O.cycles = atoll(optarg); break;
		case 'a': O.abrupt = atof(optarg); break;
		case 'C': O.concurrency = atoi(optarg); break;
		case 'A': O.src_addrs = atoi(optarg); break;
		case 'B': O.bystanders = atol(optarg); break;
		case 'Y': O.bypath = optarg; break;
		case 'x': O.binary = 0; break;
		case 'i':
			for (char *t = strtok(optarg, ","); t && O.npids < 8; t = strtok(NULL, ","))
				O.pids[O.npids++] = atol(t);
			O.pid = O.npids ? O.pids[0] : 0;
			break;
		case 'R': O.recv_port = atoi(optarg); break;
		case 'j': O.json = 1; break;
		case 'S': O.tls = 1; break;
		case 'm': O.chat = 1; O.binary = 0; break;
		case 'z': O.deflate = O.deflate ? O.deflate : 1; break;
		case 'Z': O.deflate = 2; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind < argc)
		die("unexpected argument \"%s\"", argv[optind]);
	if (O.port <= 0 || O.port > 65535)
		die("--port is required (1-65535)");
	if (O.conns < 0)
		O.conns = O.mode == M_BCAST ? 100 : O.mode == M_IDLE ? 1000 : 50;
	if (O.size < 0)
		O.size = O.mode == M_BCAST ? 64 : 32;
	if (O.depth < 0)
		O.depth = 1;
	if (O.duration < 0)
		O.duration = O.mode == M_CHURN ? 10 : 5;
	if (O.warmup < 0)
		O.warmup = O.mode == M_IDLE || O.mode == M_CHURN ? 0 : 1;
	if (O.mode == M_BCAST && O.size < 24)
		die("broadcast needs --size of at least 24 (timestamp and sequence)");
	if (O.mode == M_CHURN && O.size < 2)
		die("churn needs --size of at least 2");
	if (O.deflate && O.mode != M_ECHO && O.mode != M_IDLE)
		die("--deflate works in echo and idle modes only");
	if (O.conns < 1 || O.depth < 1 || O.size < 0 || O.size > (1l << 30) || O.window < 1 || O.workers < 1 ||
	    O.timeout <= 0 || O.duration < 0 || O.concurrency < 1 || O.abrupt < 0 || O.abrupt > 1)
		die("an option is out of range (see --help)");
	if (O.window > (int)BC_MASK)
		O.window = (int)BC_MASK;
	if (O.npids > 0 && server_cpu_us() < 0)
		die("cannot read /proc/PID/stat of every --pid");
	if (O.recv_port < 0 || O.recv_port > 65535 || (O.recv_port && O.mode != M_BCAST))
		die("--recv-port is for broadcast, 1-65535");

	if (O.bystanders < 0 || (O.bystanders && O.mode != M_BCAST))
		die("--bystanders is for broadcast, and not negative");
	NC = O.mode == M_BCAST ? O.conns + O.bystanders + 1 : O.mode == M_CHURN ? O.workers : O.conns;
	if (O.src_addrs <= 0)
		O.src_addrs = NC > 20000 ? (int)(NC / 20000 + 1) : 1;
	set_address();
	raise_nofile(NC + 64);
	if (O.tls) {
		TLS_CTX = SSL_CTX_new(TLS_client_method());
		if (!TLS_CTX)
			die("SSL_CTX_new failed");
		SSL_CTX_set_verify(TLS_CTX, SSL_VERIFY_NONE, NULL);
		SSL_CTX_set_mode(TLS_CTX, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
						  SSL_MODE_RELEASE_BUFFERS);
	}
	rnd_seed();
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	TEMPLATE = xmalloc((size_t)O.size + 1);
	for (long i = 0; i < O.size; i++)
		TEMPLATE[i] = (uint8_t)('a' + i % 26);
	C = calloc((size_t)NC, sizeof *C);
	if (!C)
		die("out of memory");
	for (long i = 0; i < NC; i++) {
		C[i].fd = -1;
		C[i].last_seq = -1;
		C[i].role = O.mode == M_ECHO ? R_ECHO : O.mode == M_IDLE ? R_IDLE : O.mode == M_CHURN ? R_CHURN : R_RECV;
	}
	if (O.mode == M_BCAST) {
		for (long i = O.conns; i < O.conns + O.bystanders; i++)
			C[i].role = R_IDLE;
		C[NC - 1].role = R_SEND;
	}
	EP = epoll_create1(EPOLL_CLOEXEC);
	if (EP < 0)
		die("epoll_create1: %s", strerror(errno));

	NOW = now_ns();
	enter(PH_CONNECT);
	if (O.mode == M_IDLE) {
		RSS0 = server_rss_kb();
		snap_start();
	}
	if (O.mode == M_CHURN) {
		enter(PH_MEASURE);
		snap_start();
	}
	struct epoll_event evs[512];
	while (PH != PH_DONE) {
		int to = O.mode == M_BCAST && O.rate > 0 ? 1 : 10;
		int n = epoll_wait(EP, evs, 512, to);
		if (n < 0 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		NOW = now_ns();
		for (int i = 0; i < n; i++) {
			uint32_t idx = (uint32_t)evs[i].data.u64, gen = (uint32_t)(evs[i].data.u64 >> 32);
			conn_t *c = &C[idx];
			if (c->fd < 0 || c->gen != gen)
				continue;
			on_event(c, evs[i].events);
		}
		NOW = now_ns();
		tick();
	}
	if (no_conn) {
		report();
		fprintf(stderr, "wsload: no connection could be made to %s%s%s\n", HOSTHDR, FIRST_ERR[0] ? ": " : "",
			FIRST_ERR);
		return 1;
	}
	report();
	return errors_total() ? 2 : 0;
}
