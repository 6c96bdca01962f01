--TEST--
Handlers: stats() counts connections, messages, bytes, failed handshakes and HTTP requests
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../08_static/static.inc';
$server = salon_echo_server(['document_root' => static_root()], false);
$before = $server->stats();
$during = null;
$server->on('message', function ($c, $d, $b) use ($server, &$during) { $c->send($d, $b); $during = $server->stats(); });
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$a->send('12345');
$a->readFrame();
$b->send('abc', true);
$b->readFrame();
$a->send('x');
$a->readFrame();
echo $a->close(), "\n", $b->close(), "\n";
http_raw($port, ws_request($port, '/', ['Sec-WebSocket-Version' => '7']));   // a failed handshake
http_raw($port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", null, 5.0, 0, true); // a static file
PHP);
echo salon_run($server, $child);
$s = $server->stats();
foreach (['connections', 'connections_total', 'messages_in', 'messages_out', 'bytes_in', 'bytes_out', 'handshakes_failed', 'http_requests'] as $k) {
	if (!array_key_exists($k, $s)) echo "missing $k\n";
}
echo "before: ", json_encode([$before['connections'], $before['connections_total'], $before['messages_in']]), "\n";
echo "during: connections ", $during['connections'], "\n";
echo "after: connections {$s['connections']}, messages_in {$s['messages_in']}, messages_out {$s['messages_out']}, handshakes_failed {$s['handshakes_failed']}, http_requests {$s['http_requests']}\n";
echo "connections_total >= 2: ", var_export($s['connections_total'] >= 2, true), "\n";
// 3 masked frames (6-byte header + 5, 3, 1 payload) and 2 closes (6 + 2) at least
echo "bytes_in >= 45: ", var_export($s['bytes_in'] >= 45, true), ", bytes_out >= 19: ", var_export($s['bytes_out'] >= 19, true), "\n";
?>
--EXPECT--
close 1000 closed
close 1000 closed
before: [0,0,0]
during: connections 2
after: connections 0, messages_in 3, messages_out 3, handshakes_failed 1, http_requests 1
connections_total >= 2: true
bytes_in >= 45: true, bytes_out >= 19: true
