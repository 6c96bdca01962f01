--TEST--
Handshake: a valid upgrade request gets 101 with the right Sec-WebSocket-Accept and onOpen fires
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function (Salon\Connection $c) {
	echo "server: open id>0 ", var_export($c->id > 0, true), " open ", var_export($c->isOpen(), true), "\n";
});
$child = salon_client($server, <<<'PHP'
$key = base64_encode(random_bytes(16));
$s = salon_tcp_connect($port);
fwrite($s, ws_request($port, '/', ['Sec-WebSocket-Key' => $key]));
$head = '';
while (!str_contains($head, "\r\n\r\n") && !feof($s)) { $head .= fread($s, 1); }
$r = http_parse($head);
echo strtok($r['raw'], "\r\n") === 'HTTP/1.1 101 Switching Protocols' ? "status line ok\n" : "status line: " . strtok($r['raw'], "\r\n") . "\n";
echo "upgrade: ", strtolower($r['headers']['upgrade'] ?? '-'), "\n";
echo "connection has upgrade: ", var_export(in_array('upgrade', array_map('trim', explode(',', strtolower($r['headers']['connection'] ?? '')))), true), "\n";
echo "accept ok: ", var_export(($r['headers']['sec-websocket-accept'] ?? '') === ws_accept($key), true), "\n";
echo "no extension: ", var_export(!isset($r['headers']['sec-websocket-extensions']), true), "\n";
echo "no protocol: ", var_export(!isset($r['headers']['sec-websocket-protocol']), true), "\n";
fwrite($s, WsClient::frame(OP_CLOSE, pack('n', 1000)));
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: open id>0 true open true
status line ok
upgrade: websocket
connection has upgrade: true
accept ok: true
no extension: true
no protocol: true
