--TEST--
Hardening: a client that floods pings and never reads the pongs cannot grow the server's memory: pongs count against max_buffered, past it the connection is failed with 1008 (on_buffer_full = close) and dropped at close_timeout
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/hardening.inc'; salon_skip_slow(); ?>
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server(['max_buffered' => 1 << 20, 'close_timeout' => 1]);
$rss0 = salon_rss_kib();
$peak = $rss0;
$maxQueued = 0;
$tick = $server->every(0.02, function () use ($server, &$peak, &$maxQueued) {
	$peak = max($peak, salon_rss_kib());
	foreach ($server->connections() as $c) $maxQueued = max($maxQueued, $c->bufferedAmount());
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
// 125-byte pings, 1,000 per write, for up to 6 s; nothing is ever read.
$pings = str_repeat(WsClient::frame(OP_PING, str_repeat('p', 125)), 1000);
$t = microtime(true);
$end = 'still connected after 6 s';
while (microtime(true) - $t < salon_timeout(6)) {
	try {
		if (!$c->writeRaw($pings)) throw new Exception();
	} catch (Exception $e) {   // EPIPE, ECONNRESET
		$end = 'the server dropped the connection';
		break;
	}
}
echo "client: $end\n";
PHP);
echo salon_run($server, $child, 30);
$server->cancel($tick);
salon_check('server: queue never above max_buffered', $maxQueued <= 1 << 20, "$maxQueued bytes");
salon_check('server: RSS grew by less than 8 MiB', $peak - $rss0 < salon_rss_bound(8192), ($peak - $rss0) . ' KiB');
salon_report('ping_flood', ['rss_before_kib' => $rss0, 'rss_peak_kib' => $peak, 'rss_after_kib' => salon_rss_kib(), 'max_queued' => $maxQueued]);
?>
--EXPECT--
server: close 1008
client: the server dropped the connection
server: queue never above max_buffered: ok
server: RSS grew by less than 8 MiB: ok
