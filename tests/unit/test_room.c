/* Unit tests for src/ws_room.c: join/leave/leave_all/deactivate semantics,
 * the member and list indexes kept consistent after every operation, the
 * 10,000-member room and the 10,000 small rooms, allocation failures, and
 * a randomized run checked against a naive model. */
#include "tap.h"
#include "ws.h"
#include "ws_room.h"

typedef struct owner {
	int id;
	ws_room_list_t rooms;
} owner_t;

static ws_rooms_t R;

static int join(owner_t *o, const char *name) { return ws_rooms_join(&R, &o->rooms, o, name, strlen(name), 1); }
static int leave(owner_t *o, const char *name) { return ws_rooms_leave(&R, &o->rooms, name, strlen(name)); }

static uint32_t active_count(const char *name)
{
	ws_room_t *room = ws_rooms_find(&R, name, strlen(name));
	return room ? room->active : 0;
}

/* Every back-index points where it should; counts add up. */
static int consistent(void)
{
	size_t rooms = 0, members = 0, active_rooms = 0, active_members = 0;
	for (ws_room_t *room = ws_rooms_first(&R); room; room = ws_rooms_next(room)) {
		uint32_t act = 0;
		rooms++;
		if (room->len == 0)
			return diag("room %s is empty but exists", room->name), 0;
		for (uint32_t i = 0; i < room->len; i++) {
			ws_member_t *m = room->members[i];
			if (m->room != room || m->room_idx != i)
				return diag("room %s member %u: bad back-index", room->name, i), 0;
			if (m->list_idx >= m->list->len || m->list->v[m->list_idx] != m)
				return diag("room %s member %u: bad list index", room->name, i), 0;
			act += m->active;
		}
		if (act != room->active)
			return diag("room %s: active %u, counted %u", room->name, room->active, act), 0;
		members += room->len;
		active_members += act;
		active_rooms += act > 0;
		if (ws_rooms_find(&R, room->name, room->name_len) != room)
			return diag("room %s not found by name", room->name), 0;
	}
	if (rooms != R.nrooms || members != R.nmembers || active_rooms != R.nactive_rooms ||
	    active_members != R.nactive_members)
		return diag("totals: rooms %zu/%zu members %zu/%zu active rooms %zu/%zu active members %zu/%zu", rooms,
			    R.nrooms, members, R.nmembers, active_rooms, R.nactive_rooms, active_members,
			    R.nactive_members),
		       0;
	return 1;
}

static int list_is(const owner_t *o, const char *const *names, size_t n)
{
	if (o->rooms.len != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(o->rooms.v[i]->room->name, names[i]) != 0)
			return 0;
	return 1;
}

static void test_basics(void)
{
	owner_t a = {1, {0}}, b = {2, {0}}, c = {3, {0}};
	ws_rooms_init(&R, 1, 2);

	is(join(&a, "lobby"), 1, "join creates the room");
	is(join(&a, "lobby"), 0, "joining twice is a no-op");
	is(join(&b, "lobby"), 1, "a second member");
	is(join(&a, "game"), 1, "a second room");
	is(active_count("lobby"), 2, "lobby has 2 members");
	is(active_count("game"), 1, "game has 1 member");
	is(R.nrooms, 2, "2 rooms");
	is(ws_rooms_join(&R, &a.rooms, &a, "", 0, 1), WS_ERR_INVAL, "the empty name is refused");
	static const char *const ag[] = {"lobby", "game"};
	ok(list_is(&a, ag, 2), "a's rooms in join order");
	ok(ws_rooms_is_member(&R, &a.rooms, "game", 4), "a is in game");
	ok(!ws_rooms_is_member(&R, &b.rooms, "game", 4), "b is not in game");
	ok(!ws_rooms_is_member(&R, &c.rooms, "nowhere", 7), "no room, no member");

	/* Binary-safe names: "x\0y" and "x" are two rooms. */
	is(ws_rooms_join(&R, &c.rooms, &c, "x\0y", 3, 1), 1, "a name with a NUL byte");
	is(ws_rooms_join(&R, &c.rooms, &c, "x", 1, 1), 1, "its prefix is another room");
	is(R.nrooms, 4, "4 rooms");

	is(leave(&b, "game"), 0, "leaving a room one is not in");
	is(leave(&b, "nowhere"), 0, "leaving a room that does not exist");
	is(leave(&a, "lobby"), 1, "a leaves lobby");
	static const char *const ag2[] = {"game"};
	ok(list_is(&a, ag2, 1), "a's list shrank");
	is(active_count("lobby"), 1, "lobby has 1 member");
	is(leave(&a, "game"), 1, "a leaves game, its last member");
	ok(ws_rooms_find(&R, "game", 4) == NULL, "the empty room is gone");
	ok(a.rooms.v == NULL && a.rooms.len == 0, "an owner in no room holds no memory");
	ok(consistent(), "consistent after joins and leaves");

	/* The order of rooms is creation order; a room created again goes
	 * to the end. */
	join(&a, "game");
	const char *order[8];
	size_t n = 0;
	for (ws_room_t *room = ws_rooms_first(&R); room && n < 8; room = ws_rooms_next(room))
		order[n++] = room->name;
	ok(n == 4 && !strcmp(order[0], "lobby") && !strcmp(order[3], "game"), "rooms listed oldest first");

	/* Deactivation: still a member, not counted. */
	join(&b, "game");
	ws_rooms_deactivate(&R, &b.rooms);
	is(active_count("game"), 1, "an inactive member is not counted");
	is(active_count("lobby"), 0, "lobby's only member is inactive");
	ok(ws_rooms_find(&R, "lobby", 5) != NULL, "but the room still exists");
	is(R.nactive_rooms, 3, "3 rooms with an active member");
	is(b.rooms.len, 2, "the inactive owner still lists its rooms");
	is(ws_rooms_join(&R, &b.rooms, &b, "late", 4, 0), 1, "an inactive owner may join (inactive)");
	is(active_count("late"), 0, "not counted");
	ok(consistent(), "consistent after deactivation");
	ws_rooms_leave_all(&R, &b.rooms);
	ok(b.rooms.v == NULL && b.rooms.len == 0, "leave_all empties the list");
	ok(ws_rooms_find(&R, "lobby", 5) == NULL && ws_rooms_find(&R, "late", 4) == NULL, "rooms left empty are gone");
	is(active_count("game"), 1, "game keeps a");
	ok(consistent(), "consistent after leave_all");

	ws_rooms_deinit(&R);
	ok(a.rooms.v == NULL && c.rooms.v == NULL, "deinit empties the owners' lists");
	is(R.nrooms, 0, "deinit leaves an empty registry");
}

static void test_big_room(void)
{
	enum { N = 10000 };
	owner_t *o = calloc(N, sizeof(*o));
	ws_rooms_init(&R, 3, 4);
	int fails = 0;
	for (int i = 0; i < N; i++) {
		o[i].id = i;
		fails += join(&o[i], "big") != 1;
	}
	is(fails, 0, "10,000 members join one room");
	is(active_count("big"), N, "it counts 10,000");
	/* Leave every other member, from the middle out: swap-removal keeps
	 * the indexes right. */
	for (int i = 0; i < N / 2; i++)
		fails += leave(&o[(i * 7919) % (N / 2) * 2], "big") != 1; /* a permutation of the even owners */
	is(fails, 0, "5,000 leave in scrambled order");
	is(active_count("big"), N / 2, "5,000 left");
	ok(consistent(), "consistent");
	int seen_odd = 1;
	ws_room_t *room = ws_rooms_find(&R, "big", 3);
	for (uint32_t i = 0; room && i < room->len; i++)
		if (((owner_t *)room->members[i]->owner)->id % 2 == 0)
			seen_odd = 0;
	ok(seen_odd, "only the odd owners are left");
	for (int i = 1; i < N; i += 2)
		ws_rooms_leave_all(&R, &o[i].rooms);
	ok(ws_rooms_find(&R, "big", 3) == NULL, "the room is gone with its last member");
	ws_rooms_deinit(&R);
	free(o);
}

static void test_many_rooms(void)
{
	enum { N = 10000 };
	owner_t *o = calloc(N, sizeof(*o));
	char name[32];
	ws_rooms_init(&R, 5, 6);
	int fails = 0;
	/* 10,000 rooms of 3 members: owner i is in rooms i, i+1, i+2. */
	for (int i = 0; i < N; i++) {
		for (int k = 0; k < 3; k++) {
			snprintf(name, sizeof(name), "room-%d", (i + k) % N);
			fails += join(&o[i], name) != 1;
		}
	}
	is(fails, 0, "30,000 joins");
	is(R.nrooms, N, "10,000 rooms");
	is(R.nmembers, 3 * N, "30,000 memberships");
	ok(R.nrbuckets >= N && R.nmbuckets >= 3 * N, "the tables grew");
	size_t longest = 0;
	for (size_t b = 0; b < R.nrbuckets; b++) {
		size_t len = 0;
		for (ws_room_t *r = R.rbuckets[b]; r; r = r->hnext)
			len++;
		if (len > longest)
			longest = len;
	}
	ok(longest < 12, "room chains stay short (longest %zu)", longest);
	ok(consistent(), "consistent");
	/* One owner joining 10,000 rooms: joins and leaves stay cheap. */
	owner_t big = {N, {0}};
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "room-%d", i);
		fails += join(&big, name) != 1;
	}
	is(fails, 0, "one owner in 10,000 rooms");
	is(big.rooms.len, N, "its list has 10,000 entries");
	snprintf(name, sizeof(name), "room-%d", N / 2);
	is(leave(&big, name), 1, "it leaves one from the middle");
	ok(consistent(), "consistent after a leave from the middle of a long list");
	ws_rooms_leave_all(&R, &big.rooms);
	for (int i = 0; i < N; i++)
		ws_rooms_leave_all(&R, &o[i].rooms);
	is(R.nrooms, 0, "every room is gone");
	is(R.nmembers, 0, "every membership is gone");
	ws_rooms_deinit(&R);
	free(o);
}

/* A naive model: bit (o, r) set when owner o is in room r. */
enum { MO = 12, MR = 9 };
static unsigned char model[MO][MR];

static void test_random(void)
{
	owner_t o[MO];
	char name[16];
	uint64_t x = 88172645463325252ull;
	int bad = 0;
	memset(o, 0, sizeof(o));
	memset(model, 0, sizeof(model));
	ws_rooms_init(&R, 7, 8);
	for (int step = 0; step < 20000 && !bad; step++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int oi = (int)(x % MO), ri = (int)((x >> 8) % MR), op = (int)((x >> 16) % 10);
		snprintf(name, sizeof(name), "r%d", ri);
		if (op < 5) {
			int want = !model[oi][ri];
			bad |= join(&o[oi], name) != want;
			model[oi][ri] = 1;
		} else if (op < 9) {
			int want = model[oi][ri];
			bad |= leave(&o[oi], name) != want;
			model[oi][ri] = 0;
		} else {
			ws_rooms_leave_all(&R, &o[oi].rooms);
			memset(model[oi], 0, MR);
		}
		for (int r = 0; r < MR && !bad; r++) {
			snprintf(name, sizeof(name), "r%d", r);
			uint32_t want = 0;
			for (int k = 0; k < MO; k++) {
				want += model[k][r];
				if (ws_rooms_is_member(&R, &o[k].rooms, name, strlen(name)) != model[k][r])
					bad = 1;
			}
			if (active_count(name) != want)
				bad = 1;
		}
		if (step % 97 == 0 && !consistent())
			bad = 1;
		if (bad)
			diag("diverged at step %d", step);
	}
	ok(!bad && consistent(), "20,000 random operations agree with a naive model");
	ws_rooms_deinit(&R);
}

/* Allocation failure at every allocation of a join: nothing changes. */
static int fail_after = -1;
static void *fail_malloc(size_t n) { return fail_after == 0 ? NULL : (fail_after > 0 ? fail_after-- : 0, malloc(n)); }
static void *fail_realloc(void *p, size_t n)
{
	return fail_after == 0 ? NULL : (fail_after > 0 ? fail_after-- : 0, realloc(p, n));
}

static void test_nomem(void)
{
	ws_allocator_t a = {fail_malloc, fail_realloc, free};
	ws_set_allocator(&a);
	int good = 1;
	for (int k = 0; k < 8; k++) {
		owner_t x = {1, {0}}, y = {2, {0}};
		ws_rooms_init(&R, 9, 10);
		fail_after = -1;
		join(&x, "a");
		fail_after = k;
		int r = join(&y, k % 2 ? "a" : "b");
		fail_after = -1;
		if (r == WS_ERR_NOMEM) {
			good &= y.rooms.len == 0 && consistent();
			good &= R.nrooms == 1 && active_count("a") == 1;
		} else {
			good &= r == 1 && consistent();
		}
		ws_rooms_deinit(&R);
	}
	ws_set_allocator(&(ws_allocator_t){malloc, realloc, free});
	ok(good, "a join that runs out of memory changes nothing");
}

int main(void)
{
	test_basics();
	test_big_room();
	test_many_rooms();
	test_random();
	test_nomem();
	return done_testing();
}
