--TEST--
Hardening: a client process killed while the server has megabytes queued for it (the kernel answers with RST: its receive buffer was unread) gets one onClose with 1006, the queue is freed, and another client is served throughout
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server([], false);
$closes = [];
$queued = null;
$rss = [];
$fdAtKill = $fdAfter = $killAt = $lag = null;
$server->on('message', function (Salon\Connection $c, string $d) use (&$queued, &$rss) {
	if ($d !== 'flood') { $c->send($d); return; }
	$rss['before'] = salon_rss_kib();
	for ($i = 0; $i < 12; $i++) $c->send(str_repeat('f', 1 << 20), true);
	$queued = $c;
});
$server->on('close', function (Salon\Connection $c, int $code) use ($server, &$closes, &$fdAfter, &$killAt, &$lag, &$rss) {
	$closes[] = $code;
	echo "server: close $code\n";
	if ($code === 1006) {
		$lag = microtime(true) - $killAt;
		$server->after(0.001, function () use (&$fdAfter, &$rss) { $fdAfter = salon_fd_count(); $rss['after'] = salon_rss_kib(); });
	}
});
$victim = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('flood');
usleep(300000);   // some of the 12 MiB reach our receive buffer, unread
echo "victim: asked for 12 MiB, read none\n";
sleep(30);
PHP);
$victim->name = 'victim';
$bystander = salon_bystander($server);
echo salon_run_kill($server, [$victim, $bystander], $victim, 'read none', 9, 0.1,
	function () use (&$fdAtKill, &$killAt, &$queued, &$rss) {
		echo "server: at the kill, queued for the victim: ", $queued && $queued->bufferedAmount() > (1 << 20) ? 'megabytes' : 'little', "\n";
		$rss['at_kill'] = salon_rss_kib();
		$fdAtKill = salon_fd_count();
		$killAt = microtime(true);
	});
echo "server: onClose calls ", count($closes), "\n";
salon_check('server: onClose came at once', $lag !== null && $lag < 0.5 * salon_scale(), var_export($lag, true));
salon_check('server: the socket was released right after onClose', $fdAtKill !== null && $fdAfter === $fdAtKill - 1, "$fdAtKill -> $fdAfter");
salon_check('server: the queue was freed', isset($rss['after']) && $rss['at_kill'] - $rss['after'] > 4096, json_encode($rss));
salon_report('killed_mid_write', $rss + ['fd_at_kill' => $fdAtKill, 'fd_after' => $fdAfter]);
?>
--EXPECT--
server: at the kill, queued for the victim: megabytes
server: close 1006
server: close 1000
victim: asked for 12 MiB, read none
victim: got signal 9
bystander: served throughout
bystander: close 1000 closed
server: onClose calls 2
server: onClose came at once: ok
server: the socket was released right after onClose: ok
server: the queue was freed: ok
