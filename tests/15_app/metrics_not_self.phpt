--TEST--
Metrics: the /metrics request is not counted as a connection in state "handshake"; other pending handshakes are
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['metrics_path' => '/metrics']);
$child = salon_client($server, <<<'PHP'
function sample(string $body, string $series): ?string
{
	return preg_match('/^' . preg_quote($series, '/') . ' (\S+)$/m', $body, $m) ? $m[1] : null;
}
$series = ['salon_connections{state="handshake"}', 'salon_connections{state="open"}', 'salon_connections{state="closing"}'];
$r = http_raw($port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
echo "alone: ", $r['status'];
foreach ($series as $s) echo ' ', $s, '=', sample($r['body'], $s) ?? 'missing';
echo "\n";
/* A connection that has sent half a request head is in its handshake. */
$half = salon_tcp_connect($port);
fwrite($half, "GET / HTTP/1.1\r\nHost: x\r\n");
$ws = WsClient::connect($port);
$r = http_raw($port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
echo "with one half-sent head and one open: ", $r['status'];
foreach ($series as $s) echo ' ', $s, '=', sample($r['body'], $s) ?? 'missing';
echo "\n";
fclose($half);
echo $ws->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
alone: 200 salon_connections{state="handshake"}=0 salon_connections{state="open"}=0 salon_connections{state="closing"}=0
with one half-sent head and one open: 200 salon_connections{state="handshake"}=1 salon_connections{state="open"}=1 salon_connections{state="closing"}=0
close 1000 closed
