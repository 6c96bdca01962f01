/* PROXY protocol v1/v2, addresses and CIDR blocks, forwarding headers; see
 * ws_proxy.h. Everything here reads only the bytes it is given. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <string.h>
#include "ws.h"
#include "ws_proxy.h"

/* ------------------------------------------------------------------ */
/* addresses */

static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static void set_v6(ws_addr_t *a, const uint8_t ip[16])
{
	if (memcmp(ip, v4mapped, 12) == 0) {
		a->family = 4;
		memset(a->ip, 0, sizeof(a->ip));
		memcpy(a->ip, ip + 12, 4);
	} else {
		a->family = 6;
		memcpy(a->ip, ip, 16);
	}
}

/* inet_pton wants a NUL-terminated string: copy (bounded) first. */
static int pton(const char *s, size_t len, int want6, ws_addr_t *a)
{
	char tmp[64];
	uint8_t ip[16];
	if (len == 0 || len >= sizeof(tmp))
		return WS_ERR_INVAL;
	memcpy(tmp, s, len);
	tmp[len] = 0;
	if (!want6 && inet_pton(AF_INET, tmp, ip) == 1) {
		a->family = 4;
		memset(a->ip, 0, sizeof(a->ip));
		memcpy(a->ip, ip, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, tmp, ip) == 1) {
		set_v6(a, ip);
		return 0;
	}
	return WS_ERR_INVAL;
}

/* 1-5 decimal digits, at most 65535. */
static int parse_port(const char *s, size_t len, uint16_t *port)
{
	unsigned v = 0;
	if (len == 0 || len > 5)
		return WS_ERR_INVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return WS_ERR_INVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 65535)
		return WS_ERR_INVAL;
	*port = (uint16_t)v;
	return 0;
}

int ws_addr_parse(const char *s, size_t len, ws_addr_t *out)
{
	ws_addr_t a;
	memset(&a, 0, sizeof(a));
	if (len > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', len);
		if (!close)
			return WS_ERR_INVAL;
		size_t il = (size_t)(close - s) - 1, rest = len - il - 2;
		if (pton(s + 1, il, 1, &a) != 0)
			return WS_ERR_INVAL;
		if (rest > 0) {
			if (close[1] != ':' || parse_port(close + 2, rest - 1, &a.port) != 0)
				return WS_ERR_INVAL;
			a.has_port = 1;
		}
		*out = a;
		return 0;
	}
	/* One colon: IPv4 with a port; more: a bare IPv6 address. */
	const char *colon = memchr(s, ':', len);
	if (colon && !memchr(colon + 1, ':', len - (size_t)(colon - s) - 1)) {
		size_t il = (size_t)(colon - s);
		if (pton(s, il, 0, &a) != 0 || a.family != 4 ||
		    parse_port(colon + 1, len - il - 1, &a.port) != 0)
			return WS_ERR_INVAL;
		a.has_port = 1;
		*out = a;
		return 0;
	}
	if (pton(s, len, 0, &a) != 0)
		return WS_ERR_INVAL;
	*out = a;
	return 0;
}

int ws_addr_format(const ws_addr_t *a, char *out, size_t cap)
{
	char ip[INET6_ADDRSTRLEN];
	if (!inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->ip, ip, sizeof(ip)))
		return WS_ERR_INVAL;
	size_t il = strlen(ip), need = il + (a->family == 6 ? 2 : 0) + 1 + 5 + 1;
	if (cap < need)
		return WS_ERR_TOOBIG;
	char port[6];
	size_t pl = 0;
	unsigned p = a->port;
	char rev[6];
	do {
		rev[pl++] = (char)('0' + p % 10);
		p /= 10;
	} while (p);
	for (size_t i = 0; i < pl; i++)
		port[i] = rev[pl - 1 - i];
	size_t o = 0;
	if (a->family == 6)
		out[o++] = '[';
	memcpy(out + o, ip, il);
	o += il;
	if (a->family == 6)
		out[o++] = ']';
	out[o++] = ':';
	memcpy(out + o, port, pl);
	o += pl;
	out[o] = 0;
	return (int)o;
}

int ws_cidr_parse(const char *s, size_t len, ws_cidr_t *out)
{
	ws_cidr_t c;
	memset(&c, 0, sizeof(c));
	const char *slash = memchr(s, '/', len);
	size_t il = slash ? (size_t)(slash - s) : len;
	/* Brackets and ports have no place here. */
	if (il == 0 || s[0] == '[' || pton(s, il, 0, &c.addr) != 0)
		return WS_ERR_INVAL;
	unsigned max = c.addr.family == 4 ? 32 : 128, bits = max;
	if (slash) {
		/* A v4-mapped block ("::ffff:10.0.0.0/104") became IPv4: its
		 * prefix counts the mapped part too. */
		int mapped = c.addr.family == 4 && memchr(s, ':', il) != NULL;
		size_t bl = len - il - 1;
		if (bl == 0 || bl > 3)
			return WS_ERR_INVAL;
		bits = 0;
		for (size_t i = 0; i < bl; i++) {
			char d = slash[1 + i];
			if (d < '0' || d > '9')
				return WS_ERR_INVAL;
			bits = bits * 10 + (unsigned)(d - '0');
		}
		if (mapped) {
			if (bits < 96 || bits > 128)
				return WS_ERR_INVAL;
			bits -= 96;
		}
		if (bits > max)
			return WS_ERR_INVAL;
	}
	/* Host bits must be zero: "10.0.0.1/8" is a typo more often than not. */
	for (unsigned b = bits; b < max; b++)
		if (c.addr.ip[b / 8] & (0x80u >> (b % 8)))
			return WS_ERR_INVAL;
	c.bits = (uint8_t)bits;
	*out = c;
	return 0;
}

int ws_trusted_proxy_valid(const char *s, size_t len)
{
	ws_cidr_t c;
	return ws_cidr_parse(s, len, &c) == 0;
}

int ws_cidr_match(const ws_cidr_t *list, size_t n, const ws_addr_t *a)
{
	for (size_t k = 0; k < n; k++) {
		const ws_cidr_t *c = &list[k];
		if (c->addr.family != a->family)
			continue;
		unsigned full = c->bits / 8, rest = c->bits % 8;
		if (memcmp(c->addr.ip, a->ip, full) != 0)
			continue;
		if (rest && ((c->addr.ip[full] ^ a->ip[full]) & (uint8_t)(0xff00u >> rest)))
			continue;
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* PROXY protocol */

static const uint8_t v2sig[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

/* The next field of a v1 line: from *p up to a space or the end; *p moves
 * past the space. 0 when the field would be empty (two spaces in a row, a
 * trailing space, nothing left). */
static int v1_field(const char *line, size_t end, size_t *p, size_t *s, size_t *l)
{
	size_t i = *p, start = i;
	while (i < end && line[i] != ' ')
		i++;
	if (i == start)
		return 0;
	*s = start;
	*l = i - start;
	*p = i < end ? i + 1 : i;
	return 1;
}

static int parse_v1(const uint8_t *buf, size_t len, ws_proxy_hdr_t *out)
{
	static const char prefix[] = "PROXY ";
	size_t pl = sizeof(prefix) - 1;
	if (memcmp(buf, prefix, len < pl ? len : pl) != 0)
		return WS_ERR_PROTO;
	/* The line ends at the first CRLF within 107 bytes; every byte before
	 * it is printable US-ASCII. */
	size_t max = len < WS_PROXY_V1_MAX ? len : WS_PROXY_V1_MAX, end = 0;
	int found = 0;
	for (size_t i = 0; i < max; i++) {
		uint8_t c = buf[i];
		if (c == '\r') {
			if (i + 1 < len && buf[i + 1] != '\n')
				return WS_ERR_PROTO;
			if (i + 1 >= max)
				break; /* the LF is not there yet (or past 107) */
			end = i;
			found = 1;
			break;
		}
		if (c < 0x20 || c > 0x7e)
			return WS_ERR_PROTO;
	}
	if (!found)
		return len >= WS_PROXY_V1_MAX ? WS_ERR_PROTO : WS_AGAIN;
	if (end < pl)
		return WS_ERR_PROTO;

	const char *line = (const char *)buf;
	size_t p = pl, s, l;
	if (!v1_field(line, end, &p, &s, &l))
		return WS_ERR_PROTO;
	memset(out, 0, sizeof(*out));
	out->version = 1;
	if (l == 7 && memcmp(line + s, "UNKNOWN", 7) == 0) {
		/* Spec §2.1: the rest of the line up to CRLF is ignored. */
		out->local = 1;
		return (int)end + 2;
	}
	int want6;
	if (l == 4 && memcmp(line + s, "TCP4", 4) == 0)
		want6 = 0;
	else if (l == 4 && memcmp(line + s, "TCP6", 4) == 0)
		want6 = 1;
	else
		return WS_ERR_PROTO;
	size_t fs[4], fl[4];
	for (int k = 0; k < 4; k++)
		if (!v1_field(line, end, &p, &fs[k], &fl[k]))
			return WS_ERR_PROTO;
	if (fs[3] + fl[3] != end)
		return WS_ERR_PROTO; /* a fifth field, or a trailing space */
	uint8_t ip[16];
	char tmp[48];
	for (int k = 0; k < 2; k++) {
		ws_addr_t *a = k == 0 ? &out->src : &out->dst;
		if (fl[k] >= sizeof(tmp))
			return WS_ERR_PROTO;
		memcpy(tmp, line + fs[k], fl[k]);
		tmp[fl[k]] = 0;
		if (inet_pton(want6 ? AF_INET6 : AF_INET, tmp, ip) != 1)
			return WS_ERR_PROTO;
		if (want6) {
			set_v6(a, ip);
		} else {
			a->family = 4;
			memcpy(a->ip, ip, 4);
		}
		if (parse_port(line + fs[k + 2], fl[k + 2], &a->port) != 0)
			return WS_ERR_PROTO;
		a->has_port = 1;
	}
	return (int)end + 2;
}

static int parse_v2(const uint8_t *buf, size_t len, ws_proxy_hdr_t *out)
{
	if (memcmp(buf, v2sig, len < 12 ? len : 12) != 0)
		return WS_ERR_PROTO;
	/* Reject a bad version, command or family as soon as its byte is
	 * there, not after waiting for the whole block. */
	if (len > 12 && ((buf[12] >> 4) != 2 || (buf[12] & 0xF) > 1))
		return WS_ERR_PROTO;
	if (len > 13) {
		unsigned fam = buf[13] >> 4, proto = buf[13] & 0xF;
		if (fam > 3 || proto > 2)
			return WS_ERR_PROTO;
	}
	if (len < 16)
		return WS_AGAIN;
	size_t body = (size_t)buf[14] << 8 | buf[15], total = 16 + body;
	if (total > WS_PROXY_V2_MAX)
		return WS_ERR_PROTO;
	if (len < total)
		return WS_AGAIN;

	memset(out, 0, sizeof(*out));
	out->version = 2;
	unsigned cmd = buf[12] & 0xF, fam = buf[13] >> 4, proto = buf[13] & 0xF;
	if (cmd == 0) {
		/* LOCAL (health checks from the proxy itself): spec §2.2, the
		 * block is skipped whatever it holds. */
		out->local = 1;
		return (int)total;
	}
	const uint8_t *b = buf + 16;
	size_t alen;
	switch (fam) {
	case 0: /* UNSPEC: keep the real addresses */
		out->local = 1;
		alen = 0;
		break;
	case 1: /* INET */
		if (proto != 1 || body < 12)
			return WS_ERR_PROTO;
		out->src.family = out->dst.family = 4;
		memcpy(out->src.ip, b, 4);
		memcpy(out->dst.ip, b + 4, 4);
		out->src.port = (uint16_t)(b[8] << 8 | b[9]);
		out->dst.port = (uint16_t)(b[10] << 8 | b[11]);
		alen = 12;
		break;
	case 2: /* INET6 */
		if (proto != 1 || body < 36)
			return WS_ERR_PROTO;
		set_v6(&out->src, b);
		set_v6(&out->dst, b + 16);
		out->src.port = (uint16_t)(b[32] << 8 | b[33]);
		out->dst.port = (uint16_t)(b[34] << 8 | b[35]);
		alen = 36;
		break;
	default: /* UNIX: no IP address to report */
		if (body < 216)
			return WS_ERR_PROTO;
		out->local = 1;
		alen = 216;
		break;
	}
	out->src.has_port = out->dst.has_port = !out->local;
	/* TLVs (spec §2.2.7): type, 16-bit length, value; they must fill the
	 * rest of the block exactly. Their contents are not used. */
	size_t p = alen;
	while (p < body) {
		if (body - p < 3)
			return WS_ERR_PROTO;
		size_t tl = (size_t)b[p + 1] << 8 | b[p + 2];
		if (body - p - 3 < tl)
			return WS_ERR_PROTO;
		p += 3 + tl;
	}
	return (int)total;
}

int ws_proxy_parse(const uint8_t *buf, size_t len, ws_proxy_hdr_t *out)
{
	if (len == 0)
		return WS_AGAIN;
	if (buf[0] == 'P')
		return parse_v1(buf, len, out);
	if (buf[0] == 0x0D)
		return parse_v2(buf, len, out);
	return WS_ERR_PROTO;
}

/* ------------------------------------------------------------------ */
/* forwarding headers */

static unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

static int ieq(const char *a, size_t al, const char *b)
{
	size_t bl = strlen(b);
	if (al != bl)
		return 0;
	for (size_t i = 0; i < al; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

static int is_ows(char c) { return c == ' ' || c == '\t'; }

static void trim(const char **s, size_t *l)
{
	while (*l && is_ows(**s))
		(*s)++, (*l)--;
	while (*l && is_ows((*s)[*l - 1]))
		(*l)--;
}

/* A list header's items, right to left, over all its lines (the last line
 * holds the rightmost items). Calls item() for each until it returns
 * non-zero, which is returned. */
typedef int (*item_fn)(const char *s, size_t l, void *ctx);

static int each_from_right(const ws_request_t *req, const char *name, item_fn item, void *ctx, int *present)
{
	*present = 0;
	for (size_t h = req->num_headers; h-- > 0;) {
		const ws_header_t *hd = &req->headers[h];
		if (!ieq(hd->name, hd->name_len, name))
			continue;
		*present = 1;
		size_t end = hd->value_len;
		for (;;) {
			size_t start = end;
			while (start > 0 && hd->value[start - 1] != ',')
				start--;
			const char *s = hd->value + start;
			size_t l = end - start;
			trim(&s, &l);
			if (l) {
				int r = item(s, l, ctx);
				if (r)
					return r;
			}
			if (start == 0)
				break;
			end = start - 1;
		}
	}
	return 0;
}

typedef struct pick {
	const ws_cidr_t *trusted;
	size_t n;
	ws_addr_t leftmost; /* the last address seen, walking leftwards */
	int seen;
} pick_t;

/* -1: not an address (give up), 1: the client, 0: a trusted proxy, go on. */
static int pick_addr(const char *s, size_t l, pick_t *pk)
{
	ws_addr_t a;
	if (ws_addr_parse(s, l, &a) != 0)
		return -1;
	pk->leftmost = a;
	pk->seen = 1;
	return ws_cidr_match(pk->trusted, pk->n, &a) ? 0 : 1;
}

static int xff_item(const char *s, size_t l, void *ctx) { return pick_addr(s, l, ctx); }

/* One Forwarded element: "for=...;proto=https;by=...". Its for= value,
 * unquoted; elements without one are skipped (0). */
static int fwd_item(const char *s, size_t l, void *ctx)
{
	size_t p = 0;
	while (p < l) {
		size_t start = p;
		int quoted = 0;
		while (p < l && (quoted || s[p] != ';')) {
			if (s[p] == '"')
				quoted = !quoted;
			p++;
		}
		const char *pair = s + start;
		size_t pl = p - start;
		p++;
		trim(&pair, &pl);
		const char *eq = memchr(pair, '=', pl);
		if (!eq)
			continue;
		const char *name = pair, *val = eq + 1;
		size_t nl = (size_t)(eq - pair), vl = pl - nl - 1;
		trim(&name, &nl);
		trim(&val, &vl);
		if (!ieq(name, nl, "for"))
			continue;
		if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"')
			val++, vl -= 2;
		return pick_addr(val, vl, ctx);
	}
	return 0;
}

static int from_list(const ws_request_t *req, const char *name, item_fn fn, pick_t *pk, ws_addr_t *out)
{
	int present;
	pk->seen = 0;
	int r = each_from_right(req, name, fn, pk, &present);
	if (r == 1 || (r == 0 && pk->seen)) {
		/* The client, or every address was a trusted proxy: the leftmost
		 * one is as far as the chain goes. */
		*out = pk->leftmost;
		return 1;
	}
	return 0;
}

int ws_proxy_forwarded(const ws_request_t *req, int which, const ws_cidr_t *trusted, size_t n, ws_addr_t *out)
{
	pick_t pk = {trusted, n, {0, 0, 0, {0}}, 0};
	if (which == WS_FORWARDED_XFF)
		return from_list(req, "X-Forwarded-For", xff_item, &pk, out);
	if (which == WS_FORWARDED_FORWARDED)
		return from_list(req, "Forwarded", fwd_item, &pk, out);
	for (size_t h = 0; h < req->num_headers; h++) {
		const ws_header_t *hd = &req->headers[h];
		if (!ieq(hd->name, hd->name_len, "X-Real-IP"))
			continue;
		const char *s = hd->value;
		size_t l = hd->value_len;
		trim(&s, &l);
		return ws_addr_parse(s, l, out) == 0;
	}
	return 0;
}
