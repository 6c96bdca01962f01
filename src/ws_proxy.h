/* The client's real address behind proxies and load balancers:
 *
 *  - HAProxy's PROXY protocol, version 1 (text) and 2 (binary), a header
 *    the proxy sends before anything else on the connection
 *    (https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt);
 *  - IP addresses and CIDR blocks, to say which peers are trusted proxies;
 *  - the forwarding headers such a proxy adds to the HTTP request:
 *    X-Forwarded-For, Forwarded (RFC 7239) and X-Real-IP.
 *
 * Pure functions over caller-owned buffers: bounded, no allocation, no
 * system calls. Addresses are parsed with inet_pton(), so only the
 * canonical forms are accepted (dotted quads of four decimal numbers, RFC
 * 4291 IPv6 text; no zone ids).
 */
#ifndef SALON_WS_PROXY_H
#define SALON_WS_PROXY_H

#include <stddef.h>
#include <stdint.h>
#include "ws.h"

typedef struct ws_addr {
	uint8_t family;   /* 4 or 6 */
	uint8_t has_port; /* 0: port unknown (reported as 0) */
	uint16_t port;
	uint8_t ip[16]; /* network order; IPv4 in the first 4 bytes */
} ws_addr_t;

typedef struct ws_cidr {
	ws_addr_t addr; /* bits past the prefix are zero */
	uint8_t bits;   /* 0-32 or 0-128 */
} ws_cidr_t;

/* Parses "1.2.3.4", "1.2.3.4:80", "::1", "[::1]" or "[::1]:80". An
 * IPv4-mapped IPv6 address (::ffff:1.2.3.4) becomes the IPv4 address.
 * Returns 0, or WS_ERR_INVAL. */
int ws_addr_parse(const char *s, size_t len, ws_addr_t *out);

/* Writes "ip:port" or "[v6]:port" (port 0 when unknown) and a NUL; at most
 * 48 bytes. Returns the length, or WS_ERR_TOOBIG when cap is too small. */
int ws_addr_format(const ws_addr_t *a, char *out, size_t cap);

/* Parses an address ("10.0.0.1", "::1") or a block ("10.0.0.0/8",
 * "fd00::/8"); the bits past the prefix must be zero. Returns 0, or
 * WS_ERR_INVAL. */
int ws_cidr_parse(const char *s, size_t len, ws_cidr_t *out);

/* 1 when a is inside one of the n blocks. */
int ws_cidr_match(const ws_cidr_t *list, size_t n, const ws_addr_t *a);

/* ---- PROXY protocol ---- */

#define WS_PROXY_V1_MAX 107         /* the whole line, CRLF included (spec §2.1) */
#define WS_PROXY_V2_MAX (16 + 2048) /* our bound on a v2 header, TLVs included */

typedef struct ws_proxy_hdr {
	int version; /* 1 or 2 */
	/* 1: use the connection's own addresses (v2 LOCAL, v1 UNKNOWN, v2
	 * UNSPEC or AF_UNIX); then src and dst are not set. */
	int local;
	ws_addr_t src, dst;
} ws_proxy_hdr_t;

/* Parses a PROXY header at the start of buf[0..len), which may hold only
 * its beginning, or more bytes after it (the HTTP request). Returns the
 * header's length (> 0) with *out filled, WS_AGAIN when the bytes so far
 * are a valid beginning, or WS_ERR_PROTO as soon as they cannot be one: no
 * signature, a malformed line or block, an address or port out of range, a
 * v1 line over 107 bytes, a v2 header over WS_PROXY_V2_MAX, TLVs that do
 * not add up. */
int ws_proxy_parse(const uint8_t *buf, size_t len, ws_proxy_hdr_t *out);

/* ---- forwarding headers ---- */

/* For a request that came from a trusted proxy: the client's address from
 * the one header `which` names (WS_FORWARDED_*, ws.h), the others ignored.
 * X-Forwarded-For (all its lines, as one list) is taken from the right: the
 * first address that is not itself one of the n trusted blocks, or the
 * leftmost if all are; Forwarded's "for=" parameters by the same rule;
 * X-Real-IP is one address. A value that is not an address (garbage,
 * "unknown", an obfuscated "_name") where the search ends makes the header
 * count as absent. Returns 1 with *out set, or 0. */
int ws_proxy_forwarded(const ws_request_t *req, int which, const ws_cidr_t *trusted, size_t n, ws_addr_t *out);

#endif
