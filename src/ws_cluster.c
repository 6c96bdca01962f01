/*
 * The cluster bus: Redis pub/sub through hiredis' async API, driven by the
 * server's own loop (contract in ws.h, wire format in ws_bus.h).
 *
 * Two Redis connections per node: "sub" is in subscribe mode on
 * <prefix>:bus, "cmd" carries PUBLISH, the counts and the count queries (a
 * subscribed connection can run nothing else). Both are attached to the
 * server's loop by a small adapter, in the manner of hiredis' own
 * adapters/ae.h: hiredis says when it wants to read or write, the adapter
 * turns that into ws_server_watch() interest, and the watch callback calls
 * redisAsyncHandleRead/Write. Timers (reconnect backoff, connect deadline,
 * heartbeat) are the server's timers.
 *
 * States: CONNECTING (both connections opening, AUTH, SUBSCRIBE) -> UP
 * (both ready) -> DOWN (either failed: a retry is scheduled with backoff)
 * -> CONNECTING ... The pair is treated as one: when either fails, both are
 * dropped at the retry and opened again, which keeps the state machine
 * small. Contexts are only ever freed from a timer, never from inside a
 * hiredis callback (hiredis would defer it, but then our pointers and its
 * state would disagree for a while).
 *
 * Nothing is buffered on our side: a publish while the bus is not UP is
 * dropped and counted, and while UP the bytes handed to hiredis and not yet
 * acknowledged by Redis are capped (max_inflight), so a stalled Redis
 * cannot grow the process without bound.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include "ws.h"
#include "ws_bus.h"

#define BACKOFF_MIN_MS 50u
#define BACKOFF_MAX_MS 2000u
#define ENC_KEEP (64u * 1024) /* encode buffer kept between publishes */

enum { ST_CONNECTING = 1, ST_UP, ST_DOWN };

typedef struct rconn {
	ws_cluster_t *cl;
	redisAsyncContext *ac; /* NULL when there is none (or it is being freed) */
	int fd;
	unsigned events; /* WS_WATCH_* hiredis asked for */
	int watched;
	int ready; /* cmd: connected and authenticated; sub: subscribed */
	int is_sub;
} rconn_t;

struct ws_cluster {
	ws_server_t *s;
	ws_cluster_config_t cfg;
	ws_bus_addr_t addr;
	ws_cluster_event_cb cb;
	void *ud;
	uint32_t node;
	char node_str[16];
	char where[300];       /* "127.0.0.1:6379" or "unix:/path", for messages */
	char channel[80];      /* <prefix>:bus */
	char nodes_key[80];    /* <prefix>:nodes */
	char count_prefix[80]; /* <prefix>:count: */
	char count_key[96];    /* <prefix>:count:<node> */
	size_t channel_len;
	rconn_t cmd, sub;
	int state;
	int ever_up;
	int down_told;   /* DOWN reported for this outage */
	int warned;      /* DROPPING reported since the last UP */
	int tearing;     /* freeing contexts ourselves: their callbacks are expected */
	uint64_t outage_drops;
	uint32_t backoff_ms;
	uint64_t timer;     /* retry, or the connect deadline */
	uint64_t heartbeat; /* repeating */
	uint64_t rng;
	size_t inflight;
	uint64_t snap_hash;
	int snap_valid;
	uint8_t *enc;
	size_t enc_cap;
	ws_cluster_stats_t st;
	char err[256];
};

/* A blocking query (count, goodbye). Heap-allocated: if we stop waiting,
 * hiredis still holds the pointer and calls back later, and the callback
 * then frees it. */
typedef struct query {
	ws_cluster_t *cl;
	int done, abandoned, status;
	long long value;
} query_t;

static void go_down(ws_cluster_t *cl);
static void connect_start(ws_cluster_t *cl);
static void write_counts(ws_cluster_t *cl);

void ws_cluster_config_init(ws_cluster_config_t *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->heartbeat_ms = 1000;
	cfg->connect_timeout_ms = 2000;
	cfg->max_message_size = 64u * 1024 * 1024;
	cfg->max_inflight = 64u * 1024 * 1024;
}

static void set_err(ws_cluster_t *cl, const char *fmt, ...)
{
	int n = snprintf(cl->err, sizeof(cl->err), "redis %s: ", cl->where);
	if (n < 0 || (size_t)n >= sizeof(cl->err))
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cl->err + n, sizeof(cl->err) - (size_t)n, fmt, ap);
	va_end(ap);
}

static void emit(ws_cluster_t *cl, int ev, const char *detail)
{
	if (cl->cb)
		cl->cb(cl, ev, detail, cl->ud);
}

static uint64_t next_rand(ws_cluster_t *cl)
{
	/* xorshift64: jitter only, nothing secret. */
	uint64_t x = cl->rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	cl->rng = x;
	return x;
}

/* ------------------------------------------------------------------ */
/* hiredis <-> loop adapter */

static void on_fd(ws_server_t *s, int fd, unsigned events, void *arg)
{
	(void)s;
	(void)fd;
	rconn_t *rc = arg;
	/* Reading may end in a disconnect that frees the context: hiredis then
	 * calls our cleanup hook, which clears rc->ac. */
	if (rc->ac && (events & (WS_WATCH_READ | WS_WATCH_ERROR)))
		redisAsyncHandleRead(rc->ac);
	if (rc->ac && (events & WS_WATCH_WRITE))
		redisAsyncHandleWrite(rc->ac);
}

static void ev_set(rconn_t *rc, unsigned events)
{
	if (rc->fd < 0 || (rc->watched && rc->events == events))
		return;
	if (ws_server_watch(rc->cl->s, rc->fd, events, on_fd, rc) == 0) {
		rc->watched = 1;
		rc->events = events;
	} else {
		/* Not watched, the connection stalls: the connect deadline or
		 * the next count query notices. */
		set_err(rc->cl, "cannot watch the socket: %s", strerror(errno));
	}
}

static void ev_add_read(void *p)
{
	rconn_t *rc = p;
	ev_set(rc, rc->events | WS_WATCH_READ);
}

static void ev_del_read(void *p)
{
	rconn_t *rc = p;
	ev_set(rc, rc->events & ~WS_WATCH_READ);
}

static void ev_add_write(void *p)
{
	rconn_t *rc = p;
	ev_set(rc, rc->events | WS_WATCH_WRITE);
}

static void ev_del_write(void *p)
{
	rconn_t *rc = p;
	ev_set(rc, rc->events & ~WS_WATCH_WRITE);
}

/* hiredis is about to close the socket and free the context. */
static void ev_cleanup(void *p)
{
	rconn_t *rc = p;
	if (rc->watched)
		ws_server_unwatch(rc->cl->s, rc->fd);
	rc->watched = 0;
	rc->events = 0;
	rc->fd = -1;
	rc->ac = NULL;
	rc->ready = 0;
}

/* ------------------------------------------------------------------ */
/* connection state */

static void timer_cancel(ws_cluster_t *cl, uint64_t *id)
{
	if (*id)
		ws_server_timer_cancel(cl->s, *id);
	*id = 0;
}

static void teardown(ws_cluster_t *cl)
{
	cl->tearing = 1;
	rconn_t *rcs[2] = {&cl->cmd, &cl->sub};
	for (int i = 0; i < 2; i++) {
		redisAsyncContext *ac = rcs[i]->ac;
		if (ac) {
			/* Runs the pending callbacks with a NULL reply, then our
			 * cleanup hook, then the disconnect callback. */
			redisAsyncFree(ac);
		}
		rcs[i]->ac = NULL;
		rcs[i]->ready = 0;
	}
	cl->tearing = 0;
}

static void retry_fn(ws_server_t *s, uint64_t id, void *arg)
{
	(void)s;
	(void)id;
	ws_cluster_t *cl = arg;
	cl->timer = 0;
	teardown(cl);
	connect_start(cl);
}

static void deadline_fn(ws_server_t *s, uint64_t id, void *arg)
{
	(void)s;
	(void)id;
	ws_cluster_t *cl = arg;
	cl->timer = 0;
	if (cl->state == ST_CONNECTING) {
		set_err(cl, "no answer within %u ms", cl->cfg.connect_timeout_ms);
		go_down(cl);
	}
}

static void go_down(ws_cluster_t *cl)
{
	if (cl->state == ST_DOWN)
		return;
	int was_up = cl->state == ST_UP;
	cl->state = ST_DOWN;
	cl->st.connected = 0;
	if (was_up || !cl->down_told) {
		cl->down_told = 1;
		emit(cl, WS_CLUSTER_DOWN, cl->err);
	}
	timer_cancel(cl, &cl->timer);
	/* Backoff with +-25 % jitter, so that nodes do not all come back in
	 * the same millisecond after Redis restarts. */
	uint32_t base = cl->backoff_ms;
	uint32_t delay = base - base / 4 + (uint32_t)(next_rand(cl) % (base / 2 + 1));
	cl->backoff_ms = base * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : base * 2;
	cl->timer = ws_server_timer_add(cl->s, delay, 0, retry_fn, cl);
}

static void check_up(ws_cluster_t *cl)
{
	if (cl->state != ST_CONNECTING || !cl->cmd.ready || !cl->sub.ready)
		return;
	timer_cancel(cl, &cl->timer);
	cl->state = ST_UP;
	cl->st.connected = 1;
	cl->backoff_ms = BACKOFF_MIN_MS;
	if (cl->ever_up)
		cl->st.reconnects++;
	cl->ever_up = 1;
	cl->down_told = 0;
	cl->warned = 0;
	cl->err[0] = 0;
	emit(cl, WS_CLUSTER_UP, "");
	if (cl->outage_drops) {
		char msg[96];
		snprintf(msg, sizeof(msg), "%llu publishes were lost while the bus was down",
			 (unsigned long long)cl->outage_drops);
		cl->outage_drops = 0;
		emit(cl, WS_CLUSTER_RECOVERED, msg);
	}
	/* Redis may have restarted empty: write our counts at once. */
	cl->snap_valid = 0;
	write_counts(cl);
}

static rconn_t *rc_of(const redisAsyncContext *ac) { return ac->data; }

static void on_connect(const redisAsyncContext *ac, int status)
{
	rconn_t *rc = rc_of(ac);
	ws_cluster_t *cl = rc->cl;
	if (status != REDIS_OK) {
		/* hiredis frees the context when this returns. */
		set_err(cl, "%s", ac->errstr ? ac->errstr : "connect failed");
		rc->ac = NULL;
		if (!cl->tearing)
			go_down(cl);
		return;
	}
	if (!rc->is_sub && !cl->addr.pass[0]) {
		rc->ready = 1;
		check_up(cl);
	}
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
	(void)status;
	rconn_t *rc = rc_of(ac);
	ws_cluster_t *cl = rc->cl;
	rc->ac = NULL;
	rc->ready = 0;
	if (cl->tearing || cl->state == ST_DOWN)
		return; /* keep the first cause of the outage (AUTH's, say) */
	set_err(cl, "%s", ac->err && ac->errstr ? ac->errstr : "connection closed");
	go_down(cl);
}

static void on_auth(redisAsyncContext *ac, void *reply, void *priv)
{
	(void)priv;
	redisReply *r = reply;
	rconn_t *rc = rc_of(ac);
	ws_cluster_t *cl = rc->cl;
	if (!r || cl->tearing)
		return;
	if (r->type == REDIS_REPLY_ERROR) {
		set_err(cl, "AUTH: %s", r->str);
		go_down(cl);
		return;
	}
	if (!rc->is_sub) {
		rc->ready = 1;
		check_up(cl);
	}
}

/* ------------------------------------------------------------------ */
/* receiving */

static ws_conn_t *find_conn(ws_server_t *s, uint64_t id)
{
	for (ws_conn_t *c = ws_server_first(s); c; c = ws_server_next(s, c))
		if (ws_conn_id(c) == id)
			return c;
	return NULL;
}

/* The one core function every delivery goes through, local or from the
 * bus: the server's broadcast, to a room when there is one. */
static int local_fanout(ws_server_t *s, const char *room, size_t room_len, const uint8_t *data, size_t len,
			int binary, ws_conn_t *except)
{
	if (room)
		return ws_server_broadcast_room(s, room, room_len, data, len, binary, except);
	return ws_server_broadcast(s, data, len, binary, except);
}

static void deliver(ws_cluster_t *cl, const uint8_t *p, size_t n)
{
	ws_bus_msg_t m;
	if (ws_bus_decode(p, n, cl->cfg.max_message_size, &m) != 0) {
		cl->st.invalid++;
		return;
	}
	if (m.origin == cl->node)
		return; /* ours: delivered here when it was published */
	/* Ids carry their node in the high half: only an id of this node can
	 * name one of our connections. */
	ws_conn_t *except = NULL;
	if (m.except_id && (uint32_t)(m.except_id >> 32) == cl->node)
		except = find_conn(cl->s, m.except_id);
	cl->st.received++;
	local_fanout(cl->s, m.room, m.room_len, m.data, m.len, m.binary, except);
}

static void on_sub(redisAsyncContext *ac, void *reply, void *priv)
{
	(void)priv;
	redisReply *r = reply;
	rconn_t *rc = rc_of(ac);
	ws_cluster_t *cl = rc->cl;
	if (!r || cl->tearing || r->type != REDIS_REPLY_ARRAY || r->elements < 3)
		return;
	redisReply *kind = r->element[0], *payload = r->element[2];
	if (kind->type != REDIS_REPLY_STRING)
		return;
	if (kind->len == 9 && memcmp(kind->str, "subscribe", 9) == 0) {
		rc->ready = 1;
		check_up(cl);
	} else if (kind->len == 7 && memcmp(kind->str, "message", 7) == 0 && payload->type == REDIS_REPLY_STRING) {
		deliver(cl, (const uint8_t *)payload->str, payload->len);
	}
}

/* ------------------------------------------------------------------ */
/* connecting */

static int rconn_open(ws_cluster_t *cl, rconn_t *rc)
{
	redisAsyncContext *ac = cl->addr.is_unix ? redisAsyncConnectUnix(cl->addr.path)
						 : redisAsyncConnect(cl->addr.host, cl->addr.port);
	if (!ac) {
		set_err(cl, "out of memory");
		return -1;
	}
	if (ac->err) {
		set_err(cl, "%s", ac->errstr);
		redisAsyncFree(ac);
		return -1;
	}
	rc->ac = ac;
	rc->fd = ac->c.fd;
	rc->events = 0;
	rc->watched = 0;
	rc->ready = 0;
	ac->data = rc;
	ac->ev.data = rc;
	ac->ev.addRead = ev_add_read;
	ac->ev.delRead = ev_del_read;
	ac->ev.addWrite = ev_add_write;
	ac->ev.delWrite = ev_del_write;
	ac->ev.cleanup = ev_cleanup;
	/* Setting the connect callback arms the write interest that tells
	 * when connect() completed: after the hooks are in place. */
	redisAsyncSetConnectCallback(ac, on_connect);
	redisAsyncSetDisconnectCallback(ac, on_disconnect);
	if (!cl->addr.is_unix)
		redisEnableKeepAlive(&ac->c); /* a peer that vanished is noticed */
	/* Commands queue until the connection is up and go out in order. */
	if (cl->addr.pass[0]) {
		if (cl->addr.user[0])
			redisAsyncCommand(ac, on_auth, NULL, "AUTH %s %s", cl->addr.user, cl->addr.pass);
		else
			redisAsyncCommand(ac, on_auth, NULL, "AUTH %s", cl->addr.pass);
	}
	if (rc->is_sub) {
		const char *argv[2] = {"SUBSCRIBE", cl->channel};
		size_t lens[2] = {9, cl->channel_len};
		redisAsyncCommandArgv(ac, on_sub, NULL, 2, argv, lens);
	}
	return 0;
}

static void connect_start(ws_cluster_t *cl)
{
	cl->state = ST_CONNECTING;
	if (rconn_open(cl, &cl->cmd) != 0 || rconn_open(cl, &cl->sub) != 0) {
		go_down(cl);
		return;
	}
	cl->timer = ws_server_timer_add(cl->s, cl->cfg.connect_timeout_ms, 0, deadline_fn, cl);
}

/* ------------------------------------------------------------------ */
/* counts */

static void on_exec(redisAsyncContext *ac, void *reply, void *priv)
{
	(void)priv;
	redisReply *r = reply;
	ws_cluster_t *cl = rc_of(ac)->cl;
	/* Not written (error, or the connection went): write it all again. */
	if (!r || r->type != REDIS_REPLY_ARRAY)
		cl->snap_valid = 0;
}

static void on_pexpire(redisAsyncContext *ac, void *reply, void *priv)
{
	(void)priv;
	redisReply *r = reply;
	ws_cluster_t *cl = rc_of(ac)->cl;
	/* 0: the key is gone (Redis restarted, or we stalled past the
	 * expiry): write the whole snapshot next time. */
	if (!r || r->type != REDIS_REPLY_INTEGER || r->integer != 1)
		cl->snap_valid = 0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* A snapshot of the counts: HSET's arguments, "t" and "r:<room>" fields. */
typedef struct snap {
	const char **argv;
	size_t *lens;
	char **owned; /* one block per room: "r:<name>" then its count */
	size_t n, max, nowned;
	uint64_t hash;
	int oom;
} snap_t;

static void snap_room(const char *name, size_t len, size_t members, void *p)
{
	snap_t *x = p;
	if (x->oom || x->n + 2 > x->max)
		return;
	char *f = ws_malloc(len + 2 + 24);
	if (!f) {
		x->oom = 1;
		return;
	}
	f[0] = 'r';
	f[1] = ':';
	memcpy(f + 2, name, len);
	char *v = f + 2 + len;
	int vn = snprintf(v, 24, "%zu", members);
	x->owned[x->nowned++] = f;
	x->argv[x->n] = f;
	x->lens[x->n++] = len + 2;
	x->argv[x->n] = v;
	x->lens[x->n++] = (size_t)vn;
	/* The count's NUL separates this pair from the next in the hash. */
	x->hash = fnv(x->hash, f, len + 2 + (size_t)vn + 1);
}

/* The node's counts as one hash: field "t" the open connections, "r:<room>"
 * a room's open members. Rewritten as a whole (MULTI/EXEC, so a reader
 * never sees it half-written) when it changed, else only its expiry is
 * renewed. The snapshot costs O(rooms) here once per heartbeat; Redis only
 * sees it when something changed. */
static void write_counts(ws_cluster_t *cl)
{
	redisAsyncContext *ac = cl->cmd.ac;
	if (cl->state != ST_UP || !ac)
		return;
	char total[24], ttl[24];
	int tn = snprintf(total, sizeof(total), "%zu", ws_server_count(cl->s));
	snprintf(ttl, sizeof(ttl), "%llu", (unsigned long long)cl->cfg.heartbeat_ms * 3);
	size_t nrooms = ws_server_rooms(cl->s, NULL, NULL);
	snap_t x = {.max = 4 + 2 * nrooms, .hash = fnv(0xcbf29ce484222325ull, total, (size_t)tn + 1)};
	x.argv = ws_malloc(sizeof(*x.argv) * x.max);
	x.lens = ws_malloc(sizeof(*x.lens) * x.max);
	x.owned = ws_malloc(sizeof(*x.owned) * (nrooms ? nrooms : 1));
	if (!x.argv || !x.lens || !x.owned)
		goto out; /* try again at the next heartbeat */
	x.argv[0] = "HSET";
	x.lens[0] = 4;
	x.argv[1] = cl->count_key;
	x.lens[1] = strlen(cl->count_key);
	x.argv[2] = "t";
	x.lens[2] = 1;
	x.argv[3] = total;
	x.lens[3] = (size_t)tn;
	x.n = 4;
	ws_server_rooms(cl->s, snap_room, &x);
	if (x.oom)
		goto out;
	if (cl->snap_valid && x.hash == cl->snap_hash) {
		redisAsyncCommand(ac, on_pexpire, NULL, "PEXPIRE %s %s", cl->count_key, ttl);
	} else {
		redisAsyncCommand(ac, NULL, NULL, "MULTI");
		redisAsyncCommand(ac, NULL, NULL, "DEL %s", cl->count_key);
		redisAsyncCommandArgv(ac, NULL, NULL, (int)x.n, x.argv, x.lens);
		redisAsyncCommand(ac, NULL, NULL, "PEXPIRE %s %s", cl->count_key, ttl);
		redisAsyncCommand(ac, on_exec, NULL, "EXEC");
		cl->snap_hash = x.hash;
		cl->snap_valid = 1;
	}
	redisAsyncCommand(ac, NULL, NULL, "SADD %s %s", cl->nodes_key, cl->node_str);
out:
	for (size_t i = 0; i < x.nowned; i++)
		ws_free(x.owned[i]);
	ws_free(x.owned);
	ws_free(x.argv);
	ws_free(x.lens);
}

static void heartbeat_fn(ws_server_t *s, uint64_t id, void *arg)
{
	(void)s;
	(void)id;
	write_counts(arg);
}

/* ------------------------------------------------------------------ */
/* blocking queries */

static void on_query(redisAsyncContext *ac, void *reply, void *priv)
{
	redisReply *r = reply;
	query_t *q = priv;
	ws_cluster_t *cl = rc_of(ac)->cl;
	if (q->abandoned) {
		ws_free(q);
		return;
	}
	q->done = 1;
	if (!r) {
		q->status = WS_ERR_CLOSED;
	} else if (r->type == REDIS_REPLY_INTEGER) {
		q->status = 0;
		q->value = r->integer;
	} else {
		q->status = WS_ERR_PROTO;
		if (r->type == REDIS_REPLY_ERROR)
			set_err(cl, "%s", r->str);
		else
			set_err(cl, "unexpected reply type %d", r->type);
	}
}

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Drives the cmd connection alone, with poll(), until q is answered or
 * timeout_ms passed. Only hiredis callbacks of cmd run meanwhile (publish
 * acknowledgements, counts): no application code. Frees q unless it is
 * abandoned to a later callback; *value gets the answer. */
static int wait_query(ws_cluster_t *cl, query_t *q, int timeout_ms, long long *value)
{
	uint64_t deadline = mono_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
	while (!q->done) {
		rconn_t *rc = &cl->cmd;
		uint64_t now = mono_ms();
		if (!rc->ac || rc->fd < 0 || now >= deadline) {
			/* hiredis still holds q: its callback frees it. */
			q->abandoned = 1;
			return rc->ac ? WS_ERR_TIMEOUT : WS_ERR_CLOSED;
		}
		struct pollfd p = {.fd = rc->fd, .events = POLLIN};
		if (rc->events & WS_WATCH_WRITE)
			p.events |= POLLOUT;
		int n = poll(&p, 1, (int)(deadline - now));
		if (n < 0 && errno != EINTR) {
			q->abandoned = 1;
			return WS_ERR_SYS;
		}
		if (n <= 0)
			continue;
		if (p.revents & (POLLIN | POLLERR | POLLHUP))
			redisAsyncHandleRead(rc->ac);
		if (rc->ac && (p.revents & POLLOUT))
			redisAsyncHandleWrite(rc->ac);
	}
	int status = q->status;
	if (value)
		*value = q->value;
	ws_free(q);
	return status;
}

static query_t *query_new(ws_cluster_t *cl)
{
	query_t *q = ws_malloc(sizeof(*q));
	if (q) {
		memset(q, 0, sizeof(*q));
		q->cl = cl;
	}
	return q;
}

/* Sums field over every other live node's hash; a node whose hash expired
 * is dropped from the set on the way. */
static const char count_script[] =
	"local sum = 0\n"
	"for _, n in ipairs(redis.call('SMEMBERS', KEYS[1])) do\n"
	"  if n ~= ARGV[3] then\n"
	"    local key = ARGV[1] .. n\n"
	"    local v = redis.call('HGET', key, ARGV[2])\n"
	"    if v then\n"
	"      sum = sum + tonumber(v)\n"
	"    elseif redis.call('EXISTS', key) == 0 then\n"
	"      redis.call('SREM', KEYS[1], n)\n"
	"    end\n"
	"  end\n"
	"end\n"
	"return sum\n";

int ws_cluster_count(ws_cluster_t *cl, const char *room, size_t room_len, int timeout_ms, uint64_t *out)
{
	*out = 0;
	if (room && (room_len == 0 || room_len > WS_BUS_MAX_ROOM))
		return WS_ERR_INVAL;
	if (cl->state != ST_UP || !cl->cmd.ac)
		return WS_ERR_CLOSED;
	char *field = ws_malloc(room ? room_len + 2 : 2);
	if (!field)
		return WS_ERR_NOMEM;
	size_t field_len = 1;
	if (room) {
		field[0] = 'r';
		field[1] = ':';
		memcpy(field + 2, room, room_len);
		field_len = room_len + 2;
	} else {
		field[0] = 't';
	}
	query_t *q = query_new(cl);
	if (!q) {
		ws_free(field);
		return WS_ERR_NOMEM;
	}
	const char *argv[7] = {"EVAL", count_script, "1", cl->nodes_key, cl->count_prefix, field, cl->node_str};
	size_t lens[7] = {4, sizeof(count_script) - 1, 1, strlen(cl->nodes_key), strlen(cl->count_prefix), field_len,
			  strlen(cl->node_str)};
	int rc = redisAsyncCommandArgv(cl->cmd.ac, on_query, q, 7, argv, lens);
	ws_free(field);
	if (rc != REDIS_OK) {
		ws_free(q);
		return WS_ERR_CLOSED;
	}
	long long others = 0;
	rc = wait_query(cl, q, timeout_ms, &others);
	if (rc != 0)
		return rc;
	/* Ours from the server itself: exact, not a heartbeat old. */
	uint64_t mine = room ? ws_server_room_count(cl->s, room, room_len) : ws_server_count(cl->s);
	*out = (uint64_t)(others > 0 ? others : 0) + mine;
	return 0;
}

/* ------------------------------------------------------------------ */
/* publishing */

static void drop(ws_cluster_t *cl, const char *why)
{
	cl->st.dropped++;
	if (cl->state != ST_UP)
		cl->outage_drops++;
	if (!cl->warned) {
		cl->warned = 1;
		emit(cl, WS_CLUSTER_DROPPING, why ? why : cl->err);
	}
}

static void on_published(redisAsyncContext *ac, void *reply, void *priv)
{
	redisReply *r = reply;
	ws_cluster_t *cl = rc_of(ac)->cl;
	size_t n = (size_t)(uintptr_t)priv;
	cl->inflight = cl->inflight >= n ? cl->inflight - n : 0;
	if (r && r->type == REDIS_REPLY_ERROR) {
		set_err(cl, "PUBLISH: %s", r->str);
		drop(cl, cl->err);
	}
}

int ws_cluster_broadcast(ws_cluster_t *cl, const char *room, size_t room_len, const uint8_t *data, size_t len,
			 int binary, ws_conn_t *except)
{
	ws_bus_msg_t m = {
		.type = WS_BUS_BROADCAST,
		.binary = (uint8_t)(binary ? 1 : 0),
		.origin = cl->node,
		.except_id = except ? ws_conn_id(except) : 0,
		.room = room,
		.room_len = room_len,
		.data = data,
		.len = len,
	};
	size_t n = ws_bus_size(&m);
	if (n == 0)
		return WS_ERR_INVAL;
	int local = local_fanout(cl->s, room, room_len, data, len, binary, except);
	if (local < 0)
		return local;

	if (cl->state != ST_UP || !cl->cmd.ac) {
		drop(cl, NULL);
		return local;
	}
	if (len > cl->cfg.max_message_size) {
		drop(cl, "a message over the bus's size limit was not published");
		return local;
	}
	if (cl->inflight + n > cl->cfg.max_inflight) {
		drop(cl, "Redis is not keeping up (max_inflight bytes unacknowledged); publishes are dropped");
		return local;
	}
	uint8_t *buf = cl->enc;
	if (n > cl->enc_cap) {
		buf = ws_malloc(n);
		if (!buf) {
			drop(cl, "out of memory");
			return local;
		}
		if (n <= ENC_KEEP) {
			ws_free(cl->enc);
			cl->enc = buf;
			cl->enc_cap = n;
		}
	}
	ws_bus_encode(&m, buf, n);
	const char *argv[3] = {"PUBLISH", cl->channel, (const char *)buf};
	size_t lens[3] = {7, cl->channel_len, n};
	/* hiredis copies the command into its output buffer. */
	int rc = redisAsyncCommandArgv(cl->cmd.ac, on_published, (void *)(uintptr_t)n, 3, argv, lens);
	if (buf != cl->enc)
		ws_free(buf);
	if (rc != REDIS_OK) {
		drop(cl, NULL);
		return local;
	}
	cl->inflight += n;
	cl->st.published++;
	return local;
}

/* ------------------------------------------------------------------ */
/* lifetime */

/* A node id from Redis (INCR <prefix>:node, see ws_bus.h), asked once at
 * start on a blocking connection of its own, waiting at most timeout_ms
 * for each step; 0 when Redis cannot be reached or refuses (the bus then
 * says why as it connects). */
static uint32_t allocate_node(const ws_bus_addr_t *addr, uint32_t timeout_ms)
{
	struct timeval tv = {(time_t)(timeout_ms / 1000), (suseconds_t)(timeout_ms % 1000) * 1000};
	redisContext *c = addr->is_unix ? redisConnectUnixWithTimeout(addr->path, tv)
					: redisConnectWithTimeout(addr->host, addr->port, tv);
	if (!c)
		return 0;
	uint32_t node = 0;
	if (c->err || redisSetTimeout(c, tv) != REDIS_OK)
		goto out;
	if (addr->pass[0]) {
		redisReply *r = addr->user[0] ? redisCommand(c, "AUTH %s %s", addr->user, addr->pass)
					      : redisCommand(c, "AUTH %s", addr->pass);
		int ok = r && r->type == REDIS_REPLY_STATUS;
		if (r)
			freeReplyObject(r);
		if (!ok)
			goto out;
	}
	redisReply *r = redisCommand(c, "INCR %s:node", addr->prefix);
	if (r && r->type == REDIS_REPLY_INTEGER)
		node = ws_bus_node_from_incr(r->integer);
	if (r)
		freeReplyObject(r);
out:
	redisFree(c);
	return node;
}

/* Without Redis: a random node id in the range Redis never hands out. */
static uint32_t random_node(const ws_cluster_t *cl)
{
	uint32_t x;
	if (getrandom(&x, sizeof(x), GRND_NONBLOCK) != (ssize_t)sizeof(x))
		x = (uint32_t)time(NULL) ^ (uint32_t)(uintptr_t)cl ^ (uint32_t)mono_ms();
	return WS_BUS_NODE_RANDOM_MIN + x % (WS_BUS_NODE_MAX - WS_BUS_NODE_RANDOM_MIN + 1);
}

int ws_cluster_new(ws_cluster_t **out, ws_server_t *s, const ws_cluster_config_t *cfg, ws_cluster_event_cb cb,
		   void *user_data, char *errbuf, size_t errlen)
{
	*out = NULL;
	ws_bus_addr_t addr;
	int rc = ws_bus_parse_url(cfg->url, &addr, errbuf, errlen);
	if (rc != 0)
		return rc;
	ws_cluster_t *cl = ws_malloc(sizeof(*cl));
	if (!cl)
		return WS_ERR_NOMEM;
	memset(cl, 0, sizeof(*cl));
	cl->s = s;
	cl->cfg = *cfg;
	cl->cfg.url = NULL; /* not kept: addr holds what it said */
	if (!cl->cfg.heartbeat_ms)
		cl->cfg.heartbeat_ms = 1000;
	if (!cl->cfg.connect_timeout_ms)
		cl->cfg.connect_timeout_ms = 2000;
	cl->addr = addr;
	cl->cb = cb;
	cl->ud = user_data;
	cl->cmd.cl = cl->sub.cl = cl;
	cl->cmd.fd = cl->sub.fd = -1;
	cl->sub.is_sub = 1;
	cl->backoff_ms = BACKOFF_MIN_MS;

	uint32_t node = cfg->node_id & WS_BUS_NODE_MAX;
	if (node == 0)
		node = allocate_node(&cl->addr, cl->cfg.connect_timeout_ms);
	while (node == 0)
		node = random_node(cl);
	cl->node = node;
	cl->rng = ((uint64_t)node << 32 | (uint64_t)mono_ms()) | 1;
	snprintf(cl->node_str, sizeof(cl->node_str), "%u", node);
	if (addr.is_unix)
		snprintf(cl->where, sizeof(cl->where), "unix:%s", addr.path);
	else if (strchr(addr.host, ':'))
		snprintf(cl->where, sizeof(cl->where), "[%s]:%d", addr.host, addr.port);
	else
		snprintf(cl->where, sizeof(cl->where), "%s:%d", addr.host, addr.port);
	snprintf(cl->channel, sizeof(cl->channel), "%s:bus", addr.prefix);
	cl->channel_len = strlen(cl->channel);
	snprintf(cl->nodes_key, sizeof(cl->nodes_key), "%s:nodes", addr.prefix);
	snprintf(cl->count_prefix, sizeof(cl->count_prefix), "%s:count:", addr.prefix);
	snprintf(cl->count_key, sizeof(cl->count_key), "%s%u", cl->count_prefix, node);

	ws_server_set_id_prefix(s, node);
	cl->heartbeat = ws_server_timer_add(s, cl->cfg.heartbeat_ms, cl->cfg.heartbeat_ms, heartbeat_fn, cl);
	if (!cl->heartbeat) {
		ws_free(cl);
		return WS_ERR_NOMEM;
	}
	connect_start(cl);
	*out = cl;
	return 0;
}

void ws_cluster_free(ws_cluster_t *cl, int timeout_ms)
{
	if (!cl)
		return;
	timer_cancel(cl, &cl->heartbeat);
	timer_cancel(cl, &cl->timer);
	if (cl->state == ST_UP && cl->cmd.ac && timeout_ms > 0) {
		/* Leave the counts at once rather than after their expiry. */
		query_t *q = query_new(cl);
		redisAsyncCommand(cl->cmd.ac, NULL, NULL, "DEL %s", cl->count_key);
		if (q && redisAsyncCommand(cl->cmd.ac, on_query, q, "SREM %s %s", cl->nodes_key, cl->node_str) == REDIS_OK)
			wait_query(cl, q, timeout_ms, NULL);
		else
			ws_free(q);
	}
	cl->state = ST_DOWN;
	teardown(cl);
	ws_free(cl->enc);
	ws_free(cl);
}

uint32_t ws_cluster_node_id(const ws_cluster_t *cl) { return cl->node; }

#define WS__STR(x) #x
#define WS__XSTR(x) WS__STR(x)
const char *ws_cluster_backend(void)
{
	return "hiredis " WS__XSTR(HIREDIS_MAJOR) "." WS__XSTR(HIREDIS_MINOR) "." WS__XSTR(HIREDIS_PATCH);
}
const char *ws_cluster_error(const ws_cluster_t *cl) { return cl->err; }

void ws_cluster_stats(const ws_cluster_t *cl, ws_cluster_stats_t *out)
{
	*out = cl->st;
	out->connected = cl->state == ST_UP;
}
