--TEST--
Hardening: a client that resets its connection (SO_LINGER 0, so RST instead of FIN) while the server has megabytes queued for it gets one onClose with 1006 at once and another client is served throughout
--EXTENSIONS--
salon
--SKIPIF--
<?php
exec(escapeshellarg(PHP_BINARY) . ' -n -d extension=sockets -r "exit(function_exists(\'socket_import_stream\') ? 0 : 1);" 2>&1', $o, $rc);
if ($rc !== 0) die('skip the sockets extension is not available for the client');
?>
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server([], false);
$closes = [];
$queued = null;
$resetAt = $lag = null;
$server->on('message', function (Salon\Connection $c, string $d) use (&$queued) {
	if ($d !== 'flood') { $c->send($d); return; }
	for ($i = 0; $i < 12; $i++) $c->send(str_repeat('f', 1 << 20), true);
	$queued = $c;
});
$victim = null;
$server->on('close', function (Salon\Connection $c, int $code) use (&$closes, &$queued, &$victim) {
	$closes[] = $code;
	echo "server: close $code\n";
	if ($c === $queued) {
		echo "server: it had megabytes queued: ", var_export($c->bufferedAmount() > (1 << 20), true), "\n";
		// The victim sleeps 1 s after the reset: it still runs if we were quick.
		echo "server: noticed within 1 s: ", var_export($victim->poll(), true), "\n";
	}
});
$victim = new SalonChild([PHP_BINARY, '-n', '-d', 'extension=sockets', __DIR__ . '/../inc/client_main.php', (string) $server->port()], <<<'PHP'
$c = WsClient::connect($port);
$c->send('flood');
usleep(300000);   // the server now has megabytes queued that we do not read
socket_set_option(socket_import_stream($c->sock), SOL_SOCKET, SO_LINGER, ['l_onoff' => 1, 'l_linger' => 0]);
fclose($c->sock);
echo "victim: reset sent, process still alive\n";
sleep(1);
PHP, 'victim');
$bystander = salon_bystander($server);
echo salon_run($server, [$victim, $bystander], 20);
echo "server: onClose calls ", count($closes), "\n";
?>
--EXPECT--
server: close 1006
server: it had megabytes queued: true
server: noticed within 1 s: true
server: close 1000
victim: reset sent, process still alive
bystander: served throughout
bystander: close 1000 closed
server: onClose calls 2
