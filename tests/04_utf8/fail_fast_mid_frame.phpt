--TEST--
UTF-8: an invalid sequence in the middle of a frame fails the connection before the frame is complete
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$payload = "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5" . "\xf4\x90\x80\x80" . str_repeat('x', 1000);
$frame = WsClient::frame(OP_TEXT, $payload);
// header (4 + 4 mask) + the valid part + the first two bytes of F4 90 80 80: 0x90 is already wrong
$c->writeRaw(substr($frame, 0, 8 + 11 + 2));
echo $c->expectFail(2.0), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1007
close 1007 closed
