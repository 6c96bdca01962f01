/* Unit tests for src/ws_proxy.c: PROXY protocol v1 and v2 (whole, every
 * prefix, byte by byte, against a guard page), addresses and CIDR blocks,
 * and the forwarding headers. */
#include "tap.h" /* first: it sets the feature macros */
#include <arpa/inet.h>
#include "ws.h"
#include "ws_proxy.h"

static ws_proxy_hdr_t H;

static int parse(const void *p, size_t n) { return ws_proxy_parse(tap_place(p, n), n, &H); }

/* Every strict prefix must say WS_AGAIN (it is a valid beginning). */
static int prefixes_again(const void *p, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		int r = parse(p, k);
		if (r != WS_AGAIN) {
			diag("prefix of %zu bytes: %d", k, r);
			return 0;
		}
	}
	return 1;
}

static const char *fmt(const ws_addr_t *a)
{
	static char buf[64];
	if (ws_addr_format(a, buf, sizeof(buf)) < 0)
		return "(format failed)";
	return buf;
}

static void test_v1(void)
{
	const char *l = "PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\nGET / HTTP/1.1\r\n";
	size_t hl = strlen("PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\n");
	is(parse(l, strlen(l)), hl, "v1 TCP4: the header's length, the request after it left alone");
	is(H.version, 1, "version 1");
	ok(!H.local && !strcmp(fmt(&H.src), "203.0.113.7:56324") && !strcmp(fmt(&H.dst), "192.0.2.1:443"),
	   "v1 TCP4 addresses (%s)", fmt(&H.src));
	ok(prefixes_again(l, hl), "every prefix of a v1 line is WS_AGAIN");

	l = "PROXY TCP6 2001:db8::1 2001:db8::2 65535 0\r\n";
	is(parse(l, strlen(l)), strlen(l), "v1 TCP6");
	ok(!strcmp(fmt(&H.src), "[2001:db8::1]:65535") && !strcmp(fmt(&H.dst), "[2001:db8::2]:0"), "v1 TCP6 addresses");
	l = "PROXY TCP6 ::ffff:198.51.100.2 ::1 1 2\r\n";
	is(parse(l, strlen(l)), strlen(l), "v1 TCP6 with a v4-mapped source");
	ok(!strcmp(fmt(&H.src), "198.51.100.2:1"), "it is reported as IPv4");
	l = "PROXY UNKNOWN\r\n";
	is(parse(l, strlen(l)), strlen(l), "v1 UNKNOWN");
	ok(H.local, "UNKNOWN keeps the connection's address");
	l = "PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n";
	is(parse(l, strlen(l)), strlen(l), "v1 UNKNOWN ignores the rest of the line");

	/* The longest valid line: 107 bytes. */
	char big[160];
	snprintf(big, sizeof(big), "PROXY TCP6 %s %s 65535 65535\r\n", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		 "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	is(strlen(big), 104, "a maximal TCP6 line is 104 bytes");
	is(parse(big, strlen(big)), 104, "it parses");
	snprintf(big, sizeof(big), "PROXY UNKNOWN %091d\r\n", 0);
	is(strlen(big), 107, "a 107-byte UNKNOWN line");
	is(parse(big, strlen(big)), 107, "is accepted");
	snprintf(big, sizeof(big), "PROXY UNKNOWN %092d\r\n", 0);
	is(parse(big, strlen(big)), WS_ERR_PROTO, "108 bytes is refused");
	memset(big, 'x', sizeof(big));
	memcpy(big, "PROXY UNKNOWN ", 14);
	is(parse(big, 107), WS_ERR_PROTO, "no CRLF within 107 bytes is refused without waiting for more");
	is(parse(big, 106), WS_AGAIN, "106 bytes without CRLF: more may come");

	static const char *const bad[] = {
		"GET / HTTP/1.1\r\n",
		"proxy TCP4 1.2.3.4 1.2.3.4 1 2\r\n",
		"PROXY  TCP4 1.2.3.4 1.2.3.4 1 2\r\n",
		"PROXY TCP5 1.2.3.4 1.2.3.4 1 2\r\n",
		"PROXY TCP4 1.2.3.4 1.2.3.4 1\r\n",
		"PROXY TCP4 1.2.3.4 1.2.3.4 1 2 3\r\n",
		"PROXY TCP4 1.2.3.4 1.2.3.4 1 2 \r\n",
		"PROXY TCP4 1.2.3.4 1.2.3.4 1 65536\r\n",
		"PROXY TCP4 1.2.3.4 1.2.3.4 1 -1\r\n",
		"PROXY TCP4 1.2.3.4 1.2.3.4 1 +2\r\n",
		"PROXY TCP4 1.2.3 1.2.3.4 1 2\r\n",
		"PROXY TCP4 1.2.3.256 1.2.3.4 1 2\r\n",
		"PROXY TCP4 01.2.3.4 1.2.3.4 1 2\r\n",
		"PROXY TCP4 ::1 ::1 1 2\r\n",
		"PROXY TCP6 1.2.3.4 1.2.3.4 1 2\r\n",
		"PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n",
		"PROXY TCP4 1.2.3.4 1.2.3.4 1 2\n",
		"PROXY TCP4 1.2.3.4 1.2.3.4 1 2\rX\n",
		"PROXY TCP4 1.2.3.4\t1.2.3.4 1 2\r\n",
		"PROXY TCP4 1.2.3.4 1.2.3.4 1 2\x80\r\n",
		"PROXY\r\n",
		"PROXY \r\n",
	};
	int fails = 0;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = parse(bad[i], strlen(bad[i]));
		if (r != WS_ERR_PROTO) {
			diag("accepted or waiting (%d): %s", r, bad[i]);
			fails++;
		}
	}
	is(fails, 0, "%zu malformed v1 lines are refused", sizeof(bad) / sizeof(bad[0]));
	is(parse("G", 1), WS_ERR_PROTO, "one byte of an HTTP request is refused at once");
	is(parse("PROXX", 5), WS_ERR_PROTO, "a wrong signature is refused at its first wrong byte");
	is(parse("", 0), WS_AGAIN, "nothing yet: WS_AGAIN");
}

/* Builds a v2 header: signature, ver/cmd, fam/proto, the block. */
static size_t v2(uint8_t *out, uint8_t vercmd, uint8_t famproto, const uint8_t *block, size_t blen)
{
	static const uint8_t sig[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
	memcpy(out, sig, 12);
	out[12] = vercmd;
	out[13] = famproto;
	out[14] = (uint8_t)(blen >> 8);
	out[15] = (uint8_t)blen;
	if (blen)
		memcpy(out + 16, block, blen);
	return 16 + blen;
}

static void test_v2(void)
{
	uint8_t buf[4200], block[4200];
	/* TCP4 203.0.113.7:56324 -> 192.0.2.1:443, then a TLV (ALPN "h2"). */
	uint8_t b4[] = {203, 0, 113, 7, 192, 0, 2, 1, 0xDC, 0x04, 0x01, 0xBB, 0x01, 0x00, 0x02, 'h', '2'};
	size_t n = v2(buf, 0x21, 0x11, b4, sizeof(b4));
	memcpy(buf + n, "GET / HTTP/1.1\r\n", 16);
	is(parse(buf, n + 16), n, "v2 PROXY TCP4 with a TLV: the header's length");
	is(H.version, 2, "version 2");
	ok(!H.local && !strcmp(fmt(&H.src), "203.0.113.7:56324") && !strcmp(fmt(&H.dst), "192.0.2.1:443"),
	   "v2 TCP4 addresses (%s)", fmt(&H.src));
	ok(prefixes_again(buf, n), "every prefix of a v2 header is WS_AGAIN");
	int byte_ok = 1;
	for (size_t k = 1; k <= n; k++) {
		int r = parse(buf, k);
		if ((k < n && r != WS_AGAIN) || (k == n && r != (int)n))
			byte_ok = 0;
	}
	ok(byte_ok, "fed one byte more at a time, it completes at its last byte");

	uint8_t b6[36];
	memset(b6, 0, sizeof(b6));
	inet_pton(AF_INET6, "2001:db8::7", b6);
	inet_pton(AF_INET6, "::ffff:10.1.2.3", b6 + 16);
	b6[32] = 0x12, b6[33] = 0x34, b6[34] = 0, b6[35] = 80;
	n = v2(buf, 0x21, 0x21, b6, sizeof(b6));
	is(parse(buf, n), n, "v2 PROXY TCP6");
	ok(!strcmp(fmt(&H.src), "[2001:db8::7]:4660") && !strcmp(fmt(&H.dst), "10.1.2.3:80"), "v2 TCP6 addresses");

	n = v2(buf, 0x20, 0x00, NULL, 0);
	is(parse(buf, n), 16, "v2 LOCAL with no block");
	ok(H.local, "LOCAL keeps the connection's address");
	n = v2(buf, 0x20, 0x11, (const uint8_t *)"\x01\x02", 2);
	is(parse(buf, n), n, "v2 LOCAL skips whatever its block holds");
	n = v2(buf, 0x21, 0x00, NULL, 0);
	is(parse(buf, n), 16, "v2 PROXY UNSPEC");
	ok(H.local, "UNSPEC keeps the connection's address");
	memset(block, 0, 216);
	n = v2(buf, 0x21, 0x31, block, 216);
	is(parse(buf, n), n, "v2 PROXY UNIX");
	ok(H.local, "AF_UNIX keeps the connection's address");

	/* The largest block we take, made of TLVs. */
	size_t blen = WS_PROXY_V2_MAX - 16;
	memcpy(block, b4, 12);
	block[12] = 0xE0, block[13] = (uint8_t)((blen - 15) >> 8), block[14] = (uint8_t)(blen - 15);
	memset(block + 15, 'x', blen - 15);
	n = v2(buf, 0x21, 0x11, block, blen);
	is(parse(buf, n), WS_PROXY_V2_MAX, "a header of WS_PROXY_V2_MAX bytes");
	block[13] = (uint8_t)((blen - 14) >> 8), block[14] = (uint8_t)(blen - 14);
	n = v2(buf, 0x21, 0x11, block, blen + 1);
	is(parse(buf, 16), WS_ERR_PROTO, "one byte more is refused as soon as the length is known");

	struct {
		uint8_t vercmd, famproto;
		const uint8_t *block;
		size_t blen;
		const char *why;
	} bad[] = {
		{0x11, 0x11, b4, 12, "version 1 in a v2 header"},
		{0x31, 0x11, b4, 12, "version 3"},
		{0x22, 0x11, b4, 12, "command 2"},
		{0x21, 0x41, b4, 12, "family 4"},
		{0x21, 0x13, b4, 12, "protocol 3"},
		{0x21, 0x12, b4, 12, "UDP over IPv4"},
		{0x21, 0x11, b4, 11, "an IPv4 block of 11 bytes"},
		{0x21, 0x21, b6, 35, "an IPv6 block of 35 bytes"},
		{0x21, 0x31, block, 215, "a UNIX block of 215 bytes"},
		{0x21, 0x11, b4, 13, "a TLV cut in its type"},
		{0x21, 0x11, b4, 15, "a TLV without its value"},
		{0x21, 0x11, b4, 16, "a TLV one byte short"},
	};
	int fails = 0;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = v2(buf, bad[i].vercmd, bad[i].famproto, bad[i].block, bad[i].blen);
		int r = parse(buf, n);
		if (r != WS_ERR_PROTO) {
			diag("%s: %d", bad[i].why, r);
			fails++;
		}
	}
	is(fails, 0, "%zu malformed v2 headers are refused", sizeof(bad) / sizeof(bad[0]));
	n = v2(buf, 0x22, 0x11, b4, 12);
	is(parse(buf, 13), WS_ERR_PROTO, "a bad command is refused at its byte");
	n = v2(buf, 0x21, 0x51, b4, 12);
	is(parse(buf, 14), WS_ERR_PROTO, "a bad family is refused at its byte");
	uint8_t sig_bad[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0B};
	is(parse(sig_bad, 12), WS_ERR_PROTO, "a wrong signature");
	is(parse("\r\n\r\n", 4), WS_AGAIN, "the start of the signature waits");
	is(parse("\r\nGET", 5), WS_ERR_PROTO, "CRLF then something else");
}

static void test_addr(void)
{
	ws_addr_t a;
	static const struct {
		const char *in, *out;
	} good[] = {
		{"1.2.3.4", "1.2.3.4:0"},
		{"1.2.3.4:80", "1.2.3.4:80"},
		{"::1", "[::1]:0"},
		{"[::1]", "[::1]:0"},
		{"[2001:DB8::1]:65535", "[2001:db8::1]:65535"},
		{"::ffff:10.0.0.1", "10.0.0.1:0"},
		{"[::ffff:10.0.0.1]:9", "10.0.0.1:9"},
	};
	int fails = 0;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		size_t n = strlen(good[i].in);
		if (ws_addr_parse((const char *)tap_place(good[i].in, n), n, &a) != 0 || strcmp(fmt(&a), good[i].out)) {
			diag("%s: %s", good[i].in, fmt(&a));
			fails++;
		}
	}
	is(fails, 0, "addresses parse and format");
	static const char *const bad[] = {"",         "1.2.3",    "1.2.3.4:",       "1.2.3.4:65536", "[1.2.3.4]",
					  "[::1]80",  "[::1",     "::1]",           "unknown",       "_hidden",
					  "1.2.3.4 ", "fe80::1%1", "1.2.3.4:80:90", "0x7f.0.0.1",    "1.2.3.4:8a"};
	fails = 0;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = strlen(bad[i]);
		if (ws_addr_parse((const char *)tap_place(bad[i], n), n, &a) == 0) {
			diag("accepted: %s", bad[i]);
			fails++;
		}
	}
	is(fails, 0, "%zu malformed addresses are refused", sizeof(bad) / sizeof(bad[0]));
}

static ws_cidr_t cidr(const char *s)
{
	ws_cidr_t c;
	memset(&c, 0, sizeof(c));
	if (ws_cidr_parse(s, strlen(s), &c) != 0)
		diag("cidr %s refused", s);
	return c;
}

static int in(const ws_cidr_t *list, size_t n, const char *addr)
{
	ws_addr_t a;
	return ws_addr_parse(addr, strlen(addr), &a) == 0 && ws_cidr_match(list, n, &a);
}

static void test_cidr(void)
{
	ws_cidr_t list[] = {cidr("10.0.0.0/8"), cidr("192.168.1.7"), cidr("fd00::/8"), cidr("::1"), cidr("172.16.0.0/12")};
	size_t n = sizeof(list) / sizeof(list[0]);
	ok(in(list, n, "10.255.0.1") && in(list, n, "10.0.0.0"), "inside 10.0.0.0/8");
	ok(!in(list, n, "11.0.0.1") && !in(list, n, "9.255.255.255"), "outside 10.0.0.0/8");
	ok(in(list, n, "192.168.1.7") && !in(list, n, "192.168.1.8"), "a single address");
	ok(in(list, n, "fd12:3456::1") && !in(list, n, "fe00::1"), "an IPv6 block");
	ok(in(list, n, "::1") && !in(list, n, "::2"), "::1");
	ok(in(list, n, "172.31.255.255") && !in(list, n, "172.32.0.0"), "a /12");
	ok(in(list, n, "::ffff:10.1.1.1"), "an IPv4-mapped address matches the IPv4 block");
	ws_cidr_t all[] = {cidr("0.0.0.0/0")};
	ok(in(all, 1, "1.2.3.4") && !in(all, 1, "::1"), "0.0.0.0/0 is every IPv4 address, no IPv6 one");
	ws_cidr_t mapped[] = {cidr("::ffff:10.0.0.0/104")};
	ok(in(mapped, 1, "10.9.9.9") && !in(mapped, 1, "11.0.0.0"), "a v4-mapped block");
	static const char *const bad[] = {"10.0.0.1/8", "10.0.0.0/33", "::1/129", "10.0.0.0/", "/8",     "10.0.0.0/8/8",
					  "10.0.0.0/x", "[::1]",      "1.2.3.4:80", "",      "10.0.0.0/0008", "::ffff:10.0.0.0/95"};
	int fails = 0;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ws_cidr_t c;
		if (ws_cidr_parse(bad[i], strlen(bad[i]), &c) == 0) {
			diag("accepted: %s", bad[i]);
			fails++;
		}
	}
	is(fails, 0, "%zu malformed blocks are refused", sizeof(bad) / sizeof(bad[0]));
}

static ws_request_t req;

static void headers(const char *const *kv)
{
	req.num_headers = 0;
	for (size_t i = 0; kv[2 * i]; i++) {
		ws_header_t *h = &req.headers[req.num_headers++];
		h->name = kv[2 * i];
		h->name_len = strlen(kv[2 * i]);
		h->value = kv[2 * i + 1];
		h->value_len = strlen(kv[2 * i + 1]);
	}
}

static int which = WS_FORWARDED_XFF;

static const char *client(const ws_cidr_t *t, size_t n)
{
	ws_addr_t a;
	return ws_proxy_forwarded(&req, which, t, n, &a) ? fmt(&a) : "none";
}

static void test_forwarded(void)
{
	ws_cidr_t t[] = {cidr("10.0.0.0/8"), cidr("::1")};
	size_t n = 2;
	headers((const char *const[]){"X-Forwarded-For", "203.0.113.7", NULL});
	ok(!strcmp(client(t, n), "203.0.113.7:0"), "X-Forwarded-For with one address");
	headers((const char *const[]){"X-Forwarded-For", "198.51.100.1, 203.0.113.7, 10.0.0.2", NULL});
	ok(!strcmp(client(t, n), "203.0.113.7:0"), "the rightmost address that is not a trusted proxy (%s)",
	   client(t, n));
	headers((const char *const[]){"x-forwarded-for", "198.51.100.1", "X-Forwarded-For", "10.0.0.3 , 10.0.0.2", NULL});
	ok(!strcmp(client(t, n), "198.51.100.1:0"), "two lines are one list, the last line on the right");
	headers((const char *const[]){"X-Forwarded-For", "10.0.0.9, 10.0.0.2", NULL});
	ok(!strcmp(client(t, n), "10.0.0.9:0"), "all trusted: the leftmost");
	headers((const char *const[]){"X-Forwarded-For", "[2001:db8::5]:4711, ::1", NULL});
	ok(!strcmp(client(t, n), "[2001:db8::5]:4711"), "bracketed IPv6 with a port");
	headers((const char *const[]){"X-Forwarded-For", "1.2.3.4, evil, 10.0.0.1", "X-Real-IP", "192.0.2.9", NULL});
	ok(!strcmp(client(t, n), "none"), "garbage where the search ends: none, X-Real-IP not consulted (%s)",
	   client(t, n));
	headers((const char *const[]){"X-Forwarded-For", "", "Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43",
				      NULL});
	ok(!strcmp(client(t, n), "none"), "an empty X-Forwarded-For: none, Forwarded not consulted");
	headers((const char *const[]){"X-Real-IP", "192.0.2.9", NULL});
	ok(!strcmp(client(t, n), "none"), "X-Forwarded-For trusted: X-Real-IP alone is ignored");
	which = WS_FORWARDED_FORWARDED;
	ok(!strcmp(client(t, n), "none"), "Forwarded trusted: X-Real-IP alone is ignored");
	headers((const char *const[]){"X-Forwarded-For", "6.6.6.6", "Forwarded", "for=192.0.2.60;proto=http", NULL});
	ok(!strcmp(client(t, n), "192.0.2.60:0"), "Forwarded trusted: a client-sent X-Forwarded-For is ignored (%s)",
	   client(t, n));
	headers((const char *const[]){"Forwarded", "for=192.0.2.43, for=\"[2001:db8:cafe::17]:4711\"", NULL});
	ok(!strcmp(client(t, n), "[2001:db8:cafe::17]:4711"), "Forwarded, quoted IPv6 with a port (%s)", client(t, n));
	headers((const char *const[]){"Forwarded", "For=\"198.51.100.17:80\";Proto=https, by=10.0.0.1;for=10.0.0.1",
				      NULL});
	ok(!strcmp(client(t, n), "198.51.100.17:80"), "Forwarded: case-insensitive name, trusted hop skipped");
	headers((const char *const[]){"Forwarded", "for=unknown", "X-Real-IP", " 192.0.2.1 ", NULL});
	ok(!strcmp(client(t, n), "none"), "Forwarded for=unknown: none, X-Real-IP not consulted");
	headers((const char *const[]){"Forwarded", "for=_hidden", NULL});
	ok(!strcmp(client(t, n), "none"), "an obfuscated identifier: none");
	which = WS_FORWARDED_REAL_IP;
	headers((const char *const[]){"X-Forwarded-For", "6.6.6.6", "Forwarded", "for=7.7.7.7", "X-Real-IP", " 192.0.2.1 ",
				      NULL});
	ok(!strcmp(client(t, n), "192.0.2.1:0"), "X-Real-IP trusted: the client-sent others are ignored (%s)",
	   client(t, n));
	headers((const char *const[]){"X-Forwarded-For", "6.6.6.6", NULL});
	ok(!strcmp(client(t, n), "none"), "X-Real-IP trusted: X-Forwarded-For alone is ignored");
	headers((const char *const[]){"X-Real-IP", "1.2.3.4, 5.6.7.8", NULL});
	ok(!strcmp(client(t, n), "none"), "X-Real-IP must be one address");
	headers((const char *const[]){"Host", "x", NULL});
	ok(!strcmp(client(t, n), "none"), "no forwarding header");
	which = WS_FORWARDED_XFF;
	headers((const char *const[]){"X-Forwarded-For", ",,, ,", NULL});
	ok(!strcmp(client(t, n), "none"), "only commas");
}

int main(void)
{
	test_v1();
	test_v2();
	test_addr();
	test_cidr();
	test_forwarded();
	return done_testing();
}
