<?php
/*
 * Salon chat room: the tutorial's class-based server.php, made complete.
 *
 *   php -d extension=salon server.php [port]     (default port 8000)
 *
 * Serves the page in public/ and speaks a small JSON protocol on the same
 * port. Client → server:
 *   {"type":"join", "nick":"alice", "room":"lobby"}   join (or switch) a room
 *   {"type":"message", "text":"hello"}                 say something
 * Server → client:
 *   {"type":"joined", "nick", "room", "users":[...], "history":[...]}
 *   {"type":"message", "room", "nick", "text", "ts"}
 *   {"type":"notice", "room", "text", "ts"}             join/leave notices
 *   {"type":"users", "room", "users":[...]}
 *   {"type":"error", "message"}
 */
declare(strict_types=1);

final class Chat extends Salon\Server
{
    private const MAX_TEXT = 2000;
    private const HISTORY = 50;

    /** @var array<string, array<int, Salon\Connection>> room => id => connection */
    private array $rooms = [];
    /** @var array<string, list<array>> room => last messages */
    private array $history = [];

    public function onOpen(Salon\Connection $c): void
    {
        $c->data = ['nick' => null, 'room' => null];
    }

    public function onMessage(Salon\Connection $c, string $data, bool $binary): void
    {
        if ($binary || strlen($data) > 4 * self::MAX_TEXT) {
            $this->error($c, 'messages are JSON text of at most ' . self::MAX_TEXT . ' characters');
            return;
        }
        $msg = json_decode($data, true);
        if (!is_array($msg) || !is_string($msg['type'] ?? null)) {
            $this->error($c, 'bad JSON: expected an object with a "type"');
            return;
        }
        match ($msg['type']) {
            'join' => $this->join($c, $msg['nick'] ?? null, $msg['room'] ?? 'lobby'),
            'message' => $this->say($c, $msg['text'] ?? null),
            default => $this->error($c, 'unknown type'),
        };
    }

    public function onClose(Salon\Connection $c, int $code, string $reason): void
    {
        $this->leave($c);
    }

    public function onError(?Salon\Connection $c, Throwable $e): void
    {
        fprintf(STDERR, "chat: %s: %s\n", $e::class, $e->getMessage());
    }

    private function join(Salon\Connection $c, mixed $nick, mixed $room): void
    {
        if (!is_string($nick) || !preg_match('/^[\p{L}\p{N}_.\-]{1,24}$/u', $nick)) {
            $this->error($c, 'nickname: 1 to 24 letters, digits, "_", "-" or "."');
            return;
        }
        if (!is_string($room) || !preg_match('/^[\p{L}\p{N}_\-]{1,32}$/u', $room)) {
            $this->error($c, 'room: 1 to 32 letters, digits, "_" or "-"');
            return;
        }
        foreach ($this->rooms[$room] ?? [] as $id => $other) {
            if ($id !== $c->id && strcasecmp($other->data['nick'], $nick) === 0) {
                $this->error($c, "nickname \"$nick\" is taken in #$room");
                return;
            }
        }
        $this->leave($c);
        $c->data = ['nick' => $nick, 'room' => $room];
        $this->rooms[$room][$c->id] = $c;
        $c->send(json_encode([
            'type' => 'joined', 'nick' => $nick, 'room' => $room,
            'users' => $this->users($room), 'history' => $this->history[$room] ?? [],
        ]));
        $this->notice($room, "$nick joined");
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
            return;
        }
        $this->notice($room, "$nick left");
    }

    private function say(Salon\Connection $c, mixed $text): void
    {
        $room = $c->data['room'] ?? null;
        if ($room === null) {
            $this->error($c, 'join a room first');
            return;
        }
        if (!is_string($text) || trim($text) === '' || !preg_match('/^.{1,' . self::MAX_TEXT . '}$/su', $text)) {
            $this->error($c, 'text: 1 to ' . self::MAX_TEXT . ' characters');
            return;
        }
        $this->toRoom($room, ['type' => 'message', 'room' => $room, 'nick' => $c->data['nick'],
            'text' => $text, 'ts' => time()], true);
    }

    private function notice(string $room, string $text): void
    {
        $this->toRoom($room, ['type' => 'notice', 'room' => $room, 'text' => $text, 'ts' => time()], true);
        $this->toRoom($room, ['type' => 'users', 'room' => $room, 'users' => $this->users($room)], false);
    }

    private function toRoom(string $room, array $msg, bool $keep): void
    {
        if ($keep) {
            $this->history[$room][] = $msg;
            if (count($this->history[$room]) > self::HISTORY) {
                array_shift($this->history[$room]);
            }
        }
        $json = json_encode($msg);
        foreach ($this->rooms[$room] ?? [] as $member) {
            $member->send($json);
        }
    }

    private function users(string $room): array
    {
        $nicks = array_map(fn($m) => $m->data['nick'], array_values($this->rooms[$room] ?? []));
        sort($nicks, SORT_NATURAL | SORT_FLAG_CASE);
        return $nicks;
    }

    private function error(Salon\Connection $c, string $message): void
    {
        $c->send(json_encode(['type' => 'error', 'message' => $message]));
    }
}

$port = (int)($argv[1] ?? 8000);
$chat = new Chat('127.0.0.1', $port, ['document_root' => __DIR__ . '/public']);
printf("Salon chat room: open http://127.0.0.1:%d/ in two browser tabs (Ctrl-C stops)\n", $chat->port());
$chat->run();
