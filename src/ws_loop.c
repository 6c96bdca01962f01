/* epoll backend and timer heap. Level-triggered: a connection that did not
 * read everything this step is simply reported again, which keeps one busy
 * client from starving the others without any bookkeeping. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>
#include "ws.h"
#include "ws_loop.h"

struct ws_loop {
	int epfd;
	uint64_t now;
	uint64_t seq;
	ws_timer_t **heap;
	uint32_t heap_len, heap_cap;
	struct epoll_event *evs;
	int evs_cap;
};

static uint64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int ws_loop_new(ws_loop_t **out)
{
	*out = NULL;
	ws_loop_t *l = ws_malloc(sizeof(*l));
	if (!l)
		return WS_ERR_NOMEM;
	memset(l, 0, sizeof(*l));
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		ws_free(l);
		return WS_ERR_SYS;
	}
	l->now = monotonic_ms();
	*out = l;
	return 0;
}

void ws_loop_free(ws_loop_t *l)
{
	if (!l)
		return;
	close(l->epfd);
	ws_free(l->heap);
	ws_free(l->evs);
	ws_free(l);
}

int ws_loop_after_fork(ws_loop_t *l)
{
	int fd = epoll_create1(EPOLL_CLOEXEC);
	if (fd < 0)
		return WS_ERR_SYS;
	close(l->epfd);
	l->epfd = fd;
	return 0;
}

static uint32_t to_epoll(uint32_t events)
{
	uint32_t e = 0;
	if (events & WS_EV_READ)
		e |= EPOLLIN | EPOLLRDHUP;
	if (events & WS_EV_WRITE)
		e |= EPOLLOUT;
	return e;
}

static int ctl(ws_loop_t *l, int op, int fd, uint32_t events, void *ptr)
{
	struct epoll_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.events = to_epoll(events);
	ev.data.ptr = ptr;
	return epoll_ctl(l->epfd, op, fd, &ev) == 0 ? 0 : WS_ERR_SYS;
}

int ws_loop_add(ws_loop_t *l, int fd, uint32_t events, void *ptr) { return ctl(l, EPOLL_CTL_ADD, fd, events, ptr); }
int ws_loop_mod(ws_loop_t *l, int fd, uint32_t events, void *ptr) { return ctl(l, EPOLL_CTL_MOD, fd, events, ptr); }
int ws_loop_del(ws_loop_t *l, int fd) { return ctl(l, EPOLL_CTL_DEL, fd, 0, NULL); }

uint64_t ws_loop_now(const ws_loop_t *l) { return l->now; }
void ws_loop_update_time(ws_loop_t *l) { l->now = monotonic_ms(); }

int ws_loop_wait(ws_loop_t *l, ws_event_t *evs, int max, int timeout_ms)
{
	if (l->heap_len > 0) {
		uint64_t when = l->heap[0]->when;
		ws_loop_update_time(l);
		int64_t until = when > l->now ? (int64_t)(when - l->now) : 0;
		if (until > 86400000)
			until = 86400000;
		if (timeout_ms < 0 || until < timeout_ms)
			timeout_ms = (int)until;
	}
	if (max > l->evs_cap) {
		struct epoll_event *p = ws_realloc(l->evs, sizeof(*p) * (size_t)max);
		if (!p)
			return WS_ERR_NOMEM;
		l->evs = p;
		l->evs_cap = max;
	}
	int n = epoll_wait(l->epfd, l->evs, max, timeout_ms);
	ws_loop_update_time(l);
	if (n < 0)
		return errno == EINTR ? 0 : WS_ERR_SYS;
	for (int i = 0; i < n; i++) {
		uint32_t e = l->evs[i].events, out = 0;
		if (e & (EPOLLIN | EPOLLRDHUP))
			out |= WS_EV_READ;
		if (e & EPOLLOUT)
			out |= WS_EV_WRITE;
		if (e & (EPOLLERR | EPOLLHUP))
			out |= WS_EV_ERROR | WS_EV_READ;
		evs[i].ptr = l->evs[i].data.ptr;
		evs[i].events = out;
	}
	return n;
}

/* ---- timer heap ---- */

static int before(const ws_timer_t *a, const ws_timer_t *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void heap_set(ws_loop_t *l, uint32_t i, ws_timer_t *t)
{
	l->heap[i] = t;
	t->idx = i;
}

static void sift_up(ws_loop_t *l, uint32_t i)
{
	ws_timer_t *t = l->heap[i];
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!before(t, l->heap[p]))
			break;
		heap_set(l, i, l->heap[p]);
		i = p;
	}
	heap_set(l, i, t);
}

static void sift_down(ws_loop_t *l, uint32_t i)
{
	ws_timer_t *t = l->heap[i];
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= l->heap_len)
			break;
		if (c + 1 < l->heap_len && before(l->heap[c + 1], l->heap[c]))
			c++;
		if (!before(l->heap[c], t))
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

void ws_timer_stop(ws_loop_t *l, ws_timer_t *t)
{
	if (!ws_timer_active(t))
		return;
	uint32_t i = t->idx;
	t->idx = UINT32_MAX;
	l->heap_len--;
	if (i == l->heap_len)
		return;
	heap_set(l, i, l->heap[l->heap_len]);
	sift_up(l, i);
	sift_down(l, l->heap[i]->idx);
}

int ws_timer_start(ws_loop_t *l, ws_timer_t *t, uint64_t when)
{
	if (ws_timer_active(t)) {
		/* Moving a scheduled timer later is the common case (deadlines
		 * pushed back by activity); re-sift in place, no allocation. */
		t->when = when;
		t->seq = ++l->seq;
		sift_up(l, t->idx);
		sift_down(l, t->idx);
		return 0;
	}
	if (l->heap_len == l->heap_cap) {
		uint32_t cap = l->heap_cap ? l->heap_cap * 2 : 64;
		ws_timer_t **h = ws_realloc(l->heap, sizeof(*h) * cap);
		if (!h)
			return WS_ERR_NOMEM;
		l->heap = h;
		l->heap_cap = cap;
	}
	t->when = when;
	t->seq = ++l->seq;
	heap_set(l, l->heap_len++, t);
	sift_up(l, t->idx);
	return 0;
}

void ws_loop_run_timers(ws_loop_t *l)
{
	/* Timers scheduled by a callback for "now" run on the next step, not in
	 * this loop: a zero-delay repeating timer cannot spin forever here. */
	uint64_t limit = ++l->seq;
	while (l->heap_len > 0) {
		ws_timer_t *t = l->heap[0];
		if (t->when > l->now || t->seq > limit)
			break;
		ws_timer_stop(l, t);
		t->fn(l, t);
	}
}

void ws_loop_timers_foreach(ws_loop_t *l, void (*fn)(ws_timer_t *t, void *ctx), void *ctx)
{
	for (uint32_t i = 0; i < l->heap_len; i++)
		fn(l->heap[i], ctx);
}
