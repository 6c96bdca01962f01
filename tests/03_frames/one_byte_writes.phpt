--TEST--
Frames: a masked frame written one byte at a time is decoded
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$payload = str_repeat('0123456789', 30);
$c->sendFrame(OP_TEXT, $payload, true, 0, true, 1, 300);
[$op, $got] = $c->readMessage();
echo $op, ' ', $got === $payload ? 'same' : 'different', "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
1 same
close 1000 closed
