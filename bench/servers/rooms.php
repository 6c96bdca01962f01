<?php
/*
 * Salon with a PHP handler as a room relay, for bench/run.sh's room
 * scenario: a connection whose request path is /room joins the room "room"
 * when it opens (the others, on any other path, join nothing); every
 * message from anyone goes to the members of "room" (the sender included
 * when it is one), encoded once by the core.
 *
 *   php -n -d extension=$PWD/modules/salon.so bench/servers/rooms.php PORT
 */
declare(strict_types=1);

$port = (int)($argv[1] ?? 9001);
$server = new Salon\Server('127.0.0.1', $port, [
    'max_message_size' => 16 * 1024 * 1024,
    'max_connections' => 0,
    'max_connections_per_ip' => 0,
]);
$server->on('open', function (Salon\Connection $c): void {
    if ($c->request()->path === '/room') {
        $c->join('room');
    }
});
$server->on('message', function (Salon\Connection $c, string $data, bool $binary) use ($server): void {
    $server->broadcast($data, $binary, 'room');
});
fwrite(STDOUT, "listening on ws://127.0.0.1:{$server->port()}\n");
fflush(STDOUT);
$server->run();
