--TEST--
Frames: an unsolicited pong is ignored and the connection keeps working
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->sendFrame(OP_PONG, 'unsolicited');
$c->sendFrame(OP_PONG, '');
$c->send('still here');
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
text "still here"
close 1000 closed
