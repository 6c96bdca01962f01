/*
 * TLS for the server (wss://), on OpenSSL, and the per-connection I/O
 * abstraction the server reads and writes through: the same calls for a
 * plain socket and for a TLS one.
 *
 * Internal to the core: ext/ only sees ws_tls_config_t and
 * ws_server_tls_reload() in ws.h.
 *
 * The TLS handshake is driven by the event loop: ws__io_read() runs it
 * (SSL_do_handshake) until it is done, then reads application data. Every
 * call that would block returns WS_AGAIN and says which socket event it
 * waits for (ws_io_t.rd_wants_write, wr_wants_read), so the loop arms
 * EPOLLOUT for a read that waits to write, and retries a write that waits
 * to read when the socket becomes readable.
 */
#ifndef SALON_WS_TLS_H
#define SALON_WS_TLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ws.h"

struct ssl_st;     /* OpenSSL's SSL */
struct ssl_ctx_st; /* OpenSSL's SSL_CTX */

/* The server's TLS state: the current SSL_CTX (replaced by a reload; open
 * connections keep the one they were accepted with, SSL_CTX being
 * refcounted), the BIO method connections do their socket I/O with, and a
 * copy of the configuration so that a reload can read the same files again. */
typedef struct ws_tls ws_tls_t;

/* Builds an SSL_CTX from cfg (cfg->cert must be set). Returns 0,
 * WS_ERR_NOMEM, WS_ERR_INVAL (bad min_version) or WS_ERR_TLS (a file could
 * not be loaded, the key does not match the certificate, no cipher
 * matches); errbuf then gets what failed and OpenSSL's reason, e.g.
 * "TLS private key /etc/x.pem: key values mismatch". Strings are copied. */
int ws__tls_new(ws_tls_t **out, const ws_tls_config_t *cfg, char *errbuf, size_t errlen);

/* Builds a new SSL_CTX from cfg (NULL: the configuration in use, so files
 * replaced on disk are read again) and, on success, makes it the one new
 * connections use. On failure the current one stays. Same codes as
 * ws__tls_new(). */
int ws__tls_reload(ws_tls_t *t, const ws_tls_config_t *cfg, char *errbuf, size_t errlen);

/* Frees the server's TLS state. Connections hold their own references to
 * their SSL_CTX but not to the BIO method: free this after them. */
void ws__tls_free(ws_tls_t *t);

/* ---------------------------------------------------------------------
 * Per-connection I/O. */

typedef struct ws_io {
	int fd;                 /* -1 once closed */
	uint32_t wr_retry;      /* length of the SSL_write to repeat (<= INT_MAX), 0 if none */
	struct ssl_st *ssl;     /* NULL: plain socket */
	uint8_t hs_done;        /* TLS handshake complete (always 1 when plain) */
	uint8_t sniffed;        /* first byte checked for a TLS record */
	uint8_t rd_wants_write; /* the last read (or handshake) waits for EPOLLOUT */
	uint8_t wr_wants_read;  /* the last write waits for EPOLLIN */
	uint8_t shut;           /* close_notify sent and/or FIN sent */
} ws_io_t;

/* Sets up io for an accepted socket: plain when t is NULL, else TLS on the
 * current SSL_CTX. Returns 0 or WS_ERR_NOMEM (io->fd is set either way;
 * the caller still owns and closes the socket on error). */
int ws__io_init(ws_io_t *io, int fd, ws_tls_t *t);

/* Reads up to len bytes (finishing the TLS handshake first). Returns the
 * number of bytes (> 0), 0 at end of stream (FIN, or a TLS close_notify),
 * WS_AGAIN when it would block, WS_ERR_PROTO when a TLS port got something
 * that starts like a plain-text HTTP request (nothing of it is consumed; see
 * ws__io_drop_tls()), WS_ERR_TLS on a TLS failure (bad handshake, bad
 * record) and WS_ERR_SYS on a socket error (errno set). */
ssize_t ws__io_read(ws_io_t *io, void *buf, size_t len);

/* Writes up to len bytes of buf, which holds the pending output. After
 * WS_AGAIN, the next call must pass at least the bytes it was given then
 * (the buffer may have moved; its first bytes must be the same): it then
 * repeats the write with the same length, as OpenSSL requires. Returns the
 * number of bytes written (> 0), WS_AGAIN, WS_ERR_TLS or WS_ERR_SYS. */
ssize_t ws__io_write(ws_io_t *io, const void *buf, size_t len);

/* Writes a then b (either may be empty) in one sendmsg(). Plain sockets
 * only (a TLS io gets WS_ERR_INVAL: its records are written one buffer at a
 * time by ws__io_write). Same returns as ws__io_write. */
ssize_t ws__io_write2(ws_io_t *io, const void *a, size_t alen, const void *b, size_t blen);

/* Whether bytes already taken from the socket wait inside OpenSSL: no
 * socket event will announce them, the loop must read again. */
int ws__io_pending(const ws_io_t *io);

/* Ends the sending side once all output is written: a TLS close_notify
 * (when the handshake was done), then a TCP FIN. Best effort. */
void ws__io_shutdown(ws_io_t *io);

/* Turns a TLS connection that got plain HTTP into a plain one, so that a
 * clear-text error response can go out on the usual path. */
void ws__io_drop_tls(ws_io_t *io);

/* Frees the SSL object and closes the socket. */
void ws__io_close(ws_io_t *io);

#endif
