--TEST--
Hardening: a client process killed in the middle of its handshake gets neither onOpen nor onClose, its descriptor is released at once (not at handshake_timeout), and another client is served throughout
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server(['handshake_timeout' => 30], false);
$opens = $closes = 0;
$server->on('open', function () use (&$opens) { $opens++; });
$server->on('close', function ($c, int $code) use (&$closes) { $closes++; echo "server: close $code\n"; });
$fdAtKill = $killAt = null;
$released = null;
$watch = $server->every(0.005, function () use (&$fdAtKill, &$killAt, &$released) {
	if ($fdAtKill !== null && $released === null && salon_fd_count() === $fdAtKill - 1) $released = microtime(true) - $killAt;
});
$victim = salon_client($server, <<<'PHP'
$s = salon_tcp_connect($port);
$req = ws_request($port);
fwrite($s, substr($req, 0, intdiv(strlen($req), 2)));
echo "victim: half a handshake sent\n";
sleep(30);
PHP);
$victim->name = 'victim';
$bystander = salon_bystander($server);
echo salon_run_kill($server, [$victim, $bystander], $victim, 'half a handshake sent', 9, 0.2,
	function () use (&$fdAtKill, &$killAt) { $fdAtKill = salon_fd_count(); $killAt = microtime(true); });
$server->cancel($watch);
echo "server: onOpen calls $opens, onClose calls $closes\n";
salon_check('server: the socket was released at once', $released !== null && $released < 0.5 * salon_scale(), var_export($released, true));
?>
--EXPECT--
server: close 1000
victim: half a handshake sent
victim: got signal 9
bystander: served throughout
bystander: close 1000 closed
server: onOpen calls 1, onClose calls 1
server: the socket was released at once: ok
