/*
 * Rooms: named pub/sub topics whose members are opaque owners (the server's
 * connections). Pure data structure: no I/O, no callbacks.
 *
 *  - A registry (ws_rooms_t) maps a room name to its room through a hash
 *    table keyed by a seeded SipHash of the name, so names chosen by
 *    clients cannot be picked to collide.
 *  - A room keeps its members in an array: fan-out walks it, O(members).
 *  - Every owner embeds a ws_room_list_t: the rooms it is in, in the order
 *    it joined them.
 *  - Each membership is one ws_member_t, found by (room, owner list) in a
 *    second hash table and linked from both sides with its index in each,
 *    so join and leave are O(1) on average whatever the size of the room
 *    (plus O(rooms of that owner) to keep its list in join order).
 *  - An owner can be deactivated (its connection is closing): it stays a
 *    member, and ws_room_list still names its rooms, but it is no longer
 *    counted by ws_room_active() and must be skipped by fan-out.
 *  - A room exists while it has members; the last leave frees it.
 *
 * Memory comes from ws_malloc/ws_free. Room names are binary-safe bytes.
 */
#ifndef SALON_WS_ROOM_H
#define SALON_WS_ROOM_H

#include <stddef.h>
#include <stdint.h>

typedef struct ws_room ws_room_t;
typedef struct ws_member ws_member_t;

/* The rooms of one owner; embed it zeroed (or ws_room_list_init). */
typedef struct ws_room_list {
	ws_member_t **v;
	uint32_t len, cap;
} ws_room_list_t;

/* Fields are read-only outside ws_room.c. */
struct ws_member {
	ws_room_t *room;
	ws_room_list_t *list; /* identifies the owner */
	void *owner;
	uint32_t room_idx; /* slot in room->members */
	uint32_t list_idx; /* slot in list->v */
	uint8_t active;
	ws_member_t *hnext; /* membership hash chain */
};

struct ws_room {
	ws_room_t *hnext;       /* name hash chain */
	ws_room_t *prev, *next; /* every room, oldest first */
	uint64_t hash;
	ws_member_t **members;
	uint32_t len, cap; /* members, active or not */
	uint32_t active;   /* active members */
	size_t name_len;
	char name[]; /* name_len bytes and a NUL */
};

typedef struct ws_rooms {
	ws_room_t **rbuckets;
	size_t nrbuckets, nrooms;
	ws_member_t **mbuckets;
	size_t nmbuckets, nmembers;
	ws_room_t *first, *last;
	size_t nactive_rooms; /* rooms with at least one active member */
	size_t nactive_members;
	uint64_t k0, k1; /* SipHash key */
} ws_rooms_t;

static inline void ws_room_list_init(ws_room_list_t *l)
{
	l->v = NULL;
	l->len = l->cap = 0;
}

/* Initializes an empty registry; seed keys the name hash (pass random
 * bytes; the server uses getrandom()). Allocates nothing. */
void ws_rooms_init(ws_rooms_t *r, uint64_t seed0, uint64_t seed1);

/* Frees every room and membership, and the arrays of the owner lists that
 * still have members (they are left empty). */
void ws_rooms_deinit(ws_rooms_t *r);

/* Makes owner (with its list l) a member of the room name[0..len), creating
 * the room if needed; an inactive owner's new membership is inactive too.
 * Returns 1 when it joined, 0 when it already was a member, WS_ERR_INVAL for
 * an empty name or WS_ERR_NOMEM (nothing changed). */
int ws_rooms_join(ws_rooms_t *r, ws_room_list_t *l, void *owner, const char *name, size_t len, int active);

/* Returns 1 when the owner left the room, 0 when it was not a member. The
 * room is freed when its last member leaves. */
int ws_rooms_leave(ws_rooms_t *r, ws_room_list_t *l, const char *name, size_t len);

/* Leaves every room of l; l ends empty and owns no memory. */
void ws_rooms_leave_all(ws_rooms_t *r, ws_room_list_t *l);

/* Marks every membership of l inactive: the rooms stop counting it. */
void ws_rooms_deactivate(ws_rooms_t *r, ws_room_list_t *l);

/* The room, or NULL when nobody is in it. */
ws_room_t *ws_rooms_find(const ws_rooms_t *r, const char *name, size_t len);

/* 1 when the owner of l is a member of the room name (active or not). */
int ws_rooms_is_member(const ws_rooms_t *r, const ws_room_list_t *l, const char *name, size_t len);

/* Every room, oldest first (including rooms whose members are all
 * inactive: check ->active). */
static inline ws_room_t *ws_rooms_first(const ws_rooms_t *r) { return r->first; }
static inline ws_room_t *ws_rooms_next(const ws_room_t *room) { return room->next; }

#endif
