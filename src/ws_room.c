/* Rooms: see ws_room.h for the shape. Two chained hash tables (rooms by
 * name, memberships by room and owner) that double when their load reaches
 * one entry per bucket; the arrays of members and of an owner's rooms grow
 * by doubling too. */
#include <string.h>
#include "ws.h"
#include "ws_room.h"

#define WS_ROOM_MIN_BUCKETS 16

/* ------------------------------------------------------------------ */
/* hashing */

/* SipHash-2-4 (Aumasson and Bernstein, 2012), as in the reference
 * implementation: a keyed hash, so a client that names rooms cannot aim
 * every name at one bucket. */
static uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

#define SIPROUND                                                                                                       \
	do {                                                                                                           \
		v0 += v1;                                                                                              \
		v1 = rotl(v1, 13);                                                                                     \
		v1 ^= v0;                                                                                              \
		v0 = rotl(v0, 32);                                                                                     \
		v2 += v3;                                                                                              \
		v3 = rotl(v3, 16);                                                                                     \
		v3 ^= v2;                                                                                              \
		v0 += v3;                                                                                              \
		v3 = rotl(v3, 21);                                                                                     \
		v3 ^= v0;                                                                                              \
		v2 += v1;                                                                                              \
		v1 = rotl(v1, 17);                                                                                     \
		v1 ^= v2;                                                                                              \
		v2 = rotl(v2, 32);                                                                                     \
	} while (0)

static uint64_t siphash(const uint8_t *in, size_t len, uint64_t k0, uint64_t k1)
{
	uint64_t v0 = 0x736f6d6570736575ull ^ k0, v1 = 0x646f72616e646f6dull ^ k1;
	uint64_t v2 = 0x6c7967656e657261ull ^ k0, v3 = 0x7465646279746573ull ^ k1;
	uint64_t b = (uint64_t)len << 56, m;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		m = 0;
		for (int j = 7; j >= 0; j--)
			m = (m << 8) | in[i + (size_t)j];
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (size_t j = 0; i + j < len; j++)
		b |= (uint64_t)in[i + j] << (8 * j);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* Memberships are keyed by two addresses chosen by the allocator, not by
 * clients: a fast mix (splitmix64's finalizer) is enough. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static uint64_t member_hash(const ws_room_t *room, const ws_room_list_t *l)
{
	return mix((uint64_t)(uintptr_t)room ^ rotl((uint64_t)(uintptr_t)l, 29));
}

/* ------------------------------------------------------------------ */
/* tables */

/* The tables double when they hold as many entries as buckets; entries are
 * rehashed into the new buckets (the room's hash is kept in the room). */
static int grow_rooms(ws_rooms_t *r)
{
	size_t n = r->nrbuckets ? r->nrbuckets * 2 : WS_ROOM_MIN_BUCKETS;
	if (n > SIZE_MAX / sizeof(ws_room_t *))
		return WS_ERR_NOMEM;
	ws_room_t **b = ws_malloc(n * sizeof(*b));
	if (!b)
		return WS_ERR_NOMEM;
	memset(b, 0, n * sizeof(*b));
	for (size_t i = 0; i < r->nrbuckets; i++) {
		for (ws_room_t *room = r->rbuckets[i], *next; room; room = next) {
			next = room->hnext;
			size_t j = (size_t)(room->hash & (n - 1));
			room->hnext = b[j];
			b[j] = room;
		}
	}
	ws_free(r->rbuckets);
	r->rbuckets = b;
	r->nrbuckets = n;
	return 0;
}

static int grow_members(ws_rooms_t *r)
{
	size_t n = r->nmbuckets ? r->nmbuckets * 2 : WS_ROOM_MIN_BUCKETS;
	if (n > SIZE_MAX / sizeof(ws_member_t *))
		return WS_ERR_NOMEM;
	ws_member_t **b = ws_malloc(n * sizeof(*b));
	if (!b)
		return WS_ERR_NOMEM;
	memset(b, 0, n * sizeof(*b));
	for (size_t i = 0; i < r->nmbuckets; i++) {
		for (ws_member_t *m = r->mbuckets[i], *next; m; m = next) {
			next = m->hnext;
			size_t j = (size_t)(member_hash(m->room, m->list) & (n - 1));
			m->hnext = b[j];
			b[j] = m;
		}
	}
	ws_free(r->mbuckets);
	r->mbuckets = b;
	r->nmbuckets = n;
	return 0;
}

/* Makes room for one more member pointer in an array of *cap: returns the
 * array (moved or not), or NULL with the old one untouched. */
static ws_member_t **reserve(ws_member_t **v, uint32_t len, uint32_t *cap)
{
	if (len < *cap)
		return v;
	if (*cap >= UINT32_MAX / 2)
		return NULL;
	uint32_t n = *cap ? *cap * 2 : 4;
	ws_member_t **p = ws_realloc(v, (size_t)n * sizeof(*p));
	if (p)
		*cap = n;
	return p;
}

void ws_rooms_init(ws_rooms_t *r, uint64_t seed0, uint64_t seed1)
{
	memset(r, 0, sizeof(*r));
	r->k0 = seed0;
	r->k1 = seed1;
}

static ws_room_t *find(const ws_rooms_t *r, const char *name, size_t len, uint64_t h)
{
	if (!r->nrbuckets)
		return NULL;
	for (ws_room_t *room = r->rbuckets[h & (r->nrbuckets - 1)]; room; room = room->hnext)
		if (room->hash == h && room->name_len == len && memcmp(room->name, name, len) == 0)
			return room;
	return NULL;
}

ws_room_t *ws_rooms_find(const ws_rooms_t *r, const char *name, size_t len)
{
	return find(r, name, len, siphash((const uint8_t *)name, len, r->k0, r->k1));
}

static ws_member_t **member_slot(const ws_rooms_t *r, const ws_room_t *room, const ws_room_list_t *l)
{
	if (!r->nmbuckets)
		return NULL;
	ws_member_t **pp = &r->mbuckets[member_hash(room, l) & (r->nmbuckets - 1)];
	while (*pp && !((*pp)->room == room && (*pp)->list == l))
		pp = &(*pp)->hnext;
	return pp;
}

int ws_rooms_is_member(const ws_rooms_t *r, const ws_room_list_t *l, const char *name, size_t len)
{
	ws_room_t *room = ws_rooms_find(r, name, len);
	if (!room)
		return 0;
	ws_member_t **pp = member_slot(r, room, l);
	return pp && *pp;
}

static void room_unlink_free(ws_rooms_t *r, ws_room_t *room)
{
	ws_room_t **pp = &r->rbuckets[room->hash & (r->nrbuckets - 1)];
	while (*pp != room)
		pp = &(*pp)->hnext;
	*pp = room->hnext;
	if (room->prev)
		room->prev->next = room->next;
	else
		r->first = room->next;
	if (room->next)
		room->next->prev = room->prev;
	else
		r->last = room->prev;
	r->nrooms--;
	ws_free(room->members);
	ws_free(room);
}

int ws_rooms_join(ws_rooms_t *r, ws_room_list_t *l, void *owner, const char *name, size_t len, int active)
{
	if (len == 0)
		return WS_ERR_INVAL;
	uint64_t h = siphash((const uint8_t *)name, len, r->k0, r->k1);
	ws_room_t *room = find(r, name, len, h);
	int created = 0;

	if (room) {
		ws_member_t **pp = member_slot(r, room, l);
		if (pp && *pp)
			return 0;
	} else {
		if (len > SIZE_MAX - sizeof(ws_room_t) - 1)
			return WS_ERR_NOMEM;
		if (r->nrooms >= r->nrbuckets && grow_rooms(r) != 0)
			return WS_ERR_NOMEM;
		room = ws_malloc(sizeof(ws_room_t) + len + 1);
		if (!room)
			return WS_ERR_NOMEM;
		memset(room, 0, sizeof(*room));
		room->hash = h;
		room->name_len = len;
		memcpy(room->name, name, len);
		room->name[len] = 0;
		size_t b = (size_t)(h & (r->nrbuckets - 1));
		room->hnext = r->rbuckets[b];
		r->rbuckets[b] = room;
		room->prev = r->last;
		if (r->last)
			r->last->next = room;
		else
			r->first = room;
		r->last = room;
		r->nrooms++;
		created = 1;
	}

	/* Everything that can fail comes before anything is linked, so a
	 * failed join leaves no half membership behind. */
	ws_member_t *m = NULL, **rv = NULL, **lv = NULL;
	if (!(r->nmembers >= r->nmbuckets && grow_members(r) != 0)) {
		if ((rv = reserve(room->members, room->len, &room->cap)) != NULL)
			room->members = rv;
		if (rv && (lv = reserve(l->v, l->len, &l->cap)) != NULL)
			l->v = lv;
		if (lv)
			m = ws_malloc(sizeof(*m));
	}
	if (!m) {
		if (created)
			room_unlink_free(r, room);
		if (l->len == 0) { /* an owner in no room holds no memory */
			ws_free(l->v);
			ws_room_list_init(l);
		}
		return WS_ERR_NOMEM;
	}
	m->room = room;
	m->list = l;
	m->owner = owner;
	m->active = active ? 1 : 0;
	m->room_idx = room->len;
	room->members[room->len++] = m;
	m->list_idx = l->len;
	l->v[l->len++] = m;
	ws_member_t **slot = &r->mbuckets[member_hash(room, l) & (r->nmbuckets - 1)];
	m->hnext = *slot;
	*slot = m;
	r->nmembers++;
	if (m->active) {
		if (room->active++ == 0)
			r->nactive_rooms++;
		r->nactive_members++;
	}
	return 1;
}

static void deactivate(ws_rooms_t *r, ws_member_t *m)
{
	if (!m->active)
		return;
	m->active = 0;
	r->nactive_members--;
	if (--m->room->active == 0)
		r->nactive_rooms--;
}

/* Unlinks m from its room (swap with the last member: O(1)) and from the
 * membership hash; the caller fixes the owner's list. */
static void member_remove(ws_rooms_t *r, ws_member_t *m)
{
	ws_room_t *room = m->room;
	deactivate(r, m);
	ws_member_t **pp = member_slot(r, room, m->list);
	*pp = m->hnext;
	r->nmembers--;
	uint32_t i = m->room_idx;
	ws_member_t *last = room->members[--room->len];
	room->members[i] = last;
	last->room_idx = i;
	if (room->len == 0)
		room_unlink_free(r, room);
	ws_free(m);
}

int ws_rooms_leave(ws_rooms_t *r, ws_room_list_t *l, const char *name, size_t len)
{
	ws_room_t *room = ws_rooms_find(r, name, len);
	if (!room)
		return 0;
	ws_member_t **pp = member_slot(r, room, l);
	if (!pp || !*pp)
		return 0;
	ws_member_t *m = *pp;
	/* The owner's list keeps join order: close the gap (an owner is in
	 * few rooms, so this is short). */
	uint32_t j = m->list_idx;
	memmove(&l->v[j], &l->v[j + 1], (size_t)(l->len - j - 1) * sizeof(l->v[0]));
	l->len--;
	for (uint32_t k = j; k < l->len; k++)
		l->v[k]->list_idx = k;
	member_remove(r, m);
	if (l->len == 0) {
		ws_free(l->v);
		ws_room_list_init(l);
	}
	return 1;
}

void ws_rooms_leave_all(ws_rooms_t *r, ws_room_list_t *l)
{
	for (uint32_t k = 0; k < l->len; k++)
		member_remove(r, l->v[k]);
	ws_free(l->v);
	ws_room_list_init(l);
}

void ws_rooms_deactivate(ws_rooms_t *r, ws_room_list_t *l)
{
	for (uint32_t k = 0; k < l->len; k++)
		deactivate(r, l->v[k]);
}

void ws_rooms_deinit(ws_rooms_t *r)
{
	/* Owner lists first (a list may be reached through several rooms),
	 * then the members, then the rooms. */
	for (ws_room_t *room = r->first; room; room = room->next) {
		for (uint32_t i = 0; i < room->len; i++) {
			ws_room_list_t *l = room->members[i]->list;
			if (l->v) {
				ws_free(l->v);
				ws_room_list_init(l);
			}
		}
	}
	for (ws_room_t *room = r->first, *next; room; room = next) {
		next = room->next;
		for (uint32_t i = 0; i < room->len; i++)
			ws_free(room->members[i]);
		ws_free(room->members);
		ws_free(room);
	}
	ws_free(r->rbuckets);
	ws_free(r->mbuckets);
	uint64_t k0 = r->k0, k1 = r->k1;
	ws_rooms_init(r, k0, k1);
}
