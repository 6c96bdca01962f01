/* The cluster bus's message codec and URL parser (format in ws_bus.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ws.h"
#include "ws_bus.h"

#define F_BINARY 0x01u
#define F_ROOM 0x02u

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get64(const uint8_t *p) { return (uint64_t)get32(p) << 32 | get32(p + 4); }

size_t ws_bus_size(const ws_bus_msg_t *m)
{
	if (m->room && (m->room_len == 0 || m->room_len > WS_BUS_MAX_ROOM))
		return 0;
	if (m->len > UINT32_MAX || (m->len && !m->data))
		return 0;
	/* Cannot overflow: both parts are bounded far below SIZE_MAX. */
	return WS_BUS_HEADER + (m->room ? m->room_len : 0) + m->len;
}

int ws_bus_encode(const ws_bus_msg_t *m, uint8_t *out, size_t cap)
{
	size_t n = ws_bus_size(m);
	if (n == 0)
		return WS_ERR_INVAL;
	if (n > cap || n > (size_t)INT32_MAX)
		return WS_ERR_TOOBIG;
	size_t room_len = m->room ? m->room_len : 0;
	out[0] = 'S';
	out[1] = 'B';
	out[2] = WS_BUS_VERSION;
	out[3] = m->type;
	out[4] = (uint8_t)((m->binary ? F_BINARY : 0) | (m->room ? F_ROOM : 0));
	out[5] = 0;
	put16(out + 6, (uint32_t)room_len);
	put32(out + 8, m->origin);
	put64(out + 12, m->except_id);
	put32(out + 20, (uint32_t)m->len);
	if (room_len)
		memcpy(out + WS_BUS_HEADER, m->room, room_len);
	if (m->len)
		memcpy(out + WS_BUS_HEADER + room_len, m->data, m->len);
	return (int)n;
}

int ws_bus_decode(const uint8_t *buf, size_t len, size_t max_data, ws_bus_msg_t *out)
{
	memset(out, 0, sizeof(*out));
	if (len < WS_BUS_HEADER || buf[0] != 'S' || buf[1] != 'B')
		return WS_ERR_PROTO;
	if (buf[2] != WS_BUS_VERSION || buf[3] != WS_BUS_BROADCAST)
		return WS_ERR_PROTO;
	uint8_t flags = buf[4];
	if ((flags & ~(F_BINARY | F_ROOM)) || buf[5] != 0)
		return WS_ERR_PROTO;
	size_t room_len = get16(buf + 6);
	size_t data_len = get32(buf + 20);
	if ((flags & F_ROOM) ? room_len == 0 : room_len != 0)
		return WS_ERR_PROTO;
	/* The lengths must account for every byte: no truncation, no trailer. */
	if (len - WS_BUS_HEADER < room_len || len - WS_BUS_HEADER - room_len != data_len)
		return WS_ERR_PROTO;
	if (data_len > max_data)
		return WS_ERR_TOOBIG;
	out->type = buf[3];
	out->binary = (flags & F_BINARY) ? 1 : 0;
	out->origin = get32(buf + 8);
	out->except_id = get64(buf + 12);
	out->room = (flags & F_ROOM) ? (const char *)buf + WS_BUS_HEADER : NULL;
	out->room_len = room_len;
	out->data = buf + WS_BUS_HEADER + room_len;
	out->len = data_len;
	return 0;
}

/* ------------------------------------------------------------------ */
/* URL */

static int fail(char *errbuf, size_t errlen, const char *url, const char *why)
{
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "cluster URL \"%.200s\": %s", url, why);
	return WS_ERR_INVAL;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Copies s[0, n) into out (cap bytes, NUL-terminated), decoding %XX.
 * Returns 0, or -1 when it does not fit, an escape is malformed or decodes
 * to a NUL byte. */
static int unescape(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return -1;
			int h = hexval((unsigned char)s[i + 1]), l = hexval((unsigned char)s[i + 2]);
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return -1;
			c = h * 16 + l;
			i += 2;
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = 0;
	return 0;
}

static int prefix_ok(const char *p, size_t n)
{
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == ':' || c == '-'))
			return 0;
	}
	return 1;
}

static int parse_unix(const char *url, const char *path, ws_bus_addr_t *out, char *errbuf, size_t errlen)
{
	const char *q = strchr(path, '?');
	size_t plen = q ? (size_t)(q - path) : strlen(path);
	if (plen == 0 || path[0] != '/')
		return fail(errbuf, errlen, url, "a unix socket path must be absolute");
	if (plen >= sizeof(out->path))
		return fail(errbuf, errlen, url, "the unix socket path is too long");
	memcpy(out->path, path, plen);
	out->path[plen] = 0;
	if (q) {
		if (strncmp(q, "?prefix=", 8) != 0)
			return fail(errbuf, errlen, url, "the only query parameter is prefix");
		const char *p = q + 8;
		if (!prefix_ok(p, strlen(p)))
			return fail(errbuf, errlen, url, "a prefix is 1-64 characters of A-Z a-z 0-9 _ . : -");
		memcpy(out->prefix, p, strlen(p) + 1);
	}
	out->is_unix = 1;
	return 0;
}

int ws_bus_parse_url(const char *url, ws_bus_addr_t *out, char *errbuf, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->port = 6379;
	memcpy(out->prefix, "salon", 6);
	if (errbuf && errlen)
		errbuf[0] = 0;
	if (!url || !*url)
		return fail(errbuf, errlen, "", "empty");
	if (url[0] == '/')
		return parse_unix(url, url, out, errbuf, errlen);
	if (strncmp(url, "unix://", 7) == 0)
		return parse_unix(url, url + 7, out, errbuf, errlen);
	if (strncmp(url, "redis://", 8) != 0)
		return fail(errbuf, errlen, url, "expected redis://host:port/prefix, unix:///path or /path");

	const char *p = url + 8;
	const char *end = p + strcspn(p, "/?#");
	if (*end == '?' || *end == '#')
		return fail(errbuf, errlen, url, "no query or fragment in a redis:// URL");
	/* userinfo: everything up to the last '@' of the authority */
	const char *at = NULL;
	for (const char *x = p; x < end; x++)
		if (*x == '@')
			at = x;
	if (at) {
		const char *colon = memchr(p, ':', (size_t)(at - p));
		if (!colon)
			return fail(errbuf, errlen, url, "userinfo must be [user]:password@");
		if (unescape(p, (size_t)(colon - p), out->user, sizeof(out->user)) != 0 ||
		    unescape(colon + 1, (size_t)(at - colon - 1), out->pass, sizeof(out->pass)) != 0)
			return fail(errbuf, errlen, url, "bad user or password (too long, or a bad %XX escape)");
		if (!out->pass[0])
			return fail(errbuf, errlen, url, "an empty password");
		p = at + 1;
	}
	const char *hend;
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));
		if (!rb || rb == p + 1)
			return fail(errbuf, errlen, url, "unterminated [IPv6] host");
		if ((size_t)(rb - p - 1) >= sizeof(out->host))
			return fail(errbuf, errlen, url, "host too long");
		memcpy(out->host, p + 1, (size_t)(rb - p - 1));
		out->host[rb - p - 1] = 0;
		hend = rb + 1;
		if (hend < end && *hend != ':')
			return fail(errbuf, errlen, url, "unexpected text after [IPv6] host");
	} else {
		const char *colon = memchr(p, ':', (size_t)(end - p));
		hend = colon ? colon : end;
		size_t hl = (size_t)(hend - p);
		if (hl == 0)
			return fail(errbuf, errlen, url, "no host");
		if (hl >= sizeof(out->host))
			return fail(errbuf, errlen, url, "host too long");
		memcpy(out->host, p, hl);
		out->host[hl] = 0;
	}
	if (hend < end) { /* ":port" */
		const char *d = hend + 1;
		if (d == end)
			return fail(errbuf, errlen, url, "empty port");
		long port = 0;
		for (; d < end; d++) {
			if (*d < '0' || *d > '9')
				return fail(errbuf, errlen, url, "the port is not a number");
			port = port * 10 + (*d - '0');
			if (port > 65535)
				break;
		}
		if (port < 1 || port > 65535)
			return fail(errbuf, errlen, url, "the port must be between 1 and 65535");
		out->port = (int)port;
	}
	if (*end == '/' && end[1]) {
		const char *pre = end + 1;
		size_t n = strlen(pre);
		if (!prefix_ok(pre, n))
			return fail(errbuf, errlen, url, "a prefix is 1-64 characters of A-Z a-z 0-9 _ . : -");
		memcpy(out->prefix, pre, n + 1);
	}
	return 0;
}

int ws_cluster_check_url(const char *url, char *errbuf, size_t errlen)
{
	ws_bus_addr_t a;
	return ws_bus_parse_url(url, &a, errbuf, errlen);
}

uint32_t ws_bus_node_from_incr(long long n)
{
	const long long span = (long long)WS_BUS_NODE_RANDOM_MIN - 1; /* 1 .. 2^20 - 1 */
	long long r = n % span; /* (n - 1) mod span, without n - 1 overflowing */
	r = (r - 1 + span) % span;
	return (uint32_t)r + 1;
}

uint64_t ws_bus_conn_id(uint32_t node, uint32_t local)
{
	return (uint64_t)(node & WS_BUS_NODE_MAX) << 32 | local;
}
