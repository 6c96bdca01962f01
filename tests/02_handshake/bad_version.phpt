--TEST--
Handshake: Sec-WebSocket-Version 8 gets 426 with Sec-WebSocket-Version: 13
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function ($c) { echo "server: open (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
$r = http_raw($port, ws_request($port, '/', ['Sec-WebSocket-Version' => '8']));
echo $r['status'], ' ', $r['closed'] ? 'closed' : 'still open', "\n";
echo 'Sec-WebSocket-Version: ', $r['headers']['sec-websocket-version'] ?? '-', "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
426 closed
Sec-WebSocket-Version: 13
