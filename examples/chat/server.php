<?php
/*
 * Salon chat room: the tutorial's class-based server.php, made complete.
 *
 *   make chat [PORT=8000]
 *   php -d extension=salon server.php [PORT] [--host=ADDRESS] [--db=FILE]
 *       [--tls-cert=FILE [--tls-key=FILE]] [--no-compression]
 *
 * With a certificate (--tls-cert, or the environment variables
 * SALON_TLS_CERT and SALON_TLS_KEY, which `make chat` passes through) the
 * page is served over https:// and the chat over wss://; the key defaults to
 * the certificate file. Without one (the default) it is plain http/ws.
 *
 * Compression: permessage-deflate is on. Browsers always offer it, and chat
 * JSON (the same keys, nicknames and words again and again) shrinks to a
 * fraction; clients that do not offer it get plain frames. --no-compression,
 * or SALON_CHAT_COMPRESSION=0 (also "off", "no", "false") in the
 * environment, turns it off.
 *
 * PORT defaults to 8000 (0 picks a free one; the printed URL says which).
 * The server listens on 127.0.0.1 unless --host says otherwise (--host=0.0.0.0
 * to let a phone on the same network in). It serves the page in public/ and
 * speaks the JSON protocol below on the same port, on any path. It runs from
 * any working directory.
 *
 * History: the last 50 messages of each room are kept in an SQLite database
 * (PDO sqlite; Debian package php-sqlite3), so they survive a restart. The
 * file is --db=FILE, else the environment variable SALON_CHAT_DB, else
 * var/chat.sqlite next to this script (git-ignored), else
 * sys_get_temp_dir()/salon-chat.sqlite when var/ cannot be written. An empty
 * value or ":memory:" keeps history in memory only, as does a PHP without
 * pdo_sqlite (a notice on STDERR says so). The messages kept in memory are
 * bounded: at most 1000 rooms and 8 MiB (text, nicknames and ~400 bytes per
 * message); past either the least recently used rooms are dropped from
 * memory (lost without a database, reloaded from it with one). A connection
 * is in one room at a time. The database keeps at most 50 messages per
 * room, 10,000 rows and 1,000 rooms in all (the newest rows, the most
 * recently active rooms; about 80 MB at worst, 2,000 4-byte characters a row).
 *
 * Client -> server (one JSON object per text message, at most 32 KiB):
 *   {"type":"join", "nick":"alice", "room":"lobby"}
 *        Join a room; "room" defaults to "lobby". Sent again, it switches
 *        rooms (the old room sees "alice left") or, in the same room,
 *        changes the nickname. Nicknames: 1 to 24 characters, unique per
 *        room ignoring case; rooms: 1 to 32 characters, lower-cased. Both
 *        are trimmed and may hold single spaces, but no control characters
 *        or line breaks. The page renders every name as text.
 *   {"type":"message", "text":"hello"}
 *        Say something in the current room: 1 to 2000 characters, not only
 *        white space.
 *
 * Server -> client:
 *   {"type":"joined", "nick", "room", "users":[nick...], "history":[message...]}
 *        The answer to a join: the room's members and its last 50 messages
 *        (oldest first, each shaped like "message" below).
 *   {"type":"message", "room", "nick", "text", "ts"}       ts: Unix seconds
 *   {"type":"notice", "room", "event", "nick", "text", "ts"}
 *        event "join", "leave" or "nick" (then also "old"); "text" is the
 *        sentence to show, e.g. "alice joined".
 *   {"type":"users", "room", "users":[nick...]}              after each notice
 *   {"type":"error", "code", "message"}
 *        The request was refused; nothing else changed. code is one of
 *        bad_json, too_long, binary, unknown_type, nick_invalid, nick_taken,
 *        room_invalid, not_joined, text_invalid, internal.
 *
 * Messages over 64 KiB close the connection (1009); everything smaller that
 * is not a valid request gets an "error" answer and the connection stays.
 * A client that does not read while its room is busy misses messages once
 * 1 MiB is queued for it (on_buffer_full 'drop'); it is not disconnected.
 */
declare(strict_types=1);

/**
 * The last messages of each room: in memory, and in SQLite when there is a
 * database. Rooms are loaded from the database when first asked for.
 */
final class ChatHistory
{
	/** @var array<string, list<array>> room => last messages, oldest first; least recently used first */
	private array $recent = [];
	/** @var array<string, int> room => bytes its cached messages are counted for */
	private array $size = [];
	private int $bytes = 0;
	/** @var array<string, int> room => inserts since the last prune */
	private array $inserts = [];
	/** Inserts since the last global prune. */
	private int $sincePrune = 0;

	/** The database's bounds: rows and rooms in all (checked every PRUNE_EVERY inserts, so never exceeded). */
	public const MAX_DB_ROWS = 10000;
	public const MAX_DB_ROOMS = 1000;
	private const PRUNE_EVERY = 100;

	/**
	 * $maxRooms and $maxBytes bound the cache (rooms, and bytes of text and
	 * nicknames plus a per-message overhead): past either, the least
	 * recently used rooms are dropped from memory (and so lost without a
	 * database; reloaded from it with one).
	 */
	public function __construct(private ?PDO $db = null, public readonly int $limit = 50,
		public readonly int $maxRooms = 1000, public readonly int $maxBytes = 8 << 20)
	{
		if ($db !== null) {
			$db->exec('PRAGMA journal_mode = WAL');
			$db->exec('PRAGMA synchronous = NORMAL');
			$db->exec('CREATE TABLE IF NOT EXISTS messages (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				room TEXT NOT NULL, nick TEXT NOT NULL, text TEXT NOT NULL, ts INTEGER NOT NULL)');
			$db->exec('CREATE INDEX IF NOT EXISTS messages_room_id ON messages (room, id)');
			$this->prune();
		}
	}

	/**
	 * Opens the database at $path; falls back to memory (with a notice on
	 * STDERR saying why) when PDO sqlite is missing or the file cannot be
	 * opened. "" and ":memory:" mean memory.
	 */
	public static function open(string $path): self
	{
		if (!self::available()) {
			fwrite(STDERR, "chat: notice: PDO sqlite is not loaded, so history is kept in memory and lost on restart\n"
				. "      (Debian: apt-get install php-sqlite3, then php -d extension=pdo -d extension=pdo_sqlite ...)\n");
			return new self();
		}
		if ($path === '' || $path === ':memory:') {
			return new self();
		}
		try {
			$db = new PDO('sqlite:' . $path, null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => 2]);
			return new self($db);
		} catch (PDOException $e) {
			fwrite(STDERR, "chat: notice: cannot open the history database $path ({$e->getMessage()}), so history is kept in memory\n");
			return new self();
		}
	}

	/** Whether PDO sqlite is loaded. */
	public static function available(): bool
	{
		return class_exists(PDO::class, false) && in_array('sqlite', PDO::getAvailableDrivers(), true);
	}

	public function persistent(): bool
	{
		return $this->db !== null;
	}

	/** @return list<array> the room's last messages, oldest first */
	public function recent(string $room): array
	{
		if (isset($this->recent[$room])) {
			/* Most recently used last: move it to the end. */
			$msgs = $this->recent[$room];
			unset($this->recent[$room]);
			$this->recent[$room] = $msgs;
			return $msgs;
		}
		$msgs = $this->load($room);
		$this->recent[$room] = $msgs;
		$this->size[$room] = 0;
		foreach ($msgs as $m) {
			$this->size[$room] += self::cost($m);
		}
		$this->bytes += $this->size[$room];
		$this->evict($room);
		return $msgs;
	}

	public function add(array $msg): void
	{
		$room = $msg['room'];
		$this->recent($room);
		$this->recent[$room][] = $msg;
		$this->size[$room] += self::cost($msg);
		$this->bytes += self::cost($msg);
		if (count($this->recent[$room]) > $this->limit) {
			$cost = self::cost(array_shift($this->recent[$room]));
			$this->size[$room] -= $cost;
			$this->bytes -= $cost;
		}
		$this->evict($room);
		if ($this->db === null) {
			return;
		}
		try {
			$this->db->prepare('INSERT INTO messages (room, nick, text, ts) VALUES (?, ?, ?, ?)')
				->execute([$room, $msg['nick'], $msg['text'], $msg['ts']]);
			/* Keep the table small: every $limit inserts into a room, drop
			 * what is older than its last $limit messages. */
			$this->inserts[$room] = ($this->inserts[$room] ?? 0) + 1;
			if ($this->inserts[$room] >= $this->limit) {
				unset($this->inserts[$room]);
				$this->db->prepare('DELETE FROM messages WHERE room = ? AND id <= (SELECT id FROM messages WHERE room = ? ORDER BY id DESC LIMIT 1 OFFSET ?)')
					->execute([$room, $room, $this->limit]);
			}
			if (count($this->inserts) > $this->maxRooms) {
				unset($this->inserts[array_key_first($this->inserts)]);
			}
			if (++$this->sincePrune >= self::PRUNE_EVERY) {
				$this->prune();
			}
		} catch (PDOException $e) {
			/* A full disk or a deleted file must not stop the chat: keep going in memory. */
			fwrite(STDERR, "chat: notice: history database failed ({$e->getMessage()}); history is now kept in memory\n");
			$this->db = null;
		}
	}

	/**
	 * Caps the database as a whole: keeps the newest rows and the most
	 * recently active rooms, leaving room for the PRUNE_EVERY inserts until
	 * the next prune, so MAX_DB_ROWS and MAX_DB_ROOMS are never exceeded
	 * (one client posting into new rooms cannot grow the file). Rooms
	 * dropped here also leave the cache.
	 */
	private function prune(): void
	{
		$this->sincePrune = 0;
		$st = $this->db->prepare('DELETE FROM messages WHERE id <= (SELECT id FROM messages ORDER BY id DESC LIMIT 1 OFFSET ?)');
		$st->bindValue(1, self::MAX_DB_ROWS - self::PRUNE_EVERY, PDO::PARAM_INT);
		$st->execute();
		$st = $this->db->prepare('SELECT room FROM messages GROUP BY room ORDER BY MAX(id) DESC LIMIT -1 OFFSET ?');
		$st->bindValue(1, self::MAX_DB_ROOMS - self::PRUNE_EVERY, PDO::PARAM_INT);
		$st->execute();
		$old = $st->fetchAll(PDO::FETCH_COLUMN);
		if ($old) {
			$del = $this->db->prepare('DELETE FROM messages WHERE room = ?');
			$this->db->beginTransaction();
			foreach ($old as $room) {
				$del->execute([$room]);
				unset($this->inserts[$room]);
				if (isset($this->recent[$room])) {
					$this->drop((string) $room);
				}
			}
			$this->db->commit();
		}
	}

	/** Rooms in the cache. */
	public function cachedRooms(): int
	{
		return count($this->recent);
	}

	/** Bytes the cache is counted for (text, nicknames and a per-message overhead). */
	public function cachedBytes(): int
	{
		return $this->bytes;
	}

	/** Drops least recently used rooms (never $keep) until the cache is within its bounds. */
	private function evict(string $keep): void
	{
		while (count($this->recent) > $this->maxRooms || ($this->bytes > $this->maxBytes && count($this->recent) > 1)) {
			$room = array_key_first($this->recent);
			if ($room === $keep) {
				/* The room in use is the most recently used: move it last and go on. */
				$this->recent($room);
				continue;
			}
			$this->drop((string) $room);
		}
		/* One room alone over the byte cap (a tiny cap): keep its newest messages only. */
		while ($this->bytes > $this->maxBytes && $this->recent[$keep]) {
			$cost = self::cost(array_shift($this->recent[$keep]));
			$this->size[$keep] -= $cost;
			$this->bytes -= $cost;
		}
	}

	private function drop(string $room): void
	{
		$this->bytes -= $this->size[$room];
		unset($this->recent[$room], $this->size[$room]);
	}

	/** What one cached message is counted for: its strings and about what PHP's array of it costs. */
	private static function cost(array $m): int
	{
		return strlen($m['text']) + strlen($m['nick']) + 400;
	}

	/** Drops a room's cached messages (when it empties); the database still has them. */
	public function forget(string $room): void
	{
		if ($this->db !== null && isset($this->recent[$room])) {
			$this->drop($room);
		}
	}

	private function load(string $room): array
	{
		if ($this->db === null) {
			return [];
		}
		try {
			$st = $this->db->prepare('SELECT nick, text, ts FROM messages WHERE room = ? ORDER BY id DESC LIMIT ?');
			$st->bindValue(1, $room);
			$st->bindValue(2, $this->limit, PDO::PARAM_INT);
			$st->execute();
			$rows = [];
			foreach (array_reverse($st->fetchAll(PDO::FETCH_ASSOC)) as $r) {
				$rows[] = ['type' => 'message', 'room' => $room, 'nick' => (string) $r['nick'], 'text' => (string) $r['text'], 'ts' => (int) $r['ts']];
			}
			return $rows;
		} catch (PDOException $e) {
			fwrite(STDERR, "chat: notice: reading history failed ({$e->getMessage()})\n");
			return [];
		}
	}
}

class Chat extends Salon\Server
{
	public const MAX_TEXT = 2000;        /* characters per chat message */
	/* Bytes per client message; larger gets "too_long". 2000 characters fit
	 * even when a client escapes each one as a \uXXXX\uXXXX surrogate pair. */
	public const MAX_REQUEST = 32768;
	public const DEFAULT_ROOM = 'lobby';

	/** @var array<string, array<int, Salon\Connection>> room => connection id => connection */
	private array $rooms = [];
	private ChatHistory $history;

	public function __construct(string $host = '127.0.0.1', int $port = 8000, array $options = [], ?ChatHistory $history = null)
	{
		parent::__construct($host, $port, $options + [
			'document_root' => __DIR__ . '/public',
			'max_message_size' => 65536,
			'max_buffered' => 1 << 20,
			/* A member whose queue is full (a slow reader in a busy room) misses messages; it is not closed. */
			'on_buffer_full' => 'drop',
			'compression' => true,
		]);
		$this->history = $history ?? new ChatHistory();
	}

	public function onOpen(Salon\Connection $c): void
	{
		$c->data = ['nick' => null, 'room' => null];
	}

	public function onMessage(Salon\Connection $c, string $data, bool $binary): void
	{
		if ($binary) {
			$this->error($c, 'binary', 'messages are JSON text');
			return;
		}
		if (strlen($data) > self::MAX_REQUEST) {
			$this->error($c, 'too_long', 'messages are at most ' . self::MAX_REQUEST . ' bytes');
			return;
		}
		/* Depth 2 is all the protocol needs; deeper input is refused before it is built. */
		$msg = json_decode($data, true, 2);
		if (!is_array($msg) || array_is_list($msg) || !is_string($msg['type'] ?? null)) {
			$this->error($c, 'bad_json', 'expected a JSON object with a "type"');
			return;
		}
		match ($msg['type']) {
			'join' => $this->join($c, $msg['nick'] ?? null, $msg['room'] ?? self::DEFAULT_ROOM),
			'message' => $this->say($c, $msg['text'] ?? null),
			default => $this->error($c, 'unknown_type', 'unknown type (expected "join" or "message")'),
		};
	}

	public function onClose(Salon\Connection $c, int $code, string $reason): void
	{
		$this->leave($c);
	}

	/** A bug in this class must not end the chat for everyone: say so, and carry on. */
	public function onError(?Salon\Connection $c, Throwable $e): void
	{
		fprintf(STDERR, "chat: %s%s: %s at %s:%d\n", $c ? "connection {$c->id}: " : '', $e::class, $e->getMessage(), $e->getFile(), $e->getLine());
		if ($c !== null) {
			$this->error($c, 'internal', 'the server failed to handle that');
		}
	}

	public function history(): ChatHistory
	{
		return $this->history;
	}

	/** Replaces the history store (before run(): what was said so far is not carried over). */
	public function setHistory(ChatHistory $history): void
	{
		$this->history = $history;
	}

	private function join(Salon\Connection $c, mixed $nick, mixed $room): void
	{
		$nick = self::name($nick, 24);
		if ($nick === null) {
			$this->error($c, 'nick_invalid', 'nickname: 1 to 24 characters; no control characters, no line breaks');
			return;
		}
		$room = self::name($room, 32);
		if ($room === null) {
			$this->error($c, 'room_invalid', 'room: 1 to 32 characters; no control characters, no line breaks');
			return;
		}
		$room = self::fold($room);
		foreach ($this->rooms[$room] ?? [] as $id => $other) {
			if ($id !== $c->id && self::fold($other->data['nick']) === self::fold($nick)) {
				$this->error($c, 'nick_taken', "the nickname \"$nick\" is taken in #$room");
				return;
			}
		}
		['nick' => $oldNick, 'room' => $oldRoom] = $c->data;
		if ($oldRoom === $room) {
			$c->data = ['nick' => $nick, 'room' => $room];
			$this->sendJoined($c);
			if ($oldNick !== $nick) {
				$this->notice($room, 'nick', $nick, "$oldNick is now $nick", ['old' => $oldNick]);
			}
			return;
		}
		$this->leave($c);
		$c->data = ['nick' => $nick, 'room' => $room];
		$this->rooms[$room][$c->id] = $c;
		$this->sendJoined($c);
		$this->notice($room, 'join', $nick, "$nick joined");
	}

	private function leave(Salon\Connection $c): void
	{
		['nick' => $nick, 'room' => $room] = $c->data ?? ['nick' => null, 'room' => null];
		if ($room === null || !isset($this->rooms[$room][$c->id])) {
			return;
		}
		unset($this->rooms[$room][$c->id]);
		$c->data = ['nick' => null, 'room' => null];
		if (!$this->rooms[$room]) {
			unset($this->rooms[$room]);
			$this->history->forget($room);
			return;
		}
		$this->notice($room, 'leave', $nick, "$nick left");
	}

	private function say(Salon\Connection $c, mixed $text): void
	{
		$room = $c->data['room'] ?? null;
		if ($room === null) {
			$this->error($c, 'not_joined', 'join a room first');
			return;
		}
		if (!is_string($text) || trim($text) === '' || self::length($text) > self::MAX_TEXT) {
			$this->error($c, 'text_invalid', 'text: 1 to ' . self::MAX_TEXT . ' characters');
			return;
		}
		$msg = ['type' => 'message', 'room' => $room, 'nick' => $c->data['nick'], 'text' => $text, 'ts' => time()];
		$this->history->add($msg);
		$this->toRoom($room, $msg);
	}

	private function sendJoined(Salon\Connection $c): void
	{
		['nick' => $nick, 'room' => $room] = $c->data;
		$c->send(self::json([
			'type' => 'joined', 'nick' => $nick, 'room' => $room,
			'users' => $this->users($room), 'history' => $this->history->recent($room),
		]));
	}

	private function notice(string $room, string $event, string $nick, string $text, array $extra = []): void
	{
		$this->toRoom($room, ['type' => 'notice', 'room' => $room, 'event' => $event, 'nick' => $nick] + $extra + ['text' => $text, 'ts' => time()]);
		$this->toRoom($room, ['type' => 'users', 'room' => $room, 'users' => $this->users($room)]);
	}

	/** Encodes once, sends to every member; a member whose queue is full just misses it (on_buffer_full 'drop'). */
	private function toRoom(string $room, array $msg): void
	{
		$json = self::json($msg);
		foreach ($this->rooms[$room] ?? [] as $member) {
			$member->send($json);
		}
	}

	/** @return list<string> the room's nicknames, sorted */
	private function users(string $room): array
	{
		$nicks = array_map(fn (Salon\Connection $m) => $m->data['nick'], array_values($this->rooms[$room] ?? []));
		sort($nicks, SORT_NATURAL | SORT_FLAG_CASE);
		return $nicks;
	}

	private function error(Salon\Connection $c, string $code, string $message): void
	{
		$c->send(self::json(['type' => 'error', 'code' => $code, 'message' => $message]));
	}

	private static function json(array $msg): string
	{
		return json_encode($msg, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
	}

	/**
	 * A nickname or room name: trimmed, 1 to $max characters, single spaces
	 * between words, and no control, format or unassigned code points (so
	 * no line breaks, tabs or invisible bidi overrides). Null when invalid.
	 */
	private static function name(mixed $s, int $max): ?string
	{
		if (!is_string($s)) {
			return null;
		}
		$s = trim($s, " ");
		if ($s === '' || self::length($s) > $max || str_contains($s, '  ') || preg_match('/[\p{C}\p{Zl}\p{Zp}]|[^\S ]/u', $s) !== 0) {
			return null;
		}
		return $s;
	}

	/* mbstring is optional (php -n loads no extension), PCRE is always there. */
	private static function length(string $s): int
	{
		return function_exists('mb_strlen') ? mb_strlen($s, 'UTF-8') : (int) preg_match_all('/./su', $s);
	}

	private static function fold(string $s): string
	{
		return function_exists('mb_strtolower') ? mb_strtolower($s, 'UTF-8') : strtolower($s);
	}
}

/**
 * The command line: [PORT] [--host=ADDRESS] [--db=FILE] [--tls-cert=FILE]
 * [--tls-key=FILE] [--no-compression]. Returns the exit
 * code. When this file is included (the PHPT tests do), nothing runs.
 */
function chat_main(array $argv): int
{
	$usage = "usage: php -d extension=salon server.php [PORT] [--host=ADDRESS] [--db=FILE] [--tls-cert=FILE [--tls-key=FILE]] [--no-compression]\n";
	$port = 8000;
	$host = '127.0.0.1';
	$db = null;
	$cert = getenv('SALON_TLS_CERT') ?: null;
	$key = getenv('SALON_TLS_KEY') ?: null;
	$compression = !in_array(strtolower((string) getenv('SALON_CHAT_COMPRESSION')), ['0', 'off', 'no', 'false'], true);
	foreach (array_slice($argv, 1) as $arg) {
		if (preg_match('/^\d{1,5}$/', $arg) && (int) $arg <= 65535) {
			$port = (int) $arg;
		} elseif (str_starts_with($arg, '--host=')) {
			$host = substr($arg, 7);
		} elseif (str_starts_with($arg, '--db=')) {
			$db = substr($arg, 5);
		} elseif (str_starts_with($arg, '--tls-cert=')) {
			$cert = substr($arg, 11);
		} elseif (str_starts_with($arg, '--tls-key=')) {
			$key = substr($arg, 10);
		} elseif ($arg === '--no-compression') {
			$compression = false;
		} elseif ($arg === '-h' || $arg === '--help') {
			echo $usage;
			return 0;
		} else {
			fwrite(STDERR, "chat: bad argument '$arg' (PORT is 0 to 65535)\n$usage");
			return 2;
		}
	}
	if (!extension_loaded('salon')) {
		fwrite(STDERR, "chat: the salon extension is not loaded: run `make chat`, or php -d extension=/path/to/salon.so server.php\n");
		return 1;
	}
	$db ??= getenv('SALON_CHAT_DB');
	if ($db === false && ChatHistory::available()) {
		$var = __DIR__ . '/var';
		$db = (is_dir($var) || @mkdir($var, 0775)) && is_writable($var)
			? "$var/chat.sqlite"
			: sys_get_temp_dir() . '/salon-chat.sqlite';
	}
	$options = ['compression' => $compression];
	if ($cert !== null) {
		$options['tls'] = ['cert' => $cert, 'key' => $key];
	}
	try {
		$chat = new Chat($host, $port, $options);
	} catch (Salon\Exception | ValueError $e) {
		fwrite(STDERR, "chat: {$e->getMessage()}\n" . ($port ? "      (another port: make chat PORT=" . ($port + 1) . ")\n" : ''));
		return 1;
	}
	$history = ChatHistory::open((string) $db);
	$chat->setHistory($history);
	$shown = in_array($chat->host(), ['0.0.0.0', '::', ''], true) ? '127.0.0.1' : $chat->host();
	if (str_contains($shown, ':')) {
		$shown = "[$shown]";
	}
	printf("Salon chat room: open %s://%s:%d/ in two browser tabs (Ctrl-C stops)\n", $cert !== null ? 'https' : 'http', $shown,
		$chat->port());
	printf("history: %s\n", $history->persistent() ? $db : 'in memory (lost on restart)');
	$chat->run();
	return 0;
}

if (PHP_SAPI === 'cli' && realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
	exit(chat_main($argv));
}
