--TEST--
Limits: fragments adding up to more than max_message_size close with 1009 before the message ends
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['max_message_size' => 1000]);
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->sendFrame(OP_BINARY, str_repeat('a', 600), false);
$c->sendFrame(OP_CONT, str_repeat('b', 600), false);
// no final fragment: the limit is already passed
echo $c->expectFail(2.0), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1009
close 1009 closed
