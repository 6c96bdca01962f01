--TEST--
Frames: a 64-bit length with the most significant bit set closes with 1002
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('message', function ($c, $d, $b) { echo "server: message (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->writeRaw("\x82\xFF" . pack('J', PHP_INT_MIN | 5) . random_bytes(4) . 'hello');
echo $c->expectFail(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1002
close 1002 closed
