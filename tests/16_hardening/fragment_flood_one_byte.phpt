--TEST--
Hardening: a message sent as 1,000,000 one-byte fragments is cut off with 1009 by the default max_fragments (16,384 with the default max_message_size) long before its end, quickly and in bounded memory
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/hardening.inc'; salon_skip_slow(); ?>
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server();
$server->on('message', function ($c, $d, $b) { echo "server: message (must not happen)\n"; });
$readAtClose = null;
$server->on('close', function ($c, $code) use ($server, &$readAtClose) {
	echo "server: close $code\n";
	$readAtClose = $server->stats()['bytes_in'];
});
$rss0 = salon_rss_kib();
$peak = $rss0;
$tick = $server->every(0.01, function () use (&$peak) { $peak = max($peak, salon_rss_kib()); });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$block = '';
for ($i = 0; $i < 10000; $i++) $block .= WsClient::frame(OP_CONT, 'x', false);
$t = microtime(true);
$c->sendFrame(OP_TEXT, 'x', false);
$sent = 1;
$closed = false;
try {
	while ($sent < 1000000) {
		$c->writeRaw($sent === 990001 ? substr($block, 0, -7) . WsClient::frame(OP_CONT, 'x', true) : $block);
		$sent += 10000;
		$r = [$c->sock]; $w = $e = null;
		if (stream_select($r, $w, $e, 0) > 0) break;   // the server said something
	}
} catch (ErrorException $e) {   // EPIPE or ECONNRESET: closed under our feet
}
$result = $c->expectFail();
$dt = microtime(true) - $t;
echo "client: $result", $dt < salon_timeout(1.0) ? ' within 1 s' : sprintf(' after %.3f s', $dt), "\n";
PHP);
echo salon_run($server, $child, 30);
$server->cancel($tick);
// The kernel's socket buffers take megabytes from the client; what counts
// is how far the server read before it cut the message off.
salon_check('server: cut off within the first MiB read', $readAtClose !== null && $readAtClose < 1 << 20, var_export($readAtClose, true));
salon_check('server: RSS grew by less than 4 MiB', $peak - $rss0 < salon_rss_bound(4096), ($peak - $rss0) . ' KiB');
salon_report('fragment_flood_one_byte', ['rss_before_kib' => $rss0, 'rss_peak_kib' => $peak, 'rss_after_kib' => salon_rss_kib()]);
?>
--EXPECT--
server: close 1009
client: close 1009 closed within 1 s
server: cut off within the first MiB read: ok
server: RSS grew by less than 4 MiB: ok
