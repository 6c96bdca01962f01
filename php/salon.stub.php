<?php

/**
 * @generate-class-entries
 * @generate-legacy-arginfo 80200
 */

namespace Salon;

/** A runtime failure: a socket could not be bound, the event loop failed, ... */
class Exception extends \RuntimeException {}

/**
 * A WebSocket server. It binds and listens as soon as it is constructed;
 * run() then serves until stop() is called.
 *
 * Handlers are set with on(), or, in a subclass, by defining the methods
 * onOpen(), onMessage(), onClose(), onError() and onDrain() (this class does
 * not declare them, so any signature works). A handler set with on() wins.
 * The constructor warns (E_WARNING) about a method named like a handler
 * ("on" and a capital letter) that is none, and about a handler method
 * whose parameters cannot take what the server passes.
 *
 * @strict-properties
 * @not-serializable
 */
class Server implements \Countable
{
    /**
     * Options: document_root (?string, an existing directory served for
     * plain GET requests), serve_dotfiles (bool, false: a path with a
     * segment starting with "." is 404, /.well-known excepted),
     * max_message_size (int, bytes), max_fragments
     * (int), max_buffered (int, bytes queued per connection), on_buffer_full
     * ("close" or "drop"), send_high_water and send_low_water (int, bytes,
     * 1 MiB and 0: a connection whose bufferedAmount() went over the high
     * mark gets one "drain" event when it is back to the low mark or less), handshake_timeout, close_timeout, idle_timeout
     * (float, seconds; 0 disables the idle timeout; handshake_timeout
     * must be greater than 0), max_connections,
     * max_connections_per_ip, backlog (int), reuse_port (bool),
     * shutdown_timeout (float, seconds, 5: how long run() flushes and waits
     * for the clients' close frames when it stops),
     * allowed_origins (list of origins such as "https://chat.example.com";
     * an upgrade request with another Origin, or none, gets 403),
     * subprotocols (list of tokens, the server's preference first: the
     * first one the client offered is answered in Sec-WebSocket-Protocol;
     * no match, no header), trusted_proxies (list of addresses and CIDR
     * blocks: when the peer is one of them, remoteAddress is the client
     * named by the forwarded_header, taken from the right and skipping
     * trusted proxies; port 0 when the header has none), forwarded_header
     * ("x-forwarded-for", the default, "forwarded" or "x-real-ip": the one
     * header the trusted proxies set; the others are ignored), proxy_protocol (bool: every connection starts with a HAProxy
     * PROXY protocol v1 or v2 header, whose source address becomes
     * remoteAddress; a connection without a valid one is closed),
     * metrics_path (?string, e.g. "/metrics": a plain GET of that path is
     * answered with stats() in the OpenMetrics text format, for
     * Prometheus; on the same port as everything else), tls
     * (?array: serve wss:// and https://; keys "cert" (PEM file, may hold
     * the chain), "key" (PEM file; default: the cert file), "passphrase",
     * "ca" (PEM CA file completing the chain), "ciphers" (OpenSSL list for
     * TLS 1.2), "min_version" ("TLSv1.2", the default, or "TLSv1.3")),
     * compression (false, true or an array: permessage-deflate, RFC 7692;
     * array keys server_no_context_takeover and client_no_context_takeover
     * (bool), server_max_window_bits and client_max_window_bits (int,
     * 8-15), level (int, 0-9), memory_level (int, 1-9) and threshold (int,
     * bytes: shorter messages are sent uncompressed)).
     *
     * Scaling out: workers (int, 1-1024, default 1: run() forks that many
     * processes, each with its own loop and handlers, all accepting on this
     * port with SO_REUSEPORT; see run()), cluster (?string, the Redis bus
     * shared by every process and machine: "redis://host:port/prefix",
     * "unix:///path/redis.sock?prefix=name" or "/path/redis.sock"; with it,
     * broadcast() reaches every node's connections).
     *
     * $host must not be empty: "0.0.0.0" or "::" listen on every address.
     *
     * @throws Exception when the address cannot be bound, or a TLS file
     *         cannot be loaded or the key does not match the certificate
     */
    public function __construct(string $host = "127.0.0.1", int $port = 8000, array $options = []) {}

    /**
     * Sets the handler of one event: "open" (Connection $c), "message"
     * (Connection $c, string $data, bool $binary), "close" (Connection $c,
     * int $code, string $reason), "error" (?Connection $c, \Throwable $e),
     * "drain" (Connection $c: its send queue went over send_high_water and
     * is back to send_low_water), "handshake" (Request $r, Response $res):
     * bool|int|null, or "start" (Server $s).
     *
     * The handshake handler runs before the 101 answer: true (or no return
     * value) accepts, false rejects with 403 (or the status set with
     * $res->status()), an int in 300-599 rejects with that status, and no
     * return value with a status set rejects with it; the headers added
     * with $res->header() go with the answer (the 101 or the rejection),
     * and $res->body() is the rejection's body. A handler that throws
     * rejects with 500 (and the exception goes to the error handler with a
     * null connection). The Request it gets is the one the connection's
     * request() returns, and its $data becomes the connection's $data.
     *
     * The start handler runs when run() starts, before the first step:
     * the place for timers.
     */
    public function on(string $event, callable $handler): static {}

    /**
     * Serves until stop(), SIGINT or SIGTERM; then stops gracefully: stops
     * accepting, sends close 1001 to every connection, flushes for at most
     * shutdown_timeout seconds, runs the close handler of each, and
     * returns.
     *
     * While it runs, SIGINT and SIGTERM are handled by Salon when their
     * handler is the default one; a handler set with pcntl_signal() (or an
     * inherited SIG_IGN) is left alone. The previous handlers are back as
     * soon as the shutdown starts, so a second signal ends the process.
     *
     * With the "workers" option the calling process becomes the master: it
     * forks the workers, restarts one that dies, forwards SIGTERM/SIGINT to
     * them, and returns once they have all stopped. A worker runs the loop
     * (and the start handler) and never returns from run(): its process
     * ends as with exit() when it stops (SIGTERM, or stop() in a handler,
     * which stops every worker).
     */
    public function run(): void {}

    /** Makes run() stop gracefully after the current step. Safe in handlers and timers. */
    public function stop(): void {}

    /**
     * Sends one message to every open connection, or with $room to the open
     * members of that room, except $except; returns the number of
     * recipients (0 for a room nobody is in). The frame is encoded once
     * (compressed once per distinct negotiated window size) and the same
     * bytes are queued on every recipient.
     *
     * With the "cluster" option the message is also published once on the
     * bus, and every other node (process) delivers it to its own
     * connections (of $room; $except included, by id); the return value
     * counts this node's recipients only. While the bus is down, delivery is
     * local and the lost publishes are counted in stats()['cluster_dropped'].
     */
    public function broadcast(string $data, bool $binary = false, ?string $room = null, ?Connection $except = null): int {}

    /** The number of open connections in $room (0 when nobody is in it). */
    public function roomCount(string $room): int {}

    /**
     * @return list<string> the rooms with at least one open connection,
     * oldest first
     */
    public function rooms(): array {}

    /**
     * @return array<int, Connection> the open connections by id, oldest
     * first (in a close handler, without the closing connection, as
     * roomCount(), broadcast() and stats()). Makes the objects of
     * connections no handler has seen yet, so they stay in memory until
     * they close.
     */
    public function connections(): array {}

    /**
     * An open connection (null for the closing one in its close handler).
     * Finding an id no handler has seen yet walks the open connections.
     */
    public function connection(int $id): ?Connection {}

    /** The open connections, as connections() lists them. */
    public function count(): int {}

    public function port(): int {}

    public function host(): string {}

    /**
     * The server's figures: counters since the start (connections_total,
     * messages_in/out, bytes_in/out on the wire, handshakes_failed,
     * http_requests), what is now (connections open, connections_by_state
     * [handshake, open, closing], bytes_buffered in the send queues, rooms
     * with open members and their room_members), per_second rates over the
     * last second, close_codes seen (code => count), the event loop's lag
     * (loop_lag_ms last, loop_lag_max_ms over the last minute: how late a
     * once-a-second timer ran) and uptime in seconds. The metrics_path
     * option serves the same figures to Prometheus.
     *
     * With the "cluster" option also: cluster_connected (bool),
     * cluster_node (this node's id, from Redis: the bits above the low 32 of
     * its connection ids),
     * cluster_published, cluster_received (from other nodes),
     * cluster_dropped (publishes lost while the bus was down or Redis lagged),
     * cluster_invalid (bus messages ignored), cluster_reconnects.
     *
     * @return array{connections: int, connections_total: int, messages_in: int, messages_out: int, bytes_in: int, bytes_out: int, handshakes_failed: int, http_requests: int, connections_by_state: array{handshake: int, open: int, closing: int}, bytes_buffered: int, rooms: int, room_members: int, per_second: array{messages_in: float, messages_out: float, bytes_in: float, bytes_out: float, connections: float}, close_codes: array<int, int>, loop_lag_ms: float, loop_lag_max_ms: float, uptime: float}
     */
    public function stats(): array {}

    /**
     * Loads the TLS certificate and key files again (after a renewal): new
     * connections use them, open ones keep theirs. While run() is active,
     * SIGHUP does the same, unless the application set its own SIGHUP
     * handler (pcntl_signal()), which may call this method.
     *
     * @throws Exception when the server has no TLS, or the new files cannot
     *         be loaded or do not match; the current certificate stays
     */
    public function reloadTls(): void {}

    /** Calls $callback() once, $seconds from now; returns the timer id. */
    public function after(float $seconds, callable $callback): int {}

    /** Calls $callback() every $seconds; returns the timer id. */
    public function every(float $seconds, callable $callback): int {}

    /** Cancels a timer; an unknown id is ignored. */
    public function cancel(int $id): void {}

    /**
     * The worker this code runs in: 0 to workers - 1 in a worker process,
     * 0 in a server without workers (and in the master).
     */
    public function workerId(): int {}

    /**
     * Open connections (with $room: members of that room) across the
     * cluster: this node's own count, plus every other live node's as it
     * wrote it to Redis at most a second ago (a node that died drops out
     * within 3 s). One Redis round trip. Without the "cluster" option, this
     * process's count.
     *
     * @throws Exception when the bus is down or Redis does not answer in 2 s
     */
    public function clusterCount(?string $room = null): int {}
}

/**
 * One WebSocket connection. Made by the server only; the same object is
 * passed to every handler of the connection. The object is made the first
 * time PHP needs it (a handler runs for the connection, connections(),
 * connection($id)), so an idle connection no handler has seen costs no PHP
 * memory; from then on it lives until the close handler returned.
 *
 * It takes dynamic properties ($c->user = $row, as Ratchet and Workerman
 * connections do) besides $data: they live and die with the object.
 *
 * @not-serializable
 */
#[\AllowDynamicProperties]
final class Connection
{
    /**
     * Unique in the process: 1, 2, 3, ... In a worker (option "workers"),
     * (worker + 1) << 32 | n; with the "cluster" option, node << 32 | n, the
     * node id (21 bits, from Redis INCR) shown by stats()['cluster_node']:
     * unique across the cluster. Always 1 .. 2^53-1, exact in JSON and
     * JavaScript.
     */
    public readonly int $id;
    public readonly string $remoteAddress;
    /** Free for the application. */
    public mixed $data = null;

    /**
     * Queues a message, compressed when the connection negotiated
     * permessage-deflate and it is long enough and shrinks; false when the
     * connection is closing or closed, or its send queue is full.
     */
    public function send(string $data, bool $binary = false): bool {}

    /** Queues a ping (payload at most 125 bytes); does nothing once closed. */
    public function ping(string $payload = ""): void {}

    /** Starts the close handshake; does nothing when already closing or closed. */
    public function close(int $code = 1000, string $reason = ""): void {}

    public function isOpen(): bool {}

    /**
     * Joins a room (a name of one or more bytes). Returns true when it
     * joined, false when it already was a member or the connection is
     * closing or closed. A connection leaves all its rooms when it closes.
     */
    public function join(string $room): bool {}

    /** Leaves a room; false when it was not a member. */
    public function leave(string $room): bool {}

    /**
     * @return list<string> the rooms of this connection, in the order it
     * joined them; in the close handler, the rooms it is leaving (they no
     * longer count it); afterwards, none.
     */
    public function rooms(): array {}

    /**
     * Bytes accepted by send() (and broadcasts) not yet written to the
     * socket; 0 when closed. See the send_high_water option and "drain".
     */
    public function bufferedAmount(): int {}

    /** The upgrade request; still available after the connection closed. */
    public function request(): Request {}

    /** The negotiated subprotocol (see the "subprotocols" option), or null. */
    public function subprotocol(): ?string {}

    public function server(): Server {}
}

/**
 * The HTTP upgrade request of a connection.
 *
 * @strict-properties
 */
final class Request
{
    public readonly string $method;
    /**
     * The target's path without the query ("/chat"); of an absolute-form
     * target ("http://host/chat?room=1") its path, "/" when it has none.
     */
    public readonly string $path;
    /** The raw query after "?", without it; "" when there is none. */
    public readonly string $query;
    /**
     * @var array<string, string> lower-cased names; repeated headers joined
     * with ", " (Cookie lines with "; "). The fields the handshake consumed
     * are left out, also in the handshake handler's Request: Connection and
     * Upgrade (hop-by-hop), Sec-WebSocket-Key and Sec-WebSocket-Version. A
     * connection keeps its request for request() at any time, and those
     * fields were a third of it.
     */
    public readonly array $headers;
    /** The client's address, "ip:port" or "[v6]:port", as Connection::$remoteAddress. */
    public readonly string $remoteAddress;
    /**
     * Yours, in the handshake handler: what it computed there (the user's
     * row) becomes the connection's Connection::$data when it opens.
     */
    public mixed $data = null;

    /**
     * The query string parsed as parse_str() and $_GET do ("a[]=1&a[]=2"
     * gives an array, "+" is a space).
     *
     * @return array<string, string|array>
     */
    public function queryParams(): array {}

    /**
     * The cookies of the Cookie header, name => URL-decoded value as in
     * $_COOKIE (names as sent; of two cookies with one name, the first).
     *
     * @return array<string, string>
     */
    public function cookies(): array {}

    /** Case-insensitive header lookup. */
    public function header(string $name): ?string {}
}

/**
 * The server's answer to an upgrade request, given to the handshake
 * handler as its second argument (Swoole's $response): headers for the 101
 * when it accepts (Set-Cookie), or the status, headers and body of its
 * rejection (401 with WWW-Authenticate, 3xx with Location, a JSON body).
 * What it holds is sent once the handler returned.
 *
 * @strict-properties
 * @not-serializable
 */
final class Response
{
    /**
     * Rejects with this status (300-599), unless the handler returns
     * another one; returning true as well is an error.
     */
    public function status(int $status): static {}

    /**
     * Adds a header to the answer, the 101 or the rejection; call it again
     * for a second line with the same name (Set-Cookie). A Content-Type
     * replaces the rejection's default text/plain.
     *
     * @throws \ValueError when the name is not a token (RFC 9110) or is a
     *         header the server writes itself (Connection, Upgrade,
     *         Content-Length, Transfer-Encoding, Sec-WebSocket-*), or the
     *         value contains CR, LF, NUL or another control character, or
     *         starts or ends with whitespace
     */
    public function header(string $name, string $value): static {}

    /**
     * The body of the rejection (without one: the status line as text). A
     * 101 has no body: accepting with one rejects with 500.
     */
    public function body(string $body): static {}
}
