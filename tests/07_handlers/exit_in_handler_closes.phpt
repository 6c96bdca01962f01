--TEST--
exit() in a handler (single process): every client gets a close frame 1001 "server shutting down" before the process ends, not a bare EOF (1006); no close handler runs
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
if (salon_extension_path() === null) die('skip modules/salon.so not found for the server process');
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$script = tempnam(sys_get_temp_dir(), 'salon-exit');
file_put_contents($script, <<<'PHP'
<?php
$s = new Salon\Server('127.0.0.1', 0);
$s->on('start', function (Salon\Server $s) { echo "port ", $s->port(), "\n"; });
$s->on('message', function (Salon\Connection $c, string $data) {
	if ($data === 'bye') {
		echo "handler: exit\n";
		exit(0);
	}
	$c->send($data);
});
$s->on('close', function (Salon\Connection $c, int $code) { echo "close handler ran ($code)\n"; });
register_shutdown_function(function () { echo "shutdown function\n"; });
$s->run();
echo "after run() (not reached)\n";
PHP);
$server = new SalonChild([PHP_BINARY, '-n', '-d', 'extension=' . salon_extension_path(), $script], null, 'server');
$deadline = microtime(true) + salon_timeout(10);
while (!str_contains($server->output, "port ") && $server->poll() && microtime(true) < $deadline) usleep(10000);
$port = (int) substr($server->output, strpos($server->output, "port ") + 5);

$a = WsClient::connect($port);
$b = WsClient::connect($port);
$a->send('ping');
echo 'echo: ', $a->readMessage()[1] ?? 'none', "\n";
$b->send('bye');
echo 'sender gets: ', json_encode($b->readClose(10)), "\n";
echo 'other client gets: ', json_encode($a->readClose(10)), "\n";
echo $server->finish(10);
unlink($script);
?>
--EXPECTF--
echo: ping
sender gets: [1001,"server shutting down"]
other client gets: [1001,"server shutting down"]
port %d
handler: exit
shutdown function
