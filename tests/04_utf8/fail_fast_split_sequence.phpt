--TEST--
UTF-8: an invalid sequence split across fragments (F4 | 90) fails as soon as the second fragment arrives
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->sendFrame(OP_TEXT, "kosme\xf4", false);
$c->sendFrame(OP_CONT, "\x90\x80\x80", false);
echo $c->expectFail(2.0), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1007
close 1007 closed
