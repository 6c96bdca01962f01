--TEST--
Handshake: a head that passes 8 KiB is rejected at once, without waiting for its end
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['handshake_timeout' => 30]);
$child = salon_client($server, <<<'PHP'
$s = salon_tcp_connect($port);
// 10 KiB of headers and no blank line: the server must not wait for more.
fwrite($s, "GET / HTTP/1.1\r\nHost: x\r\n" . str_repeat("X-Filler: " . str_repeat('b', 90) . "\r\n", 100));
$t = microtime(true);
stream_set_timeout($s, (int) salon_timeout(5));
$resp = '';
while (!feof($s)) {
	$chunk = fread($s, 8192);
	if ($chunk === '' || $chunk === false) {
		if (stream_get_meta_data($s)['timed_out']) { echo "timeout: server still waiting\n"; break; }
		continue;
	}
	$resp .= $chunk;
}
$r = http_parse($resp);
echo in_array($r['status'], [400, 431], true) ? 'rejected' : 'status ' . $r['status'], "\n";
PHP);
echo salon_run($server, $child, 15);
?>
--EXPECT--
rejected
