/* The event loop: an epoll poller plus a binary min-heap of timers.
 * It knows nothing of WebSocket; the server drives it one step at a time. */
#ifndef SALON_WS_LOOP_H
#define SALON_WS_LOOP_H

#include <stddef.h>
#include <stdint.h>

#define WS_EV_READ 1u
#define WS_EV_WRITE 2u
#define WS_EV_ERROR 4u /* hang-up or error: the caller reads to learn which */

typedef struct ws_loop ws_loop_t;

typedef struct ws_event {
	void *ptr;
	uint32_t events;
} ws_event_t;

typedef struct ws_timer ws_timer_t;
typedef void (*ws_timer_fn)(ws_loop_t *loop, ws_timer_t *t);

/* A timer node is embedded in its owner (a connection) or allocated by the
 * server for application timers. idx is its heap slot, UINT32_MAX when not
 * scheduled. */
struct ws_timer {
	uint64_t when; /* ms, on the loop's monotonic clock */
	uint64_t seq;  /* tie-breaker: equal deadlines run in scheduling order */
	uint32_t idx;
	ws_timer_fn fn;
};

static inline void ws_timer_init(ws_timer_t *t, ws_timer_fn fn)
{
	t->when = 0;
	t->seq = 0;
	t->idx = UINT32_MAX;
	t->fn = fn;
}
static inline int ws_timer_active(const ws_timer_t *t) { return t->idx != UINT32_MAX; }

/* Returns 0, WS_ERR_NOMEM or WS_ERR_SYS (errno set). */
int ws_loop_new(ws_loop_t **out);
void ws_loop_free(ws_loop_t *loop);

/* In a child after fork(): a new epoll instance for this process (the old
 * one is shared with the parent and is only closed here, never changed).
 * Every registration is gone; timers are kept. Returns 0 or WS_ERR_SYS. */
int ws_loop_after_fork(ws_loop_t *loop);

/* Registers, changes or removes interest in fd. events is a mask of
 * WS_EV_READ / WS_EV_WRITE; ptr comes back in ws_event_t. Returns 0 or
 * WS_ERR_SYS. */
int ws_loop_add(ws_loop_t *loop, int fd, uint32_t events, void *ptr);
int ws_loop_mod(ws_loop_t *loop, int fd, uint32_t events, void *ptr);
int ws_loop_del(ws_loop_t *loop, int fd);

/* Waits for events up to timeout_ms (-1: forever), shortened to the next
 * timer's deadline. Returns the number of events written to evs (0 on
 * timeout or EINTR) or WS_ERR_SYS. Updates the loop's clock. */
int ws_loop_wait(ws_loop_t *loop, ws_event_t *evs, int max, int timeout_ms);

/* Runs every timer whose deadline has passed. A timer is unscheduled before
 * its function runs; the function may schedule it again. */
void ws_loop_run_timers(ws_loop_t *loop);

uint64_t ws_loop_now(const ws_loop_t *loop); /* cached ms */
void ws_loop_update_time(ws_loop_t *loop);

/* Schedules (or moves) t to fire at absolute time when (ms). Returns 0 or
 * WS_ERR_NOMEM. */
int ws_timer_start(ws_loop_t *loop, ws_timer_t *t, uint64_t when);
void ws_timer_stop(ws_loop_t *loop, ws_timer_t *t);

/* Visits every scheduled timer (order unspecified). */
void ws_loop_timers_foreach(ws_loop_t *loop, void (*fn)(ws_timer_t *t, void *ctx), void *ctx);

#endif
