#include <string.h>
#include "ws.h"
#include "ws_buf.h"

uint8_t *ws_buf_reserve(ws_buf_t *b, size_t n)
{
	if (b->pos > 0 && b->cap - b->len < n) {
		/* Slide the pending bytes down before growing: a queue that is
		 * drained at the front and filled at the back would otherwise
		 * grow without bound. */
		memmove(b->base, b->base + b->pos, b->len - b->pos);
		b->len -= b->pos;
		b->pos = 0;
	}
	if (b->cap - b->len < n) {
		if (n > SIZE_MAX / 2 - b->len)
			return NULL;
		size_t need = b->len + n;
		size_t cap = b->cap ? b->cap : 256;
		while (cap < need)
			cap *= 2;
		uint8_t *p = ws_realloc(b->base, cap);
		if (!p)
			return NULL;
		b->base = p;
		b->cap = cap;
	}
	return b->base + b->len;
}

int ws_buf_append(ws_buf_t *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	uint8_t *dst = ws_buf_reserve(b, n);
	if (!dst)
		return WS_ERR_NOMEM;
	memcpy(dst, p, n);
	b->len += n;
	return 0;
}

void ws_buf_consume(ws_buf_t *b, size_t n)
{
	b->pos += n;
	if (b->pos >= b->len)
		ws_buf_free(b);
}

void ws_buf_free(ws_buf_t *b)
{
	ws_free(b->base);
	b->base = NULL;
	b->pos = b->len = b->cap = 0;
}
