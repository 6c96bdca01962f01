--TEST--
Hardening: a client process killed (SIGKILL) in the middle of sending a frame gets exactly one onClose with 1006, its descriptor is released at once, and another client is served throughout
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server([], false);
$closes = [];
$fdAtKill = $fdAfter = $killAt = $lag = null;
$server->on('close', function (Salon\Connection $c, int $code) use ($server, &$closes, &$fdAfter, &$killAt, &$lag) {
	$closes[] = $code;
	if ($code === 1006) $lag = microtime(true) - $killAt;
	echo "server: close $code\n";
	// The socket is closed when onClose returns: count on the next step.
	if ($code === 1006) $server->after(0.001, function () use (&$fdAfter) { $fdAfter = salon_fd_count(); });
});
$victim = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$frame = WsClient::frame(OP_TEXT, str_repeat('x', 1000));
$c->writeRaw(substr($frame, 0, 500));
echo "victim: half a frame sent\n";
sleep(30);
PHP);
$victim->name = 'victim';
$bystander = salon_bystander($server);
echo salon_run_kill($server, [$victim, $bystander], $victim, 'half a frame sent', 9, 0.2, function () use (&$fdAtKill, &$killAt) { $fdAtKill = salon_fd_count(); $killAt = microtime(true); });
echo "server: onClose calls ", count($closes), "\n";
salon_check('server: onClose came at once', $lag !== null && $lag < 0.5 * salon_scale(), (string) $lag);
salon_check('server: the socket was released right after onClose', $fdAtKill !== null && $fdAfter === $fdAtKill - 1, "$fdAtKill -> $fdAfter");
?>
--EXPECT--
server: close 1006
server: close 1000
victim: half a frame sent
victim: got signal 9
bystander: served throughout
bystander: close 1000 closed
server: onClose calls 2
server: onClose came at once: ok
server: the socket was released right after onClose: ok
