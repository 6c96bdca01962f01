--TEST--
Hardening: 64-bit frame lengths: 2^63-1, 2^62 and 2^32 close with 1009 at once, a length with the top bit set (2^63, 2^64-1) with 1002; no payload is waited for and nothing of the claimed size is allocated
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server();
$server->on('message', function ($c, $d, $b) { echo "server: message (must not happen)\n"; });
$rss0 = salon_rss_kib();
$peak = $rss0;
$tick = $server->every(0.01, function () use (&$peak) { $peak = max($peak, salon_rss_kib()); });
$child = salon_client($server, <<<'PHP'
$claims = ['2^63-1' => PHP_INT_MAX, '2^62' => 1 << 62, '2^32' => 1 << 32, '2^63' => PHP_INT_MIN, '2^64-1' => -1];
foreach ($claims as $name => $len) {
	$c = WsClient::connect($port);
	// The header alone (mask key included), then nothing.
	$t = microtime(true);
	$c->writeRaw("\x82\xFF" . pack('J', $len) . random_bytes(4));
	$r = $c->expectFail(2.0);
	$dt = microtime(true) - $t;
	echo "$name: $r", $dt < salon_timeout(0.5) ? ', at once' : sprintf(', after %.3f s', $dt), "\n";
}
PHP);
echo salon_run($server, $child);
$server->cancel($tick);
salon_check('server: no allocation of a claimed size', $peak - $rss0 < salon_rss_bound(4096), ($peak - $rss0) . ' KiB');
?>
--EXPECT--
server: close 1009
server: close 1009
server: close 1009
server: close 1002
server: close 1002
2^63-1: close 1009 closed, at once
2^62: close 1009 closed, at once
2^32: close 1009 closed, at once
2^63: close 1002 closed, at once
2^64-1: close 1002 closed, at once
server: no allocation of a claimed size: ok
