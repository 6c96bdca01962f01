/* libFuzzer target for src/ws_http.c: request head parsing (whole and
 * resumed with last_len at a fuzzer-chosen point), the upgrade checks, the
 * accept key and path decoding. The first input byte picks the resume
 * point; the rest is the request. Inputs are exact-size heap copies so
 * ASan sees any read past the given length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ws.h"
#include "ws_http.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static int inside(const char *p, size_t n, const char *buf, size_t len)
{
	return p >= buf && p + n <= buf + len;
}

static int is_host(const ws_header_t *h)
{
	if (h->name_len != 4)
		return 0;
	for (size_t i = 0; i < 4; i++)
		if ((h->name[i] | 0x20) != "host"[i])
			return 0;
	return 1;
}

static void check_path(const char *in, size_t n)
{
	char out[256];
	int r = ws_http_decode_path(in, n, out, sizeof(out));

	CHECK(r == WS_ERR_INVAL || r == WS_ERR_TOOBIG || (r >= 1 && (size_t)r < sizeof(out)));
	if (r < 0)
		return;
	/* What the function promises about a path it accepts. */
	CHECK(out[r] == '\0' && strlen(out) == (size_t)r && out[0] == '/');
	CHECK(strchr(out, '\\') == NULL && strstr(out, "//") == NULL);
	CHECK(strstr(out, "/./") == NULL && strstr(out, "/../") == NULL);
	CHECK(!(r >= 2 && strcmp(out + r - 2, "/.") == 0));
	CHECK(!(r >= 3 && strcmp(out + r - 3, "/..") == 0));
	CHECK(ws_http_mime_type(out) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ws_request_t req, req2;
	size_t len, resume;
	char *buf;
	int r, r2;

	if (size < 1)
		return 0;
	len = size - 1;
	buf = malloc(len ? len : 1);
	memcpy(buf, data + 1, len);
	resume = len ? data[0] * len / 256 : 0;

	r = ws_http_parse_request(buf, len, 0, &req);
	CHECK(r == WS_AGAIN || r == WS_ERR_PROTO || r == WS_ERR_TOOBIG || (r > 0 && (size_t)r <= len));
	/* A refusal says why (the 400/431 body); nothing else does. */
	CHECK((r == WS_ERR_PROTO || r == WS_ERR_TOOBIG) == (req.error != NULL));
	CHECK(req.error == NULL || strlen(req.error) > 0);

	/* Seeing a prefix first must not change the answer. */
	r2 = ws_http_parse_request(buf, resume, 0, &req2);
	if (r2 == WS_AGAIN) {
		r2 = ws_http_parse_request(buf, len, resume, &req2);
		CHECK(r2 == r);
	} else if (r > 0 && r2 > 0) {
		/* The prefix already held the whole head. */
		CHECK(r2 == r);
	} else {
		/* A prefix can only fail if the whole fails, the same way. */
		CHECK(r2 < 0 && r2 == r);
	}

	if (r > 0) {
		const char *key = NULL;
		size_t key_len = 0;
		int u;

		/* The head alone parses the same: bytes after it are not read. */
		CHECK(ws_http_parse_request(buf, (size_t)r, 0, &req2) == r);
		CHECK(req.num_headers <= WS_MAX_HEADERS);
		CHECK(inside(req.method, req.method_len, buf, len) && req.method_len > 0);
		/* The path is in the target, or the "/" of an absolute-form
		 * target without one; it is origin-form or "*". */
		CHECK(inside(req.path, req.path_len, buf, len) || (req.path_len == 1 && req.path[0] == '/'));
		CHECK(req.path_len > 0 && req.path_len + req.query_len < (size_t)r);
		CHECK(req.path[0] == '/' || (req.path_len == 1 && req.path[0] == '*'));
		CHECK(memchr(req.path, '?', req.path_len) == NULL);
		/* HTTP/1.1 has exactly one Host, HTTP/1.0 at most one. */
		{
			size_t hosts = 0;
			for (size_t i = 0; i < req.num_headers; i++)
				hosts += is_host(&req.headers[i]);
			CHECK(hosts == 1 || (hosts == 0 && req.minor_version == 0));
		}
		CHECK(req.query_len == 0 || inside(req.query, req.query_len, buf, len));
		CHECK(req.minor_version >= 0 && req.minor_version <= 9);
		for (size_t i = 0; i < req.num_headers; i++) {
			const ws_header_t *h = &req.headers[i];
			CHECK(inside(h->name, h->name_len, buf, len) && h->name_len > 0);
			CHECK(h->value_len == 0 || inside(h->value, h->value_len, buf, len));
			CHECK(ws_http_header(&req, "x") == NULL || ws_http_header(&req, "x")->name_len == 1);
		}
		u = ws_http_check_upgrade(&req, &key, &key_len);
		CHECK(u == 0 || u == WS_HTTP_PLAIN || u == 400 || u == 426);
		if (u == 0) {
			char accept[29];
			CHECK(key_len == 24 && inside(key, key_len, buf, len));
			CHECK(ws_http_accept_key(key, key_len, accept) == 0 && strlen(accept) == 28);
		}
		check_path(req.path, req.path_len);
		(void)ws_http_has_token(req.query, req.query_len, "websocket");
	}
	/* The raw input as a path too: reaches the decoder's corners faster. */
	check_path(buf, len);
	free(buf);
	return 0;
}
