--TEST--
Handshake: header names are matched case-insensitively
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$child = salon_client($server, <<<'PHP'
$key = base64_encode(random_bytes(16));
$req = "GET / HTTP/1.1\r\nhost: x\r\nUPGRADE: websocket\r\nconnection: upgrade\r\nsec-websocket-key: $key\r\nSEC-WEBSOCKET-VERSION: 13\r\n\r\n";
$r = http_raw($port, $req, null, 1.0);
echo $r['status'], ' ', var_export(($r['headers']['sec-websocket-accept'] ?? '') === ws_accept($key), true), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
101 true
