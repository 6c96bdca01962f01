--TEST--
Limits: a frame header that claims more than max_message_size is enough for 1009, before the payload arrives
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['max_message_size' => 1000]);
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$frame = WsClient::frame(OP_BINARY, str_repeat('x', 5000));
$c->writeRaw(substr($frame, 0, 8 + 10));   // 16-bit length 5000, mask key, 10 bytes of payload
echo $c->expectFail(2.0), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1009
close 1009 closed
