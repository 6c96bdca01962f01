/* Unit tests for src/ws_http.c. Inputs end at a PROT_NONE page, as in
 * picohttpparser's test.c, so any read past the given length faults. */
#include "tap.h"
#include "ws.h"
#include "ws_http.h"

static ws_request_t req;

static int parse(const char *s)
{
	size_t n = strlen(s);
	return ws_http_parse_request((const char *)tap_place(s, n), n, 0, &req);
}

/* Feeds a growing prefix, a byte at a time, with last_len. Returns the
 * final result; every earlier call must have said WS_AGAIN. */
static int parse_bytewise(const char *s, size_t *again_calls)
{
	size_t n = strlen(s);
	int r = WS_AGAIN;

	*again_calls = 0;
	for (size_t k = 1; k <= n; k++) {
		r = ws_http_parse_request((const char *)tap_place(s, k), k, k - 1, &req);
		if (r != WS_AGAIN)
			return k == n || r < 0 ? r : -100 - (int)k;
		(*again_calls)++;
	}
	return r;
}

/* First a prefix of k bytes, then the whole with last_len = k. */
static int parse_split_all(const char *s, int want)
{
	size_t n = strlen(s);

	for (size_t k = 0; k < n; k++) {
		int r1 = ws_http_parse_request((const char *)tap_place(s, k), k, 0, &req), r2;
		if (r1 != WS_AGAIN && !(r1 == WS_ERR_PROTO && want == WS_ERR_PROTO)) {
			diag("prefix %zu: %d", k, r1);
			return 0;
		}
		if (r1 == WS_ERR_PROTO)
			continue;
		r2 = ws_http_parse_request((const char *)tap_place(s, n), n, k, &req);
		if (r2 != want) {
			diag("split at %zu: %d, want %d", k, r2, want);
			return 0;
		}
	}
	return 1;
}

static int field_is(const char *p, size_t n, const char *want)
{
	return n == strlen(want) && memcmp(p, want, n) == 0;
}

static const char *good_req = "GET /chat?room=1&x=y HTTP/1.1\r\n"
			      "Host: server.example.com\r\n"
			      "Upgrade: websocket\r\n"
			      "Connection: Upgrade\r\n"
			      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
			      "Origin: http://example.com\r\n"
			      "Sec-WebSocket-Protocol: chat, superchat\r\n"
			      "Sec-WebSocket-Version: 13\r\n"
			      "\r\n";

static void test_parse(void)
{
	size_t calls;
	const ws_header_t *h;
	char buf[4096];

	is(parse(good_req), (int)strlen(good_req), "RFC 6455 §1.2 request parses whole");
	ok(field_is(req.method, req.method_len, "GET"), "method");
	ok(field_is(req.path, req.path_len, "/chat"), "path without the query");
	ok(field_is(req.query, req.query_len, "room=1&x=y"), "query without '?'");
	is(req.minor_version, 1, "HTTP/1.1");
	is(req.num_headers, 7, "7 headers");
	ok(field_is(req.headers[0].name, req.headers[0].name_len, "Host") &&
		   field_is(req.headers[0].value, req.headers[0].value_len, "server.example.com"),
	   "first header name and value");
	h = ws_http_header(&req, "sec-websocket-protocol");
	ok(h && field_is(h->value, h->value_len, "chat, superchat"), "case-insensitive lookup");
	ok(ws_http_header(&req, "Cookie") == NULL, "absent header is NULL");
	ok(ws_http_header(&req, "Hos") == NULL, "prefix of a name does not match");

	is(parse_bytewise(good_req, &calls), (int)strlen(good_req), "byte at a time with last_len");
	is(calls, strlen(good_req) - 1, "WS_AGAIN until the last byte");
	ok(parse_split_all(good_req, (int)strlen(good_req)), "split at every offset");

	is(parse("GET / HTTP/1.0\n\n"), 16, "bare LF line ends");
	is(req.minor_version, 0, "HTTP/1.0");
	ok(field_is(req.path, req.path_len, "/") && req.query_len == 0 && req.query && req.query[0] == '\0',
	   "no query: empty string");
	is(parse("GET /a?b?c HTTP/1.1\r\nHost: x\n\r\n"), 31, "mixed line ends");
	ok(field_is(req.path, req.path_len, "/a") && field_is(req.query, req.query_len, "b?c"), "split at the first '?'");
	is(parse("GET /? HTTP/1.1\r\nHost: x\r\n\r\n"), 28, "empty query");
	ok(field_is(req.path, req.path_len, "/") && req.query_len == 0, "empty query parts");
	is(parse("GET / HTTP/1.1\r\nX-A:  \t padded \t \r\nX-B:\r\nX-C:v\r\nHost: x\r\n\r\n"), 59, "OWS around values");
	ok(field_is(req.headers[0].value, req.headers[0].value_len, "padded"), "value trimmed");
	ok(req.headers[1].value_len == 0, "empty value");
	ok(field_is(req.headers[2].value, req.headers[2].value_len, "v"), "no space after colon");
	is(parse("GET / HTTP/1.1\r\nUser-Agent: caf\xC3\xA9 \x80\xFF\r\nHost: x\r\n\r\n"), 49, "obs-text in a value");

	/* The head ends at the blank line; what follows (frames, a body) is
	 * not looked at, even a NUL. */
	{
		const char s[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n\x81\x80\x00\x00\x00\x00\r\r";
		size_t n = sizeof(s) - 1;
		is(ws_http_parse_request((const char *)tap_place(s, n), n, 0, &req), 27, "bytes after the head are ignored");
	}

	/* Malformed heads. */
	{
		static const char *bad[] = {
			"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
			"GET / HTTP/1.1\r\nHost: a\r\n\tfolded\r\n\r\n",
			"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
			"GET / HTTP/1.1\r\nHost\r\n\r\n",
			"GET / HTTP/1.1\r\n: a\r\n\r\n",
			"GET / HTTP/1.1\r\nHo(st: a\r\n\r\n",
			"GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n",
			"GET / HTTP/1.1\r\nHost: a\x7F\r\n\r\n",
			"GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
			"GET / HTTP/1.1\r\r\n\r\n",
			"GET / HTTP/2.0\r\n\r\n",
			"GET / HTTP/1.10\r\n\r\n",
			"GET / http/1.1\r\n\r\n",
			"GET / HTTP/1.\r\n\r\n",
			"GET / HTTP/1.x\r\n\r\n",
			"GET /  HTTP/1.1\r\n\r\n",
			"GET  / HTTP/1.1\r\n\r\n",
			"GET / HTTP/1.1 \r\n\r\n",
			"GET HTTP/1.1\r\n\r\n",
			"GET /\r\n\r\n",
			" GET / HTTP/1.1\r\n\r\n",
			"\r\nGET / HTTP/1.1\r\n\r\n",
			"G(T / HTTP/1.1\r\n\r\n",
			"GET /a\x7F HTTP/1.1\r\n\r\n",
			"GET /a\tb HTTP/1.1\r\n\r\n",
			"\n\n",
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			is(parse(bad[i]), WS_ERR_PROTO, "malformed head %zu refused", i);
		ok(parse_split_all(bad[0], WS_ERR_PROTO), "obs-fold refused at every split");
	}
	/* NUL anywhere in the head, found before the head is complete. */
	{
		const char s[] = "GET / HT\0TP/1.1\r\n";
		is(ws_http_parse_request((const char *)tap_place(s, sizeof(s) - 1), sizeof(s) - 1, 0, &req), WS_ERR_PROTO,
		   "NUL in an incomplete head");
		is(parse("GET / HTTP/1.1\r\nA: b\rc"), WS_ERR_PROTO, "bare CR in an incomplete head");
		is(parse("GET / HTTP/1.1\r\nA: b\r"), WS_AGAIN, "CR at the end waits for the next byte");
	}

	/* Header lines: a count of WS_MAX_HEADERS (100), then 431; the bytes
	 * are bounded by the caller (WS_HTTP_MAX_HEAD). */
	{
		size_t o = (size_t)snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: x\r\n");
		for (int i = 1; i < WS_MAX_HEADERS; i++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "X-%d: %d\r\n", i, i);
		snprintf(buf + o, sizeof(buf) - o, "\r\n");
		is(WS_MAX_HEADERS, 100, "the count limit is 100");
		is(parse(buf), (int)strlen(buf), "%d header lines accepted", WS_MAX_HEADERS);
		is(req.num_headers, WS_MAX_HEADERS, "all of them stored");
		snprintf(buf + o, sizeof(buf) - o, "X-extra: 1\r\n\r\n");
		is(parse(buf), WS_ERR_TOOBIG, "%d header lines refused as too large", WS_MAX_HEADERS + 1);
		ok(req.error && strcmp(req.error, "more than 100 header lines") == 0, "... saying so: %s",
		   req.error ? req.error : "(none)");
		ok(parse_split_all(buf, WS_ERR_TOOBIG), "same answer at every split");
		/* A browser-sized head of 80 short lines, about 1.5 KiB. */
		o = (size_t)snprintf(buf, sizeof(buf), "GET /chat HTTP/1.1\r\nHost: example.com\r\n");
		for (int i = 1; i < 80; i++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "X-Field-%02d: value %02d\r\n", i, i);
		snprintf(buf + o, sizeof(buf) - o, "\r\n");
		ok(strlen(buf) > 1400 && strlen(buf) < 2048, "80 lines in %zu bytes", strlen(buf));
		is(parse(buf), (int)strlen(buf), "80 header lines accepted");
		is(req.num_headers, 80, "80 stored");
	}
	is(parse("GET / HTTP/1.1\r\nHost: a\r\n"), WS_AGAIN, "incomplete head");
	is(parse(""), WS_AGAIN, "empty input");
}

static void test_tokens(void)
{
	ok(ws_http_has_token("Upgrade", 7, "upgrade"), "single token, other case");
	ok(ws_http_has_token("keep-alive, Upgrade", 19, "upgrade"), "second of two");
	ok(ws_http_has_token(" ,  upgrade\t,", 13, "upgrade"), "empty items and OWS");
	ok(!ws_http_has_token("upgraded", 8, "upgrade"), "longer word");
	ok(!ws_http_has_token("upgrad", 6, "upgrade"), "shorter word");
	ok(!ws_http_has_token("up grade", 8, "upgrade"), "space inside");
	ok(!ws_http_has_token("", 0, "upgrade"), "empty value");
	ok(ws_http_has_token("websocket", 7, "websock") == 1, "only len bytes are read");
}

/* Parses s, which must be refused with rc and the reason why. */
static int refused(const char *s, int rc, const char *why)
{
	req.error = NULL;
	if (parse(s) != rc) {
		diag("got %d", parse(s));
		return 0;
	}
	if (!req.error || strcmp(req.error, why) != 0) {
		diag("reason \"%s\", want \"%s\"", req.error ? req.error : "(none)", why);
		return 0;
	}
	return 1;
}

/* RFC 9112 §3.2: exactly one Host in HTTP/1.1, at most one in HTTP/1.0,
 * and a valid value (uri-host [":" port]). */
static void test_host(void)
{
	static const char *no_host = "HTTP/1.1 request without a Host header", *two = "more than one Host header",
			  *inval = "invalid Host header";

	ok(refused("GET / HTTP/1.1\r\n\r\n", WS_ERR_PROTO, no_host), "HTTP/1.1 without Host: refused");
	ok(refused("GET / HTTP/1.1\r\nHostname: a\r\nX-Host: b\r\n\r\n", WS_ERR_PROTO, no_host),
	   "names that only contain Host do not count");
	ok(refused("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", WS_ERR_PROTO, two), "two Host lines: refused");
	ok(refused("GET / HTTP/1.1\r\nHost: a\r\nX: y\r\nhOST: a\r\n\r\n", WS_ERR_PROTO, two),
	   "two Host lines, same value, any case: refused");
	ok(refused("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", WS_ERR_PROTO, two), "HTTP/1.0 with two: refused");
	ok(parse_split_all("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", WS_ERR_PROTO), "two Hosts at every split");
	is(parse("GET / HTTP/1.0\r\n\r\n"), 18, "HTTP/1.0 without Host: accepted");
	is(parse("GET / HTTP/1.0\r\nHost: a\r\n\r\n"), 27, "HTTP/1.0 with one: accepted");
	{
		static const char *good[] = {
			"a", "example.com", "example.com:8080", "127.0.0.1:80", "[::1]:8080", "[2001:db8::1]",
			"xn--caf-dma.example", "a_b-c~d.e", "%41b", "",
		};
		static const char *bad[] = {
			"a b", "a/b", "example.com/x", "a?b", "a#b", "user@example.com", "a\\b", "a\"b", "caf\xC3\xA9",
			"a<b>", "a{b}",
		};
		char buf[128];
		for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
			snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", good[i]);
			is(parse(buf), (int)strlen(buf), "Host \"%s\" accepted", good[i]);
		}
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: %s\r\n\r\n", bad[i]);
			ok(refused(buf, WS_ERR_PROTO, inval), "Host \"%s\" refused", bad[i]);
		}
	}
	ok(refused("GET / HTTP/1.1\r\nHost : a\r\n\r\n", WS_ERR_PROTO, "malformed header line"),
	   "a malformed line says so");
	ok(refused("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", WS_ERR_PROTO, "malformed request line"),
	   "a malformed request line says so");
	ok(refused("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", WS_ERR_PROTO, "folded header line (obs-fold)"),
	   "obs-fold says so");
	ok(refused("GET / HTTP/1.1\r\nA: b\rc", WS_ERR_PROTO, "NUL or bare CR in the request head"),
	   "a bare CR says so");
}

/* Parses s and compares path and query. */
static int target_is(const char *s, const char *path, const char *query)
{
	int r = parse(s);

	if (r != (int)strlen(s)) {
		diag("parse: %d (%s)", r, req.error ? req.error : "-");
		return 0;
	}
	if (!field_is(req.path, req.path_len, path) || !field_is(req.query, req.query_len, query)) {
		diag("path \"%.*s\" query \"%.*s\"", (int)req.path_len, req.path, (int)req.query_len, req.query);
		return 0;
	}
	return 1;
}

/* RFC 9112 §3.2: origin-form, absolute-form (§3.2.2, the path is what the
 * server routes on), asterisk-form; anything else is refused. */
static void test_target(void)
{
	ok(target_is("GET http://example.com/chat?room=1 HTTP/1.1\r\nHost: example.com\r\n\r\n", "/chat", "room=1"),
	   "http://host/path?query");
	ok(target_is("GET HTTP://Example.COM:8080/a/b HTTP/1.1\r\nHost: x\r\n\r\n", "/a/b", ""), "scheme in capitals");
	ok(target_is("GET https://example.com/ HTTP/1.1\r\nHost: x\r\n\r\n", "/", ""), "https:");
	ok(target_is("GET ws://127.0.0.1:8000/ws HTTP/1.1\r\nHost: x\r\n\r\n", "/ws", ""), "ws:");
	ok(target_is("GET WsS://[::1]:443/x?y HTTP/1.1\r\nHost: x\r\n\r\n", "/x", "y"), "wss:, IPv6 literal");
	ok(target_is("GET http://example.com HTTP/1.1\r\nHost: x\r\n\r\n", "/", ""), "no path: \"/\"");
	ok(target_is("GET http://example.com?q=1 HTTP/1.1\r\nHost: x\r\n\r\n", "/", "q=1"), "no path, a query");
	ok(target_is("GET http://example.com/%2e%2e/x HTTP/1.1\r\nHost: x\r\n\r\n", "/%2e%2e/x", ""),
	   "the path as sent (ws_http_decode_path judges it)");
	ok(target_is("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", "*", ""), "asterisk-form");
	ok(target_is("GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n", "/a", "b"), "origin-form unchanged");
	ok(target_is("GET //example.com/a HTTP/1.1\r\nHost: x\r\n\r\n", "//example.com/a", ""),
	   "\"//\" starts an origin-form path, not an authority");
	ok(target_is("GET http://a%20b/c HTTP/1.1\r\nHost: x\r\n\r\n", "/c", ""), "pct-encoded authority");
	{
		static const char *bad[] = {
			"http:///chat", "http://", "http:/chat", "http:chat", "ftp://example.com/", "httpx://a/",
			"http://user@example.com/", "http://a\"b/", "http://a<b/", "example.com/chat", "chat", "*x",
			"http//a/", "://a/", "example.com:80",
		};
		char buf[128];
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(buf, sizeof(buf), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", bad[i]);
			ok(refused(buf, WS_ERR_PROTO, "invalid request target"), "target \"%s\" refused", bad[i]);
		}
	}
	{
		static const char abs_req[] = "GET http://example.com/chat HTTP/1.1\r\nHost: x\r\n\r\n";
		ok(parse_split_all(abs_req, (int)sizeof(abs_req) - 1), "absolute-form at every split");
	}
}

static int upgrade(const char *s, const char **key, size_t *key_len)
{
	if (parse(s) <= 0)
		return -1000;
	return ws_http_check_upgrade(&req, key, key_len);
}

#define KEY "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
#define VER "Sec-WebSocket-Version: 13\r\n"
#define UPG "Upgrade: websocket\r\n"
#define CON "Connection: Upgrade\r\n"
#define HOST "Host: a\r\n"

static void test_upgrade(void)
{
	const char *key = NULL;
	size_t key_len = 0;
	char out[29];

	is(upgrade(good_req, &key, &key_len), 0, "valid upgrade");
	ok(key && field_is(key, key_len, "dGhlIHNhbXBsZSBub25jZQ=="), "key returned");
	is(ws_http_accept_key(key, key_len, out), 0, "accept key computed");
	ok(strcmp(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == 0, "RFC 6455 §1.3 sample accept key");
	is(ws_http_accept_key(NULL, 0, out), WS_ERR_INVAL, "NULL key");

	is(upgrade("GET / HTTP/1.1\r\nHost: a\r\nupgrade: WebSocket\r\nconnection: keep-alive, upgrade\r\n"
		   "sec-websocket-key:   dGhlIHNhbXBsZSBub25jZQ==  \r\nsec-websocket-version: 13\r\n\r\n",
		   &key, &key_len),
	   0, "names and tokens case-insensitive, key trimmed");
	ok(field_is(key, key_len, "dGhlIHNhbXBsZSBub25jZQ=="), "trimmed key");
	is(upgrade("GET / HTTP/1.1\r\n" HOST UPG "Connection: keep-alive\r\nConnection: Upgrade\r\n" KEY VER "\r\n", NULL,
		   NULL),
	   0, "Connection list over two lines");
	is(upgrade("GET / HTTP/1.1\r\n" HOST "Upgrade: h2c, websocket\r\n" CON KEY VER "\r\n", NULL, NULL), 0,
	   "websocket among other upgrades");

	is(upgrade("GET / HTTP/1.1\r\n" HOST "\r\n", NULL, NULL), WS_HTTP_PLAIN, "plain GET");
	is(upgrade("HEAD /x HTTP/1.0\r\n\r\n", NULL, NULL), WS_HTTP_PLAIN, "plain HEAD, HTTP/1.0, no Host");
	is(upgrade("POST / HTTP/1.1\r\n" HOST CON KEY VER "\r\n", NULL, NULL), WS_HTTP_PLAIN, "POST without Upgrade");
	is(upgrade("GET / HTTP/1.1\r\n" HOST "Upgrade: h2c\r\n" CON "\r\n", NULL, NULL), WS_HTTP_PLAIN,
	   "Upgrade without websocket");

	is(upgrade("POST / HTTP/1.1\r\n" HOST UPG CON KEY VER "\r\n", NULL, NULL), 400, "POST with Upgrade: 400");
	is(upgrade("get / HTTP/1.1\r\n" HOST UPG CON KEY VER "\r\n", NULL, NULL), 400, "lowercase get: 400");
	is(upgrade("GET / HTTP/1.0\r\n" HOST UPG CON KEY VER "\r\n", NULL, NULL), 400, "HTTP/1.0: 400");
	/* Host is the parser's (test_host): refused before the upgrade checks. */
	is(parse("GET / HTTP/1.1\r\n" UPG CON KEY VER "\r\n"), WS_ERR_PROTO, "upgrade without Host: refused");
	is(parse("GET / HTTP/1.1\r\n" HOST HOST UPG CON KEY VER "\r\n"), WS_ERR_PROTO, "upgrade with two Hosts: refused");
	is(upgrade("GET / HTTP/1.1\r\n" HOST UPG KEY VER "\r\n", NULL, NULL), 400, "no Connection: 400");
	is(upgrade("GET / HTTP/1.1\r\n" HOST UPG "Connection: keep-alive\r\n" KEY VER "\r\n", NULL, NULL), 400,
	   "Connection without upgrade: 400");
	is(upgrade("GET / HTTP/1.1\r\n" HOST UPG CON VER "\r\n", NULL, NULL), 400, "no key: 400");
	is(upgrade("GET / HTTP/1.1\r\n" HOST UPG CON KEY KEY VER "\r\n", NULL, NULL), 400, "two keys: 400");
	{
		static const char *bad_keys[] = {
			"",
			"dGhlIHNhbXBsZSBub25jZQ=",
			"dGhlIHNhbXBsZSBub25jZQ===",
			"dGhlIHNhbXBsZSBub25jZQ",
			"dGhlIHNhbXBsZSBub25jZQ==x",
			"dGhlIHNhbXBsZSBub25j*Q==",
			"dGhlIHNhbXBsZSBub25jZ===",
			"dGhlIHNhbXBsZSBub25jZQA=",
			"dGhlIHNhbXBsZSBub25jZQ-_",
			"dGhlIHNhbXBs ZSBub25jZQ=",
			"dGhlIHNhbXBsZSBub25jZSBub25jZQ==",
		};
		char buf[512];
		for (size_t i = 0; i < sizeof(bad_keys) / sizeof(bad_keys[0]); i++) {
			snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\n" HOST UPG CON "Sec-WebSocket-Key: %s\r\n" VER "\r\n",
				 bad_keys[i]);
			is(upgrade(buf, NULL, NULL), 400, "bad key \"%s\": 400", bad_keys[i]);
		}
		snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\n" HOST UPG CON "Sec-WebSocket-Key: %s\r\n" VER "\r\n",
			 "AAAAAAAAAAAAAAAAAAAAAA==");
		is(upgrade(buf, NULL, NULL), 0, "all-zero key is fine");
	}
	is(upgrade("GET / HTTP/1.1\r\n" HOST UPG CON KEY "Sec-WebSocket-Version: 8\r\n\r\n", NULL, NULL), 426,
	   "version 8: 426");
	is(upgrade("GET / HTTP/1.1\r\n" HOST UPG CON KEY "Sec-WebSocket-Version: 13, 8\r\n\r\n", NULL, NULL), 426,
	   "version list: 426");
	is(upgrade("GET / HTTP/1.1\r\n" HOST UPG CON KEY "\r\n", NULL, NULL), 426, "no version: 426");
}

static int decode(const char *in, char *out, size_t cap)
{
	size_t n = strlen(in);
	return ws_http_decode_path((const char *)tap_place(in, n), n, out, cap);
}

static void test_paths(void)
{
	char out[256];
	static const struct {
		const char *in, *out;
	} good[] = {
		{"/", "/"},
		{"/index.html", "/index.html"},
		{"/a%20b/c%2Fd", "/a b/c/d"},
		{"//a///b//", "/a/b/"},
		{"/%41%62c", "/Abc"},
		{"/...", "/..."},
		{"/.hidden/x..y/..z", "/.hidden/x..y/..z"},
		{"/caf%C3%A9", "/caf\xC3\xA9"},
	};
	static const char *bad[] = {
		"", "a", "%2F", "/..", "/../etc/passwd", "/a/../b", "/a/..", "/.", "/./a", "/a/.", "/%2e%2e/x", "/%2E%2e",
		"/%2e", "/a/%2e%2e%2fb", "/a/.%2e/b", "/a%2f..%2fb", "/a%00", "/a%00.html", "/a\\b", "/a%5cb", "/a%5C..",
		"/..\\x", "/a%", "/a%2", "/a%g0", "/a%0g", "//..//x",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int r = decode(good[i].in, out, sizeof(out));
		ok(r == (int)strlen(good[i].out) && strcmp(out, good[i].out) == 0, "decode \"%s\"", good[i].in);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is(decode(bad[i], out, sizeof(out)), WS_ERR_INVAL, "refuse \"%s\"", bad[i]);
	is(decode("/abc", out, 5), 4, "exact fit with the NUL");
	is(decode("/abcd", out, 5), WS_ERR_TOOBIG, "one byte short");
	is(decode("/abc", out, 0), WS_ERR_INVAL, "no room at all");
}

static int hidden(const char *p)
{
	size_t n = strlen(p);
	return ws_http_hidden_segment((const char *)tap_place(p, n), n);
}

static void test_hidden(void)
{
	static const char *yes[] = {
		"/.env", "/.git/config", "/.git/", "/.git", "/a/.hidden", "/a/b/.c/d", "/...", "/..x",
		".env", "/.well-knownx", "/.well-known-not/x", "/.well-known/.secret", "/.well-known/a/.b",
		"/a/.well-known/x",
	};
	static const char *no[] = {
		"/", "/index.html", "/a.b/c.d", "/a/b.", "/a./b", "/.well-known", "/.well-known/",
		"/.well-known/acme-challenge/tok", "/x/y/", "",
	};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		is(hidden(yes[i]), 1, "hidden \"%s\"", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		is(hidden(no[i]), 0, "not hidden \"%s\"", no[i]);
	is(ws_http_hidden_segment("/a/.b", 3), 0, "only len bytes are looked at");
	is(ws_http_hidden_segment(NULL, 0), 0, "NULL");
}

/* Encodes in (strlen) and compares with want. */
static int enc_is(const char *in, int keep_pct, const char *want)
{
	char out[64];
	size_t n = strlen(in);
	int r = ws_http_encode_location((const char *)tap_place(in, n), n, keep_pct, out, sizeof(out));

	if (r != (int)strlen(want) || memcmp(out, want, strlen(want)) != 0) {
		diag("got %d \"%.*s\"", r, r > 0 ? r : 0, out);
		return 0;
	}
	return 1;
}

static void test_location(void)
{
	char out[8];

	ok(enc_is("/a b/caf\xC3\xA9/", 0, "/a%20b/caf%C3%A9/"), "space and UTF-8 encoded");
	ok(enc_is("/x?y#z%", 0, "/x%3Fy%23z%25"), "? # % encoded in a path");
	ok(enc_is("a=%41&b=?c#d", 1, "a=%41&b=?c%23d"), "a query keeps %XX and ?, not #");
	ok(enc_is("/-._~!$&'()*+,;=:@", 0, "/-._~!$&'()*+,;=:@"), "pchar kept");
	ok(enc_is("\r\n\x7F\"<>\\^`{|}", 0, "%0D%0A%7F%22%3C%3E%5C%5E%60%7B%7C%7D"), "controls and the rest encoded");
	is(ws_http_encode_location("a\0b", 3, 1, out, sizeof(out)), 5, "a NUL is encoded");
	ok(memcmp(out, "a%00b", 5) == 0, "... as %00");
	is(ws_http_encode_location("/ab", 3, 0, out, 3), 3, "exact fit");
	is(ws_http_encode_location("/ab", 3, 0, out, 2), WS_ERR_TOOBIG, "one byte short");
	is(ws_http_encode_location(" ", 1, 0, out, 2), WS_ERR_TOOBIG, "no room for %XX");
}

static void test_misc(void)
{
	ok(strcmp(ws_http_status_text(400), "Bad Request") == 0, "400 text");
	ok(strcmp(ws_http_status_text(426), "Upgrade Required") == 0, "426 text");
	ok(strcmp(ws_http_status_text(101), "Switching Protocols") == 0, "101 text");
	ok(strcmp(ws_http_status_text(503), "Service Unavailable") == 0, "503 text");
	ok(strcmp(ws_http_status_text(299), "Unknown") == 0, "unknown status");

	ok(strcmp(ws_http_mime_type("index.html"), "text/html; charset=utf-8") == 0, "html");
	ok(strcmp(ws_http_mime_type("/a/b.HTM"), "text/html; charset=utf-8") == 0, "HTM upper case");
	ok(strcmp(ws_http_mime_type("app.mjs"), "text/javascript; charset=utf-8") == 0, "mjs");
	ok(strcmp(ws_http_mime_type("s.css"), "text/css; charset=utf-8") == 0, "css");
	ok(strcmp(ws_http_mime_type("a.txt"), "text/plain; charset=utf-8") == 0, "txt");
	ok(strcmp(ws_http_mime_type("d.json"), "application/json") == 0, "json");
	ok(strcmp(ws_http_mime_type("x.wasm"), "application/wasm") == 0, "wasm");
	ok(strcmp(ws_http_mime_type("f.woff2"), "font/woff2") == 0, "woff2");
	ok(strcmp(ws_http_mime_type("p.jpeg"), "image/jpeg") == 0, "jpeg");
	ok(strcmp(ws_http_mime_type("i.svg"), "image/svg+xml") == 0, "svg");
	ok(strcmp(ws_http_mime_type("archive.tar.gz"), "application/octet-stream") == 0, "unknown");
	ok(strcmp(ws_http_mime_type("dir.html/file"), "application/octet-stream") == 0, "dot in a directory");
	ok(strcmp(ws_http_mime_type("noext"), "application/octet-stream") == 0, "no extension");
	ok(strcmp(ws_http_mime_type("trailing."), "application/octet-stream") == 0, "empty extension");
}

int main(void)
{
	test_parse();
	test_host();
	test_target();
	test_tokens();
	test_upgrade();
	test_paths();
	test_hidden();
	test_location();
	test_misc();
	return done_testing();
}
