<?php
/*
 * Salon with a PHP handler as a broadcast relay, for bench/run.sh: every
 * message from any client goes to every open connection (the sender
 * included), encoded once by the core.
 *
 *   php -n -d extension=$PWD/modules/salon.so bench/servers/broadcast.php PORT [CLUSTER_URL]
 *
 * With CLUSTER_URL (bench/cluster.sh) it is a node of a cluster: the
 * broadcast also goes over the Redis bus to the other nodes' connections.
 */
declare(strict_types=1);

$port = (int)($argv[1] ?? 9001);
$options = ['max_message_size' => 16 * 1024 * 1024];
if (($argv[2] ?? '') !== '') {
    $options['cluster'] = $argv[2];
}
$server = new Salon\Server('127.0.0.1', $port, $options);
$server->on('message', function (Salon\Connection $c, string $data, bool $binary) use ($server): void {
    $server->broadcast($data, $binary);
});
fwrite(STDOUT, "listening on ws://127.0.0.1:{$server->port()}\n");
fflush(STDOUT);
$server->run();
