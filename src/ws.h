/*
 * Salon core: a WebSocket server (RFC 6455) in plain C11.
 *
 * This is the only header ext/ includes. It knows nothing of PHP: it speaks
 * bytes, size_t, int return codes and a void *user_data passed through
 * unchanged to every callback.
 *
 * Threading: none. Everything happens on the thread that calls
 * ws_server_run_once(). Callbacks run inside that call.
 *
 * Ownership: the server owns its connections. A ws_conn_t pointer is valid
 * from on_open until on_close returns; after on_close the caller must not use
 * it again (the core frees it at a safe point later).
 */
#ifndef SALON_WS_H
#define SALON_WS_H

#include <stddef.h>
#include <stdint.h>

#define WS_VERSION "0.1.0"

/* Error codes: 0 is success, errors are negative. ws_strerror() names them. */
enum {
	WS_OK = 0,
	WS_AGAIN = -1,      /* parser: more input needed */
	WS_ERR_NOMEM = -2,  /* allocation failed */
	WS_ERR_SYS = -3,    /* system call failed; ws_server_new() writes the detail to errbuf */
	WS_ERR_INVAL = -4,  /* invalid argument or configuration */
	WS_ERR_CLOSED = -5, /* connection is closing or closed */
	WS_ERR_PROTO = -6,  /* protocol violation by the peer */
	WS_ERR_TOOBIG = -7, /* over a configured limit */
	WS_ERR_FULL = -8,   /* send queue over max_buffered */
	WS_ERR_NOTFOUND = -9,
	WS_ERR_TLS = -10,
	WS_ERR_TIMEOUT = -11, /* no answer in time (the cluster bus) */
};

/* Opcodes (RFC 6455 §5.2). */
enum {
	WS_OP_CONT = 0x0,
	WS_OP_TEXT = 0x1,
	WS_OP_BINARY = 0x2,
	WS_OP_CLOSE = 0x8,
	WS_OP_PING = 0x9,
	WS_OP_PONG = 0xA,
};

/* Close codes (RFC 6455 §7.4.1) the core itself produces. */
enum {
	WS_CLOSE_NORMAL = 1000,
	WS_CLOSE_GOING_AWAY = 1001,
	WS_CLOSE_PROTOCOL = 1002,
	WS_CLOSE_NO_STATUS = 1005,   /* reported only: peer's close had no code */
	WS_CLOSE_ABNORMAL = 1006,    /* reported only: TCP vanished */
	WS_CLOSE_BAD_DATA = 1007,    /* invalid UTF-8 */
	WS_CLOSE_POLICY = 1008,
	WS_CLOSE_TOO_BIG = 1009,
	WS_CLOSE_INTERNAL = 1011,
};

const char *ws_strerror(int err);

/* Allocator hooks; default to libc. Set before creating any server. */
typedef struct ws_allocator {
	void *(*malloc_fn)(size_t);
	void *(*realloc_fn)(void *, size_t);
	void (*free_fn)(void *);
} ws_allocator_t;
void ws_set_allocator(const ws_allocator_t *a);
void *ws_malloc(size_t n);
void *ws_realloc(void *p, size_t n);
void ws_free(void *p);

typedef struct ws_server ws_server_t;
typedef struct ws_conn ws_conn_t;

/* ---------------------------------------------------------------------
 * TLS (wss://, and https:// for the static files). With cert set, every
 * connection starts with a TLS handshake (TLS 1.2 and 1.3, ALPN http/1.1,
 * no renegotiation), driven by the loop and bounded by handshake_timeout.
 * Strings are copied. A plain-text HTTP request sent to the TLS port gets
 * a clear-text 400 and is closed.
 */
/* TLS 1.2 suites when ws_tls_config_t.ciphers is NULL: forward secrecy
 * (ECDHE) and AEAD only (AES-GCM, ChaCha20-Poly1305), as Mozilla's
 * "intermediate" profile without its DHE suites (no DH parameters are
 * configured, so OpenSSL would never pick them). No CBC and no SHA-1 MAC:
 * every browser and TLS library of the last decade has these. */
#define WS_TLS_DEFAULT_CIPHERS                                                                          \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"     \
	"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

typedef struct ws_tls_config {
	const char *cert;        /* PEM certificate file, may hold the chain; NULL: plain ws:// */
	const char *key;         /* PEM private key file; NULL: read from the cert file */
	const char *passphrase;  /* of an encrypted key; NULL: none */
	const char *ca;          /* PEM CA certificates completing the chain sent to clients;
				  * client certificates are not requested */
	const char *ciphers;     /* OpenSSL cipher list for TLS 1.2 (TLS 1.3 keeps its suites);
				  * NULL: WS_TLS_DEFAULT_CIPHERS */
	const char *min_version; /* "TLSv1.2" (NULL means that) or "TLSv1.3" */
} ws_tls_config_t;

/* ---------------------------------------------------------------------
 * Configuration. Call ws_config_init() then change what you need. Strings
 * are borrowed only for the duration of ws_server_new() (it copies them).
 */
/* permessage-deflate (RFC 7692), negotiated per connection when enabled.
 * The window and memory sizes bound what each compressed connection may
 * cost; see ws_deflate.h for what is allocated when. */
typedef struct ws_compression {
	int enabled;                    /* 0 (default): offers are ignored */
	int server_no_context_takeover; /* 1: every message we send is compressed
					 * on its own, by a compressor shared by
					 * all connections; 0 (default): each
					 * connection keeps its own (better ratio) */
	int client_no_context_takeover; /* 1: ask clients to do the same, so no
					 * decompressor is kept per connection */
	int server_max_window_bits;     /* 8-15 (15): our LZ77 window, 2^n bytes */
	int client_max_window_bits;     /* 8-15 (15): the client's; below 15, an
					 * offer that does not let us limit it is
					 * declined */
	int level;                      /* 0-9 (1): zlib compression level */
	int memory_level;               /* 1-9 (8): zlib memLevel */
	size_t threshold;               /* 32: shorter messages go out uncompressed */
} ws_compression_t;

/* The header a trusted proxy names the client in (ws_config_t.forwarded_header). */
enum {
	WS_FORWARDED_XFF = 0,   /* X-Forwarded-For: the rightmost address that is not a trusted proxy */
	WS_FORWARDED_FORWARDED, /* Forwarded (RFC 7239): its for= parameters, by the same rule */
	WS_FORWARDED_REAL_IP,   /* X-Real-IP: one address */
};

typedef struct ws_config {
	const char *host;          /* "127.0.0.1" by default; "::1", "0.0.0.0", "::" ... */
	int port;                  /* 0 picks a free port; ws_server_port() tells which */
	int backlog;               /* 511 */
	size_t max_message_size;   /* 1 MiB: larger messages close with 1009 */
	uint32_t max_fragments;    /* 0 = derived; frames per message before 1009 */
	size_t max_buffered;       /* 16 MiB: send queue cap per connection */
	int drop_when_full;        /* 0: close 1008 when over max_buffered; 1: drop the message */
	size_t send_high_water;    /* 1 MiB: a send queue that grows over this ... */
	size_t send_low_water;     /* 0: ... gets on_drain once it is back to this or less */
	uint32_t handshake_timeout_ms; /* 10000: 0 disables */
	uint32_t close_timeout_ms; /* 5000: wait for the peer's close frame / FIN */
	uint32_t shutdown_timeout_ms; /* 5000: ws_server_shutdown() flushes for at most this long */
	uint32_t idle_timeout_ms;  /* 120000: ping at half, close 1006 at full; 0 disables. The
				    * clock restarts on complete messages and control frames
				    * only, not on the bytes of a partial frame */
	uint32_t max_connections;  /* 0 = unlimited; over it: 503 */
	uint32_t max_connections_per_ip; /* 0 = unlimited; over it: 503 */
	const char *document_root; /* NULL: plain GET answered 426 */
	int serve_dotfiles;        /* 0: a path with a segment starting with '.' is 404
				    * (/.well-known excepted); 1: served like the rest */
	int reuse_port;            /* SO_REUSEPORT */
	/* Handshake control. The lists (and their strings) are copied. */
	const char *const *allowed_origins; /* with n > 0, an upgrade whose Origin is not one of these
					     * (ASCII case-insensitive), or that has none, gets 403 */
	size_t num_allowed_origins;
	const char *const *subprotocols; /* tokens, the server's preference first: the first one the
					  * client offered is answered in Sec-WebSocket-Protocol */
	size_t num_subprotocols;
	/* Proxies. When the peer is inside one of trusted_proxies (addresses
	 * or CIDR blocks: "10.0.0.0/8", "::1"), ws_conn_remote() is the client
	 * named by the one header forwarded_header says the proxies set
	 * (WS_FORWARDED_*: X-Forwarded-For by default), port 0 when the header
	 * gives none; the other forwarding headers are ignored, since a client
	 * can send them through a proxy that does not overwrite them. With proxy_protocol, every connection must
	 * start with a PROXY protocol v1 or v2 header (else it is closed), whose
	 * source address becomes ws_conn_remote() and then counts as the peer. */
	const char *const *trusted_proxies;
	size_t num_trusted_proxies;
	int forwarded_header; /* WS_FORWARDED_XFF, WS_FORWARDED_FORWARDED or WS_FORWARDED_REAL_IP */
	int proxy_protocol;
	/* A path such as "/metrics": a plain GET (or HEAD) of it is answered
	 * with ws_server_stats() in the OpenMetrics text format. NULL: none. */
	const char *metrics_path;
	ws_tls_config_t tls;       /* tls.cert NULL: no TLS */
	ws_compression_t compression; /* permessage-deflate; off by default */
} ws_config_t;

void ws_config_init(ws_config_t *cfg);

/* ---------------------------------------------------------------------
 * The upgrade request, as parsed. Pointers borrow from the connection and
 * stay valid while the connection does (until on_close returns); the struct
 * itself does not (see ws_conn_request()).
 * Header names are as sent; compare them case-insensitively.
 */
typedef struct ws_header {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
} ws_header_t;

/* Header lines a request head may have (the head is bounded in bytes too:
 * WS_HTTP_MAX_HEAD); one more is answered 431. A plain number: ws_http.c
 * writes it into its error text. */
#define WS_MAX_HEADERS 100

typedef struct ws_request {
	const char *method;
	size_t method_len;
	/* The path of the target without the query, e.g. "/chat"; of an
	 * absolute-form target ("http://host/chat?x", RFC 9112 §3.2.2) its
	 * path part, "/" when it has none. "*" for OPTIONS *. */
	const char *path;
	size_t path_len;
	const char *query; /* after '?', without it; "" if none */
	size_t query_len;
	int minor_version; /* HTTP/1.x */
	size_t num_headers;
	ws_header_t headers[WS_MAX_HEADERS];
	/* When ws_http_parse_request() refused the head: why, as static text
	 * ("more than one Host header"); NULL otherwise. */
	const char *error;
} ws_request_t;

/* ---------------------------------------------------------------------
 * Callbacks. Every one is optional. They run inside ws_server_run_once().
 * Inside any callback the application may send, close, broadcast, add and
 * cancel timers and call ws_server_stop(); it must not free the server.
 */
typedef struct ws_callbacks {
	/* Before the 101 answer. Return 0 to accept, or an HTTP status
	 * (300-599) to reject (anything else rejects with 403). Inside it,
	 * ws_conn_response_header() adds headers to the answer, the 101 or the
	 * rejection, and ws_conn_response_body() sets a rejection's body.
	 * NULL accepts everything that is valid. */
	int (*on_handshake)(ws_conn_t *c, const ws_request_t *req, void *user_data);
	/* The connection is open: messages may be sent. */
	void (*on_open)(ws_conn_t *c, void *user_data);
	/* A whole message (inflated, if it came compressed); data is borrowed
	 * for the duration of the call, is valid UTF-8 when binary == 0, and is
	 * followed by a NUL byte that is not part of len. */
	void (*on_message)(ws_conn_t *c, const uint8_t *data, size_t len, int binary, void *user_data);
	/* A pong arrived (solicited or not). */
	void (*on_pong)(ws_conn_t *c, const uint8_t *data, size_t len, void *user_data);
	/* Called exactly once for every connection that got on_open. code is
	 * the close code of the handshake (the peer's, or the one the server
	 * sent), 1005 when the peer's close frame had none, 1006 when the TCP
	 * connection was lost without a close handshake. reason is borrowed. */
	void (*on_close)(ws_conn_t *c, uint16_t code, const char *reason, size_t reason_len, void *user_data);
	/* The send queue (ws_conn_buffered) fell back to send_low_water or
	 * less after having grown over send_high_water; once per crossing. */
	void (*on_drain)(ws_conn_t *c, void *user_data);
} ws_callbacks_t;

/* ---------------------------------------------------------------------
 * Server.
 */

/* Creates the server, binds and listens at once.
 * Returns 0, WS_ERR_NOMEM, WS_ERR_INVAL (bad config), WS_ERR_TLS (a TLS
 * file could not be loaded, or the key does not match the certificate) or
 * WS_ERR_SYS; on any error *out is NULL and, when errbuf is not NULL, a
 * message like "bind(127.0.0.1:80): Permission denied" or
 * "TLS private key /etc/salon/key.pem: key values mismatch" (OpenSSL's
 * reason) is written to it. */
int ws_server_new(ws_server_t **out, const ws_config_t *cfg, const ws_callbacks_t *cb, void *user_data,
		  char *errbuf, size_t errbuf_len);

/* Closes every socket and frees everything without calling any callback.
 * Call ws_server_close_all() first if the application wants on_close. */
void ws_server_free(ws_server_t *s);

/* One loop step: waits up to timeout_ms (0: don't block, -1: until an event
 * or the next timer), handles what is ready, runs due timers, flushes what
 * was queued. Returns 0, or WS_ERR_SYS if the poller failed. */
int ws_server_run_once(ws_server_t *s, int timeout_ms);

/* Runs steps until ws_server_stop() is called. Returns 0 or WS_ERR_SYS. */
int ws_server_run(ws_server_t *s);

/* Makes ws_server_run() return after the current step. Safe in callbacks. */
void ws_server_stop(ws_server_t *s);
int ws_server_stopped(const ws_server_t *s);

/* Starts the close handshake (code, reason) on every open connection, fires
 * on_close for each, and flushes for at most timeout_ms. The listener is
 * paused meanwhile (connections wait in the backlog) and resumed after. */
void ws_server_close_all(ws_server_t *s, uint16_t code, const char *reason, size_t reason_len, int timeout_ms);

/* The graceful stop: ws_server_close_all() with 1001 "server shutting
 * down" and shutdown_timeout_ms. */
void ws_server_shutdown(ws_server_t *s);

/* Makes a ws_server_run_once() that waits return at once (it writes to an
 * eventfd the loop watches). The one function here that is
 * async-signal-safe, meant for signal handlers. Returns 0 or WS_ERR_SYS. */
int ws_server_wakeup(ws_server_t *s);

/* Loads the TLS certificate and key again: from tls (NULL: the same
 * configuration as before, so files renewed on disk are read again). On
 * success new connections use them; open connections keep theirs. On
 * failure nothing changes. Returns 0, WS_ERR_INVAL (the server has no TLS,
 * or a bad min_version), WS_ERR_TLS or WS_ERR_NOMEM, with the reason in
 * errbuf as for ws_server_new(). Safe in callbacks and timers. */
int ws_server_tls_reload(ws_server_t *s, const ws_tls_config_t *tls, char *errbuf, size_t errbuf_len);

/* 1 when the server speaks TLS. */
int ws_server_tls(const ws_server_t *s);

int ws_server_port(const ws_server_t *s);
const char *ws_server_host(const ws_server_t *s);
void *ws_server_user_data(const ws_server_t *s);
size_t ws_server_count(const ws_server_t *s); /* open connections */

/* Iterates the open connections (after on_open, before on_close). Returns
 * NULL at the end. Do not close connections while iterating. */
ws_conn_t *ws_server_first(ws_server_t *s);
ws_conn_t *ws_server_next(ws_server_t *s, ws_conn_t *c);

typedef struct ws_stats {
	uint64_t connections;       /* open now (on_open fired, on_close not yet) */
	uint64_t connections_total; /* accepted since start */
	uint64_t messages_in, messages_out;
	uint64_t bytes_in, bytes_out; /* on the wire; with TLS, before encryption */
	uint64_t handshakes_failed; /* HTTP upgrades refused, TLS handshakes failed */
	uint64_t http_requests;
	/* Sockets by state: reading the upgrade request; WebSocket open;
	 * closing (close handshake, final flush, HTTP answers). */
	uint64_t connections_handshake, connections_open, connections_closing;
	uint64_t bytes_buffered;     /* sum of the send queues */
	uint64_t rooms, room_members; /* rooms with open members; their memberships */
	/* Per second, over the last full second (a once-a-second loop timer
	 * samples the counters). */
	double messages_in_rate, messages_out_rate, bytes_in_rate, bytes_out_rate, connections_rate;
	/* How late that timer ran: the last time, and the most in the last
	 * 60 samples. A handler that blocks the loop shows here. */
	double loop_lag_ms, loop_lag_max_ms;
	double uptime_s;
} ws_stats_t;
/* Fills *out; walks the connections (O(n)) for the per-state counts. */
void ws_server_stats(const ws_server_t *s, ws_stats_t *out);
/* The close codes reported to on_close so far and how often, ascending:
 * writes at most max pairs, returns how many there are (at most 64
 * distinct codes are told apart; later new ones count under code 0). */
size_t ws_server_close_codes(const ws_server_t *s, uint16_t *codes, uint64_t *counts, size_t max);

/* Encodes the frame once and queues the same bytes on every open
 * connection except `except` (may be NULL): the frame goes into a block
 * the recipients share (reference-counted, freed after the last one wrote
 * it or closed), so a recipient whose queue is empty, or ends with the
 * previous broadcast, gets no copy of its own (TLS connections do). With permessage-deflate, the
 * message is compressed once per distinct window size among the recipients
 * that negotiated it (from an empty window, so every one of them can decode
 * it) and sent uncompressed to the others. Returns the number of
 * recipients, or a negative error. */
int ws_server_broadcast(ws_server_t *s, const uint8_t *data, size_t len, int binary, ws_conn_t *except);

/* ---------------------------------------------------------------------
 * Rooms: named groups of open connections (pub/sub topics). Names are
 * binary-safe, non-empty byte strings. A room exists while it has members.
 * A connection leaves every room when it closes: during its on_close it
 * still lists its rooms (ws_conn_room), but the rooms no longer count it
 * and broadcasts skip it; after on_close it is in none.
 * Join and leave cost O(1) on average (plus the connection's own number of
 * rooms); a room broadcast costs O(members of the room).
 */

/* Like ws_server_broadcast, to the open members of one room: the frame is
 * encoded once (compressed once per window size, as there). The recipients are the members when the call starts (a
 * recipient failed for being over max_buffered runs its on_close in the
 * middle; joins and leaves made there take effect for the next broadcast).
 * Returns the number of recipients (0 when the room does not exist), or a
 * negative error. */
int ws_server_broadcast_room(ws_server_t *s, const char *room, size_t room_len, const uint8_t *data, size_t len,
			     int binary, ws_conn_t *except);
/* Open members of a room (0 when it does not exist). */
size_t ws_server_room_count(const ws_server_t *s, const char *room, size_t room_len);
/* Calls fn for every room with at least one open member, oldest room
 * first; name is borrowed for the call. Do not join or leave from fn.
 * Returns the number of such rooms. */
size_t ws_server_rooms(const ws_server_t *s, void (*fn)(const char *name, size_t len, size_t members, void *ctx),
		       void *ctx);

/* Joins a room. Returns 1 when it joined, 0 when it already was a member,
 * WS_ERR_CLOSED when the connection is not open, WS_ERR_INVAL for an empty
 * name, WS_ERR_NOMEM. */
int ws_conn_join(ws_conn_t *c, const char *room, size_t room_len);
/* Leaves a room. Returns 1 when it left, 0 when it was not a member. */
int ws_conn_leave(ws_conn_t *c, const char *room, size_t room_len);
/* The rooms of c, in the order it joined them: ws_conn_room(c, i, &len)
 * for i < ws_conn_room_count(c); the name is borrowed until the next join
 * or leave of c. */
size_t ws_conn_room_count(const ws_conn_t *c);
const char *ws_conn_room(const ws_conn_t *c, size_t i, size_t *len);

/* Timers, driven by the loop, millisecond precision. The id is > 0.
 * A repeating timer (repeat_ms > 0) runs every repeat_ms after the first
 * delay. The callback may cancel its own timer. */
typedef void (*ws_timer_cb)(ws_server_t *s, uint64_t id, void *arg);
uint64_t ws_server_timer_add(ws_server_t *s, uint64_t delay_ms, uint64_t repeat_ms, ws_timer_cb cb, void *arg);
/* Returns 0, or WS_ERR_NOTFOUND. The timer's arg is the caller's to free.
 * A one-shot timer is forgotten by the core once its callback returned. */
int ws_server_timer_cancel(ws_server_t *s, uint64_t id);
/* Calls fn(arg) for every pending timer (to free args at shutdown). */
void ws_server_timer_foreach(ws_server_t *s, void (*fn)(uint64_t id, void *arg, void *ctx), void *ctx);
/* Calls fn for every connection that got on_open and not yet on_close,
 * newest first. fn must not close or free connections. */
void ws_server_conn_foreach(ws_server_t *s, void (*fn)(ws_conn_t *c, void *ctx), void *ctx);
/* The connection with this id that got on_open and not yet on_close, or
 * NULL. A walk of the open connections: O(connections). */
ws_conn_t *ws_server_conn_find(ws_server_t *s, uint64_t id);

/* ---------------------------------------------------------------------
 * Connection.
 */

/* 1 if code may be sent in a close frame (1000-1003, 1007-1011, 3000-4999). */
int ws_close_code_valid(uint16_t code);

/* Sends a text or binary message, compressed when the connection
 * negotiated permessage-deflate and it is at least compression.threshold
 * bytes and smaller compressed. Messages are queued (copied) and written at
 * the end of the loop step, all of a connection's in one write; but an
 * uncompressed message of 8 KiB or more sent while nothing is queued (and
 * not over TLS) is written to the socket at once, and only what the kernel
 * did not take is queued (and counts in ws_conn_buffered). The data is
 * never borrowed past the call. Returns 0, WS_ERR_CLOSED when
 * the connection is closing or closed, WS_ERR_FULL when the queue is over
 * max_buffered (and, unless drop_when_full, the connection is being closed
 * with 1008: on_close for it fires before this call returns). */
int ws_conn_send(ws_conn_t *c, const uint8_t *data, size_t len, int binary);
/* Queues a ping (payload <= 125 bytes, else WS_ERR_INVAL). */
int ws_conn_ping(ws_conn_t *c, const uint8_t *data, size_t len);
/* Starts the close handshake; on_close fires when the peer answers or after
 * close_timeout_ms. code must be 1000-4999 and not a reserved one, reason
 * <= 123 bytes (else WS_ERR_INVAL). Returns WS_ERR_CLOSED if already
 * closing. */
int ws_conn_close(ws_conn_t *c, uint16_t code, const char *reason, size_t reason_len);

/* 1 from on_open until the close handshake starts (ws_conn_close, the
 * peer's close frame) or the connection is lost; always 0 inside on_close,
 * whatever closed it (a TCP loss included), so send, ping and close then
 * return WS_ERR_CLOSED and queue nothing. */
int ws_conn_is_open(const ws_conn_t *c);
/* Only inside on_handshake for c: adds "name: value" to the answer (the 101
 * when on_handshake accepts, its rejection otherwise); may be called again
 * for the same name (Set-Cookie). Checked by ws_response_header_check().
 * A Content-Type replaces the rejection's default text/plain. Returns 0,
 * WS_ERR_INVAL (a bad header, or not inside on_handshake for c) or
 * WS_ERR_NOMEM. */
int ws_conn_response_header(ws_conn_t *c, const char *name, size_t name_len, const char *value, size_t value_len);
/* Only inside on_handshake for c: the body of the rejection (copied; a
 * second call replaces it), sent with its Content-Length; never sent with
 * a 101. Returns 0, WS_ERR_INVAL (not inside on_handshake for c) or
 * WS_ERR_NOMEM. */
int ws_conn_response_body(ws_conn_t *c, const uint8_t *body, size_t len);
uint64_t ws_conn_id(const ws_conn_t *c);
size_t ws_conn_buffered(const ws_conn_t *c);
/* "ip:port" or "[v6]:port", formatted into the server's scratch: valid
 * until the next ws_conn_remote() call for any connection of the server. */
const char *ws_conn_remote(const ws_conn_t *c);
/* The parsed upgrade request, or NULL (before the head is complete). Its
 * headers leave out the fields the handshake consumed (Connection, Upgrade,
 * Sec-WebSocket-Key, Sec-WebSocket-Version): the connection keeps the rest
 * of the head, and only that, until it is freed. The
 * struct is the server's scratch, valid until the next ws_conn_request()
 * call for any connection of the server: copy what you need from it. The
 * strings it points to stay valid while the connection does. */
const ws_request_t *ws_conn_request(const ws_conn_t *c);
/* Iterates the pairs of a Cookie header value ("a=1; b=2"), from *pos (0
 * the first time): sets name/value (trimmed; DQUOTEs around a value
 * dropped; a pair without '=' is a name with an empty value) and advances
 * *pos. Returns 1 for a pair, 0 at the end. Values are not decoded. */
int ws_cookie_next(const char *s, size_t len, size_t *pos, const char **name, size_t *name_len, const char **value,
		   size_t *value_len);
/* 1 when len bytes at s are an IP address or CIDR block for
 * ws_config_t.trusted_proxies. */
int ws_trusted_proxy_valid(const char *s, size_t len);
/* Headers the handshake handler adds to its answer (RFC 9110 §5.1, §5.5):
 * WS_HEADER_OK, or why not: the name is not a token, or is a field the
 * server writes itself (Connection, Upgrade, Content-Length,
 * Transfer-Encoding, Sec-WebSocket-*; compared case-insensitively), or the
 * value holds CR, LF, NUL or another control character but HTAB, or starts
 * or ends with whitespace. */
enum { WS_HEADER_OK = 0, WS_HEADER_BAD_NAME = 1, WS_HEADER_RESERVED = 2, WS_HEADER_BAD_VALUE = 3 };
int ws_response_header_check(const char *name, size_t name_len, const char *value, size_t value_len);
/* 1 when len bytes at s may be a subprotocol name (an RFC 9110 token). */
int ws_subprotocol_valid(const char *s, size_t len);
/* The negotiated subprotocol (one of ws_config_t.subprotocols), or NULL. */
const char *ws_conn_subprotocol(const ws_conn_t *c);
ws_server_t *ws_conn_server(const ws_conn_t *c);
void ws_conn_set_user_data(ws_conn_t *c, void *p);
void *ws_conn_user_data(const ws_conn_t *c);

/* ---------------------------------------------------------------------
 * Foreign descriptors in the server's loop: a Redis connection, a signalfd.
 * The callback runs inside ws_server_run_once() when fd is ready, with the
 * events that are (WS_WATCH_ERROR comes with WS_WATCH_READ: read to learn
 * what happened). The server never reads, writes or closes fd.
 */
#define WS_WATCH_READ 1u
#define WS_WATCH_WRITE 2u
#define WS_WATCH_ERROR 4u
typedef void (*ws_watch_cb)(ws_server_t *s, int fd, unsigned events, void *arg);

/* Watches fd for events (WS_WATCH_READ | WS_WATCH_WRITE; 0 keeps the
 * registration with no interest). Called again for a watched fd, it changes
 * the events, callback and argument. Returns 0, WS_ERR_NOMEM or WS_ERR_SYS.
 * Safe in any callback. */
int ws_server_watch(ws_server_t *s, int fd, unsigned events, ws_watch_cb cb, void *arg);
/* Stops watching fd; an event of fd already collected in this step is
 * dropped. Call it before closing fd. Returns 0 or WS_ERR_NOTFOUND. */
int ws_server_unwatch(ws_server_t *s, int fd);

/* ---------------------------------------------------------------------
 * Processes: connection ids across processes, forked workers.
 */

/* Puts prefix (taken modulo 2^21) above the low 32 bits of the ids of the
 * connections accepted from now on: id = prefix << 32 | n, n counting from
 * 1 in this process (ws_bus_conn_id), so every id is at most 2^53-1, exact
 * in a JavaScript number. With prefix 0 (the default) ids are 1, 2, 3, ...
 * After 2^32-1 connections of one process n goes round to 1, and from then
 * on skips the ids of connections still open. */
void ws_server_set_id_prefix(ws_server_t *s, uint32_t prefix);

/* In a child process, right after fork(): gives the server an event loop of
 * its own (an epoll instance is shared across fork(), so the parent's must
 * not be touched), drops the connections and watches inherited from the
 * parent without callbacks, and, when own_listener is set or the server has
 * no listening socket, listens on a new socket bound to the same host and
 * port with SO_REUSEPORT (the inherited one is closed in this process).
 * Timers are kept. Returns 0, or WS_ERR_SYS / WS_ERR_NOMEM with errbuf. */
int ws_server_after_fork(ws_server_t *s, int own_listener, char *errbuf, size_t errbuf_len);

/* Forks n workers (1-1024) and supervises them; called by the process that
 * owns the server, before it runs the loop.
 * - In a worker, returns 1 with *worker_id set (0 .. n-1); SIGTERM and
 *   SIGINT are then blocked, for ws_workers_signal_fd(). The worker runs
 *   its loop and ends the process when done.
 * - In the master, supervises until every worker has exited, then returns
 *   0 (signal mask restored). A worker that dies (signal, non-zero status)
 *   is started again (after 1 s when it lived less than 1 s). SIGTERM or
 *   SIGINT to the master is forwarded as SIGTERM to every worker, and the
 *   master waits for them; a second one sends SIGKILL. A worker that ends
 *   after ws_workers_mark_stop() (the application stopped it) stops the
 *   others the same way; one that ends without it is a crash, whatever
 *   its exit status (exit(0) in a handler included), and is restarted.
 * - SIGHUP to the master is forwarded to every worker with
 *   WS_WORKERS_FORWARD_HUP in flags (they reload their TLS certificate;
 *   workers start with SIGHUP ignored until they set a handler), and
 *   ignored without it: it never ends the master.
 * - Returns WS_ERR_SYS with errbuf when the first fork fails (workers
 *   already started are stopped first) or WS_ERR_INVAL for a bad n.
 * on_exit, when not NULL, runs in the master for every worker that ended:
 * its id, pid, wait status, and whether it is being restarted. */
#define WS_WORKERS_FORWARD_HUP 1
typedef void (*ws_workers_exit_cb)(int worker_id, int pid, int status, int restarting, void *user_data);
int ws_workers_run(int n, int flags, ws_workers_exit_cb on_exit, void *user_data, int *worker_id, char *errbuf,
		   size_t errbuf_len);
/* In a worker: marks its stop as deliberate (Server::stop(), a stop
 * signal), so that the master stops every worker when it ends instead of
 * restarting it. Async-signal-safe; does nothing in other processes. */
void ws_workers_mark_stop(void);
/* In a worker: a non-blocking descriptor (signalfd) that becomes readable
 * when SIGTERM or SIGINT arrives; -1 with errno on failure. */
int ws_workers_signal_fd(void);
/* Reads one pending signal from that descriptor: its number, or 0. */
int ws_workers_signal_read(int fd);

/* ---------------------------------------------------------------------
 * Cluster bus: broadcasts shared by every node (process) through Redis
 * pub/sub, driven by the server's loop. The ws_cluster_* functions exist
 * only when Salon is built with hiredis (src/ws_cluster.c; configure then
 * defines HAVE_SALON_HIREDIS for ext/); ws_cluster_check_url() always does.
 *
 * Each node (process; every worker is one) has a node id, 1 .. 2^21-1,
 * taken from Redis at start (INCR <prefix>:node), that becomes the high
 * bits of its connection ids (ws_server_set_id_prefix), so ids are unique
 * across the cluster and at most 2^53-1, exact in JavaScript (ws_bus.h
 * says how ids are made and what happens when Redis is unreachable). ws_cluster_broadcast() delivers on this node at once and
 * publishes one message on <prefix>:bus; every other node delivers it to its
 * own connections; the publishing node ignores its own message. Each node
 * keeps its counts in the hash <prefix>:count:<node> (expiring after 3
 * heartbeats) listed in the set <prefix>:nodes, for ws_cluster_count().
 *
 * When Redis is unreachable, local delivery goes on; publishes are dropped
 * and counted (nothing is buffered), the bus reconnects with backoff
 * (50 ms doubling to 2 s, +-25 %) and subscribes again. While it is up, the
 * bytes handed to Redis and not yet acknowledged are capped (max_inflight):
 * over it, publishes are dropped and counted too.
 */
typedef struct ws_cluster ws_cluster_t;

typedef struct ws_cluster_config {
	const char *url;            /* see ws_cluster_check_url(); copied */
	uint32_t node_id;           /* 0: from Redis at start (random when unreachable); see ws_bus.h */
	uint32_t heartbeat_ms;      /* 1000: counts written, expiry 3x */
	uint32_t connect_timeout_ms; /* 2000 */
	size_t max_message_size;    /* 64 MiB: larger data is not published (dropped) nor delivered (invalid) */
	size_t max_inflight;        /* 64 MiB: publishes not yet acknowledged */
} ws_cluster_config_t;

void ws_cluster_config_init(ws_cluster_config_t *cfg);

/* Events for the owner (it may log them; the core does not print). */
enum {
	WS_CLUSTER_UP = 1,       /* connected and subscribed */
	WS_CLUSTER_DOWN = 2,     /* lost or could not connect (once per outage); detail says why */
	WS_CLUSTER_DROPPING = 3, /* the first publish lost in this outage */
	WS_CLUSTER_RECOVERED = 4, /* up again after an outage that lost publishes */
};
typedef void (*ws_cluster_event_cb)(ws_cluster_t *cl, int event, const char *detail, void *user_data);

/* Checks a bus URL: redis://[[user]:password@]host[:port][/prefix], or a
 * unix socket as unix:///path[?prefix=name] or /path[?prefix=name]; the
 * prefix (default "salon") is 1-64 bytes of [A-Za-z0-9_.:-]. Returns 0, or
 * WS_ERR_INVAL with the reason in errbuf. */
int ws_cluster_check_url(const char *url, char *errbuf, size_t errbuf_len);

/* Joins the bus: sets the server's id prefix to the node id and starts
 * connecting (the loop of s drives it). Returns 0, WS_ERR_INVAL (bad URL,
 * with errbuf) or WS_ERR_NOMEM. Free it before the server. */
int ws_cluster_new(ws_cluster_t **out, ws_server_t *s, const ws_cluster_config_t *cfg, ws_cluster_event_cb cb,
		   void *user_data, char *errbuf, size_t errbuf_len);
/* Leaves the bus: removes this node's counts (waiting up to timeout_ms for
 * Redis to answer) and frees everything. NULL is a no-op. Not from inside
 * ws_server_run_once() (a callback could be the bus's own). */
void ws_cluster_free(ws_cluster_t *cl, int timeout_ms);

/* Sends data to the open connections of the cluster (of room, when room is
 * not NULL) except `except`: delivers on this node, then publishes once.
 * Returns the number of local recipients, or a negative error: WS_ERR_INVAL
 * (an empty room, a room over 65535 bytes: delivered nowhere) or the local
 * broadcast's. A publish that cannot be made (bus down, over max_inflight,
 * over max_message_size) is counted in stats.dropped; the first of an
 * outage fires WS_CLUSTER_DROPPING. Safe in callbacks. */
int ws_cluster_broadcast(ws_cluster_t *cl, const char *room, size_t room_len, const uint8_t *data, size_t len,
			 int binary, ws_conn_t *except);

/* Open connections (room NULL) or members of room across the cluster: this
 * node's own figure now, plus the other nodes' from Redis (at most a
 * heartbeat old). Blocks for one Redis round trip, at most timeout_ms (only
 * the bus's command connection is served meanwhile). Returns 0,
 * WS_ERR_CLOSED (bus down), WS_ERR_TIMEOUT, WS_ERR_PROTO (Redis answered an
 * error: ws_cluster_error() says which), WS_ERR_INVAL (room empty or over
 * 65535 bytes), WS_ERR_NOMEM, WS_ERR_SYS (poll failed). Safe in callbacks. */
int ws_cluster_count(ws_cluster_t *cl, const char *room, size_t room_len, int timeout_ms, uint64_t *out);

uint32_t ws_cluster_node_id(const ws_cluster_t *cl);
/* "hiredis 0.14.1": the library the bus was built with. */
const char *ws_cluster_backend(void);
/* The last connection or Redis error, "" if none. */
const char *ws_cluster_error(const ws_cluster_t *cl);

typedef struct ws_cluster_stats {
	int connected;       /* connected and subscribed now */
	uint64_t published;  /* messages published */
	uint64_t received;   /* messages from other nodes delivered here */
	uint64_t dropped;    /* publishes lost: bus down or over max_inflight */
	uint64_t invalid;    /* bus messages ignored: bad format, unknown version, too big */
	uint64_t reconnects; /* successful connections after the first */
} ws_cluster_stats_t;
void ws_cluster_stats(const ws_cluster_t *cl, ws_cluster_stats_t *out);

#endif
