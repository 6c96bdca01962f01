/* permessage-deflate (RFC 7692) with zlib: the negotiation of
 * Sec-WebSocket-Extensions and the compression of whole messages.
 *
 * Negotiation (RFC 7692 §5, §7.1) is a pure function over the request's
 * header values. It never fails the handshake: an offer that is malformed,
 * has an unknown, duplicate or invalid parameter, or asks for what the
 * configuration cannot give is declined and the next offer is tried.
 *
 * Streams. A ws_deflate_t (one per server) holds what connections share:
 * one compressor per window size for messages compressed on their own
 * (server_no_context_takeover, and broadcasts), one decompressor for
 * clients that use no context takeover, and the buffer a frame is built
 * in. A ws_deflate_conn_t (one per connection, a few bytes) holds the
 * agreed parameters and, only while context takeover needs them, the
 * connection's own streams, allocated when first used:
 *   - its compressor (server context takeover; about 2^(w+2) +
 *     2^(memLevel+9) bytes: 256 KiB with the defaults) after the first
 *     message it compressed; it may be dropped at any time (the next
 *     message then starts from an empty window, which a peer always
 *     decodes), and is dropped when the connection goes idle;
 *   - its decompressor (client context takeover; about 7 KiB + 2^w bytes:
 *     39 KiB with a 15-bit window) after the first compressed message it
 *     received; it must live as long as the connection.
 * With both no-context-takeover parameters a compressed connection costs
 * no zlib memory of its own.
 *
 * zlib's memory comes from ws_malloc()/ws_free().
 */
#ifndef SALON_WS_DEFLATE_H
#define SALON_WS_DEFLATE_H

#include <stddef.h>
#include <stdint.h>
#include "ws.h"

/* What one connection agreed to (RFC 7692 §7.1). */
typedef struct ws_deflate_params {
	uint8_t server_no_context_takeover; /* we compress every message on its own */
	uint8_t client_no_context_takeover; /* the client does (we keep no decompressor) */
	uint8_t server_max_window_bits;     /* 8-15: our window; 8 is sent as distance-1 matches only */
	uint8_t client_max_window_bits;     /* 8-15: the client's window (15 when it named none) */
	uint8_t answer_server_bits;         /* name server_max_window_bits in the response */
	uint8_t answer_client_bits;         /* name client_max_window_bits in the response */
} ws_deflate_params_t;

/* "Sec-WebSocket-Extensions: permessage-deflate; ...\r\n" fits in this. */
#define WS_DEFLATE_MAX_RESPONSE 160

/* Checks a configuration: 0, or WS_ERR_INVAL with a message such as
 * "compression: level must be between 0 and 9" in errbuf (may be NULL). */
int ws_deflate_check_config(const ws_compression_t *cfg, char *errbuf, size_t errlen);

/* Looks at the offers of one Sec-WebSocket-Extensions value (a comma list
 * of extensions with ;-separated parameters, RFC 6455 §9.1) and accepts the
 * first acceptable permessage-deflate offer: returns 1 and fills *out, or 0
 * when there is none (other extensions are skipped). Extension and
 * parameter names are compared case-insensitively; parameter values may be
 * tokens or quoted strings. Declined: unknown parameters, a parameter
 * named twice, *_no_context_takeover with a value, window bits that are
 * not 8-15 written without leading zeros, server_max_window_bits without a
 * value, and (when cfg->client_max_window_bits < 15) offers without
 * client_max_window_bits. cfg must have passed ws_deflate_check_config(). */
int ws_deflate_negotiate_value(const ws_compression_t *cfg, const char *value, size_t len, ws_deflate_params_t *out);

/* The same over every Sec-WebSocket-Extensions header of a request, in
 * order (several header lines form one list). 0 when cfg->enabled is 0. */
int ws_deflate_negotiate(const ws_compression_t *cfg, const ws_request_t *req, ws_deflate_params_t *out);

/* Writes the response header line for p (with its CRLF) into out, NUL-
 * terminated; returns its length, or 0 if cap is too small
 * (WS_DEFLATE_MAX_RESPONSE always suffices). */
size_t ws_deflate_response(const ws_deflate_params_t *p, char *out, size_t cap);

/* ------------------------------------------------------------------ */

typedef struct ws_deflate ws_deflate_t;

typedef struct ws_deflate_conn {
	ws_deflate_params_t p;
	uint8_t enabled;   /* negotiated on this connection */
	uint8_t def_stale; /* the peer's window holds bytes def never saw (a
			    * shared frame went out): reset def before use */
	struct z_stream_s *def; /* own compressor, or NULL */
	struct z_stream_s *inf; /* own decompressor, or NULL */
} ws_deflate_conn_t;

/* Creates the shared state for cfg (checked with ws_deflate_check_config).
 * Allocates no zlib stream yet. Returns 0, WS_ERR_INVAL or WS_ERR_NOMEM. */
int ws_deflate_new(ws_deflate_t **out, const ws_compression_t *cfg);
void ws_deflate_free(ws_deflate_t *d);

/* Sets c up for the agreed parameters p (p NULL: not negotiated). */
void ws_deflate_conn_init(ws_deflate_conn_t *c, const ws_deflate_params_t *p);
/* Frees c's streams; c can be initialised again. */
void ws_deflate_conn_deinit(ws_deflate_conn_t *c);
/* The connection went idle: drops its compressor (allowed at any time,
 * RFC 7692 §7.1.1.1 lets a sender stop using the previous window). */
void ws_deflate_conn_idle(ws_deflate_conn_t *c);

/* Encodes a whole text or binary message for c as one frame. Returns 1
 * with *frame / *frame_len set to a compressed frame (RSV1 set, trailing
 * 00 00 ff ff removed: RFC 7692 §7.2.1) that stays valid until the next
 * call on d; 0 when the message should go out uncompressed (compression not
 * negotiated on c, shorter than the threshold, or not smaller compressed);
 * WS_ERR_NOMEM. When a caller drops a returned frame instead of sending it,
 * it must call ws_deflate_conn_discard() so that c's compressor restarts. */
int ws_deflate_frame(ws_deflate_t *d, ws_deflate_conn_t *c, int opcode, const uint8_t *data, size_t len,
		     const uint8_t **frame, size_t *frame_len);
void ws_deflate_conn_discard(ws_deflate_conn_t *c);

/* Broadcast: between begin and end, ws_deflate_broadcast_frame() encodes
 * the message once per distinct window size among the recipients (from an
 * empty window, so that any peer can decode it), and hands the same bytes
 * to every recipient with that window. Same returns as ws_deflate_frame();
 * frames stay valid until ws_deflate_broadcast_end(). A recipient that
 * keeps its own compressor has it restarted before its next own message,
 * since its peer's window now holds bytes that compressor never saw. The
 * arguments after c must be the same for every call of one broadcast. */
void ws_deflate_broadcast_begin(ws_deflate_t *d);
int ws_deflate_broadcast_frame(ws_deflate_t *d, ws_deflate_conn_t *c, int opcode, const uint8_t *data, size_t len,
			       const uint8_t **frame, size_t *frame_len);
void ws_deflate_broadcast_end(ws_deflate_t *d);

/* Frees d's frame buffer if it grew large (call after copying a frame). */
void ws_deflate_frame_done(ws_deflate_t *d);

/* Inflates the payload of a whole compressed message received on c
 * (RFC 7692 §7.2.2: the payload followed by 00 00 ff ff). The output may
 * not exceed max bytes: inflation stops as soon as it would, so a small
 * message that inflates to gigabytes costs at most max + 2 bytes. Text
 * (text != 0) is checked as UTF-8 while it is inflated, and inflation stops
 * at the first invalid byte.
 * Returns 0 with *out (ws_malloc'd, NUL-terminated, the caller frees it)
 * and *out_len; 1009 (WS_CLOSE_TOO_BIG) over max; 1007 (WS_CLOSE_BAD_DATA)
 * for data that is not valid DEFLATE or text that is not UTF-8; or
 * WS_ERR_NOMEM. On a close code *why gets a short static reason. */
int ws_deflate_inflate(ws_deflate_t *d, ws_deflate_conn_t *c, const uint8_t *in, size_t len, int text, size_t max,
		       uint8_t **out, size_t *out_len, const char **why);

#endif
