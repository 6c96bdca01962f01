--TEST--
Handshake: the RFC 6455 sample key gives the RFC's Sec-WebSocket-Accept
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$child = salon_client($server, <<<'PHP'
$r = http_raw($port, ws_request($port, '/chat', ['Sec-WebSocket-Key' => 'dGhlIHNhbXBsZSBub25jZQ==']), null, 1.0);
echo $r['status'], "\n", $r['headers']['sec-websocket-accept'] ?? '-', "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
101
s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
