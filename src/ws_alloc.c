/* Allocator hooks and error strings. Connection buffers go through these so
 * an embedder can route them; the default is libc (not PHP's emalloc: the
 * server's buffers must not count against a script's memory_limit). */
#include <stdlib.h>
#include "ws.h"

static ws_allocator_t ws__alloc = {malloc, realloc, free};

void ws_set_allocator(const ws_allocator_t *a)
{
	if (a && a->malloc_fn && a->realloc_fn && a->free_fn)
		ws__alloc = *a;
}

void *ws_malloc(size_t n) { return ws__alloc.malloc_fn(n ? n : 1); }
void *ws_realloc(void *p, size_t n) { return ws__alloc.realloc_fn(p, n ? n : 1); }
void ws_free(void *p)
{
	if (p)
		ws__alloc.free_fn(p);
}

const char *ws_strerror(int err)
{
	switch (err) {
	case WS_OK: return "success";
	case WS_AGAIN: return "more input needed";
	case WS_ERR_NOMEM: return "out of memory";
	case WS_ERR_SYS: return "system call failed";
	case WS_ERR_INVAL: return "invalid argument";
	case WS_ERR_CLOSED: return "connection is closing or closed";
	case WS_ERR_PROTO: return "protocol violation";
	case WS_ERR_TOOBIG: return "over a configured limit";
	case WS_ERR_FULL: return "send queue full";
	case WS_ERR_NOTFOUND: return "not found";
	case WS_ERR_TLS: return "TLS error";
	case WS_ERR_TIMEOUT: return "timed out";
	default: return "unknown error";
	}
}
