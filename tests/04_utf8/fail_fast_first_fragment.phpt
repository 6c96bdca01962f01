--TEST--
UTF-8: an invalid byte in the first fragment fails the connection (1007) before the rest of the message is sent
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->sendFrame(OP_TEXT, "abc\xffdef", false);
// The rest of the message is never sent: the close must come on its own.
echo $c->expectFail(2.0), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1007
close 1007 closed
