--TEST--
Handshake: a request without Sec-WebSocket-Version is rejected (400 or 426 with Sec-WebSocket-Version: 13)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function ($c) { echo "server: open (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
$r = http_raw($port, ws_request($port, '/', ['Sec-WebSocket-Version' => null]));
$ok = $r['status'] === 400 || ($r['status'] === 426 && ($r['headers']['sec-websocket-version'] ?? '') === '13');
echo $ok ? 'rejected' : 'status ' . $r['status'], ' ', $r['closed'] ? 'closed' : 'still open', "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
rejected closed
