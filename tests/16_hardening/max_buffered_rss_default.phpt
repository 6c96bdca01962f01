--TEST--
Hardening: with no options, a client that never reads while the server keeps sending is closed with 1008 once 16 MiB are queued (the default max_buffered); send() is false from then on; the server's RSS stays bounded
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/hardening.inc'; salon_skip_slow(); ?>
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_server();
$chunk = str_repeat('z', 256 * 1024);
$rss0 = salon_rss_kib();
$peak = $rss0;
$tried = $accepted = $afterClose = 0;
$maxQueued = 0;
$conn = null;
$server->on('open', function (Salon\Connection $c) use (&$conn) { $conn = $c; });
$server->on('close', function ($c, $code) { echo "server: close $code\n"; });
$flood = $server->every(0.01, function () use (&$conn, $chunk, &$tried, &$accepted, &$afterClose, &$maxQueued, &$peak) {
	if ($conn === null) return;
	for ($i = 0; $i < 8; $i++) {
		$tried++;
		$ok = $conn->send($chunk, true);
		if ($ok) $accepted++;
		if ($ok && !$conn->isOpen()) $afterClose++;
	}
	$maxQueued = max($maxQueued, $conn->bufferedAmount());
	$peak = max($peak, salon_rss_kib());
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
usleep((int) (2e6 * salon_timeout(1)));   // never read meanwhile
PHP);
echo salon_run($server, $child, 30);
$server->cancel($flood);
// What send() accepted is what is queued plus what the kernel's socket
// buffers took (a few MiB on loopback).
salon_check('server: send() accepted 15 to 32 MiB, then false', $accepted * 256 > 15 * 1024 && $accepted * 256 <= 32 * 1024 && $tried > $accepted, "$accepted of $tried chunks");
salon_check('server: no send() accepted once closed', $afterClose === 0, "$afterClose");
salon_check('server: queue never above 16 MiB', $maxQueued <= 16 << 20, "$maxQueued bytes");
salon_check('server: RSS grew by less than 48 MiB', $peak - $rss0 < salon_rss_bound(48 * 1024), ($peak - $rss0) . ' KiB');
salon_report('max_buffered_default', ['tried_mib' => $tried / 4, 'rss_before_kib' => $rss0, 'rss_peak_kib' => $peak,
	'rss_after_kib' => salon_rss_kib(), 'max_queued' => $maxQueued]);
?>
--EXPECT--
server: close 1008
server: send() accepted 15 to 32 MiB, then false: ok
server: no send() accepted once closed: ok
server: queue never above 16 MiB: ok
server: RSS grew by less than 48 MiB: ok
