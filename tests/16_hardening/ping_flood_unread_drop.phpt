--TEST--
Hardening: with on_buffer_full = drop, pongs past max_buffered are dropped instead: a ping flood that never reads keeps the server's memory bounded and the connection open
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/hardening.inc'; salon_skip_slow(); ?>
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server(['max_buffered' => 1 << 20, 'on_buffer_full' => 'drop']);
$rss0 = salon_rss_kib();
$peak = $rss0;
$maxQueued = 0;
$tick = $server->every(0.02, function () use ($server, &$peak, &$maxQueued) {
	$peak = max($peak, salon_rss_kib());
	foreach ($server->connections() as $c) $maxQueued = max($maxQueued, $c->bufferedAmount());
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$pings = str_repeat(WsClient::frame(OP_PING, str_repeat('p', 125)), 1000);
$sent = 0;
$t = microtime(true);
while (microtime(true) - $t < salon_timeout(2)) { $c->writeRaw($pings); $sent += 1000; }
echo "client: sent ", $sent > 100000 ? 'over 100,000' : $sent, " pings without reading\n";
// Read what was queued, until the server has nothing more to say.
$pongs = 0;
try {
	while (($f = $c->readFrame(1.0)) && $f[0] === OP_PONG) $pongs++;
	echo "client: unexpected ", WsClient::describe($f), "\n";
} catch (WsTimeout $e) {
}
echo "client: then read ", $pongs < $sent ? 'fewer pongs than pings' : 'a pong for every ping', "\n";
$c->send('still there?');
echo "client: ", WsClient::describe($c->readFrame()), "\n";
echo "client: ", $c->close(), "\n";
PHP);
echo salon_run($server, $child, 30);
$server->cancel($tick);
salon_check('server: queue never above max_buffered', $maxQueued <= 1 << 20, "$maxQueued bytes");
salon_check('server: RSS grew by less than 8 MiB', $peak - $rss0 < salon_rss_bound(8192), ($peak - $rss0) . ' KiB');
?>
--EXPECT--
server: close 1000
client: sent over 100,000 pings without reading
client: then read fewer pongs than pings
client: text "still there?"
client: close 1000 closed
server: queue never above max_buffered: ok
server: RSS grew by less than 8 MiB: ok
