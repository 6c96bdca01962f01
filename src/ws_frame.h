/* RFC 6455 framing, server side.
 *
 * Encoding: ws_frame_header() writes the header of an unmasked server frame.
 * Decoding: ws_rx_t is a resumable state machine. It takes the bytes a read
 * returned, whatever the split, unmasks payload in place, validates UTF-8 of
 * text messages as bytes arrive, assembles fragmented messages and hands out
 * whole messages and control frames. It keeps no input buffer: every byte fed
 * is consumed (header bytes into a 14-byte array, payload into the message
 * being assembled, or handed out in place when a whole unfragmented frame
 * is in the input).
 */
#ifndef SALON_WS_FRAME_H
#define SALON_WS_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include "ws_utf8.h"

#define WS_FRAME_MAX_HEADER 14 /* 2 + 8 (length) + 4 (mask) */

/* Writes the header of a server frame (never masked) into out (>= 10
 * bytes). Returns its size: 2, 4 or 10. */
size_t ws_frame_header(uint8_t *out, int fin, int rsv1, int opcode, uint64_t payload_len);

/* Encodes a close frame payload (code + reason, reason <= 123 bytes) into
 * out (>= 125 bytes). Returns its size. */
size_t ws_frame_close_payload(uint8_t *out, uint16_t code, const char *reason, size_t reason_len);

/* 1 if code may appear in a close frame on the wire (1000-1003, 1007-1011,
 * 3000-4999), 0 otherwise. */
int ws_close_code_valid(uint16_t code);

/* XORs n bytes with the 4-byte key starting at key offset *pos, updates *pos. */
void ws_mask(uint8_t *p, size_t n, const uint8_t key[4], uint8_t *pos);

typedef struct ws_rx_handler {
	/* A whole data message (opcode WS_OP_TEXT or WS_OP_BINARY). data is
	 * writable and borrowed for the call. Return 0 to go on, non-zero to
	 * stop feeding (ws_rx_feed returns at once with *consumed set just past
	 * the frame that completed the message). */
	int (*on_message)(void *ud, int opcode, uint8_t *data, size_t len);
	/* A whole control frame: WS_OP_PING, WS_OP_PONG or WS_OP_CLOSE. For a
	 * close frame the payload has already been validated (empty, or a
	 * valid code followed by a UTF-8 reason). Same return contract. */
	int (*on_control)(void *ud, int opcode, uint8_t *data, size_t len);
} ws_rx_handler_t;

typedef struct ws_rx {
	/* limits */
	size_t max_message_size; /* payload bytes of a message, all fragments;
				  * a compressed one (RSV1) may carry 1/16 +
				  * 64 bytes more: DEFLATE's overhead */
	uint32_t max_fragments;  /* frames of one data message */
	uint8_t allow_rsv1;      /* an extension that uses RSV1 was negotiated */

	/* frame header being read */
	uint8_t hdr[WS_FRAME_MAX_HEADER];
	uint8_t hdr_len;  /* bytes of hdr received */
	uint8_t hdr_need; /* bytes of hdr needed (2 until the 2nd byte is seen) */
	uint8_t in_payload; /* header done, reading payload */

	/* current frame */
	uint8_t fin, rsv, opcode;
	uint8_t mask[4];
	uint8_t mask_pos;
	uint64_t remaining; /* payload bytes still to come */

	/* data message being assembled */
	uint8_t msg_opcode; /* 0: none; WS_OP_TEXT/BINARY while one is open */
	uint32_t fragments;
	ws_utf8_t utf8;
	uint8_t *msg; /* ws_malloc'd; NULL when no message needs assembling */
	size_t msg_len, msg_cap;

	/* control frame being assembled */
	uint8_t ctl_len;
	uint8_t ctl[125];

	const char *error; /* static text for the close reason, after a failure */

	/* added by ws_frame.c */
	int fail_code;    /* 0, or what ws_rx_feed returned when it failed (sticky) */
	uint8_t msg_rsv1; /* the open message's first frame had RSV1 (compressed);
			   * valid inside on_message. UTF-8 is not checked on
			   * such messages: the inflater must do it. */
	uint8_t input_slack; /* set by the caller after ws_rx_init(): data[len]
			      * of every ws_rx_feed() is writable. Then every
			      * message is followed by a NUL inside on_message,
			      * also one handed out in place (the byte after it
			      * is saved and restored around the call). Without
			      * it only assembled messages are NUL-terminated. */
} ws_rx_t;

/* max_fragments == 0 picks max(1024, max_message_size / 64). */
void ws_rx_init(ws_rx_t *rx, size_t max_message_size, uint32_t max_fragments);
/* Frees the assembly buffer. The rx can be reused after ws_rx_init(). */
void ws_rx_deinit(ws_rx_t *rx);

/* Feeds len bytes (unmasked in place). Returns:
 *   0    - all bytes consumed, or a handler asked to stop (*consumed says
 *          how far it got);
 *   1002, 1007, 1009 - the close code to fail the connection with
 *          (rx->error holds a short reason such as "invalid UTF-8"); the
 *          rx is then in a failed state and must not be fed again.
 *   WS_ERR_NOMEM (negative) - allocation failed.
 * Checks (RFC 6455 §5): client frames must be masked; RSV bits must be 0
 * (RSV1 allowed on the first frame of a data message when allow_rsv1);
 * unknown opcodes; control frames must have FIN and <= 125 bytes; a
 * continuation needs an open message and a new data frame must not start
 * inside one; a 64-bit length with the top bit set; text must be valid
 * UTF-8 (checked as bytes arrive; at the end of the message it must end on
 * a code point boundary); a message (all fragments) over max_message_size
 * fails with 1009 as soon as a header claims it, without allocating it;
 * more than max_fragments frames in one message fail with 1009. Close
 * payload of 1 byte, an invalid code: 1002; a reason that is not UTF-8:
 * 1007. */
int ws_rx_feed(ws_rx_t *rx, uint8_t *data, size_t len, const ws_rx_handler_t *h, void *ud, size_t *consumed);

/* Reading a long payload straight into the message being assembled, which
 * saves copying it from a read buffer: while the rx is inside the payload
 * of a data frame with at least min bytes to come, ws_rx_direct() returns
 * where the next payload bytes belong and how many may be written there
 * (*n >= 1; the assembly buffer grows geometrically, as with ws_rx_feed);
 * otherwise NULL (also when memory runs out: ws_rx_feed then reports it).
 * After writing n bytes there, ws_rx_feed_direct() takes them as
 * ws_rx_feed() would (unmasked, UTF-8 checked, the message delivered when
 * they complete it) and returns as ws_rx_feed() does. */
uint8_t *ws_rx_direct(ws_rx_t *rx, size_t min, size_t *n);
int ws_rx_feed_direct(ws_rx_t *rx, size_t n, const ws_rx_handler_t *h, void *ud);

/* 1 while a fragmented message is open or a frame is partially received. */
int ws_rx_busy(const ws_rx_t *rx);

#endif
