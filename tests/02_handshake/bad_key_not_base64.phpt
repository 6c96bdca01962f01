--TEST--
Handshake: a Sec-WebSocket-Key that is not base64 gets 400
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function ($c) { echo "server: open (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
$r = http_raw($port, ws_request($port, '/', ['Sec-WebSocket-Key' => '!!!!not-base64!!!!!!!!==']));
echo $r['status'], ' ', $r['closed'] ? 'closed' : 'still open', "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
400 closed
