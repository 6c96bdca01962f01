--TEST--
Hardening: a request head that passes 8 KiB is answered 431 at once, without reading on: the client's further bytes are neither waited for nor kept, and the server closes within close_timeout although they keep coming
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_server(['handshake_timeout' => 30, 'close_timeout' => 1]);
$server->on('open', function ($c) { echo "server: open (must not happen)\n"; });
$rss0 = salon_rss_kib();
$fd0 = salon_fd_count();
$peak = $rss0;
$tick = $server->every(0.02, function () use (&$peak) { $peak = max($peak, salon_rss_kib()); });
$child = salon_client($server, <<<'PHP'
$s = salon_tcp_connect($port);
// 8,300 bytes of head and no blank line.
$head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
while (strlen($head) < 8300) $head .= 'X-Filler-' . strlen($head) . ': ' . str_repeat('b', 80) . "\r\n";
fwrite($s, $head);
stream_set_blocking($s, false);
$t = microtime(true);
$resp = '';
while (strpos($resp, "\r\n\r\n") === false && microtime(true) - $t < salon_timeout(5)) {
	$r = [$s]; $w = $e = null;
	if (stream_select($r, $w, $e, 0, 20000)) { $d = fread($s, 8192); if ($d === '' || $d === false) break; $resp .= $d; }
}
$dt = microtime(true) - $t;
echo "status ", http_parse($resp)['status'], "\n";
echo "answered at once: ", $dt < salon_timeout(0.5) ? 'yes' : sprintf('no (%.3f s)', $dt), "\n";
// Keep writing 64 KiB pieces of junk: the server must close the connection
// within close_timeout (1 s) anyway.
$junk = str_repeat("X-More: junk\r\n", 4681);
$sent = 0;
$t = microtime(true);
$end = 'still open after 5 s';
while (microtime(true) - $t < salon_timeout(5)) {
	$n = @fwrite($s, $junk);
	if ($n === false) { $end = 'closed'; break; }
	$sent += $n;
	$d = @fread($s, 8192);
	if ($d === false || feof($s)) { $end = 'closed'; break; }
	usleep(10000);
}
$dt = microtime(true) - $t;
echo "then $end", $end === 'closed' ? ($dt < salon_timeout(3) ? ' within close_timeout' : sprintf(' late (%.3f s)', $dt)) : '', "\n";
echo "junk written after the head: ", $sent > 0 ? 'some' : 'none', "\n";
PHP);
echo salon_run($server, $child, 20);
$server->cancel($tick);
$st = $server->stats();
echo "server: handshakes_failed ", $st["handshakes_failed"], ", connections accepted ", $st["connections_total"], "\n";
salon_check('server: memory did not grow with the junk', $peak - $rss0 < salon_rss_bound(4096), ($peak - $rss0) . ' KiB');
salon_report('head_over_8k_431', ['rss_before_kib' => $rss0, 'rss_peak_kib' => $peak, 'rss_after_kib' => salon_rss_kib(),
	'fd_before' => $fd0, 'fd_after' => salon_fd_count()]);
?>
--EXPECT--
status 431
answered at once: yes
then closed within close_timeout
junk written after the head: some
server: handshakes_failed 1, connections accepted 1
server: memory did not grow with the junk: ok
