/* HTTP/1.1 request heads (RFC 9112) and the WebSocket opening handshake
 * checks (RFC 6455 §4.2.1), plus small response helpers. Everything here
 * works on caller-owned buffers and allocates nothing.
 */
#include <string.h>
#include <limits.h>
#include <openssl/evp.h>
#include "ws.h"
#include "ws_http.h"

/* tchar (RFC 9110 §5.6.2): the characters of methods and header names. */
static int ws__is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static unsigned char ws__lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

static int ws__ieq(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (ws__lower((unsigned char)a[i]) != ws__lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static int ws__is_ows(char c) { return c == ' ' || c == '\t'; }

/* Looks for the blank line that ends the head in buf[from..len): returns
 * 1 and its end offset in *end, 0 if it is not there yet, or -1 on a NUL or
 * a CR not followed by LF (RFC 9112 §2.2: a bare CR must be rejected or
 * replaced). Bytes after the head are never looked at: they may be the
 * first frames. */
static int ws__find_end(const char *buf, size_t len, size_t from, size_t *end)
{
	for (size_t i = from; i < len; i++) {
		char c = buf[i];

		if (c == '\0')
			return -1;
		if (c == '\r') {
			if (i + 1 < len && buf[i + 1] != '\n')
				return -1;
			continue;
		}
		if (c != '\n')
			continue;
		/* A line ending here is empty if the previous line ended
		 * right before it: "\n\n" or "\n\r\n". */
		if ((i >= 1 && buf[i - 1] == '\n') || (i >= 2 && buf[i - 1] == '\r' && buf[i - 2] == '\n')) {
			*end = i + 1;
			return 1;
		}
	}
	return 0;
}

/* Finds the end of the line starting at p (before end); *next is set past
 * its CRLF or LF. Returns the line length without the line end. */
static size_t ws__line(const char *p, const char *end, const char **next)
{
	const char *q = memchr(p, '\n', (size_t)(end - p));
	size_t n;

	/* ws__find_end guarantees a LF before end. */
	n = (size_t)(q - p);
	*next = q + 1;
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return n;
}

/* Written into req->error; WS_MAX_HEADERS is a plain number. */
#define WS__STR(x) #x
#define WS__XSTR(x) WS__STR(x)
#define WS__TOO_MANY "more than " WS__XSTR(WS_MAX_HEADERS) " header lines"

static int ws__fail(ws_request_t *req, int rc, const char *why)
{
	req->error = why;
	return rc;
}

static int ws__is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* uri-host [":" port] (RFC 9110 §7.2, RFC 3986 §3.2.2): unreserved,
 * pct-encoded and sub-delims, ':' and the brackets of an IP literal. No
 * userinfo ('@'), no path, no whitespace. An empty value is valid for Host
 * (a target without an authority), not in an absolute-form target. */
static int ws__authority_ok(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '%') {
			if (n - i < 3 || !ws__is_hex((unsigned char)p[i + 1]) || !ws__is_hex((unsigned char)p[i + 2]))
				return 0;
			i += 2;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      (c != 0 && strchr("-._~!$&'()*+,;=:[]", c) != NULL)))
			return 0;
	}
	return 1;
}

/* An absolute-form target (RFC 9112 §3.2.2): scheme "://" authority, then
 * the path and query. Only the schemes a WebSocket server is reached by
 * (RFC 9110 §4.2, RFC 6455 §3), in any case (RFC 3986 §3.1). Returns the
 * offset where the path (or the '?', or the end) starts, 0 if t is not
 * one. */
static size_t ws__absolute_form(const char *t, size_t n)
{
	static const char *const schemes[] = {"http", "https", "ws", "wss"};

	for (size_t k = 0; k < sizeof(schemes) / sizeof(schemes[0]); k++) {
		size_t sl = strlen(schemes[k]), a = sl + 3, e;

		if (n < a || !ws__ieq(t, sl, schemes[k], sl) || memcmp(t + sl, "://", 3) != 0)
			continue;
		for (e = a; e < n && t[e] != '/' && t[e] != '?'; e++)
			;
		/* http(s) URIs must have a host (RFC 9110 §4.2.1). */
		return e > a && ws__authority_ok(t + a, e - a) ? e : 0;
	}
	return 0;
}

/* request-line = method SP request-target SP HTTP-version (RFC 9112 §3). */
static int ws__parse_request_line(const char *p, size_t n, ws_request_t *req)
{
	static const char bad_line[] = "malformed request line";
	size_t i = 0, t, tl, ps;
	const char *target, *q;

	while (i < n && ws__is_tchar((unsigned char)p[i]))
		i++;
	if (i == 0 || i >= n || p[i] != ' ')
		return ws__fail(req, WS_ERR_PROTO, bad_line);
	req->method = p;
	req->method_len = i;
	t = ++i;
	/* The target is visible characters; bytes >= 0x80 are tolerated
	 * (some clients send raw UTF-8 paths), controls and spaces are not. */
	while (i < n && (unsigned char)p[i] > 0x20 && (unsigned char)p[i] != 0x7F)
		i++;
	if (i == t || i >= n || p[i] != ' ')
		return ws__fail(req, WS_ERR_PROTO, bad_line);
	target = p + t;
	tl = i - t;
	/* §3.2: origin-form ("/path?query"), absolute-form, asterisk-form
	 * ("*", OPTIONS). authority-form is CONNECT's, for proxies. */
	if (target[0] == '/' || (tl == 1 && target[0] == '*'))
		ps = 0;
	else if ((ps = ws__absolute_form(target, tl)) == 0)
		return ws__fail(req, WS_ERR_PROTO, "invalid request target");
	q = memchr(target + ps, '?', tl - ps);
	req->path = target + ps;
	req->path_len = q ? (size_t)(q - req->path) : tl - ps;
	req->query = q ? q + 1 : "";
	req->query_len = q ? tl - (size_t)(q + 1 - target) : 0;
	if (req->path_len == 0) {
		/* "http://host" or "http://host?q": the path is "/"
		 * (RFC 9112 §3.2.1 for the origin-form of the same URI). */
		req->path = "/";
		req->path_len = 1;
	}
	i++;
	if (n - i != 8 || memcmp(p + i, "HTTP/1.", 7) != 0 || p[i + 7] < '0' || p[i + 7] > '9')
		return ws__fail(req, WS_ERR_PROTO, bad_line);
	req->minor_version = p[i + 7] - '0';
	return 0;
}

/* field-line = field-name ":" OWS field-value OWS (RFC 9112 §5). */
static int ws__parse_header(const char *p, size_t n, ws_header_t *h)
{
	size_t i = 0, vs, ve;

	while (i < n && ws__is_tchar((unsigned char)p[i]))
		i++;
	/* No name, or whitespace before the colon: RFC 9112 §5.1 says a
	 * server MUST reject the latter with 400. */
	if (i == 0 || i >= n || p[i] != ':')
		return WS_ERR_PROTO;
	h->name = p;
	h->name_len = i;
	vs = i + 1;
	ve = n;
	for (size_t j = vs; j < n; j++) {
		unsigned char c = (unsigned char)p[j];
		/* field-vchar / obs-text, SP, HTAB; any other control
		 * (a bare CR, DEL, ...) makes the line invalid. */
		if ((c < 0x20 && c != '\t') || c == 0x7F)
			return WS_ERR_PROTO;
	}
	while (vs < ve && ws__is_ows(p[vs]))
		vs++;
	while (ve > vs && ws__is_ows(p[ve - 1]))
		ve--;
	h->value = p + vs;
	h->value_len = ve - vs;
	return 0;
}

/* RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status
 * code to any HTTP/1.1 request message that lacks a Host header field and
 * to any request message that contains more than one Host header field
 * line or a Host header field with an invalid field value." HTTP/1.0 may
 * leave it out. */
static int ws__check_host(ws_request_t *req)
{
	const ws_header_t *host = NULL;

	for (size_t i = 0; i < req->num_headers; i++) {
		const ws_header_t *h = &req->headers[i];
		if (!ws__ieq(h->name, h->name_len, "Host", 4))
			continue;
		if (host)
			return ws__fail(req, WS_ERR_PROTO, "more than one Host header");
		host = h;
	}
	if (!host && req->minor_version >= 1)
		return ws__fail(req, WS_ERR_PROTO, "HTTP/1.1 request without a Host header");
	if (host && !ws__authority_ok(host->value, host->value_len))
		return ws__fail(req, WS_ERR_PROTO, "invalid Host header");
	return 0;
}

int ws_http_parse_request(const char *buf, size_t len, size_t last_len, ws_request_t *req)
{
	const char *p, *end, *next;
	size_t n, e = 0;
	int r;

	req->error = NULL;
	if (last_len > len)
		last_len = 0;
	/* Resume a little before where the last call stopped: the blank line
	 * may straddle the two reads ("\r\n" + "\r\n"). */
	r = ws__find_end(buf, len, last_len >= 3 ? last_len - 3 : 0, &e);
	if (r < 0)
		return ws__fail(req, WS_ERR_PROTO, "NUL or bare CR in the request head");
	if (r == 0)
		return WS_AGAIN;
	if (e > INT_MAX)
		return ws__fail(req, WS_ERR_TOOBIG, "request head too large");

	p = buf;
	end = buf + e;
	n = ws__line(p, end, &next);
	if (ws__parse_request_line(p, n, req) != 0)
		return WS_ERR_PROTO;
	req->num_headers = 0;
	for (p = next; p < end;) {
		n = ws__line(p, end, &next);
		if (n == 0)
			break; /* the blank line */
		/* RFC 9112 §5.2: obs-fold (a line starting with SP or HTAB)
		 * may be rejected; we do, as it has no use in a handshake. */
		if (ws__is_ows(p[0]))
			return ws__fail(req, WS_ERR_PROTO, "folded header line (obs-fold)");
		/* RFC 6585 §5: 431 for too many fields as for too many bytes. */
		if (req->num_headers == WS_MAX_HEADERS)
			return ws__fail(req, WS_ERR_TOOBIG, WS__TOO_MANY);
		if (ws__parse_header(p, n, &req->headers[req->num_headers]) != 0)
			return ws__fail(req, WS_ERR_PROTO, "malformed header line");
		req->num_headers++;
		p = next;
	}
	if (ws__check_host(req) != 0)
		return WS_ERR_PROTO;
	return (int)e;
}

const ws_header_t *ws_http_header(const ws_request_t *req, const char *name)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i < req->num_headers; i++)
		if (ws__ieq(req->headers[i].name, req->headers[i].name_len, name, nl))
			return &req->headers[i];
	return NULL;
}

int ws_http_has_token(const char *value, size_t len, const char *token)
{
	size_t tl = strlen(token), i = 0;

	while (i < len) {
		size_t s, e;

		while (i < len && (ws__is_ows(value[i]) || value[i] == ','))
			i++;
		s = i;
		while (i < len && value[i] != ',')
			i++;
		e = i;
		while (e > s && ws__is_ows(value[e - 1]))
			e--;
		if (e > s && ws__ieq(value + s, e - s, token, tl))
			return 1;
	}
	return 0;
}

/* Lists may be split over several header lines with the same name
 * (RFC 9110 §5.3), e.g. "Connection: keep-alive" + "Connection: Upgrade". */
static int ws__any_has_token(const ws_request_t *req, const char *name, const char *token)
{
	size_t nl = strlen(name);

	for (size_t i = 0; i < req->num_headers; i++) {
		const ws_header_t *h = &req->headers[i];
		if (ws__ieq(h->name, h->name_len, name, nl) && ws_http_has_token(h->value, h->value_len, token))
			return 1;
	}
	return 0;
}

static size_t ws__count(const ws_request_t *req, const char *name)
{
	size_t nl = strlen(name), c = 0;

	for (size_t i = 0; i < req->num_headers; i++)
		if (ws__ieq(req->headers[i].name, req->headers[i].name_len, name, nl))
			c++;
	return c;
}

static int ws__b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* RFC 6455 §4.2.1 item 5: the key is base64 (RFC 4648 §4) of 16 bytes,
 * which is always 22 alphabet characters followed by "==". */
static int ws__key_ok(const char *k, size_t n)
{
	if (n != 24 || k[22] != '=' || k[23] != '=')
		return 0;
	for (size_t i = 0; i < 22; i++)
		if (ws__b64_value((unsigned char)k[i]) < 0)
			return 0;
	return 1;
}

int ws_http_check_upgrade(const ws_request_t *req, const char **key, size_t *key_len)
{
	const ws_header_t *k, *v;
	const char *kv;
	size_t kn;

	/* RFC 6455 §4.2.1 item 3: "Upgrade" containing "websocket". Without
	 * it this is an ordinary HTTP request. */
	if (!ws__any_has_token(req, "Upgrade", "websocket"))
		return WS_HTTP_PLAIN;
	/* Item 1: "An HTTP/1.1 or higher GET request". */
	if (req->method_len != 3 || memcmp(req->method, "GET", 3) != 0)
		return 400;
	if (req->minor_version != 1)
		return 400;
	/* Item 2: a Host header (RFC 9112 §3.2: exactly one). */
	if (ws__count(req, "Host") != 1)
		return 400;
	/* Item 4: "Connection" including the "Upgrade" token. */
	if (!ws__any_has_token(req, "Connection", "upgrade"))
		return 400;
	/* Item 5: Sec-WebSocket-Key, once (§11.3.1), 16 bytes base64. */
	if (ws__count(req, "Sec-WebSocket-Key") != 1)
		return 400;
	k = ws_http_header(req, "Sec-WebSocket-Key");
	kv = k->value;
	kn = k->value_len;
	while (kn > 0 && ws__is_ows(kv[0])) {
		kv++;
		kn--;
	}
	while (kn > 0 && ws__is_ows(kv[kn - 1]))
		kn--;
	if (!ws__key_ok(kv, kn))
		return 400;
	/* Item 6 and §4.4: another version gets 426 and the one we speak. */
	v = ws_http_header(req, "Sec-WebSocket-Version");
	if (!v || v->value_len != 2 || memcmp(v->value, "13", 2) != 0)
		return 426;
	if (key)
		*key = kv;
	if (key_len)
		*key_len = kn;
	return 0;
}

int ws_http_accept_key(const char *key, size_t key_len, char out[29])
{
	/* RFC 6455 §4.2.2 item 5.4: base64(SHA-1(key + GUID)). */
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	int ok;

	if (!key || !out)
		return WS_ERR_INVAL;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return WS_ERR_NOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 && EVP_DigestUpdate(ctx, key, key_len) == 1 &&
		EVP_DigestUpdate(ctx, guid, sizeof(guid) - 1) == 1 && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 &&
		mdlen == 20;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return WS_ERR_INVAL;
	/* 20 bytes encode to 28 characters; EVP_EncodeBlock adds the NUL. */
	if (EVP_EncodeBlock((unsigned char *)out, md, 20) != 28)
		return WS_ERR_INVAL;
	return 0;
}

const char *ws_http_status_text(int status)
{
	switch (status) {
	case 101: return "Switching Protocols";
	case 200: return "OK";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 402: return "Payment Required";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 416: return "Range Not Satisfiable";
	case 422: return "Unprocessable Content";
	case 423: return "Locked";
	case 426: return "Upgrade Required";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 451: return "Unavailable For Legal Reasons";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	case 505: return "HTTP Version Not Supported";
	case 507: return "Insufficient Storage";
	case 511: return "Network Authentication Required";
	default: return "Unknown";
	}
}

static int ws__hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = ws__lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* 1 if out[s..e) is "." or "..". */
static int ws__dot_segment(const char *out, size_t s, size_t e)
{
	return (e - s == 1 && out[s] == '.') || (e - s == 2 && out[s] == '.' && out[s + 1] == '.');
}

int ws_http_decode_path(const char *path, size_t len, char *out, size_t cap)
{
	size_t o = 0, seg = 0;

	if (!path || len == 0 || path[0] != '/' || !out || cap == 0)
		return WS_ERR_INVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];

		if (c == '%') {
			int hi, lo;
			if (len - i < 3 || (hi = ws__hex((unsigned char)path[i + 1])) < 0 ||
			    (lo = ws__hex((unsigned char)path[i + 2])) < 0)
				return WS_ERR_INVAL;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		/* A NUL would cut the file name short in open(); a backslash
		 * is a separator on some systems. */
		if (c == '\0' || c == '\\')
			return WS_ERR_INVAL;
		/* Segments are judged after decoding (an encoded "%2F" is a
		 * separator too), so "%2e%2e" and "..%2f" are caught. */
		if (c == '/') {
			if (o > 0 && ws__dot_segment(out, seg, o))
				return WS_ERR_INVAL;
			if (o > 0 && out[o - 1] == '/')
				continue; /* collapse "//" */
			seg = o + 1;
		}
		if (o + 1 >= cap || o >= INT_MAX)
			return WS_ERR_TOOBIG;
		out[o++] = (char)c;
	}
	if (ws__dot_segment(out, seg, o))
		return WS_ERR_INVAL;
	out[o] = '\0';
	return (int)o;
}

int ws_http_hidden_segment(const char *path, size_t len)
{
	static const char wk[] = "/.well-known";
	const size_t wl = sizeof(wk) - 1;
	size_t i = 0;

	if (!path)
		return 0;
	if (len >= wl && memcmp(path, wk, wl) == 0 && (len == wl || path[wl] == '/'))
		i = wl; /* the scan starts at the slash after it */
	for (; i + 1 < len; i++)
		if (path[i] == '/' && path[i + 1] == '.')
			return 1;
	/* A relative name ("." first) is hidden too. */
	return len > 0 && path[0] == '.';
}

int ws_http_encode_location(const char *path, size_t len, int keep_pct, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	if (len > INT_MAX / 3)
		return WS_ERR_TOOBIG;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			   strchr("-._~!$&'()*+,;=:@/", c) != NULL || (keep_pct && (c == '%' || c == '?'));

		/* strchr() finds the terminating NUL too. */
		if (c == 0)
			keep = 0;
		if (keep) {
			if (o + 1 > cap)
				return WS_ERR_TOOBIG;
			out[o++] = (char)c;
		} else {
			if (o + 3 > cap)
				return WS_ERR_TOOBIG;
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	return (int)o;
}

const char *ws_http_mime_type(const char *name)
{
	static const struct {
		const char *ext;
		const char *type;
	} types[] = {
		{"html", "text/html; charset=utf-8"},
		{"htm", "text/html; charset=utf-8"},
		{"css", "text/css; charset=utf-8"},
		{"js", "text/javascript; charset=utf-8"},
		{"mjs", "text/javascript; charset=utf-8"},
		{"json", "application/json"},
		{"txt", "text/plain; charset=utf-8"},
		{"svg", "image/svg+xml"},
		{"png", "image/png"},
		{"jpg", "image/jpeg"},
		{"jpeg", "image/jpeg"},
		{"gif", "image/gif"},
		{"ico", "image/x-icon"},
		{"webp", "image/webp"},
		{"wasm", "application/wasm"},
		{"map", "application/json"},
		{"woff", "font/woff"},
		{"woff2", "font/woff2"},
	};
	const char *dot = NULL, *ext;

	if (!name)
		return "application/octet-stream";
	for (const char *p = name; *p; p++) {
		if (*p == '.')
			dot = p;
		else if (*p == '/')
			dot = NULL;
	}
	if (!dot)
		return "application/octet-stream";
	ext = dot + 1;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (ws__ieq(ext, strlen(ext), types[i].ext, strlen(types[i].ext)))
			return types[i].type;
	return "application/octet-stream";
}
