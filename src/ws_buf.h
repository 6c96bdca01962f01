/* A growable byte buffer with a read offset: bytes [pos, len) are pending.
 * Memory comes from ws_malloc/ws_realloc; an empty buffer owns nothing. */
#ifndef SALON_WS_BUF_H
#define SALON_WS_BUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct ws_buf {
	uint8_t *base;
	size_t pos; /* first pending byte */
	size_t len; /* end of pending bytes */
	size_t cap;
} ws_buf_t;

static inline size_t ws_buf_pending(const ws_buf_t *b) { return b->len - b->pos; }

/* Makes room for n more bytes after len (compacting consumed bytes first).
 * Returns a pointer to the free space, or NULL (WS_ERR_NOMEM). */
uint8_t *ws_buf_reserve(ws_buf_t *b, size_t n);

/* Appends n bytes. Returns 0 or WS_ERR_NOMEM. */
int ws_buf_append(ws_buf_t *b, const void *p, size_t n);

/* Marks n pending bytes as consumed; frees the memory when nothing is left
 * so that an idle connection holds no buffer. */
void ws_buf_consume(ws_buf_t *b, size_t n);

void ws_buf_free(ws_buf_t *b);

#endif
