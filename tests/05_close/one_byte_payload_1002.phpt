--TEST--
Close: a close frame with a 1-byte payload gets 1002
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->sendFrame(OP_CLOSE, "\x03");
echo $c->expectFail(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1002
close 1002 closed
