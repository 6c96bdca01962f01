/*
 * The server: accepts connections, runs the upgrade handshake, feeds frames
 * to each connection's receiver, queues and flushes output, runs the close
 * handshake and the timeouts, and serves plain files for non-upgrade GETs.
 *
 * One step (ws_server_run_once) is: wait for events, read and dispatch,
 * run due timers, then write everything that was queued during the step.
 * Sends only append to a connection's output buffer and put it on the
 * pending list, so many messages to one socket in one step go out in one
 * write() (uWebSockets' corking, redis' handleClientsWithPendingWrites).
 * Two exceptions avoid copies: a large message sent while nothing is queued
 * is written at once (send_direct), and broadcast frames are encoded once
 * into a shared block that each recipient's output refers to (ws_shblk_t).
 *
 * Connections are never freed inside a callback: destroy() closes the
 * socket and moves the struct to a dead list that the step frees at its
 * end (redis' freeClientAsync).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ws.h"
#include "ws_buf.h"
#include "ws_bus.h"
#include "ws_deflate.h"
#include "ws_frame.h"
#include "ws_http.h"
#include "ws_loop.h"
#include "ws_metrics.h"
#include "ws_net.h"
#include "ws_proxy.h"
#include "ws_room.h"
#include "ws_upgrade.h"
#include "ws_tls.h"

#define WS_READ_BUF (256 * 1024)
#define WS_MAX_EVENTS 256
#define WS_READS_PER_EVENT 8
/* Fairness: in one pass of the loop a connection's input is read and
 * handled up to this many messages delivered to the application (and
 * pongs), or this many bytes read, whichever comes first; then the others
 * are served. What was read and not yet handled waits in the connection's
 * backlog and goes first in the next pass. A flood of tiny messages from
 * one client then delays another client's message by at most a few
 * passes' worth of handler calls, not by the 2 MiB a pass could read. */
#define WS_PASS_MESSAGES 256
#define WS_PASS_BYTES (256 * 1024)
#define WS_STATIC_CHUNK (64 * 1024) /* a static file is queued this much at a time */
/* A data frame at least this long goes straight to the socket (header and
 * payload in one sendmsg) when nothing is queued before it: only what the
 * kernel does not take is copied into the queue. Smaller frames are queued
 * and go out together at the end of the step. */
#define WS_DIRECT_MIN (8 * 1024)
/* Broadcast frames are encoded once into a shared block of this size (or
 * one of their own size when larger). */
#define WS_SHARED_BLOCK (64u * 1024)
/* A data frame with at least this much payload still to come is read
 * straight into the message being assembled, not through the read buffer. */
#define WS_DIRECT_READ_MIN (32 * 1024)
/* Send queues that empty go back to a small cache for the next ones rather
 * than to the allocator (which, given and asked for the same memory around
 * every write, would trim and refault its heap); emptied at the next stats
 * tick that finds it unused, so idle connections hold none. */
#define WS_OUT_CACHE_MAX 64
#define WS_OUT_CACHE_BUF (256u * 1024)
#define WS_OUT_CACHE_BYTES (2u * 1024 * 1024)

/* Encoded broadcast frames, shared by their recipients: a connection's
 * output is its range [sh_pos, sh_end) of one block, then its own queue. The
 * block lives while the server (as its current block), a broadcast in
 * progress or a recipient holds a reference. */
typedef struct ws_shblk {
	uint32_t refs;
	uint32_t len, cap;
	uint8_t data[];
} ws_shblk_t;

enum conn_state {
	ST_HANDSHAKE, /* reading the HTTP request head */
	ST_OPEN,      /* WebSocket open */
	ST_CLOSING,   /* we sent a close frame; waiting for the peer's */
	ST_FLUSH,     /* write what is queued, then FIN, then wait for EOF */
	ST_DEAD,      /* socket closed; freed at the end of the step */
};

struct ws_conn {
	ws_server_t *srv;
	ws_io_t io; /* the socket, plain or TLS */
	/* Every byte here is paid by every connection: bit-fields, and state
	 * of the handshake shares space with state of the open connection. */
	unsigned state : 3;
	unsigned app_open : 1;   /* on_open fired and on_close not yet */
	unsigned pending : 1;    /* on the server's pending-write list */
	unsigned want_write : 1; /* EPOLLOUT armed */
	unsigned shut_wr : 1;    /* FIN sent */
	unsigned ping_sent : 1;  /* heartbeat ping not answered yet */
	unsigned over_high : 1;  /* send queue went over the high-water mark */
	unsigned proxy_done : 1; /* the PROXY protocol header was read */
	unsigned rpending : 1;   /* on the read-pending list: TLS input or a backlog waits */
	unsigned head_done : 1;  /* head complete: ws_conn_request() may parse it */
	unsigned ip_counted : 1; /* counted under remote for max_connections_per_ip */
	uint16_t close_code;     /* code we sent, when we closed first */
	int16_t subprotocol;     /* index in the server's list, -1 for none */
	ws_addr_t remote;        /* formatted by ws_conn_remote() when asked */
	uint32_t head_len;
	uint64_t id;
	uint64_t last_read;     /* loop ms of the last complete message or control frame */
	ws_conn_t *next, *prev; /* all connections */
	union {
		struct {
			ws_conn_t *onext, *oprev; /* open connections (once open) */
		};
		struct {
			uint32_t head_cap, head_seen; /* reading the head (before) */
		};
	};
	ws_conn_t *pnext;         /* pending-write list */
	ws_conn_t *dnext;         /* dead list */
	char *head;               /* request head; kept for ws_conn_request() */
	struct conn_extra *extra; /* rooms, close reason: NULL until needed */
	void *user_data;
	ws_timer_t timer; /* handshake, idle or close deadline */
	ws_buf_t out;
	ws_shblk_t *sh;          /* shared broadcast bytes, written before out */
	uint32_t sh_pos, sh_end;
	ws_rx_t *rx; /* frame receiver: only while a frame or message is partial */
	ws_deflate_conn_t *pmd; /* permessage-deflate, NULL when not negotiated */
};

/* What most connections never need, allocated on first use and kept until
 * the connection is freed. */
typedef struct conn_extra {
	ws_room_list_t rooms; /* rooms joined */
	char *close_reason;   /* reason we sent, when we closed first */
	int file_fd;          /* static file being sent, or -1 */
	uint64_t file_left;   /* its bytes not yet queued */
	uint8_t *backlog;     /* input read but left for the next pass (WS_PASS_MESSAGES) */
	uint32_t backlog_pos, backlog_len;
} conn_extra_t;

/* Open connections per client address, for max_connections_per_ip: an
 * open-addressing table (linear probing, backward-shift deletion), so the
 * check at each handshake does not walk every open connection. */
typedef struct ip_count {
	uint8_t family; /* as ws_addr_t: 4, 6, or 0 for a unix socket */
	uint8_t ip[16];
	uint32_t n; /* open connections from it; 0: a free slot */
} ip_count_t;

typedef struct app_timer {
	ws_timer_t t;
	ws_server_t *srv;
	uint64_t id;
	uint64_t repeat;
	ws_timer_cb cb;
	void *arg;
	int cancelled;
	struct app_timer *next, *prev;
} app_timer_t;

struct ws_server {
	ws_config_t cfg;
	char *host;
	char *docroot; /* realpath, or NULL */
	size_t docroot_len;
	ws_callbacks_t cb;
	void *ud;
	ws_loop_t *loop;
	int lfd;
	int wakefd; /* eventfd: ws_server_wakeup() */
	int port;
	int listening; /* listener registered with the poller */
	int stopped;
	uint32_t id_prefix;  /* node id: high bits of connection ids (ws_bus_conn_id) */
	uint32_t id_counter; /* local number of the last connection id */
	int id_wrapped;      /* the counter went round: skip ids still in use */
	uint64_t next_timer_id;
	ws_conn_t *all;
	ws_conn_t *open;
	size_t open_count, conn_count;
	ws_conn_t *pending;
	/* TLS connections with input buffered in OpenSSL (a few at a time:
	 * an array here rather than a link in every connection) */
	ws_conn_t **rpending;
	unsigned pass_left; /* application calls left in this pass for the connection being read */
	size_t rpending_len, rpending_cap;
	ws_conn_t *dead;
	ws_tls_t *tls;       /* NULL: plain ws:// */
	app_timer_t *timers;
	app_timer_t *running_timer;
	ws_timer_t accept_timer; /* resumes accepting after EMFILE */
	uint8_t *rbuf;
	ws_shblk_t *shblk;   /* where broadcasts encode their frames */
	ws_shblk_t *shspare; /* an unused block kept for the next one */
	/* Broadcast recipients (a copy of the open list or of a room's
	 * members), kept for the next broadcast; busy while one runs, so a
	 * broadcast from a close handler inside it gets its own. */
	ws_conn_t **rcpt;
	size_t rcpt_cap;
	int rcpt_busy;
	struct {
		uint8_t *base;
		size_t cap;
	} outcache[WS_OUT_CACHE_MAX]; /* emptied send queues' memory */
	size_t noutcache, outcache_bytes;
	int outcache_used; /* the cache or the shared blocks, since the last stats tick */
	char remote_buf[64]; /* ws_conn_remote()'s answer */
	ws_rx_t *spare_rx; /* a receiver no connection uses, kept for the next */
	ip_count_t *ipc; /* only with max_connections_per_ip */
	size_t ipc_cap, ipc_len;
	ws_stats_t stats;
	ws_request_t req; /* scratch for handshakes */
	ws_deflate_t *pmd; /* when compression is enabled */
	ws_rooms_t rooms;
	char **origins; /* copies of the configured lists */
	char **protocols;
	ws_cidr_t *trusted;
	size_t ntrusted;
	char *metrics_path;
	/* stats: a once-a-second sample for the rates and the loop lag */
	ws_timer_t stats_timer;
	uint64_t started_us, sample_us;
	ws_stats_t sample;
	double rates[5];
	double lag_ms[60];
	unsigned lag_n;
	struct {
		uint16_t code;
		uint64_t count;
	} closes[64];
	size_t ncloses;
	uint64_t closes_other;
	struct ws_watch *watches; /* foreign descriptors (ws_server_watch) */
	/* What on_handshake added to its answer (ws_conn_response_header and
	 * _body): one handshake runs at a time, so the server keeps it. */
	ws_conn_t *hs_conn; /* the connection in on_handshake, or NULL */
	ws_buf_t hs_headers; /* "Name: value\r\n" lines */
	ws_buf_t hs_body;
	int hs_has_body, hs_content_type;
};

#define WS_STATS_PERIOD_MS 1000

static void conn_destroy(ws_conn_t *c);

/* An accepted peer's address as the connection keeps it: 20 bytes instead
 * of its text. An IPv4-mapped IPv6 address counts as IPv4. */
static void addr_from_sockaddr(ws_addr_t *a, const struct sockaddr_storage *ss)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		a->family = 4;
		a->port = ntohs(in->sin_port);
		memcpy(a->ip, &in->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		a->port = ntohs(in6->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			a->family = 4;
			memcpy(a->ip, &in6->sin6_addr.s6_addr[12], 4);
		} else {
			a->family = 6;
			memcpy(a->ip, &in6->sin6_addr, 16);
		}
	} else {
		return; /* family 0: "unix" */
	}
	a->has_port = 1;
}

static int watch_event(ws_server_t *s, void *ptr, uint32_t events);
static void watch_reap(ws_server_t *s, int all);
static void conn_fail(ws_conn_t *c, uint16_t code, const char *reason);
static void conn_flush(ws_conn_t *c);
static void fire_close(ws_conn_t *c, uint16_t code, const char *reason, size_t len);
static void fire_own_close(ws_conn_t *c);
static int conn_room(ws_conn_t *c, size_t n);
static void rx_release(ws_conn_t *c, int force);
static void mark_read_pending(ws_conn_t *c);
static int head_grow(ws_conn_t *c);

void ws_config_init(ws_config_t *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->host = "127.0.0.1";
	cfg->port = 8000;
	cfg->backlog = 511;
	cfg->max_message_size = 1024 * 1024;
	cfg->max_buffered = 16 * 1024 * 1024;
	cfg->send_high_water = 1024 * 1024;
	cfg->handshake_timeout_ms = 10000;
	cfg->close_timeout_ms = 5000;
	cfg->shutdown_timeout_ms = 5000;
	cfg->idle_timeout_ms = 120000;
	cfg->compression.server_max_window_bits = 15;
	cfg->compression.client_max_window_bits = 15;
	cfg->compression.level = 1;
	cfg->compression.memory_level = 8;
	cfg->compression.threshold = 32;
}

static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = ws_malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* Copies a list of n strings into one allocation: the pointers, then the
 * bytes. NULL for an empty list or out of memory (*err set). */
static char **duplist(const char *const *src, size_t n, int *err)
{
	*err = 0;
	if (!src || n == 0)
		return NULL;
	size_t bytes = (n + 1) * sizeof(char *);
	for (size_t i = 0; i < n; i++)
		bytes += strlen(src[i]) + 1;
	char **v = ws_malloc(bytes);
	if (!v) {
		*err = WS_ERR_NOMEM;
		return NULL;
	}
	char *p = (char *)(v + n + 1);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(src[i]) + 1;
		memcpy(p, src[i], l);
		v[i] = p;
		p += l;
	}
	v[n] = NULL;
	return v;
}

/* ------------------------------------------------------------------ */
/* lists */

static size_t ip_len(uint8_t family)
{
	return family == 4 ? 4 : 16;
}

static size_t ip_hash(uint8_t family, const uint8_t *ip)
{
	uint64_t h = 1469598103934665603ull ^ family; /* FNV-1a */
	for (size_t i = 0; i < ip_len(family); i++)
		h = (h ^ ip[i]) * 1099511628211ull;
	return (size_t)(h ^ (h >> 32));
}

/* The slot of a's address, or of the free slot where it would go. */
static size_t ip_slot(const ip_count_t *tab, size_t cap, const ws_addr_t *a)
{
	size_t i = ip_hash(a->family, a->ip) & (cap - 1);
	while (tab[i].n && !(tab[i].family == a->family && memcmp(tab[i].ip, a->ip, ip_len(a->family)) == 0))
		i = (i + 1) & (cap - 1);
	return i;
}

static uint32_t ip_count(const ws_server_t *s, const ws_addr_t *a)
{
	return s->ipc_cap ? s->ipc[ip_slot(s->ipc, s->ipc_cap, a)].n : 0;
}

static int ip_grow(ws_server_t *s)
{
	size_t cap = s->ipc_cap ? s->ipc_cap * 2 : 64;
	ip_count_t *tab = ws_malloc(cap * sizeof(*tab));
	if (!tab)
		return WS_ERR_NOMEM;
	memset(tab, 0, cap * sizeof(*tab));
	for (size_t i = 0; i < s->ipc_cap; i++) {
		const ip_count_t *e = &s->ipc[i];
		if (e->n) {
			size_t j = ip_hash(e->family, e->ip) & (cap - 1);
			while (tab[j].n)
				j = (j + 1) & (cap - 1);
			tab[j] = *e;
		}
	}
	ws_free(s->ipc);
	s->ipc = tab;
	s->ipc_cap = cap;
	return 0;
}

/* Out of memory the connection is not counted (returns WS_ERR_NOMEM): the
 * limit is then a little generous, never wrong the other way. */
static int ip_add(ws_server_t *s, const ws_addr_t *a)
{
	if ((s->ipc_len + 1) * 2 > s->ipc_cap && ip_grow(s) != 0)
		return WS_ERR_NOMEM;
	ip_count_t *e = &s->ipc[ip_slot(s->ipc, s->ipc_cap, a)];
	if (!e->n) {
		e->family = a->family;
		memset(e->ip, 0, sizeof(e->ip));
		memcpy(e->ip, a->ip, ip_len(a->family));
		s->ipc_len++;
	}
	e->n++;
	return 0;
}

static void ip_remove(ws_server_t *s, const ws_addr_t *a)
{
	if (!s->ipc_cap)
		return;
	size_t mask = s->ipc_cap - 1, i = ip_slot(s->ipc, s->ipc_cap, a);
	if (!s->ipc[i].n || --s->ipc[i].n)
		return;
	/* Backward shift: later entries of the probe run move into the hole
	 * unless their home slot lies cyclically in (hole, their slot]. */
	for (size_t j = (i + 1) & mask; s->ipc[j].n; j = (j + 1) & mask) {
		size_t k = ip_hash(s->ipc[j].family, s->ipc[j].ip) & mask;
		if (((j - k) & mask) >= ((j - i) & mask)) {
			s->ipc[i] = s->ipc[j];
			s->ipc[j].n = 0;
			i = j;
		}
	}
	s->ipc_len--;
}

/* max_connections_per_ip counts a connection from accept() to its end, in
 * whatever state, under its client's address: at accept() for a direct
 * peer, once the PROXY header or the forwarded header has named the client
 * for one behind a proxy (at the handshake). Returns 1, and counts nothing,
 * when that address already has its limit. */
static int ip_claim(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	if (!s->cfg.max_connections_per_ip || c->ip_counted)
		return 0;
	if (ip_count(s, &c->remote) >= s->cfg.max_connections_per_ip)
		return 1;
	c->ip_counted = ip_add(s, &c->remote) == 0;
	return 0;
}

static void ip_release(ws_conn_t *c)
{
	if (c->ip_counted)
		ip_remove(c->srv, &c->remote);
	c->ip_counted = 0;
}

static void open_link(ws_server_t *s, ws_conn_t *c)
{
	c->oprev = NULL;
	c->onext = s->open;
	if (s->open)
		s->open->oprev = c;
	s->open = c;
	s->open_count++;
}

static void open_unlink(ws_server_t *s, ws_conn_t *c)
{
	if (c->oprev)
		c->oprev->onext = c->onext;
	else
		s->open = c->onext;
	if (c->onext)
		c->onext->oprev = c->oprev;
	c->onext = c->oprev = NULL;
	s->open_count--;
}

static void mark_pending(ws_conn_t *c)
{
	if (!c->pending) {
		c->pending = 1;
		c->pnext = c->srv->pending;
		c->srv->pending = c;
	}
}

/* ------------------------------------------------------------------ */
/* timers */

static uint64_t now_ms(ws_server_t *s) { return ws_loop_now(s->loop); }

static void conn_deadline(ws_conn_t *c, uint64_t in_ms)
{
	ws_timer_start(c->srv->loop, &c->timer, now_ms(c->srv) + in_ms);
}

static void conn_timer_fn(ws_loop_t *loop, ws_timer_t *t)
{
	(void)loop;
	ws_conn_t *c = (ws_conn_t *)((char *)t - offsetof(ws_conn_t, timer));
	ws_server_t *s = c->srv;
	uint32_t idle = s->cfg.idle_timeout_ms;

	switch (c->state) {
	case ST_HANDSHAKE:
		/* The handshake_timeout expired: slowloris or a dead peer. */
		conn_destroy(c);
		break;
	case ST_OPEN: {
		if (!idle)
			break;
		uint64_t quiet = now_ms(s) - c->last_read;
		if (quiet >= idle) {
			/* No complete frame for idle_timeout, not even a pong: the
			 * peer vanished without a FIN, or trickles a frame that
			 * never ends (heard_from()). */
			conn_destroy(c);
			break;
		}
		if (quiet >= idle / 2 && !c->ping_sent) {
			/* Heartbeat as uWebSockets does: ping at half the idle
			 * time, so a live but silent peer answers with a pong. */
			ws_conn_ping(c, NULL, 0);
			c->ping_sent = 1;
			/* An idle connection need not keep its compressor. */
			if (c->pmd)
				ws_deflate_conn_idle(c->pmd);
		}
		uint64_t next = c->ping_sent ? c->last_read + idle : c->last_read + idle / 2;
		ws_timer_start(s->loop, &c->timer, next > now_ms(s) ? next : now_ms(s) + 1);
		break;
	}
	case ST_CLOSING:
		/* The peer did not answer our close frame within close_timeout:
		 * the application still learns the code it closed with. */
		fire_own_close(c);
		conn_destroy(c);
		break;
	case ST_FLUSH:
		/* The peer did not read what was left, or did not send its FIN,
		 * within close_timeout. */
		conn_destroy(c);
		break;
	default:
		break;
	}
}

static void app_timer_free(ws_server_t *s, app_timer_t *at)
{
	if (at->prev)
		at->prev->next = at->next;
	else
		s->timers = at->next;
	if (at->next)
		at->next->prev = at->prev;
	ws_free(at);
}

static void app_timer_fn(ws_loop_t *loop, ws_timer_t *t)
{
	app_timer_t *at = (app_timer_t *)t;
	ws_server_t *s = at->srv;
	if (at->repeat)
		ws_timer_start(loop, &at->t, now_ms(s) + at->repeat);
	s->running_timer = at;
	at->cb(s, at->id, at->arg);
	s->running_timer = NULL;
	/* The callback may have cancelled its own timer: cancel only marks a
	 * running timer, so the node is still ours to free here. */
	if (at->cancelled || !at->repeat) {
		ws_timer_stop(loop, &at->t);
		app_timer_free(s, at);
	}
}

uint64_t ws_server_timer_add(ws_server_t *s, uint64_t delay_ms, uint64_t repeat_ms, ws_timer_cb cb, void *arg)
{
	app_timer_t *at = ws_malloc(sizeof(*at));
	if (!at)
		return 0;
	memset(at, 0, sizeof(*at));
	ws_timer_init(&at->t, app_timer_fn);
	at->srv = s;
	at->id = ++s->next_timer_id;
	at->repeat = repeat_ms;
	at->cb = cb;
	at->arg = arg;
	ws_loop_update_time(s->loop);
	if (ws_timer_start(s->loop, &at->t, now_ms(s) + delay_ms) != 0) {
		ws_free(at);
		return 0;
	}
	at->next = s->timers;
	if (s->timers)
		s->timers->prev = at;
	s->timers = at;
	return at->id;
}

int ws_server_timer_cancel(ws_server_t *s, uint64_t id)
{
	for (app_timer_t *at = s->timers; at; at = at->next) {
		if (at->id != id || at->cancelled)
			continue;
		ws_timer_stop(s->loop, &at->t);
		if (at == s->running_timer)
			at->cancelled = 1; /* freed by app_timer_fn when the callback returns */
		else
			app_timer_free(s, at);
		return 0;
	}
	return WS_ERR_NOTFOUND;
}

void ws_server_timer_foreach(ws_server_t *s, void (*fn)(uint64_t id, void *arg, void *ctx), void *ctx)
{
	for (app_timer_t *at = s->timers; at; at = at->next)
		if (!at->cancelled)
			fn(at->id, at->arg, ctx);
}

void ws_server_conn_foreach(ws_server_t *s, void (*fn)(ws_conn_t *c, void *ctx), void *ctx)
{
	for (ws_conn_t *c = s->open; c; c = c->onext)
		fn(c, ctx);
}

ws_conn_t *ws_server_conn_find(ws_server_t *s, uint64_t id)
{
	for (ws_conn_t *c = s->open; c; c = c->onext)
		if (c->id == id)
			return c;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* output */

/* Bytes waiting to be written: the shared range, then the own queue. */
static size_t conn_queued(const ws_conn_t *c) { return (size_t)(c->sh_end - c->sh_pos) + ws_buf_pending(&c->out); }

static void shblk_release(ws_server_t *s, ws_shblk_t *b)
{
	if (--b->refs > 0)
		return;
	if (!s->shspare && b->cap == WS_SHARED_BLOCK) {
		s->shspare = b;
		return;
	}
	ws_free(b);
}

static void conn_drop_shared(ws_conn_t *c)
{
	if (!c->sh)
		return;
	shblk_release(c->srv, c->sh);
	c->sh = NULL;
	c->sh_pos = c->sh_end = 0;
}

/* The server lets go of its current block (full, or at the end). */
static void shared_close(ws_server_t *s)
{
	ws_shblk_t *b = s->shblk;
	if (b) {
		s->shblk = NULL;
		shblk_release(s, b);
	}
}

/* Encodes a frame (hdr + data) once into the current block. Returns the
 * block with a reference for the caller, who gives it back with
 * shblk_release(), and the frame's offset in *at; NULL when out of memory
 * (the caller copies the frame to each recipient instead). */
static ws_shblk_t *shared_frame(ws_server_t *s, const uint8_t *hdr, size_t hl, const uint8_t *data, size_t len,
				uint32_t *at)
{
	size_t n = hl + len;
	if (n > UINT32_MAX - sizeof(ws_shblk_t))
		return NULL;
	ws_shblk_t *b = s->shblk;
	if (b && b->refs == 1)
		b->len = 0; /* nobody holds any of its bytes: start over */
	if (b && b->cap - b->len < n) {
		shared_close(s);
		b = NULL;
	}
	if (!b) {
		if (n <= WS_SHARED_BLOCK && s->shspare) {
			b = s->shspare;
			s->shspare = NULL;
		} else {
			size_t cap = n > WS_SHARED_BLOCK ? n : WS_SHARED_BLOCK;
			if (!(b = ws_malloc(sizeof(*b) + cap)))
				return NULL;
			b->cap = (uint32_t)cap;
		}
		b->len = 0;
		b->refs = 1;
		s->shblk = b;
	}
	s->outcache_used = 1;
	*at = b->len;
	memcpy(b->data + b->len, hdr, hl);
	if (len)
		memcpy(b->data + b->len + hl, data, len);
	b->len += (uint32_t)n;
	b->refs++;
	return b;
}

/* ws_buf_reserve on c's queue, which takes a cached buffer when it has none. */
static uint8_t *out_reserve(ws_conn_t *c, size_t n)
{
	ws_server_t *s = c->srv;
	if (!c->out.base && s->noutcache) {
		size_t i = --s->noutcache;
		c->out.base = s->outcache[i].base;
		c->out.cap = s->outcache[i].cap;
		c->out.pos = c->out.len = 0;
		s->outcache_bytes -= c->out.cap;
		s->outcache_used = 1;
	}
	return ws_buf_reserve(&c->out, n);
}

/* c's queue is empty: its buffer goes to the cache, or is freed. */
static void out_recycle(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	if (c->out.base && c->out.cap <= WS_OUT_CACHE_BUF && s->noutcache < WS_OUT_CACHE_MAX &&
	    s->outcache_bytes + c->out.cap <= WS_OUT_CACHE_BYTES) {
		s->outcache[s->noutcache].base = c->out.base;
		s->outcache[s->noutcache].cap = c->out.cap;
		s->noutcache++;
		s->outcache_bytes += c->out.cap;
		memset(&c->out, 0, sizeof(c->out));
		return;
	}
	ws_buf_free(&c->out);
}

static void outcache_free(ws_server_t *s)
{
	while (s->noutcache)
		ws_free(s->outcache[--s->noutcache].base);
	s->outcache_bytes = 0;
}

static int queue_frame(ws_conn_t *c, int opcode, const uint8_t *data, size_t len)
{
	uint8_t hdr[WS_FRAME_MAX_HEADER];
	size_t hl = ws_frame_header(hdr, 1, 0, opcode, len);
	uint8_t *dst = out_reserve(c, hl + len);
	if (!dst)
		return WS_ERR_NOMEM;
	memcpy(dst, hdr, hl);
	if (len)
		memcpy(dst + hl, data, len);
	c->out.len += hl + len;
	mark_pending(c);
	return 0;
}

static int queue_raw(ws_conn_t *c, const void *data, size_t len)
{
	if (len) {
		uint8_t *dst = out_reserve(c, len);
		if (!dst)
			return WS_ERR_NOMEM;
		memcpy(dst, data, len);
		c->out.len += len;
	}
	mark_pending(c);
	return 0;
}

static void arm_write(ws_conn_t *c, int on)
{
	/* A TLS read (or handshake) that waits to write needs EPOLLOUT too. */
	on = on || c->io.rd_wants_write;
	if (c->want_write == on || c->io.fd < 0)
		return;
	c->want_write = (uint8_t)on;
	ws_loop_mod(c->srv->loop, c->io.fd, WS_EV_READ | (on ? WS_EV_WRITE : 0), c);
}

/* Backpressure: a queue that went over send_high_water and is back to
 * send_low_water or less (written to the socket) fires on_drain once. */
static void check_drain(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	if (c->over_high && c->state == ST_OPEN && conn_queued(c) <= s->cfg.send_low_water) {
		c->over_high = 0;
		if (s->cb.on_drain)
			s->cb.on_drain(c, s->ud);
	}
}

/* Marks n written bytes as sent: the shared range first, then the queue. */
static void conn_consume(ws_conn_t *c, size_t n)
{
	size_t shl = c->sh_end - c->sh_pos;
	if (shl) {
		size_t k = n < shl ? n : shl;
		c->sh_pos += (uint32_t)k;
		n -= k;
		if (c->sh_pos == c->sh_end)
			conn_drop_shared(c);
	}
	if (n == ws_buf_pending(&c->out))
		out_recycle(c);
	else if (n)
		ws_buf_consume(&c->out, n);
}

/* A static file goes out WS_STATIC_CHUNK at a time: the next chunk is
 * read only once the queue is empty, so a client that does not read holds
 * one chunk of memory, not the file. 1 when bytes were queued; 0 when the
 * file is done, or shrank or failed to read (then the client sees a short
 * body against Content-Length and the connection's FIN: the honest signal). */
static int file_refill(ws_conn_t *c)
{
	conn_extra_t *x = c->extra;
	if (!x || x->file_fd < 0)
		return 0;
	size_t want = x->file_left < WS_STATIC_CHUNK ? (size_t)x->file_left : WS_STATIC_CHUNK;
	uint8_t *dst = want ? out_reserve(c, want) : NULL;
	ssize_t r = -1;
	if (dst) {
		do
			r = read(x->file_fd, dst, want);
		while (r < 0 && errno == EINTR);
	}
	if (r > 0) {
		c->out.len += (size_t)r;
		x->file_left -= (uint64_t)r;
	}
	if (r <= 0 || x->file_left == 0) {
		close(x->file_fd);
		x->file_fd = -1;
	}
	return r > 0;
}

static void conn_flush(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	int moved = 0;
	while (conn_queued(c) > 0 || file_refill(c)) {
		ssize_t n;
		if (c->sh)
			n = ws__io_write2(&c->io, c->sh->data + c->sh_pos, c->sh_end - c->sh_pos, c->out.base + c->out.pos,
					  ws_buf_pending(&c->out));
		else
			n = ws__io_write(&c->io, c->out.base + c->out.pos, ws_buf_pending(&c->out));
		if (n > 0) {
			moved = 1;
			s->stats.bytes_out += (uint64_t)n;
			conn_consume(c, (size_t)n);
			continue;
		}
		if (n == WS_AGAIN) {
			/* A TLS write that waits for input is retried on EPOLLIN. */
			arm_write(c, !c->io.wr_wants_read);
			if (c->state == ST_FLUSH && moved)
				conn_deadline(c, s->cfg.close_timeout_ms); /* slow but moving */
			check_drain(c);
			return;
		}
		/* EPIPE, ECONNRESET: the peer is gone; what is queued is lost. */
		conn_destroy(c);
		return;
	}
	arm_write(c, 0);
	if (c->state == ST_FLUSH && !c->shut_wr) {
		/* RFC 6455 §7.1.1: the server closes the TCP connection first.
		 * A FIN, then wait for the client's, so that unread input does
		 * not turn our close into an RST that could discard the close
		 * frame in flight. With TLS, a close_notify goes before the FIN. */
		ws__io_shutdown(&c->io);
		c->shut_wr = 1;
	}
	check_drain(c);
}

static void flush_pending(ws_server_t *s)
{
	/* Two passes at most: an on_drain handler may queue more. */
	for (int pass = 0; pass < 2 && s->pending; pass++) {
		ws_conn_t *c = s->pending;
		s->pending = NULL;
		while (c) {
			ws_conn_t *next = c->pnext;
			c->pending = 0;
			c->pnext = NULL;
			if (c->state != ST_DEAD && !c->want_write)
				conn_flush(c);
			c = next;
		}
	}
}

/* ------------------------------------------------------------------ */
/* closing */

static void count_close(ws_server_t *s, uint16_t code)
{
	size_t n = s->ncloses, i = 0;
	while (i < n && s->closes[i].code < code)
		i++;
	if (i < n && s->closes[i].code == code) {
		s->closes[i].count++;
		return;
	}
	if (n == sizeof(s->closes) / sizeof(s->closes[0])) {
		s->closes_other++; /* reported as code 0 */
		return;
	}
	memmove(&s->closes[i + 1], &s->closes[i], (n - i) * sizeof(s->closes[0]));
	s->closes[i].code = code;
	s->closes[i].count = 1;
	s->ncloses++;
}

static conn_extra_t *conn_extra(ws_conn_t *c)
{
	if (!c->extra) {
		c->extra = ws_malloc(sizeof(*c->extra));
		if (c->extra) {
			memset(c->extra, 0, sizeof(*c->extra));
			c->extra->file_fd = -1;
		}
	}
	return c->extra;
}

/* on_close with the code and reason of the close frame we sent first. */
static void fire_own_close(ws_conn_t *c)
{
	const char *reason = c->extra ? c->extra->close_reason : NULL;
	fire_close(c, c->close_code, reason, reason ? strlen(reason) : 0);
}

static void fire_close(ws_conn_t *c, uint16_t code, const char *reason, size_t len)
{
	if (!c->app_open)
		return;
	ws_server_t *s = c->srv;
	c->app_open = 0;
	count_close(s, code);
	open_unlink(s, c);
	/* In its close handler the connection still lists its rooms, but they
	 * no longer count it; it leaves them once the handler returned. */
	if (c->extra)
		ws_rooms_deactivate(&s->rooms, &c->extra->rooms);
	if (s->cb.on_close)
		s->cb.on_close(c, code, reason ? reason : "", reason ? len : 0, s->ud);
	if (c->extra)
		ws_rooms_leave_all(&s->rooms, &c->extra->rooms);
}

static void conn_destroy(ws_conn_t *c)
{
	if (c->state == ST_DEAD)
		return;
	ws_server_t *s = c->srv;
	/* Every opened connection gets exactly one on_close: 1006 when the
	 * TCP connection went away without a close handshake. */
	fire_close(c, WS_CLOSE_ABNORMAL, "", 0);
	ip_release(c);
	if (c->extra) /* ws_server_free skips on_close */
		ws_rooms_leave_all(&s->rooms, &c->extra->rooms);
	ws_timer_stop(s->loop, &c->timer);
	if (c->io.fd >= 0) {
		ws_loop_del(s->loop, c->io.fd);
		ws__io_close(&c->io); /* SSL_free, close */
	}
	conn_drop_shared(c); /* what it still had to write is lost */
	c->state = ST_DEAD;
	if (c->prev)
		c->prev->next = c->next;
	else
		s->all = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->conn_count--;
	s->stats.connections = s->open_count;
	c->dnext = s->dead;
	s->dead = c;
}

static void conn_free(ws_conn_t *c)
{
	rx_release(c, 1);
	if (c->pmd)
		ws_deflate_conn_deinit(c->pmd);
	ws_free(c->pmd);
	ws_buf_free(&c->out);
	conn_drop_shared(c);
	ws_free(c->head);
	if (c->extra) {
		ws_free(c->extra->close_reason);
		ws_free(c->extra->backlog);
		if (c->extra->file_fd >= 0)
			close(c->extra->file_fd);
	}
	ws_free(c->extra);
	ws_free(c);
}

static void free_dead(ws_server_t *s)
{
	ws_conn_t **pp = &s->dead;
	while (*pp) {
		ws_conn_t *c = *pp;
		if (c->pending || c->rpending) {
			/* Still linked on a pending list; flush_pending and
			 * read_tls_pending skip dead connections, so free it on the
			 * next step. */
			pp = &c->dnext;
			continue;
		}
		*pp = c->dnext;
		conn_free(c);
	}
}

static void keep_reason(ws_conn_t *c, const char *reason, size_t len)
{
	if (c->extra) {
		ws_free(c->extra->close_reason);
		c->extra->close_reason = NULL;
	}
	if (len && conn_extra(c)) {
		char *p = ws_malloc(len + 1);
		if (p) {
			memcpy(p, reason, len);
			p[len] = 0;
		}
		c->extra->close_reason = p;
	}
}

static void queue_close(ws_conn_t *c, uint16_t code, const char *reason, size_t len)
{
	uint8_t payload[125];
	size_t n = code ? ws_frame_close_payload(payload, code, reason, len) : 0; /* trims on a code point */
	queue_frame(c, WS_OP_CLOSE, payload, n);
}

/* Fails the connection (RFC 6455 §7.1.7): close frame with code, then
 * close TCP without waiting for the peer's close frame. */
static void conn_fail(ws_conn_t *c, uint16_t code, const char *reason)
{
	size_t len = reason ? strlen(reason) : 0;
	if (c->state == ST_OPEN)
		queue_close(c, code, reason, len);
	if (c->state == ST_OPEN || c->state == ST_CLOSING) {
		c->state = ST_FLUSH;
		mark_pending(c); /* from ST_CLOSING nothing is queued: flush anyway, for the FIN */
		conn_deadline(c, c->srv->cfg.close_timeout_ms);
		fire_close(c, code, reason, len);
	}
}

/* ------------------------------------------------------------------ */
/* receiving frames */

/* The idle clock restarts on each complete message or control frame, not
 * on bytes: a peer that trickles a frame one byte at a time, however fast,
 * is closed idle_timeout after the last whole thing it sent. */
static void heard_from(ws_conn_t *c)
{
	c->last_read = now_ms(c->srv);
	c->ping_sent = 0;
}

/* Counts one application call against the connection's share of the pass:
 * 1 (stop feeding) when it is used up. */
static int pass_spent(ws_server_t *s)
{
	return s->pass_left == 0 || --s->pass_left == 0;
}

static int rx_message(void *ud, int opcode, uint8_t *data, size_t len)
{
	ws_conn_t *c = ud;
	ws_server_t *s = c->srv;
	uint8_t *inflated = NULL;
	heard_from(c);
	if (c->state != ST_OPEN)
		return c->state == ST_CLOSING ? 0 : 1; /* after our close: dropped */
	if (c->rx->msg_rsv1) {
		/* RFC 7692 §6.2: a message whose first frame had RSV1 is
		 * inflated (bounded by max_message_size, text checked as
		 * UTF-8) before the application sees it. */
		const char *why;
		int rc = ws_deflate_inflate(s->pmd, c->pmd, data, len, opcode == WS_OP_TEXT, s->cfg.max_message_size,
					    &inflated, &len, &why);
		if (rc != 0) {
			conn_fail(c, rc > 0 ? (uint16_t)rc : WS_CLOSE_INTERNAL, rc > 0 ? why : "out of memory");
			return 1;
		}
		data = inflated;
	}
	s->stats.messages_in++;
	if (s->cb.on_message)
		s->cb.on_message(c, data, len, opcode == WS_OP_BINARY, s->ud);
	ws_free(inflated);
	return (c->state == ST_OPEN || c->state == ST_CLOSING) ? pass_spent(s) : 1;
}

static int rx_control(void *ud, int opcode, uint8_t *data, size_t len)
{
	ws_conn_t *c = ud;
	ws_server_t *s = c->srv;
	heard_from(c);
	switch (opcode) {
	case WS_OP_PING:
		/* RFC 6455 §5.5.2: answer with a pong carrying the same data,
		 * also between the fragments of a message. A peer that pings
		 * and never reads would grow the queue without bound, so pongs
		 * count against max_buffered like messages: past it, close
		 * 1008, or with on_buffer_full = drop no pong (§5.5.3 lets an
		 * endpoint leave pings of a burst unanswered). */
		if (c->state == ST_OPEN && conn_room(c, len + 2) == 0)
			queue_frame(c, WS_OP_PONG, data, len);
		return c->state == ST_OPEN || c->state == ST_CLOSING ? 0 : 1;
	case WS_OP_PONG:
		if (c->state == ST_OPEN && s->cb.on_pong) {
			s->cb.on_pong(c, data, len, s->ud);
			return c->state == ST_OPEN || c->state == ST_CLOSING ? pass_spent(s) : 1;
		}
		return c->state == ST_OPEN || c->state == ST_CLOSING ? 0 : 1;
	case WS_OP_CLOSE: {
		uint16_t code = len >= 2 ? (uint16_t)((data[0] << 8) | data[1]) : WS_CLOSE_NO_STATUS;
		const char *reason = len > 2 ? (const char *)data + 2 : "";
		size_t rlen = len > 2 ? len - 2 : 0;
		if (c->state == ST_OPEN) {
			/* RFC 6455 §5.5.1: answer with a close frame, echoing the
			 * code; then stop reading data and close. */
			queue_close(c, len >= 2 ? code : 0, NULL, 0);
			c->state = ST_FLUSH;
			conn_deadline(c, s->cfg.close_timeout_ms);
			fire_close(c, code, reason, rlen);
		} else if (c->state == ST_CLOSING) {
			/* The answer to our close: the handshake is complete.
			 * Nothing new is queued, but the flush must run to send
			 * our FIN (RFC 6455 §7.1.1: the server closes TCP first)
			 * instead of waiting close_timeout for the peer's. */
			c->state = ST_FLUSH;
			mark_pending(c);
			conn_deadline(c, s->cfg.close_timeout_ms);
			fire_own_close(c);
		}
		return 1;
	}
	}
	return 0;
}

static const ws_rx_handler_t rx_handler = {rx_message, rx_control};

/* The receiver of c, set up when input arrives. Between frames it holds
 * nothing worth keeping (limits come from the config), so an idle
 * connection has none: rx_release() gives it back to the server's spare
 * slot, which saves a malloc per read on a busy connection. */
static ws_rx_t *rx_acquire(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	if (!c->rx) {
		c->rx = s->spare_rx ? s->spare_rx : ws_malloc(sizeof(*c->rx));
		s->spare_rx = NULL;
		if (!c->rx)
			return NULL;
		ws_rx_init(c->rx, s->cfg.max_message_size, s->cfg.max_fragments);
		c->rx->input_slack = 1; /* rbuf has a spare byte: messages handed out in place get their NUL */
		c->rx->allow_rsv1 = c->pmd != NULL; /* RFC 7692 §6: RSV1 marks a compressed message */
	}
	return c->rx;
}

/* Drops c's receiver when it is between frames (always with force). */
static void rx_release(ws_conn_t *c, int force)
{
	ws_rx_t *rx = c->rx;
	if (!rx || (!force && (ws_rx_busy(rx) || rx->fail_code)))
		return;
	ws_rx_deinit(rx);
	c->rx = NULL;
	if (c->srv->spare_rx)
		ws_free(rx);
	else
		c->srv->spare_rx = rx;
}

/* Feeds input to c's receiver. Returns how many bytes at the end of data
 * were left unhandled because the pass's share ran out (0 otherwise: all
 * taken, or the connection failed or closed and the rest is dropped). */
static size_t conn_feed(ws_conn_t *c, uint8_t *data, size_t len, int direct)
{
	size_t used = len;
	ws_rx_t *rx = rx_acquire(c);
	if (!rx) {
		conn_fail(c, WS_CLOSE_INTERNAL, "out of memory");
		return 0;
	}
	int rc = direct ? ws_rx_feed_direct(rx, len, &rx_handler, c) : ws_rx_feed(rx, data, len, &rx_handler, c, &used);
	if (rc > 0)
		conn_fail(c, (uint16_t)rc, rx->error);
	else if (rc < 0)
		conn_fail(c, WS_CLOSE_INTERNAL, "out of memory");
	else
		rx_release(c, 0);
	return rc == 0 && (c->state == ST_OPEN || c->state == ST_CLOSING) ? len - used : 0;
}

/* Feeds n bytes read into the shared buffer; what the pass's share leaves
 * over is copied to c's backlog (n + 1 bytes: the receiver's slack byte). */
static void conn_take(ws_conn_t *c, uint8_t *buf, size_t n, int direct)
{
	size_t left = conn_feed(c, buf, n, direct);
	if (!left)
		return;
	conn_extra_t *x = conn_extra(c);
	uint8_t *b = x ? ws_malloc(left + 1) : NULL;
	if (!b) {
		conn_fail(c, WS_CLOSE_INTERNAL, "out of memory");
		return;
	}
	memcpy(b, buf + n - left, left);
	x->backlog = b;
	x->backlog_pos = 0;
	x->backlog_len = (uint32_t)left;
}

/* Feeds c's backlog, as far as the pass's share goes. Returns 1 while some
 * of it is left. */
static int backlog_run(ws_conn_t *c)
{
	conn_extra_t *x = c->extra;
	size_t left = 0;
	if (c->state == ST_OPEN || c->state == ST_CLOSING)
		left = conn_feed(c, x->backlog + x->backlog_pos, x->backlog_len - x->backlog_pos, 0);
	if (left && c->state != ST_DEAD) {
		x->backlog_pos = x->backlog_len - (uint32_t)left;
		return 1;
	}
	ws_free(x->backlog);
	x->backlog = NULL;
	x->backlog_pos = x->backlog_len = 0;
	return 0;
}

/* ------------------------------------------------------------------ */
/* HTTP: responses, static files, handshake */

/* The one writer of plain HTTP answers (errors, redirects, the handshake
 * handler's rejections), after which the connection closes: the status
 * line, Connection: close, a text/plain Content-Type unless own_type, the
 * Content-Length of the body, then el bytes of extra header lines
 * ("Name: value\r\n" each) and the body. A NULL body is the status line as
 * text; with no_body (a HEAD request) only its length is sent. */
static void http_answer(ws_conn_t *c, int status, const char *extra, size_t el, const void *body, size_t bl,
			int own_type, int no_body)
{
	ws_server_t *s = c->srv;
	const char *text = ws_http_status_text(status);
	char dflt[64], head[256];
	if (!body) {
		int dn = snprintf(dflt, sizeof(dflt), "%d %s\n", status, text);
		body = dflt;
		bl = dn > 0 && (size_t)dn < sizeof(dflt) ? (size_t)dn : 0;
	}
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nConnection: close\r\n%sContent-Length: %zu\r\n", status,
			 text, own_type ? "" : "Content-Type: text/plain; charset=utf-8\r\n", bl);
	if (n > 0 && (size_t)n < sizeof(head)) {
		queue_raw(c, head, (size_t)n);
		if (el)
			queue_raw(c, extra, el);
		queue_raw(c, "\r\n", 2);
		if (bl && !no_body)
			queue_raw(c, body, bl);
	}
	c->state = ST_FLUSH;
	conn_deadline(c, s->cfg.close_timeout_ms);
}

static void http_respond(ws_conn_t *c, int status, const char *extra)
{
	if (status >= 400)
		c->srv->stats.handshakes_failed++;
	http_answer(c, status, extra, extra ? strlen(extra) : 0, NULL, 0, 0, 0);
}

#define HEAD_TOO_LARGE "request head over 8 KiB"
_Static_assert(WS_HTTP_MAX_HEAD == 8192, "HEAD_TOO_LARGE names the limit");

/* A refused request head: the status line and why, as the body
 * ("400 Bad Request: more than one Host header"). */
static void http_refuse(ws_conn_t *c, int status, const char *why)
{
	char body[160];
	int n = snprintf(body, sizeof(body), "%d %s: %s\n", status, ws_http_status_text(status), why);
	c->srv->stats.handshakes_failed++;
	http_answer(c, status, NULL, 0, body, n > 0 && (size_t)n < sizeof(body) ? (size_t)n : 0, 0, 0);
}

static void hs_reset(ws_server_t *s)
{
	s->hs_conn = NULL;
	ws_buf_free(&s->hs_headers);
	ws_buf_free(&s->hs_body);
	s->hs_has_body = s->hs_content_type = 0;
}

static void hs_queue_headers(ws_conn_t *c)
{
	ws_buf_t *b = &c->srv->hs_headers;
	if (ws_buf_pending(b))
		queue_raw(c, b->base + b->pos, ws_buf_pending(b));
}

/* The rejection on_handshake asked for: its status, the headers it added
 * and its body (without one, the status line as text, as http_respond). */
static void http_respond_handshake(ws_conn_t *c, int status)
{
	ws_server_t *s = c->srv;
	const ws_buf_t *h = &s->hs_headers, *b = &s->hs_body;
	size_t hl = ws_buf_pending(h), bl = ws_buf_pending(b);
	s->stats.handshakes_failed++;
	http_answer(c, status, hl ? (const char *)h->base + h->pos : NULL, hl,
		    s->hs_has_body ? (bl ? (const void *)(b->base + b->pos) : "") : NULL, bl, s->hs_content_type, 0);
}

/* A folder asked for without its trailing slash: 301 to the slash form, as
 * nginx does, so that the index's relative links resolve. The Location is
 * built from the decoded path (rel, with "//" collapsed: "//host" must not
 * become a scheme-relative URL pointing elsewhere), encoded again, and the
 * query as received. */
static void http_redirect_slash(ws_conn_t *c, const ws_request_t *req, const char *rel, size_t n, int head)
{
	/* Encoding at most triples a byte; n < PATH_MAX and the query is
	 * inside the head (< WS_HTTP_MAX_HEAD), so this cannot overflow. */
	static const char name[] = "Location: ";
	const size_t nl = sizeof(name) - 1;
	size_t cap = nl + 3 * n + 1 + (req->query_len ? 1 + 3 * req->query_len : 0) + 2;
	char *loc = ws_malloc(cap);
	if (!loc) {
		http_respond(c, 503, NULL);
		return;
	}
	memcpy(loc, name, nl);
	int pl = ws_http_encode_location(rel, n, 0, loc + nl, cap - nl - 2), ql = 0;
	if (pl >= 0) {
		pl += (int)nl;
		loc[pl++] = '/';
		if (req->query_len) {
			loc[pl++] = '?';
			ql = ws_http_encode_location(req->query, req->query_len, 1, loc + pl, cap - (size_t)pl - 2);
		}
	}
	if (pl >= 0 && ql >= 0) {
		memcpy(loc + pl + ql, "\r\n", 2);
		ql += 2;
	}
	if (pl < 0 || ql < 0) {
		ws_free(loc);
		http_respond(c, 414, NULL);
		return;
	}
	http_answer(c, 301, loc, (size_t)pl + (size_t)ql, NULL, 0, 0, head);
	ws_free(loc);
}

int ws_conn_response_header(ws_conn_t *c, const char *name, size_t name_len, const char *value, size_t value_len)
{
	ws_server_t *s = c->srv;
	if (s->hs_conn != c || ws_response_header_check(name, name_len, value, value_len) != WS_HEADER_OK)
		return WS_ERR_INVAL;
	if (name_len == 12 && strncasecmp(name, "Content-Type", 12) == 0)
		s->hs_content_type = 1;
	if (ws_buf_append(&s->hs_headers, name, name_len) != 0 || ws_buf_append(&s->hs_headers, ": ", 2) != 0 ||
	    ws_buf_append(&s->hs_headers, value, value_len) != 0 || ws_buf_append(&s->hs_headers, "\r\n", 2) != 0)
		return WS_ERR_NOMEM;
	return 0;
}

int ws_conn_response_body(ws_conn_t *c, const uint8_t *body, size_t len)
{
	ws_server_t *s = c->srv;
	if (s->hs_conn != c)
		return WS_ERR_INVAL;
	ws_buf_free(&s->hs_body);
	s->hs_has_body = 1;
	return ws_buf_append(&s->hs_body, body, len);
}

static void serve_static(ws_conn_t *c, const ws_request_t *req)
{
	ws_server_t *s = c->srv;
	s->stats.http_requests++;
	if (!s->docroot) {
		http_respond(c, 426, "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n");
		return;
	}
	int head = req->method_len == 4 && memcmp(req->method, "HEAD", 4) == 0;
	if (!head && !(req->method_len == 3 && memcmp(req->method, "GET", 3) == 0)) {
		http_respond(c, 405, "Allow: GET, HEAD\r\n");
		return;
	}
	char rel[PATH_MAX];
	int n = ws_http_decode_path(req->path, req->path_len, rel, sizeof(rel));
	if (n < 0) {
		http_respond(c, n == WS_ERR_TOOBIG ? 414 : 400, NULL);
		return;
	}
	/* Judged on the decoded path, so "/%2eenv" is hidden too. */
	if (!s->cfg.serve_dotfiles && ws_http_hidden_segment(rel, (size_t)n)) {
		http_respond(c, 404, NULL);
		return;
	}
	/* The index is part of the path before it is resolved: a folder's
	 * index.html may itself be a symlink, and only the fully resolved
	 * name can be compared with the root. */
	int slash = rel[n - 1] == '/';
	char full[PATH_MAX + 16];
	int fl = snprintf(full, sizeof(full), "%s%s%s", s->docroot, rel, slash ? "index.html" : "");
	if (fl < 0 || (size_t)fl >= sizeof(full)) {
		http_respond(c, 414, NULL);
		return;
	}
	char real[PATH_MAX];
	if (!realpath(full, real)) {
		http_respond(c, 404, NULL);
		return;
	}
	/* Symlinks inside the root may point anywhere: compare the resolved
	 * path, not the requested one, with the resolved root. */
	if (strncmp(real, s->docroot, s->docroot_len) != 0 || real[s->docroot_len] != '/') {
		http_respond(c, 404, NULL);
		return;
	}
	/* realpath() left no link in real; O_NOFOLLOW refuses one put there
	 * since (ELOOP), and fstat() judges the file actually opened.
	 * O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		http_respond(c, errno == EACCES ? 403 : 404, NULL);
		return;
	}
	struct stat st;
	int known = fstat(fd, &st) == 0;
	if (!known || !S_ISREG(st.st_mode)) {
		int dir = known && S_ISDIR(st.st_mode);
		close(fd);
		if (dir && !slash)
			http_redirect_slash(c, req, rel, (size_t)n, head);
		else
			http_respond(c, 404, NULL);
		return;
	}
	conn_extra_t *x = !head && st.st_size > 0 ? conn_extra(c) : NULL;
	if (!head && st.st_size > 0 && !x) {
		close(fd);
		http_respond(c, 503, NULL);
		return;
	}
	char hdr[512];
	int hl = snprintf(hdr, sizeof(hdr),
			  "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %lld\r\nConnection: close\r\n"
			  "Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\n\r\n",
			  ws_http_mime_type(real), (long long)st.st_size);
	queue_raw(c, hdr, (size_t)hl);
	if (x) {
		/* Sent from the file as the socket drains (conn_flush). */
		x->file_fd = fd;
		x->file_left = (uint64_t)st.st_size;
	} else {
		close(fd);
	}
	c->state = ST_FLUSH;
	conn_deadline(c, s->cfg.close_timeout_ms);
}

/* metrics_path: the figures of ws_server_stats() as OpenMetrics text. */
static void serve_metrics(ws_conn_t *c, const ws_request_t *req)
{
	ws_server_t *s = c->srv;
	s->stats.http_requests++;
	int head = req->method_len == 4 && memcmp(req->method, "HEAD", 4) == 0;
	if (!head && !(req->method_len == 3 && memcmp(req->method, "GET", 3) == 0)) {
		http_respond(c, 405, "Allow: GET, HEAD\r\n");
		return;
	}
	ws_stats_t st;
	uint16_t codes[65];
	uint64_t counts[65];
	ws_buf_t body = {0};
	ws_server_stats(s, &st);
	/* The request being answered is still in its handshake: it is the
	 * scraper, not a client of the server, so it is left out. */
	if (st.connections_handshake > 0)
		st.connections_handshake--;
	size_t n = ws_server_close_codes(s, codes, counts, 65);
	if (ws_metrics_render(&body, &st, codes, counts, n) != 0) {
		ws_buf_free(&body);
		http_respond(c, 500, NULL);
		return;
	}
	char hdr[256];
	int hl = snprintf(hdr, sizeof(hdr),
			  "HTTP/1.1 200 OK\r\nContent-Type: " WS_METRICS_CONTENT_TYPE "\r\nContent-Length: %zu\r\n"
			  "Connection: close\r\nCache-Control: no-store\r\n\r\n",
			  ws_buf_pending(&body));
	queue_raw(c, hdr, (size_t)hl);
	if (!head)
		queue_raw(c, body.base + body.pos, ws_buf_pending(&body));
	ws_buf_free(&body);
	c->state = ST_FLUSH;
	conn_deadline(c, s->cfg.close_timeout_ms);
}

static int over_limits(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	if (s->cfg.max_connections && s->open_count >= s->cfg.max_connections)
		return 1;
	return ip_claim(c); /* a direct peer was counted at accept() */
}

/* With proxy_protocol, the PROXY header comes before the HTTP request: it
 * is parsed from the head buffer, its source becomes the remote address,
 * and the bytes after it slide down to be the start of the request.
 * Returns 1 when the request may be parsed now. A connection whose first
 * bytes are not a valid PROXY header is closed without an answer, as the
 * protocol's spec (§2) asks: it is not talking to a proxy. */
static int proxy_header(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	ws_proxy_hdr_t ph;
	int rc = ws_proxy_parse((const uint8_t *)c->head, c->head_len, &ph);
	if (rc == WS_AGAIN)
		return 0;
	if (rc < 0) {
		s->stats.handshakes_failed++;
		conn_destroy(c);
		return 0;
	}
	if (!ph.local)
		c->remote = ph.src;
	c->proxy_done = 1;
	c->head_len -= (uint32_t)rc;
	memmove(c->head, c->head + rc, c->head_len);
	c->head_seen = 0;
	return c->head_len > 0;
}

/* With TLS, the PROXY header comes in clear before the TLS handshake, so
 * it is read from the socket itself and not one byte further: OpenSSL must
 * start at the ClientHello. The bytes of a header that is not complete yet
 * are consumed into the head buffer (they can only be the header's); the
 * rest is peeked at until the header is whole, then exactly its remainder
 * is consumed. A peek that fills the buffer with a header still incomplete
 * (a v2 block with large TLVs, up to WS_PROXY_V2_MAX) grows the buffer and
 * peeks again: ws_proxy_parse() alone decides what is too big. Returns 1
 * when the TLS handshake may start. */
static int proxy_header_tls(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	for (;;) {
		if (c->head_len == c->head_cap && head_grow(c) != 0) {
			conn_destroy(c);
			return 0;
		}
		size_t have = c->head_len, room = c->head_cap - c->head_len;
		if (room == 0) {
			/* Unreachable while WS_PROXY_V2_MAX < WS_HTTP_MAX_HEAD:
			 * the parser refuses longer headers first. */
			s->stats.handshakes_failed++;
			conn_destroy(c);
			return 0;
		}
		ssize_t n;
		do
			n = recv(c->io.fd, c->head + have, room, MSG_PEEK);
		while (n < 0 && errno == EINTR);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		ws_proxy_hdr_t ph;
		int rc = n > 0 ? ws_proxy_parse((const uint8_t *)c->head, have + (size_t)n, &ph) : WS_ERR_PROTO;
		if (rc < 0 && rc != WS_AGAIN) {
			if (n > 0)
				s->stats.handshakes_failed++;
			conn_destroy(c);
			return 0;
		}
		size_t take = rc == WS_AGAIN ? (size_t)n : (size_t)rc - have;
		ssize_t got;
		do
			got = recv(c->io.fd, c->head + have, take, 0);
		while (got < 0 && errno == EINTR);
		if (got != (ssize_t)take) {
			conn_destroy(c);
			return 0;
		}
		s->stats.bytes_in += take;
		if (rc == WS_AGAIN) {
			c->head_len += (uint32_t)take;
			if ((size_t)n < room)
				return 0; /* the socket is drained: wait for more */
			continue;         /* the buffer was full: there may be more */
		}
		if (!ph.local)
			c->remote = ph.src;
		c->proxy_done = 1;
		c->head_len = 0;
		return 1;
	}
}

/* Behind a trusted proxy, the client is the one its headers name. */
static void forwarded_for(ws_conn_t *c, const ws_request_t *req)
{
	ws_server_t *s = c->srv;
	ws_addr_t client;
	if (c->remote.family == 0 || !ws_cidr_match(s->trusted, s->ntrusted, &c->remote))
		return;
	if (ws_proxy_forwarded(req, s->cfg.forwarded_header, s->trusted, s->ntrusted, &client))
		c->remote = client;
}

/* Fields the handshake consumed, left out of the head kept after the
 * upgrade: Connection and Upgrade are hop-by-hop (RFC 9110 §7.6.1), the
 * Sec-WebSocket-Key nonce and Sec-WebSocket-Version mean nothing once the
 * connection is open. Together they are a third of a typical request. */
static int consumed_field(const ws_header_t *h)
{
	static const char *const names[] = {"Connection", "Upgrade", "Sec-WebSocket-Key", "Sec-WebSocket-Version"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (h->name_len == strlen(names[i]) && strncasecmp(h->name, names[i], h->name_len) == 0)
			return 1;
	return 0;
}

/* The head as kept after the upgrade, in one exact-size allocation: the
 * request line as received, then "name: value" for every field the
 * handshake did not consume (req, parsed from head). Returns it with *len
 * set, or NULL (out of memory, or nothing to leave out: keep head as is). */
static char *kept_head(const char *head, size_t hlen, const ws_request_t *req, size_t *len)
{
	const char *eol = memchr(head, '\n', hlen);
	if (!eol)
		return NULL;
	size_t line = (size_t)(eol - head) + 1, n = line + 2, dropped = 0;
	for (size_t i = 0; i < req->num_headers; i++) {
		const ws_header_t *h = &req->headers[i];
		if (consumed_field(h))
			dropped++;
		else
			n += h->name_len + 2 + h->value_len + 2;
	}
	if (!dropped)
		return NULL;
	char *p = ws_malloc(n), *o = p;
	if (!p)
		return NULL;
	memcpy(o, head, line);
	o += line;
	for (size_t i = 0; i < req->num_headers; i++) {
		const ws_header_t *h = &req->headers[i];
		if (consumed_field(h))
			continue;
		memcpy(o, h->name, h->name_len);
		o += h->name_len;
		memcpy(o, ": ", 2);
		o += 2;
		memcpy(o, h->value, h->value_len);
		o += h->value_len;
		memcpy(o, "\r\n", 2);
		o += 2;
	}
	memcpy(o, "\r\n", 2);
	/* What is kept must parse again (ws_conn_request() does it). */
	ws_request_t check;
	if (ws_http_parse_request(p, n, 0, &check) != (int)n) {
		ws_free(p);
		return NULL;
	}
	*len = n;
	return p;
}

static void do_handshake(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	if (s->cfg.proxy_protocol && !c->proxy_done && !proxy_header(c))
		return;
	int rc = ws_http_parse_request(c->head, c->head_len, c->head_seen, &s->req);
	if (rc == WS_AGAIN) {
		c->head_seen = c->head_len;
		if (c->head_len >= WS_HTTP_MAX_HEAD)
			http_refuse(c, 431, HEAD_TOO_LARGE);
		return;
	}
	if (rc < 0) {
		/* Too many header lines is 431, as too many bytes. */
		http_refuse(c, rc == WS_ERR_TOOBIG ? 431 : 400, s->req.error ? s->req.error : "malformed request");
		return;
	}
	size_t hlen = (size_t)rc;
	const char *key = NULL;
	size_t klen = 0;
	int st = ws_http_check_upgrade(&s->req, &key, &klen);
	if (st == WS_HTTP_PLAIN) {
		if (s->metrics_path && strlen(s->metrics_path) == s->req.path_len &&
		    memcmp(s->metrics_path, s->req.path, s->req.path_len) == 0)
			serve_metrics(c, &s->req);
		else
			serve_static(c, &s->req);
		return;
	}
	if (st != 0) {
		http_respond(c, st, st == 426 ? "Sec-WebSocket-Version: 13\r\n" : NULL);
		return;
	}
	if (s->ntrusted)
		forwarded_for(c, &s->req);
	if (over_limits(c)) {
		http_respond(c, 503, NULL);
		return;
	}
	/* RFC 6455 §10.2: the Origin header protects browsers' users from
	 * pages of other sites; with an allow-list, anything else is 403. */
	if (s->cfg.num_allowed_origins &&
	    !ws_upgrade_origin_allowed(&s->req, s->cfg.allowed_origins, s->cfg.num_allowed_origins)) {
		http_respond(c, 403, NULL);
		return;
	}
	c->subprotocol = (int16_t)ws_upgrade_select_protocol(&s->req, s->cfg.subprotocols, s->cfg.num_subprotocols);
	/* RFC 7692 §5: the offers point into the head, which moves below. */
	ws_deflate_params_t pmd;
	int use_pmd = ws_deflate_negotiate(&s->cfg.compression, &s->req, &pmd);
	if (use_pmd) {
		/* Allocated only when agreed: most connections never are. */
		c->pmd = ws_malloc(sizeof(*c->pmd));
		if (c->pmd)
			ws_deflate_conn_init(c->pmd, &pmd);
		else
			use_pmd = 0; /* out of memory: go on without compression */
	}
	char accept[29];
	if (ws_http_accept_key(key, klen, accept) != 0) {
		http_respond(c, 400, NULL);
		return;
	}
	/* Bytes after the head (a client's first frame in the same packet)
	 * move to the read buffer to be fed once the connection is open; the
	 * head itself is kept, without the fields the handshake consumed, for
	 * ws_conn_request(). */
	size_t extra = c->head_len - hlen;
	if (extra)
		memcpy(s->rbuf, c->head + hlen, extra);
	size_t klen_head;
	char *kept = kept_head(c->head, hlen, &s->req, &klen_head);
	if (kept) {
		ws_free(c->head);
		c->head = kept;
		hlen = klen_head;
	} else if (extra) {
		char *trimmed = ws_realloc(c->head, hlen);
		if (trimmed)
			c->head = trimmed;
	}
	c->head_len = (uint32_t)hlen;
	c->head_done = 1;

	if (s->cb.on_handshake) {
		hs_reset(s);
		s->hs_conn = c;
		int verdict = s->cb.on_handshake(c, ws_conn_request(c), s->ud);
		s->hs_conn = NULL;
		if (c->state != ST_HANDSHAKE) {
			hs_reset(s);
			return;
		}
		if (verdict != 0) {
			http_respond_handshake(c, verdict >= 300 && verdict <= 599 ? verdict : 403);
			hs_reset(s);
			return;
		}
	}
	/* No matching subprotocol: no header (RFC 6455 §4.2.2 item 5.4). */
	const char *proto = ws_conn_subprotocol(c);
	char resp[192];
	int n = snprintf(resp, sizeof(resp),
			 "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
			 "Sec-WebSocket-Accept: %s\r\n%s",
			 accept, proto ? "Sec-WebSocket-Protocol: " : "");
	queue_raw(c, resp, (size_t)n);
	if (proto) {
		queue_raw(c, proto, strlen(proto));
		queue_raw(c, "\r\n", 2);
	}
	if (use_pmd) {
		char ext[WS_DEFLATE_MAX_RESPONSE];
		size_t el = ws_deflate_response(&pmd, ext, sizeof(ext));
		queue_raw(c, ext, el);
	}
	/* The handshake handler's own headers (Set-Cookie, ...). */
	hs_queue_headers(c);
	hs_reset(s);
	queue_raw(c, "\r\n", 2);
	c->state = ST_OPEN;
	c->last_read = now_ms(s);
	if (s->cfg.idle_timeout_ms)
		conn_deadline(c, s->cfg.idle_timeout_ms / 2);
	else
		ws_timer_stop(s->loop, &c->timer);
	c->app_open = 1;
	open_link(s, c);
	s->stats.connections = s->open_count;
	if (s->cb.on_open)
		s->cb.on_open(c, s->ud);
	if (extra && c->state == ST_OPEN)
		conn_take(c, s->rbuf, extra, 0);
}

/* ------------------------------------------------------------------ */
/* reading */

/* Plain HTTP sent to the TLS port (a browser pointed at http:// instead of
 * https://): answer in clear text and close, as nginx does, rather than
 * leave the client waiting for a TLS handshake it will never start. */
static void tls_plain_http(ws_conn_t *c)
{
	static const char resp[] = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"
				   "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 60\r\n\r\n"
				   "400 Bad Request: plain HTTP sent to a TLS (https/wss) port\n";
	ws_server_t *s = c->srv;
	ws__io_drop_tls(&c->io);
	queue_raw(c, resp, sizeof(resp) - 1);
	s->stats.handshakes_failed++;
	c->state = ST_FLUSH;
	conn_deadline(c, s->cfg.close_timeout_ms);
}

/* Appends n bytes to the head, reallocated to its exact new size.
 * Returns 0 or WS_ERR_NOMEM. */
static int head_append(ws_conn_t *c, const uint8_t *data, size_t n)
{
	if (c->head_cap < c->head_len + n) {
		char *p = ws_realloc(c->head, c->head_len + n);
		if (!p)
			return WS_ERR_NOMEM;
		c->head = p;
		c->head_cap = c->head_len + (uint32_t)n;
	}
	memcpy(c->head + c->head_len, data, n);
	c->head_len += (uint32_t)n;
	return 0;
}

/* Doubles the head buffer's capacity (1 KiB first, up to the head limit)
 * for a PROXY header peeked at in place. Returns 0 or WS_ERR_NOMEM. */
static int head_grow(ws_conn_t *c)
{
	if (c->head_cap >= WS_HTTP_MAX_HEAD)
		return 0;
	uint32_t ncap = c->head_cap ? c->head_cap * 2 : 1024;
	if (ncap > WS_HTTP_MAX_HEAD)
		ncap = WS_HTTP_MAX_HEAD;
	char *p = ws_realloc(c->head, ncap);
	if (!p)
		return WS_ERR_NOMEM;
	c->head = p;
	c->head_cap = ncap;
	return 0;
}

static void conn_read(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	size_t got = 0;
	for (int i = 0; i < WS_READS_PER_EVENT && c->state != ST_DEAD; i++) {
		if (got >= WS_PASS_BYTES || s->pass_left == 0 || (c->extra && c->extra->backlog))
			return; /* the connection's share of this pass is used */
		uint8_t *buf;
		size_t cap;
		int direct = 0;
		if (c->state == ST_HANDSHAKE) {
			if (c->io.ssl && s->cfg.proxy_protocol && !c->proxy_done) {
				if (!proxy_header_tls(c))
					return;
				continue; /* the TLS handshake follows */
			}
			/* The head is read into the shared buffer and kept at its
			 * exact size (usually one read, one allocation). No more
			 * than the head limit: anything past it stays in the
			 * socket until the head is complete. */
			buf = s->rbuf;
			cap = WS_HTTP_MAX_HEAD - c->head_len;
			if (cap == 0) {
				http_refuse(c, 431, HEAD_TOO_LARGE);
				return;
			}
		} else if ((c->state == ST_OPEN || c->state == ST_CLOSING) &&
			   c->rx && (buf = ws_rx_direct(c->rx, WS_DIRECT_READ_MIN, &cap)) != NULL) {
			direct = 1; /* the rest of a long payload, where it belongs */
		} else {
			buf = s->rbuf;
			cap = WS_READ_BUF;
		}
		ssize_t n = ws__io_read(&c->io, buf, cap);
		if (n > 0) {
			s->stats.bytes_in += (uint64_t)n;
			got += (size_t)n;
			switch (c->state) {
			case ST_HANDSHAKE:
				if (head_append(c, buf, (size_t)n) != 0) {
					conn_destroy(c);
					return;
				}
				do_handshake(c);
				break;
			case ST_OPEN:
			case ST_CLOSING:
				conn_take(c, buf, (size_t)n, direct);
				break;
			default:
				break; /* ST_FLUSH: input after our close is discarded */
			}
			/* A short plain read means the socket is drained (level-
			 * triggered epoll tells us of more). SSL_read returns one
			 * record at a time, so a TLS connection reads on until
			 * WS_AGAIN. */
			if ((size_t)n < cap && !c->io.ssl)
				return;
			continue;
		}
		if (n == WS_AGAIN)
			return;
		if (n == WS_ERR_PROTO && c->state == ST_HANDSHAKE) {
			tls_plain_http(c);
			return;
		}
		if (n == WS_ERR_TLS && c->state == ST_HANDSHAKE)
			s->stats.handshakes_failed++;
		/* EOF, ECONNRESET, or a TLS failure (handshake, bad record). */
		conn_destroy(c);
		return;
	}
}

static void conn_readable(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	if (c->extra && c->extra->backlog && c->rpending)
		return; /* its share of this pass was used: the next pass */
	s->pass_left = WS_PASS_MESSAGES;
	if (!(c->extra && c->extra->backlog && backlog_run(c)))
		conn_read(c);
	if (c->state == ST_DEAD)
		return;
	if (c->extra && c->extra->backlog && !c->rpending)
		mark_read_pending(c);
	if (!c->io.ssl)
		return;
	/* Arms EPOLLOUT while a TLS read waits to write, disarms it when that
	 * is over and nothing is queued. */
	arm_write(c, c->want_write && conn_queued(c) > 0);
	/* Input OpenSSL already took from the socket (the rest of a record
	 * larger than our buffer, or left after WS_READS_PER_EVENT reads)
	 * raises no event: read it in the next step. */
	if (ws__io_pending(&c->io) && !c->rpending)
		mark_read_pending(c);
}

/* Out of memory, c is not marked: its input waits for its next event. */
static void mark_read_pending(ws_conn_t *c)
{
	ws_server_t *s = c->srv;
	if (s->rpending_len == s->rpending_cap) {
		size_t cap = s->rpending_cap ? s->rpending_cap * 2 : 16;
		ws_conn_t **v = ws_realloc(s->rpending, cap * sizeof(*v));
		if (!v)
			return;
		s->rpending = v;
		s->rpending_cap = cap;
	}
	s->rpending[s->rpending_len++] = c;
	c->rpending = 1;
}

/* The connections marked before this step; those marked while it runs
 * wait for the next. */
static void read_tls_pending(ws_server_t *s)
{
	size_t n = s->rpending_len;
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		ws_conn_t *c = s->rpending[i];
		c->rpending = 0;
		if (c->state != ST_DEAD && c->io.wr_wants_read)
			conn_flush(c);
		if (c->state != ST_DEAD)
			conn_readable(c);
	}
	s->rpending_len -= n;
	memmove(s->rpending, s->rpending + n, s->rpending_len * sizeof(*s->rpending));
}

/* ------------------------------------------------------------------ */
/* accepting */

static void pause_listener(ws_server_t *s, int on)
{
	if (on && s->listening) {
		ws_loop_del(s->loop, s->lfd);
		s->listening = 0;
	} else if (!on && !s->listening && s->lfd >= 0) {
		if (ws_loop_add(s->loop, s->lfd, WS_EV_READ, s) == 0)
			s->listening = 1;
	}
}

static void accept_timer_fn(ws_loop_t *loop, ws_timer_t *t)
{
	(void)loop;
	ws_server_t *s = (ws_server_t *)((char *)t - offsetof(ws_server_t, accept_timer));
	pause_listener(s, 0);
}

static uint64_t monotonic_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Once a second: how late this timer ran is the loop's lag (a handler that
 * held the loop delays it), and the counters' growth since the last run
 * gives the per-second rates. */
static void stats_timer_fn(ws_loop_t *loop, ws_timer_t *t)
{
	ws_server_t *s = (ws_server_t *)((char *)t - offsetof(ws_server_t, stats_timer));
	uint64_t now = monotonic_us(), due = t->when * 1000u;
	s->lag_ms[s->lag_n++ % 60] = now > due ? (double)(now - due) / 1000.0 : 0.0;
	double secs = (double)(now - s->sample_us) / 1e6;
	if (secs > 0) {
		s->rates[0] = (double)(s->stats.messages_in - s->sample.messages_in) / secs;
		s->rates[1] = (double)(s->stats.messages_out - s->sample.messages_out) / secs;
		s->rates[2] = (double)(s->stats.bytes_in - s->sample.bytes_in) / secs;
		s->rates[3] = (double)(s->stats.bytes_out - s->sample.bytes_out) / secs;
		s->rates[4] = (double)(s->stats.connections_total - s->sample.connections_total) / secs;
	}
	s->sample = s->stats;
	s->sample_us = now;
	if (!s->outcache_used) {
		/* A quiet second: give back what was kept for the next sends. */
		outcache_free(s);
		if (s->shblk && s->shblk->refs == 1)
			shared_close(s);
		ws_free(s->shspare);
		s->shspare = NULL;
	}
	s->outcache_used = 0;
	ws_timer_start(loop, t, ws_loop_now(loop) + WS_STATS_PERIOD_MS);
}

/* The next connection id (ws_bus_conn_id). After 2^32 - 1 connections the
 * local number goes round (0 skipped); from then on an id still held by a
 * connection is skipped too, at the cost of a walk over the connections. */
static uint64_t next_conn_id(ws_server_t *s)
{
	for (;;) {
		if (++s->id_counter == 0) {
			s->id_wrapped = 1;
			continue;
		}
		uint64_t id = ws_bus_conn_id(s->id_prefix, s->id_counter);
		if (!s->id_wrapped)
			return id;
		const ws_conn_t *c = s->all;
		while (c && c->id != id)
			c = c->next;
		if (!c)
			return id;
	}
}

static void accept_all(ws_server_t *s)
{
	for (int i = 0; i < 1024; i++) {
		struct sockaddr_storage ss;
		socklen_t sl;
		int fd = ws_net_accept(s->lfd, &ss, &sl);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
				/* Out of descriptors: a level-triggered listener would
				 * wake us forever. Stop listening for 100 ms. */
				pause_listener(s, 1);
				ws_timer_start(s->loop, &s->accept_timer, now_ms(s) + 100);
			}
			return;
		}
		ws_conn_t *c = ws_malloc(sizeof(*c));
		if (!c) {
			close(fd);
			return;
		}
		memset(c, 0, sizeof(*c));
		c->srv = s;
		if (ws__io_init(&c->io, fd, s->tls) != 0) {
			close(fd);
			ws_free(c);
			return;
		}
		c->state = ST_HANDSHAKE;
		c->subprotocol = -1;
		c->id = next_conn_id(s);
		ws_timer_init(&c->timer, conn_timer_fn);
		addr_from_sockaddr(&c->remote, &ss);
		if (ws_loop_add(s->loop, fd, WS_EV_READ, c) != 0) {
			ws__io_close(&c->io);
			ws_free(c);
			continue;
		}
		c->next = s->all;
		if (s->all)
			s->all->prev = c;
		s->all = c;
		s->conn_count++;
		s->stats.connections_total++;
		if (s->cfg.handshake_timeout_ms)
			conn_deadline(c, s->cfg.handshake_timeout_ms);
		/* A direct peer counts for max_connections_per_ip from now, so
		 * that silent connections cannot pile up beside the limit; one
		 * over it is answered 503 (in clear text: closed, with TLS)
		 * without waiting for its request. A proxy's connections count
		 * once the client is known (ip_claim at the handshake). */
		if (!s->cfg.proxy_protocol && !(s->ntrusted && ws_cidr_match(s->trusted, s->ntrusted, &c->remote)) &&
		    ip_claim(c)) {
			if (c->io.ssl)
				conn_destroy(c);
			else
				http_respond(c, 503, NULL);
		}
	}
}

/* ------------------------------------------------------------------ */
/* server */

int ws_server_new(ws_server_t **out, const ws_config_t *cfg, const ws_callbacks_t *cb, void *user_data,
		  char *errbuf, size_t errlen)
{
	*out = NULL;
	if (errbuf && errlen)
		errbuf[0] = 0;
	ws_server_t *s = ws_malloc(sizeof(*s));
	if (!s)
		return WS_ERR_NOMEM;
	memset(s, 0, sizeof(*s));
	s->lfd = -1;
	s->wakefd = -1;
	uint64_t seed[2] = {0, 0};
	if (getrandom(seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed)) {
		/* No entropy yet (early boot): the room hash is still keyed, by
		 * less secret values. */
		seed[0] = (uint64_t)(uintptr_t)s ^ (uint64_t)getpid();
		seed[1] = (uint64_t)(uintptr_t)&seed ^ ((uint64_t)time(NULL) << 20);
	}
	ws_rooms_init(&s->rooms, seed[0], seed[1]);
	s->cfg = *cfg;
	if (cb)
		s->cb = *cb;
	s->ud = user_data;
	ws_timer_init(&s->accept_timer, accept_timer_fn);
	ws_timer_init(&s->stats_timer, stats_timer_fn);
	s->started_us = s->sample_us = monotonic_us();
	int rc = WS_ERR_NOMEM;
	s->host = dupstr(cfg->host ? cfg->host : "127.0.0.1");
	s->rbuf = ws_malloc(WS_READ_BUF + 1);
	if (!s->host || !s->rbuf)
		goto fail;
	s->cfg.host = s->host;
	if (cfg->document_root) {
		char real[PATH_MAX];
		struct stat st;
		if (!realpath(cfg->document_root, real) || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
			if (errbuf)
				snprintf(errbuf, errlen, "document_root %s: %s", cfg->document_root,
					 errno ? strerror(errno) : "not a directory");
			rc = WS_ERR_INVAL;
			goto fail;
		}
		s->docroot = dupstr(real);
		if (!s->docroot)
			goto fail;
		s->docroot_len = strlen(s->docroot);
		if (s->docroot_len == 1) /* "/" as root: paths are "/x", not "//x" */
			s->docroot[0] = 0, s->docroot_len = 0;
	}
	s->cfg.document_root = s->docroot;
	if (cfg->num_subprotocols > INT16_MAX) {
		if (errbuf)
			snprintf(errbuf, errlen, "too many subprotocols");
		rc = WS_ERR_INVAL;
		goto fail;
	}
	for (size_t i = 0; i < cfg->num_subprotocols; i++) {
		if (!ws_subprotocol_valid(cfg->subprotocols[i], strlen(cfg->subprotocols[i]))) {
			if (errbuf)
				snprintf(errbuf, errlen, "subprotocol \"%s\" is not a token", cfg->subprotocols[i]);
			rc = WS_ERR_INVAL;
			goto fail;
		}
	}
	int lerr = 0;
	s->origins = duplist(cfg->allowed_origins, cfg->num_allowed_origins, &lerr);
	if (lerr)
		goto fail;
	s->protocols = duplist(cfg->subprotocols, cfg->num_subprotocols, &lerr);
	if (lerr)
		goto fail;
	s->cfg.allowed_origins = (const char *const *)s->origins;
	s->cfg.subprotocols = (const char *const *)s->protocols;
	if (cfg->num_trusted_proxies) {
		s->trusted = ws_malloc(cfg->num_trusted_proxies * sizeof(*s->trusted));
		if (!s->trusted)
			goto fail;
		for (size_t i = 0; i < cfg->num_trusted_proxies; i++) {
			const char *t = cfg->trusted_proxies[i];
			if (ws_cidr_parse(t, strlen(t), &s->trusted[i]) != 0) {
				if (errbuf)
					snprintf(errbuf, errlen, "trusted proxy \"%s\" is not an IP address or CIDR block", t);
				rc = WS_ERR_INVAL;
				goto fail;
			}
		}
		s->ntrusted = cfg->num_trusted_proxies;
	}
	s->cfg.trusted_proxies = NULL; /* parsed into s->trusted */
	s->cfg.num_trusted_proxies = 0;
	if (cfg->metrics_path) {
		if (cfg->metrics_path[0] != '/') {
			if (errbuf)
				snprintf(errbuf, errlen, "metrics_path \"%s\" must start with /", cfg->metrics_path);
			rc = WS_ERR_INVAL;
			goto fail;
		}
		if (!(s->metrics_path = dupstr(cfg->metrics_path)))
			goto fail;
	}
	s->cfg.metrics_path = s->metrics_path;
	memset(&s->cfg.tls, 0, sizeof(s->cfg.tls)); /* the copies live in s->tls */
	const ws_tls_config_t *tls = &cfg->tls;
	if (!tls->cert && (tls->key || tls->passphrase || tls->ca || tls->ciphers || tls->min_version)) {
		if (errbuf)
			snprintf(errbuf, errlen, "TLS settings without a certificate (tls.cert)");
		rc = WS_ERR_INVAL;
		goto fail;
	}
	if (tls->cert && (rc = ws__tls_new(&s->tls, tls, errbuf, errlen)) != 0)
		goto fail;
	if (cfg->compression.enabled) {
		if ((rc = ws_deflate_check_config(&cfg->compression, errbuf, errlen)) != 0 ||
		    (rc = ws_deflate_new(&s->pmd, &cfg->compression)) != 0)
			goto fail;
	}
	if ((rc = ws_loop_new(&s->loop)) != 0) {
		if (errbuf)
			snprintf(errbuf, errlen, "epoll_create1: %s", strerror(errno));
		goto fail;
	}
	ws_net_raise_fd_limit();
	int fd = ws_net_listen(s->host, cfg->port, cfg->backlog, cfg->reuse_port, errbuf, errlen);
	if (fd < 0) {
		rc = fd;
		goto fail;
	}
	s->lfd = fd;
	s->port = ws_net_local_port(fd);
	pause_listener(s, 0);
	if (!s->listening) {
		if (errbuf)
			snprintf(errbuf, errlen, "epoll_ctl: %s", strerror(errno));
		rc = WS_ERR_SYS;
		goto fail;
	}
	if ((rc = ws_timer_start(s->loop, &s->stats_timer, ws_loop_now(s->loop) + WS_STATS_PERIOD_MS)) != 0)
		goto fail;
	s->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->wakefd < 0 || ws_loop_add(s->loop, s->wakefd, WS_EV_READ, &s->wakefd) != 0) {
		if (errbuf)
			snprintf(errbuf, errlen, "eventfd: %s", strerror(errno));
		rc = WS_ERR_SYS;
		goto fail;
	}
	*out = s;
	return 0;
fail:
	ws_server_free(s);
	return rc;
}

/* Frees every connection without a close handshake or on_close, and
 * empties the lists that point at them (server teardown; a forked worker
 * letting go of its parent's connections). */
static void drop_conns(ws_server_t *s)
{
	while (s->all) {
		ws_conn_t *c = s->all;
		if (c->app_open) {
			c->app_open = 0;
			open_unlink(s, c);
		}
		conn_destroy(c);
	}
	for (ws_conn_t *c = s->pending; c; c = c->pnext)
		c->pending = 0;
	s->pending = NULL;
	for (size_t i = 0; i < s->rpending_len; i++)
		s->rpending[i]->rpending = 0;
	s->rpending_len = 0;
	free_dead(s);
}

void ws_server_free(ws_server_t *s)
{
	if (!s)
		return;
	drop_conns(s);
	shared_close(s);
	outcache_free(s);
	hs_reset(s);
	ws_free(s->rcpt);
	ws_free(s->shspare);
	s->shspare = NULL;
	ws_rooms_deinit(&s->rooms);
	ws__tls_free(s->tls); /* after the connections: their BIOs use its method */
	watch_reap(s, 1);
	while (s->timers)
		app_timer_free(s, s->timers);
	if (s->lfd >= 0)
		close(s->lfd);
	if (s->wakefd >= 0)
		close(s->wakefd);
	ws_loop_free(s->loop);
	ws_deflate_free(s->pmd);
	ws_free(s->rbuf);
	ws_free(s->rpending);
	ws_free(s->ipc);
	if (s->spare_rx)
		ws_rx_deinit(s->spare_rx);
	ws_free(s->spare_rx);
	ws_free(s->host);
	ws_free(s->docroot);
	ws_free(s->origins);
	ws_free(s->protocols);
	ws_free(s->trusted);
	ws_free(s->metrics_path);
	ws_free(s);
}

int ws_server_run_once(ws_server_t *s, int timeout_ms)
{
	ws_event_t evs[WS_MAX_EVENTS];
	flush_pending(s);
	free_dead(s);
	if (s->pending || s->rpending_len)
		timeout_ms = 0;
	int n = ws_loop_wait(s->loop, evs, WS_MAX_EVENTS, timeout_ms);
	if (n < 0)
		return WS_ERR_SYS;
	read_tls_pending(s);
	for (int i = 0; i < n; i++) {
		if (evs[i].ptr == s) {
			accept_all(s);
			continue;
		}
		if (evs[i].ptr == &s->wakefd) {
			uint64_t v;
			while (read(s->wakefd, &v, sizeof(v)) > 0)
				;
			continue;
		}
		if (s->watches && watch_event(s, evs[i].ptr, evs[i].events))
			continue;
		ws_conn_t *c = evs[i].ptr;
		if (c->state == ST_DEAD)
			continue;
		/* TLS may invert the directions: a read that waits to write runs
		 * on EPOLLOUT, a write that waits to read on EPOLLIN. */
		if ((evs[i].events & WS_EV_WRITE) || ((evs[i].events & WS_EV_READ) && c->io.wr_wants_read))
			conn_flush(c);
		if (c->state != ST_DEAD && ((evs[i].events & WS_EV_READ) || c->io.rd_wants_write))
			conn_readable(c);
	}
	ws_loop_run_timers(s->loop);
	flush_pending(s);
	free_dead(s);
	watch_reap(s, 0);
	return 0;
}

int ws_server_run(ws_server_t *s)
{
	s->stopped = 0;
	while (!s->stopped) {
		int rc = ws_server_run_once(s, -1);
		if (rc != 0)
			return rc;
	}
	return 0;
}

void ws_server_stop(ws_server_t *s) { s->stopped = 1; }
int ws_server_stopped(const ws_server_t *s) { return s->stopped; }

void ws_server_close_all(ws_server_t *s, uint16_t code, const char *reason, size_t reason_len, int timeout_ms)
{
	int was_listening = s->listening;
	pause_listener(s, 1);
	/* The deadlines count from now, not from when the loop last read the
	 * clock: the handler that asked for this may have run a while. */
	ws_loop_update_time(s->loop);
	for (ws_conn_t *c = s->all, *next; c; c = next) {
		next = c->next;
		if (c->state == ST_HANDSHAKE) {
			conn_destroy(c);
		} else if (c->state == ST_OPEN) {
			queue_close(c, code, reason, reason_len);
			c->state = ST_FLUSH;
			conn_deadline(c, (uint64_t)(timeout_ms > 0 ? timeout_ms : 0));
			fire_close(c, code, reason, reason_len);
		} else if (c->state == ST_CLOSING) {
			c->state = ST_FLUSH;
			mark_pending(c);
			conn_deadline(c, (uint64_t)(timeout_ms > 0 ? timeout_ms : 0));
			fire_own_close(c);
		}
	}
	uint64_t deadline = now_ms(s) + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
	while (s->all && now_ms(s) < deadline) {
		if (ws_server_run_once(s, (int)(deadline - now_ms(s))) != 0)
			break;
	}
	/* Out of time (timeout 0: exit() in a handler): one last non-blocking
	 * write of what each connection has queued, so that its peer reads the
	 * close frame (and, with TLS, a close_notify) rather than a bare EOF.
	 * conn_flush destroys only the connection it writes to. */
	for (ws_conn_t *c = s->all, *next; c; c = next) {
		next = c->next;
		if (c->state == ST_FLUSH && !c->shut_wr)
			conn_flush(c);
	}
	while (s->all)
		conn_destroy(s->all);
	flush_pending(s);
	free_dead(s);
	if (was_listening)
		pause_listener(s, 0);
}

void ws_server_shutdown(ws_server_t *s)
{
	static const char reason[] = "server shutting down";
	ws_server_close_all(s, WS_CLOSE_GOING_AWAY, reason, sizeof(reason) - 1,
			    s->cfg.shutdown_timeout_ms > INT_MAX ? INT_MAX : (int)s->cfg.shutdown_timeout_ms);
}

int ws_server_wakeup(ws_server_t *s)
{
	/* write() is async-signal-safe; a full counter (EAGAIN) already
	 * means "wake up". */
	uint64_t one = 1;
	return write(s->wakefd, &one, sizeof(one)) == (ssize_t)sizeof(one) || errno == EAGAIN ? 0 : WS_ERR_SYS;
}
int ws_server_tls_reload(ws_server_t *s, const ws_tls_config_t *tls, char *errbuf, size_t errlen)
{
	if (!s->tls) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "TLS is not enabled on this server");
		return WS_ERR_INVAL;
	}
	return ws__tls_reload(s->tls, tls, errbuf, errlen);
}

int ws_server_tls(const ws_server_t *s) { return s->tls != NULL; }

int ws_server_port(const ws_server_t *s) { return s->port; }
const char *ws_server_host(const ws_server_t *s) { return s->host; }
void *ws_server_user_data(const ws_server_t *s) { return s->ud; }
size_t ws_server_count(const ws_server_t *s) { return s->open_count; }
ws_conn_t *ws_server_first(ws_server_t *s) { return s->open; }
ws_conn_t *ws_server_next(ws_server_t *s, ws_conn_t *c)
{
	(void)s;
	return c ? c->onext : NULL;
}

void ws_server_stats(const ws_server_t *s, ws_stats_t *out)
{
	*out = s->stats;
	out->connections = s->open_count;
	for (const ws_conn_t *c = s->all; c; c = c->next) {
		if (c->state == ST_HANDSHAKE)
			out->connections_handshake++;
		else if (c->state == ST_OPEN)
			out->connections_open++;
		else
			out->connections_closing++;
		out->bytes_buffered += conn_queued(c);
	}
	out->rooms = s->rooms.nactive_rooms;
	out->room_members = s->rooms.nactive_members;
	out->messages_in_rate = s->rates[0];
	out->messages_out_rate = s->rates[1];
	out->bytes_in_rate = s->rates[2];
	out->bytes_out_rate = s->rates[3];
	out->connections_rate = s->rates[4];
	if (s->lag_n) {
		unsigned n = s->lag_n < 60 ? s->lag_n : 60;
		out->loop_lag_ms = s->lag_ms[(s->lag_n - 1) % 60];
		for (unsigned i = 0; i < n; i++)
			if (s->lag_ms[i] > out->loop_lag_max_ms)
				out->loop_lag_max_ms = s->lag_ms[i];
	}
	out->uptime_s = (double)(monotonic_us() - s->started_us) / 1e6;
}

size_t ws_server_close_codes(const ws_server_t *s, uint16_t *codes, uint64_t *counts, size_t max)
{
	size_t n = 0;
	if (s->closes_other) {
		if (n < max)
			codes[n] = 0, counts[n] = s->closes_other;
		n++;
	}
	for (size_t i = 0; i < s->ncloses; i++, n++) {
		if (n < max)
			codes[n] = s->closes[i].code, counts[n] = s->closes[i].count;
	}
	return n;
}

/* Room for a frame of size n on c under max_buffered; applies the
 * on-full policy when there is none. */
static int conn_room(ws_conn_t *c, size_t n)
{
	ws_server_t *s = c->srv;
	size_t queued = conn_queued(c);
	if (s->cfg.max_buffered && queued + n > s->cfg.max_buffered && queued > 0) {
		if (!s->cfg.drop_when_full)
			conn_fail(c, WS_CLOSE_POLICY, "send queue full");
		return WS_ERR_FULL;
	}
	if (queued + n > s->cfg.send_high_water)
		c->over_high = 1;
	return 0;
}

/* Copies one frame, already encoded (header hdr[0..hl) + data), into c's
 * queue. Returns 1 when queued, 0 when out of memory. */
static int queue_copy(ws_conn_t *c, const uint8_t *hdr, size_t hl, const uint8_t *data, size_t len)
{
	uint8_t *dst = out_reserve(c, hl + len);
	if (!dst)
		return 0;
	memcpy(dst, hdr, hl);
	if (len)
		memcpy(dst + hl, data, len);
	c->out.len += hl + len;
	mark_pending(c);
	return 1;
}

/* A broadcast in progress: the plain frame, encoded into a shared block the
 * first time a recipient can take it from there. */
/* Open for the application: what ws_conn_is_open() reports, and what
 * send, ping, close and join require. A connection lost without a close
 * handshake (EOF, RST, idle timeout) is still ST_OPEN while conn_destroy()
 * runs its on_close, but app_open is already clear there: nothing queued
 * then could ever be written. */
static int conn_app_open(const ws_conn_t *c) { return c->state == ST_OPEN && c->app_open; }

typedef struct bcast {
	ws_server_t *s;
	int op;
	uint8_t hdr[WS_FRAME_MAX_HEADER];
	size_t hl;
	const uint8_t *data;
	size_t len;
	ws_shblk_t *b; /* with a reference held by the broadcast */
	uint32_t at;   /* the frame's offset in b */
	int tried;     /* b was asked for (NULL: no memory, copy instead) */
} bcast_t;

static void bcast_init(bcast_t *bc, ws_server_t *s, const uint8_t *data, size_t len, int binary)
{
	memset(bc, 0, sizeof(*bc));
	bc->s = s;
	bc->op = binary ? WS_OP_BINARY : WS_OP_TEXT;
	bc->hl = ws_frame_header(bc->hdr, 1, 0, bc->op, len);
	bc->data = data;
	bc->len = len;
}

static void bcast_done(bcast_t *bc)
{
	if (!bc->b)
		return;
	/* A block made for one large frame is not kept for the next: it goes
	 * away with its last recipient. */
	if (bc->b == bc->s->shblk && bc->b->cap > WS_SHARED_BLOCK)
		shared_close(bc->s);
	shblk_release(bc->s, bc->b);
}

/* Queues the plain frame on c without copying it when c's output can end
 * with it: c has nothing queued, or its shared range ends right where this
 * frame starts (it got every frame encoded since). A TLS connection
 * encrypts from its own queue, so it gets a copy. */
static int queue_shared(ws_conn_t *c, bcast_t *bc)
{
	if (!c->io.ssl && ws_buf_pending(&c->out) == 0) {
		if (!bc->tried) {
			bc->tried = 1;
			bc->b = shared_frame(bc->s, bc->hdr, bc->hl, bc->data, bc->len, &bc->at);
		}
		uint32_t n = (uint32_t)(bc->hl + bc->len);
		if (bc->b && !c->sh) {
			bc->b->refs++;
			c->sh = bc->b;
			c->sh_pos = bc->at;
			c->sh_end = bc->at + n;
			mark_pending(c);
			return 1;
		}
		if (bc->b && c->sh == bc->b && c->sh_end == bc->at) {
			c->sh_end += n;
			mark_pending(c);
			return 1;
		}
	}
	return queue_copy(c, bc->hdr, bc->hl, bc->data, bc->len);
}

/* Queues a broadcast frame on c: the shared compressed encoding when c
 * negotiated permessage-deflate and the message is worth compressing (made
 * once per window size between ws_deflate_broadcast_begin and _end, see
 * ws_deflate.h), else the plain one. Returns 1 when queued, 0 when c is
 * skipped (over its limit, no memory). */
static int queue_broadcast(ws_conn_t *c, bcast_t *bc)
{
	const uint8_t *zf;
	size_t zl;
	int z = c->pmd ? ws_deflate_broadcast_frame(c->srv->pmd, c->pmd, bc->op, bc->data, bc->len, &zf, &zl) : 0;
	if (z < 0)
		return 0;
	if (z == 1)
		return conn_room(c, zl) == 0 && queue_copy(c, zf, zl, NULL, 0);
	return conn_room(c, bc->hl + bc->len) == 0 && queue_shared(c, bc);
}

/* Room for n recipients: the server's array when no broadcast is using it
 * (grown as needed), else one of the caller's own. NULL: no memory. */
static ws_conn_t **rcpt_get(ws_server_t *s, size_t n)
{
	if (s->rcpt_busy)
		return ws_malloc(sizeof(ws_conn_t *) * (n ? n : 1));
	if (n > s->rcpt_cap || !s->rcpt) {
		size_t cap = s->rcpt_cap ? s->rcpt_cap : 64;
		while (cap < n)
			cap *= 2;
		ws_conn_t **v = ws_realloc(s->rcpt, sizeof(*v) * cap);
		if (!v)
			return NULL;
		s->rcpt = v;
		s->rcpt_cap = cap;
	}
	s->rcpt_busy = 1;
	return s->rcpt;
}

/* Sends one message to the n recipients in v (from rcpt_get), skipping
 * except and those no longer open to the application. A recipient over
 * max_buffered is failed at once, and its close handler may join, leave,
 * close or fail others, so the walk is over a copy of the recipient list,
 * never a live one: the connections themselves stay allocated until the
 * end of the loop step, and their state says whether they are still open. */
static int bcast_send(ws_server_t *s, ws_conn_t **v, size_t n, const uint8_t *data, size_t len, int binary,
		      ws_conn_t *except)
{
	bcast_t bc;
	bcast_init(&bc, s, data, len, binary);
	int count = 0;
	ws_deflate_broadcast_begin(s->pmd);
	for (size_t i = 0; i < n; i++) {
		ws_conn_t *c = v[i];
		if (c == except || !conn_app_open(c))
			continue;
		count += queue_broadcast(c, &bc);
	}
	ws_deflate_broadcast_end(s->pmd);
	bcast_done(&bc);
	if (v == s->rcpt)
		s->rcpt_busy = 0;
	else
		ws_free(v);
	s->stats.messages_out += (uint64_t)count;
	return count;
}

int ws_server_broadcast(ws_server_t *s, const uint8_t *data, size_t len, int binary, ws_conn_t *except)
{
	ws_conn_t **v = rcpt_get(s, s->open_count);
	if (!v)
		return WS_ERR_NOMEM;
	size_t n = 0;
	for (ws_conn_t *c = s->open; c; c = c->onext)
		v[n++] = c;
	return bcast_send(s, v, n, data, len, binary, except);
}

int ws_server_broadcast_room(ws_server_t *s, const char *room, size_t room_len, const uint8_t *data, size_t len,
			     int binary, ws_conn_t *except)
{
	ws_room_t *r = ws_rooms_find(&s->rooms, room, room_len);
	if (!r || r->active == 0)
		return 0;
	ws_conn_t **v = rcpt_get(s, r->len);
	if (!v)
		return WS_ERR_NOMEM;
	size_t n = 0;
	for (uint32_t i = 0; i < r->len; i++)
		if (r->members[i]->active)
			v[n++] = r->members[i]->owner;
	return bcast_send(s, v, n, data, len, binary, except);
}

size_t ws_server_room_count(const ws_server_t *s, const char *room, size_t room_len)
{
	ws_room_t *r = ws_rooms_find(&s->rooms, room, room_len);
	return r ? r->active : 0;
}

size_t ws_server_rooms(const ws_server_t *s, void (*fn)(const char *name, size_t len, size_t members, void *ctx),
		       void *ctx)
{
	size_t n = 0;
	for (ws_room_t *r = ws_rooms_first(&s->rooms); r; r = ws_rooms_next(r)) {
		if (r->active == 0)
			continue;
		n++;
		if (fn)
			fn(r->name, r->name_len, r->active, ctx);
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* connection API */

/* A large frame on a connection with nothing queued: header and payload
 * go to the socket at once, without a copy; what the kernel does not take
 * is queued (it is all that is queued, so the order holds) and written at
 * the end of the step, where a failed socket is found and closed as usual. */
static int send_direct(ws_conn_t *c, int op, const uint8_t *data, size_t len)
{
	ws_server_t *s = c->srv;
	uint8_t hdr[WS_FRAME_MAX_HEADER];
	size_t hl = ws_frame_header(hdr, 1, 0, op, len);
	ssize_t n = ws__io_write2(&c->io, hdr, hl, data, len);
	size_t done = n > 0 ? (size_t)n : 0;
	s->stats.bytes_out += done;
	if (done < hl + len) {
		size_t rest = hl + len - done;
		uint8_t *dst = out_reserve(c, rest);
		if (!dst) {
			if (done)
				conn_destroy(c); /* half a frame is out: the stream cannot go on */
			return WS_ERR_NOMEM;
		}
		size_t h = done < hl ? hl - done : 0;
		memcpy(dst, hdr + hl - h, h);
		memcpy(dst + h, data + (len - (rest - h)), rest - h);
		c->out.len += rest;
		if (rest > s->cfg.send_high_water)
			c->over_high = 1;
		mark_pending(c);
	}
	s->stats.messages_out++;
	return 0;
}

int ws_conn_send(ws_conn_t *c, const uint8_t *data, size_t len, int binary)
{
	if (!conn_app_open(c))
		return WS_ERR_CLOSED;
	const uint8_t *zf;
	size_t zl;
	int rc = c->pmd ? ws_deflate_frame(c->srv->pmd, c->pmd, binary ? WS_OP_BINARY : WS_OP_TEXT, data, len, &zf, &zl)
			: 0;
	if (rc < 0)
		return rc;
	if (rc == 1) {
		/* Compressed (RFC 7692 §7.2.1); a frame that is not queued
		 * must not stay in the compressor's window. */
		if ((rc = conn_room(c, zl)) == 0)
			rc = queue_raw(c, zf, zl);
		if (rc != 0)
			ws_deflate_conn_discard(c->pmd);
		ws_deflate_frame_done(c->srv->pmd);
		if (rc != 0)
			return rc;
		c->srv->stats.messages_out++;
		return 0;
	}
	if (len >= WS_DIRECT_MIN && conn_queued(c) == 0 && !c->io.ssl && !c->want_write)
		return send_direct(c, binary ? WS_OP_BINARY : WS_OP_TEXT, data, len);
	rc = conn_room(c, len + 10);
	if (rc != 0)
		return rc;
	if ((rc = queue_frame(c, binary ? WS_OP_BINARY : WS_OP_TEXT, data, len)) != 0)
		return rc;
	c->srv->stats.messages_out++;
	return 0;
}

int ws_conn_ping(ws_conn_t *c, const uint8_t *data, size_t len)
{
	if (len > 125)
		return WS_ERR_INVAL;
	if (!conn_app_open(c))
		return WS_ERR_CLOSED;
	return queue_frame(c, WS_OP_PING, data, len);
}

int ws_conn_close(ws_conn_t *c, uint16_t code, const char *reason, size_t reason_len)
{
	if (!ws_close_code_valid(code) || reason_len > 123)
		return WS_ERR_INVAL;
	if (!conn_app_open(c))
		return WS_ERR_CLOSED;
	queue_close(c, code, reason, reason_len);
	c->close_code = code;
	keep_reason(c, reason, reason_len);
	c->state = ST_CLOSING;
	conn_deadline(c, c->srv->cfg.close_timeout_ms);
	return 0;
}

int ws_conn_join(ws_conn_t *c, const char *room, size_t room_len)
{
	if (!conn_app_open(c))
		return WS_ERR_CLOSED;
	if (!conn_extra(c))
		return WS_ERR_NOMEM;
	return ws_rooms_join(&c->srv->rooms, &c->extra->rooms, c, room, room_len, 1);
}

int ws_conn_leave(ws_conn_t *c, const char *room, size_t room_len)
{
	return c->extra ? ws_rooms_leave(&c->srv->rooms, &c->extra->rooms, room, room_len) : 0;
}

size_t ws_conn_room_count(const ws_conn_t *c) { return c->extra ? c->extra->rooms.len : 0; }

const char *ws_conn_room(const ws_conn_t *c, size_t i, size_t *len)
{
	if (i >= ws_conn_room_count(c))
		return NULL;
	const ws_room_t *r = c->extra->rooms.v[i]->room;
	if (len)
		*len = r->name_len;
	return r->name;
}

int ws_conn_is_open(const ws_conn_t *c) { return conn_app_open(c); }
const char *ws_conn_subprotocol(const ws_conn_t *c)
{
	return c->subprotocol >= 0 ? c->srv->cfg.subprotocols[c->subprotocol] : NULL;
}
uint64_t ws_conn_id(const ws_conn_t *c) { return c->id; }
size_t ws_conn_buffered(const ws_conn_t *c) { return conn_queued(c); }
const char *ws_conn_remote(const ws_conn_t *c)
{
	char *buf = c->srv->remote_buf;
	if (c->remote.family == 0 || ws_addr_format(&c->remote, buf, sizeof(c->srv->remote_buf)) < 0)
		strcpy(buf, "unix");
	return buf;
}
ws_server_t *ws_conn_server(const ws_conn_t *c) { return c->srv; }
void ws_conn_set_user_data(ws_conn_t *c, void *p) { c->user_data = p; }
void *ws_conn_user_data(const ws_conn_t *c) { return c->user_data; }

/* Parsed again at each call, into the server's scratch: a ws_request_t is
 * 3 KiB, too much to keep per connection for a call most never make. */
const ws_request_t *ws_conn_request(const ws_conn_t *c)
{
	if (!c->head || !c->head_done)
		return NULL;
	ws_request_t *req = &c->srv->req;
	if (ws_http_parse_request(c->head, c->head_len, 0, req) < 0)
		return NULL;
	return req;
}

/* ------------------------------------------------------------------ */
/* foreign descriptors and processes */

/* A watched descriptor. Its address is the loop's event pointer, told
 * apart from connections by a walk of the (short) watch list. An entry
 * unwatched during a step stays on the list, dead, until the step ends: an
 * event of it may still be waiting in this step's batch, and must not be
 * taken for a connection. */
struct ws_watch {
	int fd; /* -1 once unwatched */
	uint32_t events;
	ws_watch_cb cb;
	void *arg;
	struct ws_watch *next;
};

static struct ws_watch *watch_find(ws_server_t *s, int fd)
{
	for (struct ws_watch *w = s->watches; w; w = w->next)
		if (w->fd == fd)
			return w;
	return NULL;
}

static int watch_event(ws_server_t *s, void *ptr, uint32_t events)
{
	for (struct ws_watch *w = s->watches; w; w = w->next) {
		if ((void *)w != ptr)
			continue;
		if (w->fd >= 0)
			w->cb(s, w->fd, events & (WS_WATCH_READ | WS_WATCH_WRITE | WS_WATCH_ERROR), w->arg);
		return 1;
	}
	return 0;
}

static void watch_reap(ws_server_t *s, int all)
{
	struct ws_watch **pp = &s->watches;
	while (*pp) {
		struct ws_watch *w = *pp;
		if (w->fd >= 0 && !all) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		ws_free(w);
	}
}

int ws_server_watch(ws_server_t *s, int fd, unsigned events, ws_watch_cb cb, void *arg)
{
	if (fd < 0 || !cb)
		return WS_ERR_INVAL;
	events &= WS_WATCH_READ | WS_WATCH_WRITE;
	struct ws_watch *w = watch_find(s, fd);
	if (w) {
		w->cb = cb;
		w->arg = arg;
		if (w->events == events)
			return 0;
		if (ws_loop_mod(s->loop, fd, events, w) != 0)
			return WS_ERR_SYS;
		w->events = events;
		return 0;
	}
	w = ws_malloc(sizeof(*w));
	if (!w)
		return WS_ERR_NOMEM;
	w->fd = fd;
	w->events = events;
	w->cb = cb;
	w->arg = arg;
	if (ws_loop_add(s->loop, fd, events, w) != 0) {
		ws_free(w);
		return WS_ERR_SYS;
	}
	w->next = s->watches;
	s->watches = w;
	return 0;
}

int ws_server_unwatch(ws_server_t *s, int fd)
{
	struct ws_watch *w = fd >= 0 ? watch_find(s, fd) : NULL;
	if (!w)
		return WS_ERR_NOTFOUND;
	ws_loop_del(s->loop, fd);
	w->fd = -1;
	return 0;
}

void ws_server_set_id_prefix(ws_server_t *s, uint32_t prefix)
{
	s->id_prefix = prefix & WS_BUS_NODE_MAX;
}

int ws_server_after_fork(ws_server_t *s, int own_listener, char *errbuf, size_t errlen)
{
	if (errbuf && errlen)
		errbuf[0] = 0;
	/* First a poller of our own: everything below may call epoll_ctl,
	 * which on the inherited instance would change the parent's. */
	if (ws_loop_after_fork(s->loop) != 0) {
		if (errbuf)
			snprintf(errbuf, errlen, "epoll_create1: %s", strerror(errno));
		return WS_ERR_SYS;
	}
	s->listening = 0;
	drop_conns(s);
	for (struct ws_watch *w = s->watches; w; w = w->next)
		w->fd = -1;
	watch_reap(s, 1);
	/* The wakeup eventfd is shared with the parent too: one of our own,
	 * so that a signal here does not wake the parent's loop. */
	if (s->wakefd >= 0)
		close(s->wakefd);
	s->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->wakefd < 0 || ws_loop_add(s->loop, s->wakefd, WS_EV_READ, &s->wakefd) != 0) {
		if (errbuf)
			snprintf(errbuf, errlen, "eventfd: %s", strerror(errno));
		return WS_ERR_SYS;
	}
	if (own_listener || s->lfd < 0) {
		if (s->lfd >= 0)
			close(s->lfd);
		s->lfd = -1;
		int fd = ws_net_listen(s->host, s->port, s->cfg.backlog, 1, errbuf, errlen);
		if (fd < 0)
			return fd;
		s->lfd = fd;
	}
	pause_listener(s, 0);
	if (!s->listening) {
		if (errbuf)
			snprintf(errbuf, errlen, "epoll_ctl: %s", strerror(errno));
		return WS_ERR_SYS;
	}
	return 0;
}
