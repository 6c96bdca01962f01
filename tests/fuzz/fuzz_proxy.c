/* libFuzzer target for src/ws_proxy.c: the PROXY protocol parser (whole,
 * on every prefix it accepts, and after a resumed prefix), and the
 * address, CIDR and forwarding-header parsers on the same bytes. Inputs
 * are exact-size heap copies so ASan sees any read past the given length.
 *
 * Properties checked: the result is a length within the input, WS_AGAIN
 * or WS_ERR_PROTO; a header the parser accepted is accepted with the same
 * length with any bytes after it; every strict prefix of an accepted header
 * is WS_AGAIN; an accepted header is bounded (v1 107 bytes, v2
 * WS_PROXY_V2_MAX); a formatted address parses back to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ws.h"
#include "ws_proxy.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static void check_addr_roundtrip(const ws_addr_t *a)
{
	char buf[64];
	ws_addr_t b;
	int n = ws_addr_format(a, buf, sizeof(buf));
	CHECK(n > 0 && (size_t)n < 49 && strlen(buf) == (size_t)n);
	CHECK(ws_addr_parse(buf, (size_t)n, &b) == 0);
	CHECK(b.family == a->family && b.port == a->port && memcmp(a->ip, b.ip, 16) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	ws_proxy_hdr_t h, h2;
	if (!buf)
		return 0;
	memcpy(buf, data, size);

	int r = ws_proxy_parse(buf, size, &h);
	CHECK(r == WS_AGAIN || r == WS_ERR_PROTO || (r > 0 && (size_t)r <= size));
	if (r > 0) {
		CHECK(h.version == 1 || h.version == 2);
		CHECK(h.version == 1 ? r <= WS_PROXY_V1_MAX : r <= WS_PROXY_V2_MAX);
		if (!h.local) {
			CHECK(h.src.family == 4 || h.src.family == 6);
			check_addr_roundtrip(&h.src);
			check_addr_roundtrip(&h.dst);
		}
		/* Only its own bytes decide: exactly r bytes parse the same. */
		uint8_t *exact = malloc((size_t)r);
		memcpy(exact, buf, (size_t)r);
		CHECK(ws_proxy_parse(exact, (size_t)r, &h2) == r);
		CHECK(h2.version == h.version && h2.local == h.local);
		/* A few prefixes (all of them is quadratic): each says "more". */
		for (size_t k = 0; k < (size_t)r; k += 1 + (size_t)r / 16)
			CHECK(ws_proxy_parse(exact, k, &h2) == WS_AGAIN);
		free(exact);
	} else if (r == WS_AGAIN) {
		CHECK(size < WS_PROXY_V2_MAX);
	}

	/* The same bytes as an address, a block, a forwarding header. */
	ws_addr_t a;
	if (ws_addr_parse((const char *)buf, size, &a) == 0)
		check_addr_roundtrip(&a);
	ws_cidr_t c;
	if (ws_cidr_parse((const char *)buf, size, &c) == 0) {
		CHECK(c.bits <= (c.addr.family == 4 ? 32 : 128));
		CHECK(ws_cidr_match(&c, 1, &c.addr));
	}
	ws_request_t req;
	static const char *const names[] = {"X-Forwarded-For", "Forwarded", "X-Real-IP"};
	memset(&req, 0, sizeof(req));
	req.num_headers = 1;
	req.headers[0].name = names[size % 3];
	req.headers[0].name_len = strlen(names[size % 3]);
	req.headers[0].value = (const char *)buf;
	req.headers[0].value_len = size;
	ws_cidr_t trusted[2];
	ws_cidr_parse("10.0.0.0/8", 10, &trusted[0]);
	ws_cidr_parse("::1", 3, &trusted[1]);
	/* The header names index WS_FORWARDED_* in order; which one is trusted
	 * varies too, and a header that is not the trusted one never yields an
	 * address. */
	int which = (int)((size / 3) % 3);
	int fr = ws_proxy_forwarded(&req, which, trusted, 2, &a);
	if (fr == 1)
		check_addr_roundtrip(&a);
	CHECK(fr != 1 || which == (int)(size % 3));
	free(buf);
	return 0;
}
