--TEST--
Limits: a frame header claiming 2^63-1 bytes closes with 1009 at once, before any payload
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->writeRaw("\x82\xFF" . pack('J', PHP_INT_MAX) . random_bytes(4));
echo $c->expectFail(2.0), "\n";
$c = WsClient::connect($port);
$c->writeRaw("\x82\xFF" . pack('J', 1 << 40) . random_bytes(4) . 'abc');
echo $c->expectFail(2.0), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1009
server: close 1009
close 1009 closed
close 1009 closed
