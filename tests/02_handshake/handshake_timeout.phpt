--TEST--
Handshake: a connection that has not finished its handshake is closed after handshake_timeout
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['handshake_timeout' => 0.5]);
$child = salon_client($server, <<<'PHP'
$s = salon_tcp_connect($port);
fwrite($s, "GET / HTTP/1.1\r\nHost: x\r\n");
$t = microtime(true);
stream_set_timeout($s, (int) salon_timeout(5));
$data = fread($s, 100);
$dt = microtime(true) - $t;
echo feof($s) || $data === '' ? 'closed' : 'data ' . json_encode($data), "\n";
echo $dt >= 0.3 ? 'not before the timeout' : "too early ($dt s)", "\n";
echo $dt < salon_timeout(3) ? 'in time' : "too late ($dt s)", "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
closed
not before the timeout
in time
