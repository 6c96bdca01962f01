/* HTTP/1.1 request head parsing and the WebSocket upgrade checks
 * (RFC 6455 §4.2.1), plus small response helpers. Pure functions over
 * caller-owned buffers. */
#ifndef SALON_WS_HTTP_H
#define SALON_WS_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include "ws.h"

#define WS_HTTP_MAX_HEAD 8192

/* Parses a request head from buf[0..len). last_len is how many of those
 * bytes an earlier call already saw (0 the first time) so that a head
 * arriving a byte at a time is not rescanned from the start.
 * Returns the head's length (through the blank line) when complete and
 * well-formed, WS_AGAIN when more bytes are needed, or WS_ERR_PROTO when it
 * is malformed (bad request line, bad header line, NUL or bare CR, more
 * than WS_MAX_HEADERS headers). On success req's pointers point into buf.
 * Accepts CRLF and bare LF line ends. */
int ws_http_parse_request(const char *buf, size_t len, size_t last_len, ws_request_t *req);

/* Case-insensitive lookup; first match or NULL. */
const ws_header_t *ws_http_header(const ws_request_t *req, const char *name);

/* 1 if the comma-separated list value contains token (case-insensitive,
 * optional whitespace around items), 0 otherwise. */
int ws_http_has_token(const char *value, size_t len, const char *token);

#define WS_HTTP_PLAIN 1 /* not an upgrade request: a plain HTTP request */

/* Checks an upgrade request. Returns 0 if it is a valid WebSocket upgrade
 * (then *key / *key_len point at the Sec-WebSocket-Key value, trimmed),
 * WS_HTTP_PLAIN when there is no "Upgrade: websocket" at all (and the
 * request is otherwise well-formed HTTP/1.x), or the HTTP status to reject
 * with: 400 (not GET with Upgrade, not HTTP/1.1, no Host, Connection
 * without the "upgrade" token, missing key or a key that does not
 * base64-decode to 16 bytes), 426 (Sec-WebSocket-Version other than 13;
 * answer with "Sec-WebSocket-Version: 13"). */
int ws_http_check_upgrade(const ws_request_t *req, const char **key, size_t *key_len);

/* Writes base64(SHA-1(key + GUID)) into out: 28 chars and a NUL.
 * Returns 0, or WS_ERR_INVAL. Uses OpenSSL. */
int ws_http_accept_key(const char *key, size_t key_len, char out[29]);

/* "Bad Request" for 400, etc.; "Unknown" for others. */
const char *ws_http_status_text(int status);

/* Percent-decodes a request path into out (NUL-terminated) and checks it is
 * safe to join to a document root: it must start with '/', decode to no NUL
 * or backslash, and contain no "." or ".." segment (after decoding, so
 * %2e%2e is caught). Repeated slashes are collapsed. Returns the decoded
 * length, or WS_ERR_INVAL (unsafe or malformed) / WS_ERR_TOOBIG (out too
 * small). */
int ws_http_decode_path(const char *path, size_t len, char *out, size_t cap);

/* 1 if a path decoded by ws_http_decode_path() has a segment starting
 * with '.' (".env", "/.git/config", "/a/.hidden"): dotfiles are not served
 * unless the server is told to. A leading "/.well-known" segment
 * (RFC 8615: ACME challenges, security.txt) does not count; hidden names
 * under it do. 0 otherwise. */
int ws_http_hidden_segment(const char *path, size_t len);

/* Writes path[0..len) into out percent-encoded for a Location header:
 * unreserved characters, sub-delims, ':', '@' and '/' (RFC 3986 pchar) are
 * kept, every other byte (controls, space, '%', '?', '#', bytes >= 0x80)
 * becomes %XX. keep_pct keeps '%' as is (for a query that is still
 * encoded) and then also keeps '?'. Returns the length written (out is
 * not NUL-terminated), or WS_ERR_TOOBIG when out is too small: 3 * len
 * always suffices. */
int ws_http_encode_location(const char *path, size_t len, int keep_pct, char *out, size_t cap);

/* Content-Type for a file name by extension; "application/octet-stream"
 * when unknown. */
const char *ws_http_mime_type(const char *name);

#endif
