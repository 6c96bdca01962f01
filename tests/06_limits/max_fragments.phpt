--TEST--
Limits: a message in more than max_fragments frames closes with 1009; max_fragments frames pass
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['max_fragments' => 10]);
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
for ($i = 0; $i < 10; $i++) { $c->sendFrame($i ? OP_CONT : OP_TEXT, "$i", $i === 9); }
echo WsClient::describe($c->readFrame()), "\n";
for ($i = 0; $i < 11; $i++) { $c->sendFrame($i ? OP_CONT : OP_TEXT, "$i", false); }
echo $c->expectFail(2.0), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1009
text "0123456789"
close 1009 closed
