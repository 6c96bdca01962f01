--TEST--
Close: a close reason that is not valid UTF-8 gets 1007
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->sendFrame(OP_CLOSE, pack('n', 1000) . "bad \xed\xa0\x80 reason");
echo $c->expectFail(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1007
close 1007 closed
