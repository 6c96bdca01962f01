--TEST--
Frames: a ping between the fragments of a message is answered at once; the message stays whole
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->sendFrame(OP_TEXT, 'frag1-', false);
$c->ping('between');
echo WsClient::describe($c->readFrame()), "\n";   // before the message is complete
$c->sendFrame(OP_CONT, 'frag2', true);
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
pong "between"
text "frag1-frag2"
close 1000 closed
