--TEST--
Hardening: plain HTTP GETs of a large static file by clients that never read keep the server's memory within max_buffered per connection
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/hardening.inc'; salon_skip_slow(); ?>
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$root = sys_get_temp_dir() . '/salon-static-' . getmypid();
@mkdir($root);
file_put_contents("$root/big.bin", str_repeat("\0", 8 << 20));
$server = salon_server(['document_root' => $root, 'max_buffered' => 1 << 20]);
$rss0 = salon_rss_kib();
$peak = $rss0;
$tick = $server->every(0.02, function () use (&$peak) { $peak = max($peak, salon_rss_kib()); });
$child = salon_client($server, <<<'PHP'
$s = [];
for ($i = 0; $i < 4; $i++) {
	$s[$i] = salon_tcp_connect($port);
	fwrite($s[$i], "GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
}
usleep((int) (1.5e6 * salon_timeout(1)));   // never read
PHP);
echo salon_run($server, $child, 20);
$server->cancel($tick);
unlink("$root/big.bin");
rmdir($root);
// 4 connections x (1 MiB queue), plus slack; not 4 x 8 MiB.
salon_check('server: RSS grew by less than 12 MiB', $peak - $rss0 < salon_rss_bound(12 * 1024), ($peak - $rss0) . ' KiB');
?>
--EXPECT--
server: RSS grew by less than 12 MiB: ok
