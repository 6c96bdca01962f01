/*
 * TLS on OpenSSL: the server's SSL_CTX (built from the tls options, rebuilt
 * by a reload) and the per-connection I/O that the server reads and writes
 * through, plain or TLS.
 *
 * Connections do their socket I/O through a small BIO of our own rather
 * than OpenSSL's socket BIO, so that writes use MSG_NOSIGNAL: a peer that
 * vanished must give EPIPE, not a SIGPIPE that kills the embedding process
 * (the core may not assume its host ignores SIGPIPE).
 *
 * OpenSSL's error queue is per thread and shared with everything else in
 * the process (PHP's openssl extension reads it too): it is cleared before
 * every SSL call whose result is checked with SSL_get_error(), as the
 * OpenSSL documentation asks, and after every failure handled here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "ws.h"
#include "ws_tls.h"

struct ws_tls {
	SSL_CTX *ctx;
	BIO_METHOD *bio_method;
	/* Copies of the configuration strings, for a reload from the same
	 * files. The passphrase is wiped when freed. */
	char *cert, *key, *passphrase, *ca, *ciphers, *min_version;
};

static char *dupstr(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *p = ws_malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

static void freestr(char **p, int wipe)
{
	if (*p && wipe)
		OPENSSL_cleanse(*p, strlen(*p));
	ws_free(*p);
	*p = NULL;
}

/* Writes "what path: reason" with OpenSSL's reason for the earliest error
 * in the queue (the root cause: "No such file or directory", "bad
 * decrypt"), or the latest one when last is set (X509_check_private_key
 * puts the telling "key values mismatch" after a generic one), then clears
 * the queue. */
static void tls_error(char *errbuf, size_t errlen, const char *what, const char *path, int last)
{
	unsigned long e = 0, x;
	while ((x = ERR_get_error()) != 0) {
		if (!e || last)
			e = x;
	}
	char reason[160];
	const char *r = NULL;
#ifdef ERR_SYSTEM_ERROR /* OpenSSL 3 */
	int sys = e && ERR_SYSTEM_ERROR(e);
#else
	int sys = e && ERR_GET_LIB(e) == ERR_LIB_SYS;
#endif
	if (sys) {
		r = strerror(ERR_GET_REASON(e));
	} else if (e) {
		r = ERR_reason_error_string(e);
		if (!r) {
			ERR_error_string_n(e, reason, sizeof(reason));
			r = reason;
		}
	}
	if (!r)
		r = "unknown error";
	if (errbuf && errlen) {
		if (path)
			snprintf(errbuf, errlen, "%s %s: %s", what, path, r);
		else
			snprintf(errbuf, errlen, "%s: %s", what, r);
	}
	ERR_clear_error();
}

/* The key's passphrase comes only from the configuration: without this,
 * OpenSSL's default callback would prompt on the terminal. */
static int passphrase_cb(char *buf, int size, int rwflag, void *u)
{
	(void)rwflag;
	const char *p = u;
	if (!p)
		return 0;
	size_t n = strlen(p);
	if (n > (size_t)size)
		return 0;
	memcpy(buf, p, n);
	return (int)n;
}

/* ALPN (RFC 7301): a browser offers "h2,http/1.1" for wss://; a WebSocket
 * upgrade is HTTP/1.1, so that is what we select. A client that offers only
 * other protocols gets no ALPN answer rather than a fatal alert: it may
 * still speak HTTP/1.1. */
static int alpn_select_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
			  unsigned int inlen, void *arg)
{
	(void)ssl;
	(void)arg;
	static const unsigned char ours[] = "\x08http/1.1";
	unsigned char *sel = NULL;
	unsigned char sel_len = 0;
	if (SSL_select_next_proto(&sel, &sel_len, ours, sizeof(ours) - 1, in, inlen) == OPENSSL_NPN_NEGOTIATED) {
		*out = sel;
		*outlen = sel_len;
		return SSL_TLSEXT_ERR_OK;
	}
	return SSL_TLSEXT_ERR_NOACK;
}

static int parse_min_version(const char *v)
{
	if (!v || !*v || strcmp(v, "TLSv1.2") == 0)
		return TLS1_2_VERSION;
	if (strcmp(v, "TLSv1.3") == 0)
		return TLS1_3_VERSION;
	return 0;
}

/* Builds an SSL_CTX from the strings kept in t. */
static int build_ctx(SSL_CTX **out, const ws_tls_t *t, char *errbuf, size_t errlen)
{
	*out = NULL;
	int minv = parse_min_version(t->min_version);
	if (!minv) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "TLS min_version %s: must be TLSv1.2 or TLSv1.3", t->min_version);
		return WS_ERR_INVAL;
	}
	if (!t->cert) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "TLS: no certificate file given");
		return WS_ERR_INVAL;
	}
	ERR_clear_error();
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx) {
		tls_error(errbuf, errlen, "TLS: SSL_CTX_new", NULL, 0);
		return WS_ERR_NOMEM;
	}
	int rc = WS_ERR_TLS;
	EVP_PKEY *pkey = NULL;
	BIO *kb = NULL;
	const char *keyfile = t->key ? t->key : t->cert;

	SSL_CTX_set_min_proto_version(ctx, minv);
	/* No renegotiation (a client-initiated one is a known DoS lever, and
	 * nothing here needs one); the server's cipher order wins. TLS 1.3 has
	 * no renegotiation at all. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
	/* The output buffer a write is retried with may have moved (the
	 * connection's queue grows and slides), and a large write may complete
	 * in parts. Idle connections give their read and write buffers back. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
				      SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_default_passwd_cb(ctx, passphrase_cb);
	SSL_CTX_set_default_passwd_cb_userdata(ctx, t->passphrase);
	SSL_CTX_set_alpn_select_cb(ctx, alpn_select_cb, NULL);
	static const unsigned char sid_ctx[] = "salon";
	SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1);

	if (SSL_CTX_set_cipher_list(ctx, t->ciphers ? t->ciphers : WS_TLS_DEFAULT_CIPHERS) != 1) {
		tls_error(errbuf, errlen, "TLS ciphers", t->ciphers ? t->ciphers : WS_TLS_DEFAULT_CIPHERS, 0);
		goto fail;
	}
	/* The file may hold the whole chain (Let's Encrypt's fullchain.pem). */
	if (SSL_CTX_use_certificate_chain_file(ctx, t->cert) != 1) {
		tls_error(errbuf, errlen, "TLS certificate", t->cert, 0);
		goto fail;
	}
	/* The key is read here rather than with SSL_CTX_use_PrivateKey_file so
	 * that a mismatch is named as one: OpenSSL would otherwise file a key
	 * of another type (EC for an RSA certificate) in its own slot and only
	 * report "no certificate assigned" later. */
	kb = BIO_new_file(keyfile, "r");
	if (!kb) {
		tls_error(errbuf, errlen, "TLS private key", keyfile, 0);
		goto fail;
	}
	pkey = PEM_read_bio_PrivateKey(kb, NULL, passphrase_cb, t->passphrase);
	if (!pkey) {
		tls_error(errbuf, errlen, "TLS private key", keyfile, 0);
		goto fail;
	}
	if (X509_check_private_key(SSL_CTX_get0_certificate(ctx), pkey) != 1) {
		tls_error(errbuf, errlen, "TLS private key", keyfile, 1);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey(ctx, pkey) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
		tls_error(errbuf, errlen, "TLS private key", keyfile, 1);
		goto fail;
	}
	/* CA certificates: the trust store, from which OpenSSL completes the
	 * chain it sends when the certificate file holds only the leaf. Client
	 * certificates are not requested. */
	if (t->ca && SSL_CTX_load_verify_locations(ctx, t->ca, NULL) != 1) {
		tls_error(errbuf, errlen, "TLS ca", t->ca, 0);
		goto fail;
	}
	EVP_PKEY_free(pkey);
	BIO_free(kb);
	/* The passphrase was for loading only; the string may be freed by a
	 * reload while connections still hold this context. */
	SSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
	ERR_clear_error();
	*out = ctx;
	return 0;
fail:
	EVP_PKEY_free(pkey);
	BIO_free(kb);
	SSL_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

/* ------------------------------------------------------------------ */
/* The socket BIO: send(MSG_NOSIGNAL) and recv on io->fd. */

static int bio_write(BIO *b, const char *buf, int len)
{
	ws_io_t *io = BIO_get_data(b);
	BIO_clear_retry_flags(b);
	ssize_t n;
	do
		n = send(io->fd, buf, (size_t)len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		BIO_set_retry_write(b);
	return (int)n;
}

static int bio_read(BIO *b, char *buf, int len)
{
	ws_io_t *io = BIO_get_data(b);
	BIO_clear_retry_flags(b);
	ssize_t n;
	do
		n = recv(io->fd, buf, (size_t)len, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		BIO_set_retry_read(b);
	return (int)n;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	(void)b;
	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH: /* nothing is buffered here */
	case BIO_CTRL_PUSH:
	case BIO_CTRL_POP:
		return 1;
	default:
		return 0;
	}
}

static int bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

int ws__tls_new(ws_tls_t **out, const ws_tls_config_t *cfg, char *errbuf, size_t errlen)
{
	*out = NULL;
	if (errbuf && errlen)
		errbuf[0] = 0;
	ws_tls_t *t = ws_malloc(sizeof(*t));
	if (!t)
		return WS_ERR_NOMEM;
	memset(t, 0, sizeof(*t));
	int rc = WS_ERR_NOMEM;
	if ((cfg->cert && !(t->cert = dupstr(cfg->cert))) || (cfg->key && !(t->key = dupstr(cfg->key))) ||
	    (cfg->passphrase && !(t->passphrase = dupstr(cfg->passphrase))) ||
	    (cfg->ca && !(t->ca = dupstr(cfg->ca))) || (cfg->ciphers && !(t->ciphers = dupstr(cfg->ciphers))) ||
	    (cfg->min_version && !(t->min_version = dupstr(cfg->min_version))))
		goto fail;
	t->bio_method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "salon socket");
	if (!t->bio_method || !BIO_meth_set_write(t->bio_method, bio_write) ||
	    !BIO_meth_set_read(t->bio_method, bio_read) || !BIO_meth_set_ctrl(t->bio_method, bio_ctrl) ||
	    !BIO_meth_set_create(t->bio_method, bio_create))
		goto fail;
	if ((rc = build_ctx(&t->ctx, t, errbuf, errlen)) != 0)
		goto fail;
	*out = t;
	return 0;
fail:
	if (rc == WS_ERR_NOMEM && errbuf && errlen && !errbuf[0])
		snprintf(errbuf, errlen, "TLS: out of memory");
	ERR_clear_error();
	ws__tls_free(t);
	return rc;
}

int ws__tls_reload(ws_tls_t *t, const ws_tls_config_t *cfg, char *errbuf, size_t errlen)
{
	if (errbuf && errlen)
		errbuf[0] = 0;
	if (!cfg) {
		SSL_CTX *ctx;
		int rc = build_ctx(&ctx, t, errbuf, errlen);
		if (rc != 0)
			return rc;
		SSL_CTX_free(t->ctx); /* open connections hold their own reference */
		t->ctx = ctx;
		return 0;
	}
	/* A new configuration: build it in a scratch copy and swap only when
	 * it works. */
	ws_tls_t n;
	memset(&n, 0, sizeof(n));
	int rc = WS_ERR_NOMEM;
	if ((cfg->cert && !(n.cert = dupstr(cfg->cert))) || (cfg->key && !(n.key = dupstr(cfg->key))) ||
	    (cfg->passphrase && !(n.passphrase = dupstr(cfg->passphrase))) ||
	    (cfg->ca && !(n.ca = dupstr(cfg->ca))) || (cfg->ciphers && !(n.ciphers = dupstr(cfg->ciphers))) ||
	    (cfg->min_version && !(n.min_version = dupstr(cfg->min_version))))
		goto done;
	if ((rc = build_ctx(&n.ctx, &n, errbuf, errlen)) != 0)
		goto done;
	/* Swap: t takes n's strings and context; n leaves with t's old ones. */
	ws_tls_t old = *t;
	n.bio_method = t->bio_method;
	*t = n;
	n = old;
	n.bio_method = NULL;
done:
	if (rc == WS_ERR_NOMEM && errbuf && errlen && !errbuf[0])
		snprintf(errbuf, errlen, "TLS: out of memory");
	SSL_CTX_free(n.ctx);
	freestr(&n.cert, 0);
	freestr(&n.key, 0);
	freestr(&n.passphrase, 1);
	freestr(&n.ca, 0);
	freestr(&n.ciphers, 0);
	freestr(&n.min_version, 0);
	return rc;
}

void ws__tls_free(ws_tls_t *t)
{
	if (!t)
		return;
	SSL_CTX_free(t->ctx);
	BIO_meth_free(t->bio_method);
	freestr(&t->cert, 0);
	freestr(&t->key, 0);
	freestr(&t->passphrase, 1);
	freestr(&t->ca, 0);
	freestr(&t->ciphers, 0);
	freestr(&t->min_version, 0);
	ws_free(t);
}

/* ------------------------------------------------------------------ */
/* per-connection I/O */

int ws__io_init(ws_io_t *io, int fd, ws_tls_t *t)
{
	memset(io, 0, sizeof(*io));
	io->fd = fd;
	io->hs_done = 1;
	io->sniffed = 1;
	if (!t)
		return 0;
	ERR_clear_error();
	SSL *ssl = SSL_new(t->ctx); /* takes a reference to the current SSL_CTX */
	BIO *b = ssl ? BIO_new(t->bio_method) : NULL;
	if (!b) {
		SSL_free(ssl);
		ERR_clear_error();
		return WS_ERR_NOMEM;
	}
	BIO_set_data(b, io);
	SSL_set_bio(ssl, b, b); /* ssl owns b */
	SSL_set_accept_state(ssl);
	io->ssl = ssl;
	io->hs_done = 0;
	io->sniffed = 0;
	return 0;
}

/* Maps the SSL_get_error() of a failed call to our codes and records
 * which socket event a retry waits for. */
static ssize_t ssl_fail(ws_io_t *io, int ret, int reading)
{
	int saved = errno;
	int err = SSL_get_error(io->ssl, ret);
	switch (err) {
	case SSL_ERROR_WANT_READ:
		if (!reading)
			io->wr_wants_read = 1;
		return WS_AGAIN;
	case SSL_ERROR_WANT_WRITE:
		if (reading)
			io->rd_wants_write = 1;
		return WS_AGAIN;
	case SSL_ERROR_ZERO_RETURN: /* the peer's close_notify */
		ERR_clear_error();
		return 0;
	case SSL_ERROR_SYSCALL:
		ERR_clear_error();
		if (ret == 0 || saved == 0)
			return 0; /* EOF without close_notify: an abrupt close */
		errno = saved;
		return WS_ERR_SYS;
	default: /* SSL_ERROR_SSL: handshake failure, bad record, ... */
		ERR_clear_error();
		return WS_ERR_TLS;
	}
}

/* A TLS connection starts with a handshake record (content type 22); a
 * plain HTTP request starts with a method in capitals. Peek at the first
 * byte, without consuming it, to tell them apart. */
static ssize_t sniff(ws_io_t *io)
{
	unsigned char b;
	ssize_t n;
	do
		n = recv(io->fd, &b, 1, MSG_PEEK);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? WS_AGAIN : WS_ERR_SYS;
	if (n == 0)
		return 0;
	io->sniffed = 1;
	if (b >= 'A' && b <= 'Z')
		return WS_ERR_PROTO;
	return 1; /* anything else goes to OpenSSL, which rejects what is not TLS */
}

ssize_t ws__io_read(ws_io_t *io, void *buf, size_t len)
{
	if (!io->ssl) {
		ssize_t n;
		do
			n = recv(io->fd, buf, len, 0);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return (errno == EAGAIN || errno == EWOULDBLOCK) ? WS_AGAIN : WS_ERR_SYS;
		return n;
	}
	io->rd_wants_write = 0;
	if (!io->sniffed) {
		ssize_t r = sniff(io);
		if (r <= 0) /* EOF, WS_AGAIN, WS_ERR_PROTO (plain HTTP), WS_ERR_SYS */
			return r;
	}
	if (!io->hs_done) {
		ERR_clear_error();
		int r = SSL_do_handshake(io->ssl);
		if (r != 1) {
			ssize_t e = ssl_fail(io, r, 1);
			/* EOF in the middle of a handshake is a failed handshake. */
			return e == 0 ? WS_ERR_TLS : e;
		}
		io->hs_done = 1;
	}
	if (len > INT_MAX)
		len = INT_MAX;
	size_t got = 0;
	ERR_clear_error();
	int r = SSL_read_ex(io->ssl, buf, len, &got);
	if (r == 1)
		return (ssize_t)got;
	return ssl_fail(io, r, 1);
}

ssize_t ws__io_write(ws_io_t *io, const void *buf, size_t len)
{
	if (!io->ssl) {
		ssize_t n;
		do
			n = send(io->fd, buf, len, MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return (errno == EAGAIN || errno == EWOULDBLOCK) ? WS_AGAIN : WS_ERR_SYS;
		return n;
	}
	if (!io->hs_done) {
		/* Nothing is queued before the handshake is done; if it ever
		 * were, it would wait for the handshake, which input drives. */
		io->wr_wants_read = 1;
		return WS_AGAIN;
	}
	io->wr_wants_read = 0;
	/* After SSL_ERROR_WANT_*, OpenSSL requires the same write again: the
	 * same bytes and the same length (the pointer may differ thanks to
	 * SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER). The caller's queue only grows
	 * at its end, so those bytes are still its first ones. */
	if (io->wr_retry && len >= io->wr_retry)
		len = io->wr_retry;
	else if (len > (size_t)INT_MAX)
		len = (size_t)INT_MAX;
	size_t done = 0;
	ERR_clear_error();
	int r = SSL_write_ex(io->ssl, buf, len, &done);
	if (r == 1) {
		io->wr_retry = 0;
		return (ssize_t)done;
	}
	ssize_t e = ssl_fail(io, r, 0);
	if (e == WS_AGAIN)
		io->wr_retry = (uint32_t)len; /* len <= INT_MAX here */
	else if (e == 0)
		e = WS_ERR_SYS; /* SSL_write never legitimately ends in EOF */
	return e;
}

ssize_t ws__io_write2(ws_io_t *io, const void *a, size_t alen, const void *b, size_t blen)
{
	if (io->ssl)
		return WS_ERR_INVAL;
	/* sendmsg, not writev: MSG_NOSIGNAL keeps a vanished peer from
	 * raising SIGPIPE in a process that did not ignore it. */
	struct iovec iov[2] = {{(void *)a, alen}, {(void *)b, blen}};
	struct msghdr mh;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = alen ? iov : iov + 1;
	mh.msg_iovlen = alen ? 2 : 1;
	ssize_t n;
	do
		n = sendmsg(io->fd, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? WS_AGAIN : WS_ERR_SYS;
	return n;
}

/* SSL_pending(), not SSL_has_pending(): the latter is also true while a
 * record has only partly arrived, and reading again then would spin until
 * the rest of it comes; that rest raises a socket event anyway. Without
 * read-ahead, OpenSSL never holds a whole undecrypted record beyond the one
 * it is reading. */
int ws__io_pending(const ws_io_t *io) { return io->ssl && io->hs_done && SSL_pending(io->ssl) > 0; }

void ws__io_shutdown(ws_io_t *io)
{
	if (io->shut || io->fd < 0)
		return;
	io->shut = 1;
	if (io->ssl && io->hs_done) {
		/* Our close_notify (RFC 8446 §6.1). The peer's answer is not waited
		 * for here: the server reads until EOF anyway. If the socket buffer
		 * is full the alert is lost; the FIN still follows. */
		ERR_clear_error();
		SSL_shutdown(io->ssl);
		ERR_clear_error();
	}
	shutdown(io->fd, SHUT_WR);
}

void ws__io_drop_tls(ws_io_t *io)
{
	if (!io->ssl)
		return;
	SSL_free(io->ssl);
	io->ssl = NULL;
	io->hs_done = 1;
	io->sniffed = 1;
	io->wr_retry = 0;
	io->rd_wants_write = io->wr_wants_read = 0;
}

void ws__io_close(ws_io_t *io)
{
	if (io->ssl) {
		SSL_free(io->ssl);
		io->ssl = NULL;
	}
	if (io->fd >= 0) {
		close(io->fd);
		io->fd = -1;
	}
}
