--TEST--
UTF-8: a message that ends inside a code point closes with 1007 (one frame, and fragmented)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send("abc\xe2\x82");
echo $c->expectFail(), "\n";
$c = WsClient::connect($port);
$c->sendFrame(OP_TEXT, "abc\xf0\x9f", false);
$c->sendFrame(OP_CONT, "\x98", true);
echo $c->expectFail(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1007
server: close 1007
close 1007 closed
close 1007 closed
