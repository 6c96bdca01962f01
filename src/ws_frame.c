/* RFC 6455 framing, server side: header encoding, masking, and the
 * resumable receiver described in ws_frame.h.
 *
 * The receiver keeps no input buffer. Header bytes are collected in rx->hdr,
 * control payloads in rx->ctl, data payloads either handed out in place
 * (a whole unfragmented frame in one input) or appended to rx->msg, which
 * is freed as soon as its message has been delivered so that an idle
 * connection holds no heap memory.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "ws.h"
#include "ws_frame.h"

size_t ws_frame_header(uint8_t *out, int fin, int rsv1, int opcode, uint64_t payload_len)
{
	/* RFC 6455 §5.2: FIN, RSV1-3, opcode; then MASK (0 for a server) and
	 * the payload length in the minimal of 7, 7+16 or 7+64 bits. */
	out[0] = (uint8_t)((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (opcode & 0x0F));
	if (payload_len < 126) {
		out[1] = (uint8_t)payload_len;
		return 2;
	}
	if (payload_len <= 0xFFFF) {
		out[1] = 126;
		out[2] = (uint8_t)(payload_len >> 8);
		out[3] = (uint8_t)payload_len;
		return 4;
	}
	out[1] = 127;
	for (int i = 0; i < 8; i++)
		out[2 + i] = (uint8_t)(payload_len >> (56 - 8 * i));
	return 10;
}

size_t ws_frame_close_payload(uint8_t *out, uint16_t code, const char *reason, size_t reason_len)
{
	/* RFC 6455 §5.5: control payloads are at most 125 bytes, so the
	 * reason gets 123. If a caller passes more, cut it back to a code
	 * point boundary so the peer does not see invalid UTF-8 (§5.5.1). */
	if (!reason)
		reason_len = 0;
	if (reason_len > 123) {
		reason_len = 123;
		while (reason_len > 0 && ((uint8_t)reason[reason_len] & 0xC0) == 0x80)
			reason_len--;
	}
	out[0] = (uint8_t)(code >> 8);
	out[1] = (uint8_t)code;
	if (reason_len)
		memcpy(out + 2, reason, reason_len);
	return 2 + reason_len;
}

int ws_close_code_valid(uint16_t code)
{
	/* RFC 6455 §7.4.1/§7.4.2: 1004 is reserved, 1005, 1006 and 1015 must
	 * never be sent; 3000-3999 are registered, 4000-4999 private use. */
	return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011) ||
		(code >= 3000 && code <= 4999);
}

void ws_mask(uint8_t *p, size_t n, const uint8_t key[4], uint8_t *pos)
{
	unsigned k = *pos & 3;
	size_t i = 0;

	/* RFC 6455 §5.3: octet i is XORed with key[i mod 4]. Whole words at a
	 * time with the key rotated to the current offset: 32 and 16 bytes
	 * with SSE2 (every x86-64 has it), then 8 bytes; all multiples of 4,
	 * so the offset is the same after every word. Unaligned loads and
	 * stores (memcpy for the 8-byte words) keep this independent of the
	 * buffer's alignment and of endianness. */
	if (n >= 16) {
		uint8_t rk[16];
		uint64_t m;

		for (unsigned j = 0; j < 16; j++)
			rk[j] = key[(k + j) & 3];
#ifdef __SSE2__
		{
			__m128i mv = _mm_loadu_si128((const __m128i *)(const void *)rk);

			for (; n - i >= 32; i += 32) {
				__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
				__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 16));
				_mm_storeu_si128((__m128i *)(void *)(p + i), _mm_xor_si128(a, mv));
				_mm_storeu_si128((__m128i *)(void *)(p + i + 16), _mm_xor_si128(b, mv));
			}
			if (n - i >= 16) {
				__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
				_mm_storeu_si128((__m128i *)(void *)(p + i), _mm_xor_si128(a, mv));
				i += 16;
			}
		}
#endif
		memcpy(&m, rk, 8);
		for (; n - i >= 8; i += 8) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			w ^= m;
			memcpy(p + i, &w, 8);
		}
	}
	for (; i < n; i++) {
		p[i] ^= key[k];
		k = (k + 1) & 3;
	}
	*pos = (uint8_t)k;
}

/* ------------------------------------------------------------------ */

/* Handed out for empty messages, so that data is never a pointer one past
 * the caller's input, and data[0] is a readable NUL. Never written here,
 * so servers on several threads may share it. */
static uint8_t ws__empty[1];

void ws_rx_init(ws_rx_t *rx, size_t max_message_size, uint32_t max_fragments)
{
	memset(rx, 0, sizeof(*rx));
	rx->max_message_size = max_message_size;
	if (max_fragments == 0) {
		size_t d = max_message_size / 64;
		if (d > UINT32_MAX)
			d = UINT32_MAX;
		max_fragments = d > 1024 ? (uint32_t)d : 1024;
	}
	rx->max_fragments = max_fragments;
	rx->hdr_need = 2;
	ws_utf8_init(&rx->utf8);
}

void ws_rx_deinit(ws_rx_t *rx)
{
	ws_free(rx->msg);
	rx->msg = NULL;
	rx->msg_len = 0;
	rx->msg_cap = 0;
	rx->msg_opcode = 0;
}

int ws_rx_busy(const ws_rx_t *rx)
{
	return rx->msg_opcode != 0 || rx->hdr_len != 0 || rx->in_payload;
}

/* Puts the rx in its failed state. The assembly buffer is released at
 * once: the connection is going away and need not hold it until then. */
static int ws__rx_fail(ws_rx_t *rx, int code, const char *why)
{
	rx->error = why;
	rx->fail_code = code;
	ws_free(rx->msg);
	rx->msg = NULL;
	rx->msg_len = rx->msg_cap = 0;
	return code;
}

static int ws__is_control(unsigned op) { return (op & 0x08) != 0; }

/* Checks what the first two header bytes alone can tell (RFC 6455 §5.2,
 * §5.4, §5.5), so a bad frame fails before its length and key arrive, and
 * sets hdr_need to the full header size. */
static int ws__rx_first_bytes(ws_rx_t *rx)
{
	uint8_t b0 = rx->hdr[0], b1 = rx->hdr[1];
	unsigned op = b0 & 0x0F, len7 = b1 & 0x7F;

	rx->fin = b0 >> 7;
	rx->rsv = (b0 >> 4) & 0x07;
	rx->opcode = (uint8_t)op;

	if (op != WS_OP_CONT && op != WS_OP_TEXT && op != WS_OP_BINARY && op != WS_OP_CLOSE &&
	    op != WS_OP_PING && op != WS_OP_PONG)
		return ws__rx_fail(rx, WS_CLOSE_PROTOCOL, "unknown opcode");
	/* §5.2: RSV bits MUST be 0 unless an extension defines them.
	 * permessage-deflate (RFC 7692 §6) uses RSV1, on the first frame of a
	 * data message only. */
	if (rx->rsv) {
		if (rx->rsv != 0x04 || !rx->allow_rsv1 || op == WS_OP_CONT || ws__is_control(op))
			return ws__rx_fail(rx, WS_CLOSE_PROTOCOL, "reserved bits set");
	}
	/* §5.1: a server MUST close on an unmasked client frame. */
	if (!(b1 & 0x80))
		return ws__rx_fail(rx, WS_CLOSE_PROTOCOL, "unmasked frame");
	if (ws__is_control(op)) {
		/* §5.5: control frames are never fragmented and carry at most
		 * 125 bytes. */
		if (!rx->fin)
			return ws__rx_fail(rx, WS_CLOSE_PROTOCOL, "fragmented control frame");
		if (len7 > 125)
			return ws__rx_fail(rx, WS_CLOSE_PROTOCOL, "control frame too long");
	} else if (op == WS_OP_CONT) {
		/* §5.4: a continuation belongs to an open message ... */
		if (!rx->msg_opcode)
			return ws__rx_fail(rx, WS_CLOSE_PROTOCOL, "continuation without a message");
	} else if (rx->msg_opcode) {
		/* ... and a new message cannot start inside one. */
		return ws__rx_fail(rx, WS_CLOSE_PROTOCOL, "new message inside a fragmented message");
	}
	rx->hdr_need = (uint8_t)(2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4);
	return 0;
}

/* The most payload bytes the open message may carry. A compressed message
 * (RFC 7692) can be a little longer than the data it inflates to, and it is
 * the inflated size that the inflater holds to max_message_size: so that
 * any message of max_message_size bytes can arrive compressed, allow for
 * DEFLATE's overhead on incompressible data (a few bytes per block). */
static size_t ws__rx_max(const ws_rx_t *rx)
{
	size_t m = rx->max_message_size, slack = m / 16 + 64;

	if (!rx->msg_rsv1)
		return m;
	return m > SIZE_MAX - slack ? SIZE_MAX : m + slack;
}

/* The header is complete: decode the length and key, apply the limits. */
static int ws__rx_header_done(ws_rx_t *rx)
{
	unsigned len7 = rx->hdr[1] & 0x7F;
	const uint8_t *k = rx->hdr + 2;
	uint64_t plen;

	if (len7 == 126) {
		plen = ((uint64_t)rx->hdr[2] << 8) | rx->hdr[3];
		k += 2;
	} else if (len7 == 127) {
		/* §5.2: "the most significant bit MUST be 0". Non-minimal
		 * encodings are accepted, as most implementations do. */
		if (rx->hdr[2] & 0x80)
			return ws__rx_fail(rx, WS_CLOSE_PROTOCOL, "invalid frame length");
		plen = 0;
		for (int i = 0; i < 8; i++)
			plen = (plen << 8) | rx->hdr[2 + i];
		k += 8;
	} else {
		plen = len7;
	}
	memcpy(rx->mask, k, 4);
	rx->mask_pos = 0;
	rx->remaining = plen;

	if (ws__is_control(rx->opcode)) {
		rx->ctl_len = 0;
		return 0;
	}
	if (rx->opcode != WS_OP_CONT) {
		rx->msg_opcode = rx->opcode;
		rx->msg_rsv1 = (rx->rsv & 0x04) != 0;
		rx->fragments = 0;
		ws_utf8_init(&rx->utf8);
	}
	if (rx->fragments >= rx->max_fragments)
		return ws__rx_fail(rx, WS_CLOSE_TOO_BIG, "too many fragments");
	rx->fragments++;
	/* Checked against what the header claims, before a byte of the
	 * payload is stored, so a peer cannot make us allocate (or wait for)
	 * a message we would refuse anyway. msg_len <= ws__rx_max() always
	 * holds, so the subtraction cannot wrap. */
	if (plen > (uint64_t)(ws__rx_max(rx) - rx->msg_len))
		return ws__rx_fail(rx, WS_CLOSE_TOO_BIG, "message too big");
	return 0;
}

/* Grows rx->msg geometrically for n more bytes, never past what the limits
 * and (on the final frame) the header allow. One spare byte holds the NUL
 * that follows a delivered message. */
static int ws__rx_reserve(ws_rx_t *rx, size_t n)
{
	size_t need = rx->msg_len + n, cap, bound;
	uint8_t *p;

	if (need <= rx->msg_cap)
		return 0;
	bound = ws__rx_max(rx);
	if (bound > SIZE_MAX - 1)
		bound = SIZE_MAX - 1;
	if (rx->fin && rx->msg_len + rx->remaining < bound)
		bound = (size_t)(rx->msg_len + rx->remaining);
	cap = rx->msg_cap < 256 ? 256 : rx->msg_cap;
	while (cap < need && cap <= bound / 2)
		cap *= 2;
	if (cap < need || cap > bound)
		cap = bound < need ? need : bound;
	p = ws_realloc(rx->msg, cap + 1);
	if (!p)
		return WS_ERR_NOMEM;
	rx->msg = p;
	rx->msg_cap = cap;
	return 0;
}

/* Validates a close payload before it is handed out (RFC 6455 §5.5.1,
 * §7.4): empty, or a 2-byte code that may be sent, then UTF-8. */
static int ws__rx_check_close(ws_rx_t *rx)
{
	uint16_t code;

	if (rx->ctl_len == 0)
		return 0;
	if (rx->ctl_len == 1)
		return ws__rx_fail(rx, WS_CLOSE_PROTOCOL, "invalid close payload");
	code = (uint16_t)((rx->ctl[0] << 8) | rx->ctl[1]);
	if (!ws_close_code_valid(code))
		return ws__rx_fail(rx, WS_CLOSE_PROTOCOL, "invalid close code");
	if (!ws_utf8_valid(rx->ctl + 2, rx->ctl_len - 2u))
		return ws__rx_fail(rx, WS_CLOSE_BAD_DATA, "invalid UTF-8");
	return 0;
}

/* Back to waiting for a frame header. */
static void ws__rx_next_frame(ws_rx_t *rx)
{
	rx->hdr_len = 0;
	rx->hdr_need = 2;
	rx->in_payload = 0;
}

/* Closes the message state before its handler runs, so a handler that
 * stops the feed leaves the rx ready for the next frame. msg_rsv1 stays
 * as it is for the handler to read; the next message sets it again. */
static void ws__rx_end_message(ws_rx_t *rx)
{
	rx->msg_opcode = 0;
	rx->fragments = 0;
	rx->msg = NULL;
	rx->msg_len = 0;
	rx->msg_cap = 0;
	ws_utf8_init(&rx->utf8);
}

/* UTF-8 is checked on text messages only, and not on compressed ones: the
 * bytes are deflate output until the inflater has run (RFC 7692 §6.1). */
static int ws__rx_check_text(const ws_rx_t *rx)
{
	return rx->msg_opcode == WS_OP_TEXT && !rx->msg_rsv1;
}

/* A frame's payload has been received. Delivers what it completes.
 * Returns 0, a handler's stop request as 1 via *stop, or a close code. */
static int ws__rx_frame_done(ws_rx_t *rx, const ws_rx_handler_t *h, void *ud, int *stop)
{
	int r;

	ws__rx_next_frame(rx);
	if (ws__is_control(rx->opcode)) {
		if (rx->opcode == WS_OP_CLOSE && (r = ws__rx_check_close(rx)) != 0)
			return r;
		if (h && h->on_control && h->on_control(ud, rx->opcode, rx->ctl_len ? rx->ctl : ws__empty, rx->ctl_len))
			*stop = 1;
		return 0;
	}
	if (!rx->fin)
		return 0;
	/* §8.1: the whole message must be valid UTF-8, so it may not end in
	 * the middle of a code point. */
	if (ws__rx_check_text(rx) && !ws_utf8_complete(&rx->utf8))
		return ws__rx_fail(rx, WS_CLOSE_BAD_DATA, "invalid UTF-8");
	{
		uint8_t *buf = rx->msg, *data = buf ? buf : ws__empty;
		size_t n = rx->msg_len;
		int op = rx->msg_opcode;

		if (buf)
			buf[n] = 0;
		/* The buffer leaves the rx before the call: if the handler
		 * deinitialises the rx, nothing is freed twice. */
		ws__rx_end_message(rx);
		if (h && h->on_message && h->on_message(ud, op, data, n))
			*stop = 1;
		ws_free(buf);
	}
	return 0;
}

int ws_rx_feed(ws_rx_t *rx, uint8_t *data, size_t len, const ws_rx_handler_t *h, void *ud, size_t *consumed)
{
	size_t i = 0;
	int r = 0, stop = 0;

	if (rx->fail_code) {
		r = rx->fail_code;
		goto out;
	}
	while (i < len) {
		if (!rx->in_payload) {
			size_t take = (size_t)(rx->hdr_need - rx->hdr_len);

			if (take > len - i)
				take = len - i;
			memcpy(rx->hdr + rx->hdr_len, data + i, take);
			rx->hdr_len = (uint8_t)(rx->hdr_len + take);
			i += take;
			if (rx->hdr_len < rx->hdr_need)
				continue;
			if (rx->hdr_len == 2) {
				if ((r = ws__rx_first_bytes(rx)) != 0)
					goto out;
				continue;
			}
			if ((r = ws__rx_header_done(rx)) != 0)
				goto out;
			rx->in_payload = 1;

			/* Fast path: a whole unfragmented data frame is in the
			 * input and no message is open. Unmask and check it in
			 * place and hand out a pointer into the input. */
			if (!ws__is_control(rx->opcode) && rx->fin && rx->opcode != WS_OP_CONT &&
			    rx->remaining <= len - i) {
				size_t n = (size_t)rx->remaining;
				uint8_t *p = data + i;
				int op = rx->msg_opcode;

				ws_mask(p, n, rx->mask, &rx->mask_pos);
				if (ws__rx_check_text(rx) && !ws_utf8_valid(p, n)) {
					r = ws__rx_fail(rx, WS_CLOSE_BAD_DATA, "invalid UTF-8");
					goto out;
				}
				i += n;
				rx->remaining = 0;
				ws__rx_next_frame(rx);
				ws__rx_end_message(rx);
				if (n == 0) {
					if (h && h->on_message && h->on_message(ud, op, ws__empty, 0))
						goto out;
					continue;
				}
				/* ws.h promises a NUL after the data. The byte
				 * after an in-place message is the next frame's,
				 * or the caller's slack byte: borrow it. */
				if (i < len || rx->input_slack) {
					uint8_t saved = p[n];
					int stop_now;

					p[n] = 0;
					stop_now = h && h->on_message && h->on_message(ud, op, p, n);
					p[n] = saved;
					if (stop_now)
						goto out;
				} else if (h && h->on_message && h->on_message(ud, op, p, n)) {
					goto out;
				}
				continue;
			}
		} else {
			size_t take = len - i;
			uint8_t *p = data + i;

			if ((uint64_t)take > rx->remaining)
				take = (size_t)rx->remaining;
			ws_mask(p, take, rx->mask, &rx->mask_pos);
			if (ws__is_control(rx->opcode)) {
				/* remaining <= 125 - ctl_len: checked in the header. */
				memcpy(rx->ctl + rx->ctl_len, p, take);
				rx->ctl_len = (uint8_t)(rx->ctl_len + take);
			} else {
				/* §8.1: fail as soon as the text cannot be UTF-8,
				 * even in the middle of a frame. */
				if (ws__rx_check_text(rx) && ws_utf8_feed(&rx->utf8, p, take) != 0) {
					i += take;
					r = ws__rx_fail(rx, WS_CLOSE_BAD_DATA, "invalid UTF-8");
					goto out;
				}
				if (take) {
					if ((r = ws__rx_reserve(rx, take)) != 0) {
						/* Sticky too: the bytes are unmasked
						 * already and cannot be fed again. */
						rx->fail_code = r;
						rx->error = "out of memory";
						goto out;
					}
					memcpy(rx->msg + rx->msg_len, p, take);
					rx->msg_len += take;
				}
			}
			i += take;
			rx->remaining -= take;
		}
		if (rx->in_payload && rx->remaining == 0) {
			if ((r = ws__rx_frame_done(rx, h, ud, &stop)) != 0)
				goto out;
			if (stop)
				goto out;
		}
	}
out:
	if (consumed)
		*consumed = i;
	return r;
}

uint8_t *ws_rx_direct(ws_rx_t *rx, size_t min, size_t *n)
{
	if (rx->fail_code || !rx->in_payload || ws__is_control(rx->opcode) || rx->remaining < min || min == 0)
		return NULL;
	/* Grow as ws_rx_feed would for the bytes at hand, at most doubling what
	 * is held: a peer that announces a long frame and sends it slowly
	 * does not get it allocated up front. */
	size_t want = rx->msg_len > 65536 ? rx->msg_len : 65536;
	if ((uint64_t)want > rx->remaining)
		want = (size_t)rx->remaining;
	if (rx->msg_cap - rx->msg_len < want && ws__rx_reserve(rx, want) != 0)
		return NULL;
	size_t room = rx->msg_cap - rx->msg_len;
	*n = (uint64_t)room < rx->remaining ? room : (size_t)rx->remaining;
	return rx->msg + rx->msg_len;
}

int ws_rx_feed_direct(ws_rx_t *rx, size_t n, const ws_rx_handler_t *h, void *ud)
{
	int r, stop = 0;

	if (rx->fail_code)
		return rx->fail_code;
	/* The caller wrote at most what ws_rx_direct() allowed. */
	if (!rx->in_payload || ws__is_control(rx->opcode) || (uint64_t)n > rx->remaining ||
	    n > rx->msg_cap - rx->msg_len)
		return ws__rx_fail(rx, WS_CLOSE_INTERNAL, "bad direct read");
	uint8_t *p = rx->msg + rx->msg_len;
	ws_mask(p, n, rx->mask, &rx->mask_pos);
	if (ws__rx_check_text(rx) && ws_utf8_feed(&rx->utf8, p, n) != 0)
		return ws__rx_fail(rx, WS_CLOSE_BAD_DATA, "invalid UTF-8");
	rx->msg_len += n;
	rx->remaining -= n;
	if (rx->remaining == 0 && (r = ws__rx_frame_done(rx, h, ud, &stop)) != 0)
		return r;
	return 0;
}
