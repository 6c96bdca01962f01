--TEST--
Hardening: a client that never reads while the server keeps sending (on_buffer_full = drop): send() turns false past max_buffered, the queue and the server's RSS stay bounded, the connection stays open and is served once it reads again
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/hardening.inc'; salon_skip_slow(); ?>
--FILE--
<?php
require __DIR__ . '/hardening.inc';
const LIMIT = 1 << 20;
$server = salon_server(['max_buffered' => LIMIT, 'on_buffer_full' => 'drop']);
$chunk = str_repeat('z', 64 * 1024);
$rss0 = salon_rss_kib();
$peak = $rss0;
$tried = $refused = $maxQueued = 0;
$conn = null;
$server->on('open', function (Salon\Connection $c) use (&$conn) { $conn = $c; });
$server->on('message', function (Salon\Connection $c, string $d) use (&$conn) {
	if ($d === 'reading again') { $conn = null; $c->send('welcome back'); }
});
$server->on('close', function ($c, $code) { echo "server: close $code\n"; });
// For 2 s, try to queue 1 MiB every 10 ms (some 200 MiB in all).
$flood = $server->every(0.01, function () use (&$conn, $chunk, &$tried, &$refused, &$maxQueued, &$peak) {
	if ($conn === null) return;
	for ($i = 0; $i < 16; $i++) {
		$tried++;
		if (!$conn->send($chunk, true)) $refused++;
	}
	$maxQueued = max($maxQueued, $conn->bufferedAmount());
	$peak = max($peak, salon_rss_kib());
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
usleep((int) (2e6 * salon_timeout(1)));   // never read meanwhile
$c->send('reading again');
$binary = 0;
while (($f = $c->readFrame()) && $f[0] === OP_BINARY) $binary++;
echo "client: then got ", $binary > 0 ? 'some' : 'no', " queued chunks and ", WsClient::describe($f), "\n";
echo "client: ", $c->close(), "\n";
PHP);
echo salon_run($server, $child, 30);
$server->cancel($flood);
salon_check('server: tried to queue over 100 MiB', $tried * 64 > 100 * 1024, "$tried chunks");
salon_check('server: send() returned false past max_buffered', $refused > 0 && $refused < $tried, "$refused of $tried");
salon_check('server: queue never above max_buffered', $maxQueued <= LIMIT, "$maxQueued bytes");
salon_check('server: RSS grew by less than 8 MiB', $peak - $rss0 < salon_rss_bound(8192), ($peak - $rss0) . ' KiB');
salon_report('max_buffered_drop', ['tried_mib' => $tried / 16, 'rss_before_kib' => $rss0, 'rss_peak_kib' => $peak,
	'rss_after_kib' => salon_rss_kib(), 'max_queued' => $maxQueued]);
?>
--EXPECT--
server: close 1000
client: then got some queued chunks and text "welcome back"
client: close 1000 closed
server: tried to queue over 100 MiB: ok
server: send() returned false past max_buffered: ok
server: queue never above max_buffered: ok
server: RSS grew by less than 8 MiB: ok
