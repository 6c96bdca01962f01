/* Unit tests for src/ws_tls.c: the SSL_CTX built from a configuration
 * (and its error messages), and the per-connection I/O against a real
 * OpenSSL client over a non-blocking socketpair: the handshake driven by
 * WS_AGAIN, a write that blocks half-way and is retried with a buffer that
 * moved, input buffered inside OpenSSL (ws__io_pending), plain HTTP sniffed
 * on a TLS socket, close_notify, and a reload that keeps or replaces the
 * certificate. The certificates are made here with OpenSSL's API. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "tap.h"
#include "ws.h"
#include "ws_tls.h"

static char dir[64];

static char *path(const char *name)
{
	static char bufs[8][128];
	static int i;
	char *b = bufs[i++ % 8];
	snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
	return b;
}

#if OPENSSL_VERSION_NUMBER >= 0x30000000L
static EVP_PKEY *make_key(void) { return EVP_EC_gen("P-256"); }
#else
static EVP_PKEY *make_key(void)
{
	EVP_PKEY *k = NULL;
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
	EVP_PKEY_keygen_init(pc);
	EVP_PKEY_CTX_set_ec_paramgen_curve_nid(pc, NID_X9_62_prime256v1);
	EVP_PKEY_keygen(pc, &k);
	EVP_PKEY_CTX_free(pc);
	return k;
}
#define SSL_get1_peer_certificate SSL_get_peer_certificate
#endif

/* A self-signed certificate with the given serial, and its key, as PEM. */
static void make_pair(const char *cert_name, const char *key_name, long serial, const char *pass)
{
	EVP_PKEY *k = make_key();
	X509 *x = X509_new();
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_NAME *n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0);
	X509_set_issuer_name(x, n);
	X509_set_pubkey(x, k);
	X509_sign(x, k, EVP_sha256());
	FILE *f = fopen(path(cert_name), "w");
	PEM_write_X509(f, x);
	fclose(f);
	f = fopen(path(key_name), "w");
	if (pass)
		PEM_write_PrivateKey(f, k, EVP_aes_256_cbc(), NULL, 0, NULL, (void *)pass);
	else
		PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(k);
}

static void nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

/* A client SSL on one end of a socketpair; the server's io on the other. */
typedef struct pair {
	SSL_CTX *cctx;
	SSL *c;
	int cfd;
	ws_io_t io;
} pair_t;

static int pair_open(pair_t *p, ws_tls_t *t)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return -1;
	nonblock(sv[0]);
	nonblock(sv[1]);
	p->cctx = SSL_CTX_new(TLS_client_method());
	p->c = SSL_new(p->cctx);
	SSL_set_fd(p->c, sv[0]);
	SSL_set_connect_state(p->c);
	p->cfd = sv[0];
	return ws__io_init(&p->io, sv[1], t);
}

static void pair_close(pair_t *p)
{
	SSL_free(p->c);
	SSL_CTX_free(p->cctx);
	close(p->cfd);
	ws__io_close(&p->io);
}

/* Drives both handshakes; returns 1 when both are done. */
static int pair_handshake(pair_t *p)
{
	int cdone = 0;
	for (int i = 0; i < 100; i++) {
		if (!cdone) {
			int r = SSL_do_handshake(p->c);
			if (r == 1)
				cdone = 1;
			else if (SSL_get_error(p->c, r) != SSL_ERROR_WANT_READ)
				return 0;
		}
		char b[1];
		ssize_t n = ws__io_read(&p->io, b, sizeof(b));
		if (n != WS_AGAIN)
			return 0; /* nothing to read yet, whatever the state */
		if (cdone && p->io.hs_done)
			return 1;
	}
	return 0;
}

static long peer_serial(SSL *c)
{
	X509 *x = SSL_get1_peer_certificate(c);
	long s = x ? ASN1_INTEGER_get(X509_get0_serialNumber(x)) : -1;
	X509_free(x);
	return s;
}

static void test_config_errors(void)
{
	ws_tls_t *t = NULL;
	char err[256];
	ws_tls_config_t cfg = {0};

	cfg.cert = path("a.pem");
	cfg.key = path("a.key");
	is(ws__tls_new(&t, &cfg, err, sizeof(err)), 0, "a matching pair loads");
	ws__tls_free(t);

	cfg.key = path("b.key");
	is(ws__tls_new(&t, &cfg, err, sizeof(err)), WS_ERR_TLS, "a key of another certificate: WS_ERR_TLS");
	ok(strstr(err, "b.key: key values mismatch") != NULL, "... with OpenSSL's reason: %s", err);
	ok(t == NULL, "... and no object");

	cfg.cert = path("missing.pem");
	cfg.key = path("a.key");
	is(ws__tls_new(&t, &cfg, err, sizeof(err)), WS_ERR_TLS, "a missing certificate file: WS_ERR_TLS");
	ok(strstr(err, "TLS certificate") && strstr(err, "No such file or directory"), "... %s", err);

	cfg.cert = path("e.pem");
	cfg.key = path("e.key");
	is(ws__tls_new(&t, &cfg, err, sizeof(err)), WS_ERR_TLS, "an encrypted key without its passphrase fails");
	ok(strstr(err, "bad decrypt") != NULL, "... %s", err);
	cfg.passphrase = "secret";
	is(ws__tls_new(&t, &cfg, err, sizeof(err)), 0, "... and loads with it");
	ws__tls_free(t);

	cfg.passphrase = NULL;
	cfg.cert = path("a.pem");
	cfg.key = path("a.key");
	cfg.min_version = "TLSv1.1";
	is(ws__tls_new(&t, &cfg, err, sizeof(err)), WS_ERR_INVAL, "min_version TLSv1.1 is refused");
	cfg.min_version = "TLSv1.3";
	is(ws__tls_new(&t, &cfg, err, sizeof(err)), 0, "min_version TLSv1.3 is accepted");
	ws__tls_free(t);
	is(ERR_peek_error(), 0, "OpenSSL's error queue is left empty");
}

static void test_handshake_io(ws_tls_t *t)
{
	pair_t p;
	char buf[64];

	is(pair_open(&p, t), 0, "io on a TLS context");
	ok(p.io.ssl != NULL && !p.io.hs_done, "... handshake pending");
	is(ws__io_read(&p.io, buf, sizeof(buf)), WS_AGAIN, "no ClientHello yet: WS_AGAIN");
	ok(pair_handshake(&p), "the handshake completes by WS_AGAIN steps");
	is(peer_serial(p.c), 1, "the client sees certificate serial 1");

	is(SSL_write(p.c, "hello", 5), 5, "client writes");
	is(ws__io_read(&p.io, buf, sizeof(buf)), 5, "server reads 5 bytes");
	ok(memcmp(buf, "hello", 5) == 0, "... the same bytes");
	is(ws__io_write(&p.io, "world", 5), 5, "server writes 5 bytes");
	is(SSL_read(p.c, buf, sizeof(buf)), 5, "client reads them");

	/* One 10 KB record read through a 100-byte buffer: the rest waits
	 * inside OpenSSL, which no socket event would announce. */
	static char big[10000];
	memset(big, 'x', sizeof(big));
	is(SSL_write(p.c, big, sizeof(big)), (int)sizeof(big), "client writes one 10000-byte record");
	is(ws__io_read(&p.io, buf, 64), 64, "server reads 64 of them");
	ok(ws__io_pending(&p.io), "ws__io_pending() says more is buffered in OpenSSL");
	size_t got = 64;
	while (ws__io_pending(&p.io)) {
		ssize_t n = ws__io_read(&p.io, buf, sizeof(buf));
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	is(got, sizeof(big), "... all of it is read without a new socket event");
	is(ws__io_read(&p.io, buf, sizeof(buf)), WS_AGAIN, "then WS_AGAIN");

	/* A record that arrived in part: nothing to read yet, and nothing
	 * "pending" either (else the loop would spin until the rest came). */
	BIO *mem = BIO_new(BIO_s_mem());
	SSL_set0_wbio(p.c, mem);
	is(SSL_write(p.c, big, 3000), 3000, "client makes a 3000-byte record (into memory)");
	char *rec;
	long rl = BIO_get_mem_data(mem, &rec);
	is(send(p.cfd, rec, (size_t)rl / 2, 0), rl / 2, "half of it goes out");
	is(ws__io_read(&p.io, buf, sizeof(buf)), WS_AGAIN, "server: WS_AGAIN on half a record");
	ok(!ws__io_pending(&p.io), "... and ws__io_pending() is false");
	is(send(p.cfd, rec + rl / 2, (size_t)(rl - rl / 2), 0), rl - rl / 2, "the other half goes out");
	got = 0;
	for (ssize_t n; (n = ws__io_read(&p.io, buf, sizeof(buf))) > 0;)
		got += (size_t)n;
	is(got, 3000, "server reads the 3000 bytes");
	SSL_set0_wbio(p.c, BIO_new_socket(p.cfd, BIO_NOCLOSE));

	/* A write that blocks half-way: 2 MiB into a socketpair whose buffer
	 * is far smaller, then retried from a buffer that moved and grew. */
	size_t len = 2u << 20;
	unsigned char *out = malloc(len), *in = malloc(len + 1024);
	for (size_t i = 0; i < len; i++)
		out[i] = (unsigned char)(i * 7 + (i >> 13));
	size_t sent = 0, rcvd = 0;
	int blocked = 0, moved = 0, errors = 0;
	while (rcvd < len && errors == 0) {
		/* Write until the socket is full, then let the client read. */
		while (sent < len) {
			ssize_t n = ws__io_write(&p.io, out + sent, len - sent);
			if (n > 0) {
				sent += (size_t)n;
			} else if (n == WS_AGAIN) {
				blocked++;
				/* Move the queue, as ws_buf_reserve may: same bytes, new
				 * address, more room after them. */
				unsigned char *o2 = malloc(len);
				memcpy(o2, out, len);
				memset(out, 0, len);
				free(out);
				out = o2;
				moved++;
				break;
			} else {
				errors++;
				break;
			}
		}
		int r = SSL_read(p.c, in + rcvd, (int)(len + 1024 - rcvd));
		if (r > 0)
			rcvd += (size_t)r;
		else if (SSL_get_error(p.c, r) != SSL_ERROR_WANT_READ)
			errors++;
	}
	ok(blocked > 0 && moved > 0, "the write blocked (%d times) and the buffer moved in between", blocked);
	is(errors, 0, "no error from a retry with the moved buffer");
	ok(rcvd == len && memcmp(in, out, len) == 0, "the client got the 2 MiB intact");
	free(out);
	free(in);

	ws__io_shutdown(&p.io);
	int r = SSL_read(p.c, buf, sizeof(buf));
	is(SSL_get_error(p.c, r), SSL_ERROR_ZERO_RETURN, "ws__io_shutdown() sends close_notify");
	char c;
	is(recv(p.cfd, &c, 1, 0), 0, "... then a FIN");
	pair_close(&p);
}

static void test_plain_on_tls(ws_tls_t *t)
{
	pair_t p;
	char buf[64];

	pair_open(&p, t);
	send(p.cfd, "GET / HTTP/1.1\r\n", 16, 0);
	is(ws__io_read(&p.io, buf, sizeof(buf)), WS_ERR_PROTO, "plain HTTP on a TLS socket: WS_ERR_PROTO");
	ws__io_drop_tls(&p.io);
	ok(p.io.ssl == NULL, "ws__io_drop_tls() makes it plain");
	ssize_t n = ws__io_read(&p.io, buf, sizeof(buf));
	ok(n == 16 && memcmp(buf, "GET / HTTP/1.1\r\n", 16) == 0, "... and the request was not consumed");
	pair_close(&p);

	pair_open(&p, t);
	send(p.cfd, "\x16\x03\x01\xff\xff", 5, 0); /* a record longer than TLS allows */
	is(ws__io_read(&p.io, buf, sizeof(buf)), WS_ERR_TLS, "a broken handshake record: WS_ERR_TLS");
	pair_close(&p);

	pair_open(&p, t);
	shutdown(p.cfd, SHUT_WR);
	n = ws__io_read(&p.io, buf, sizeof(buf));
	is(n, 0, "EOF before any byte: 0");
	pair_close(&p);
}

static void test_reload(ws_tls_t *t)
{
	char err[256];
	pair_t old, p;

	pair_open(&old, t);
	ok(pair_handshake(&old), "a connection on the first certificate");

	ws_tls_config_t bad = {.cert = path("b.pem"), .key = path("a.key")};
	is(ws__tls_reload(t, &bad, err, sizeof(err)), WS_ERR_TLS, "reload with a mismatched pair fails");
	ok(strstr(err, "key values mismatch") != NULL, "... %s", err);
	pair_open(&p, t);
	ok(pair_handshake(&p) && peer_serial(p.c) == 1, "... new connections still get serial 1");
	pair_close(&p);

	ws_tls_config_t good = {.cert = path("b.pem"), .key = path("b.key")};
	is(ws__tls_reload(t, &good, err, sizeof(err)), 0, "reload with a new pair");
	pair_open(&p, t);
	ok(pair_handshake(&p) && peer_serial(p.c) == 2, "... new connections get serial 2");
	pair_close(&p);

	/* The files change on disk; a reload with NULL reads them again. */
	rename(path("a.pem"), path("b.pem"));
	rename(path("a.key"), path("b.key"));
	is(ws__tls_reload(t, NULL, err, sizeof(err)), 0, "reload of the same files after they changed");
	pair_open(&p, t);
	ok(pair_handshake(&p) && peer_serial(p.c) == 1, "... new connections get what the files hold now");
	pair_close(&p);

	char buf[8];
	is(SSL_write(old.c, "still", 5), 5, "the connection from before the reloads");
	is(ws__io_read(&old.io, buf, sizeof(buf)), 5, "... keeps working on its own context");
	pair_close(&old);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/salon-unit-tls-%d", (int)getpid());
	if (mkdir(dir, 0700) != 0) {
		perror(dir);
		return 2;
	}
	make_pair("a.pem", "a.key", 1, NULL);
	make_pair("b.pem", "b.key", 2, NULL);
	make_pair("e.pem", "e.key", 3, "secret");

	test_config_errors();

	ws_tls_t *t = NULL;
	char err[256];
	ws_tls_config_t cfg = {.cert = path("a.pem"), .key = path("a.key")};
	if (ws__tls_new(&t, &cfg, err, sizeof(err)) != 0) {
		diag("cannot set up: %s", err);
		return 1;
	}
	test_handshake_io(t);
	test_plain_on_tls(t);
	test_reload(t);
	ws__tls_free(t);

	const char *names[] = {"a.pem", "a.key", "b.pem", "b.key", "e.pem", "e.key"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(path(names[i]));
	rmdir(dir);
	return done_testing();
}
