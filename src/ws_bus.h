/* The cluster bus's wire format and address: pure functions, no I/O, no
 * hiredis (src/ws_cluster.c does the Redis side).
 *
 * A bus message is one Redis pub/sub payload, binary-safe, big-endian:
 *
 *   offset size
 *    0      2   magic "SB"
 *    2      1   version (WS_BUS_VERSION = 1)
 *    3      1   type (WS_BUS_BROADCAST = 1)
 *    4      1   flags: bit 0 binary, bit 1 room; the other bits are 0
 *    5      1   reserved, 0
 *    6      2   room length (0 without the room flag, 1-65535 with it)
 *    8      4   origin node id
 *   12      8   id of the connection left out (0: none)
 *   20      4   data length
 *   24          room bytes, then data bytes; nothing after them
 *
 * A node ignores a message whose version it does not know: a rolling
 * upgrade that changes the format bumps the version, and nodes of both
 * versions then deliver only their own messages instead of wrong ones.
 */
#ifndef SALON_WS_BUS_H
#define SALON_WS_BUS_H

#include <stddef.h>
#include <stdint.h>

#define WS_BUS_VERSION 1
#define WS_BUS_HEADER 24
#define WS_BUS_MAX_ROOM 65535u

enum { WS_BUS_BROADCAST = 1 };

typedef struct ws_bus_msg {
	uint8_t type;       /* WS_BUS_BROADCAST */
	uint8_t binary;     /* 0 text, 1 binary */
	uint32_t origin;    /* node id of the publisher */
	uint64_t except_id; /* connection left out, 0 for none */
	const char *room;   /* NULL: every connection; else room_len >= 1 bytes */
	size_t room_len;
	const uint8_t *data; /* may be NULL when len is 0 */
	size_t len;
} ws_bus_msg_t;

/* Bytes ws_bus_encode() writes for m, or 0 when m cannot be encoded (a room
 * that is empty or over 65535 bytes, data over 4 GiB - 1). */
size_t ws_bus_size(const ws_bus_msg_t *m);

/* Encodes m into out (cap bytes). Returns the bytes written, WS_ERR_INVAL
 * when m cannot be encoded, or WS_ERR_TOOBIG when cap is too small. */
int ws_bus_encode(const ws_bus_msg_t *m, uint8_t *out, size_t cap);

/* Decodes buf[0, len). On success returns 0 and fills out, whose room and
 * data point into buf (borrowed). Returns WS_ERR_PROTO for anything
 * malformed (magic, unknown version or type, flags, lengths that do not add
 * up to len) and WS_ERR_TOOBIG when the data is over max_data. Reads only
 * buf[0, len). */
int ws_bus_decode(const uint8_t *buf, size_t len, size_t max_data, ws_bus_msg_t *out);

/* Where the bus is. */
typedef struct ws_bus_addr {
	int is_unix;
	char host[256];  /* TCP: name or address, without brackets */
	int port;        /* TCP: 6379 by default */
	char path[108];  /* unix socket path */
	char user[128];  /* AUTH user ("" for the default user) */
	char pass[256];  /* AUTH password ("" for no AUTH) */
	char prefix[65]; /* key and channel prefix; "salon" by default */
} ws_bus_addr_t;

/* Parses a bus URL:
 *   redis://[[user]:password@]host[:port][/prefix]   host may be [v6]
 *   unix://path[?prefix=name]   or a bare absolute path[?prefix=name]
 * user and password may use %XX escapes. A prefix is 1-64 bytes of
 * [A-Za-z0-9_.:-]. Returns 0, or WS_ERR_INVAL with a message in errbuf. */
int ws_bus_parse_url(const char *url, ws_bus_addr_t *out, char *errbuf, size_t errlen);

/* Connection ids, unique across the cluster and exact in a JavaScript number
 * (a double: integers up to 2^53 - 1):
 *
 *   id = node << 32 | local number      node: 21 bits, local number: 32 bits
 *
 * A server without the bus has node 0, so its ids are 1, 2, 3 ... Local
 * number 0 is never used, so no id is 0. With the bus, a node (a process:
 * each worker is a node) takes its node id from Redis at start: INCR
 * <prefix>:node, mapped by ws_bus_node_from_incr() onto 1 .. 2^20 - 1
 * (wrapping round, skipping 0). A node started while Redis is unreachable
 * draws its node id at random from 2^20 .. 2^21 - 1 instead
 * (WS_BUS_NODE_RANDOM_MIN), a range Redis never hands out. */
#define WS_BUS_NODE_MAX 0x1fffffu            /* 2^21 - 1 */
#define WS_BUS_NODE_RANDOM_MIN 0x100000u     /* 2^20 */
#define WS_BUS_ID_MAX 0x1fffffffffffffull    /* 2^53 - 1 */

/* The node id for the value INCR returned (n >= 1; anything else is taken
 * modulo too): 1 .. 2^20 - 1, never 0. */
uint32_t ws_bus_node_from_incr(long long n);

/* node << 32 | local, node taken modulo 2^21: at most WS_BUS_ID_MAX. */
uint64_t ws_bus_conn_id(uint32_t node, uint32_t local);

#endif
