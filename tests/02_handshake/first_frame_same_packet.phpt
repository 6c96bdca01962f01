--TEST--
Handshake: a frame sent in the same write as the request head is processed, not dropped
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('message', function ($c, $d, $b) { echo "server: message $d\n"; $c->send($d, $b); });
$child = salon_client($server, <<<'PHP'
$first = WsClient::frame(OP_TEXT, 'one') . WsClient::frame(OP_TEXT, 'two');
$c = WsClient::connect($port, '/', [], $first);
echo WsClient::describe($c->readFrame()), "\n";
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: message one
server: message two
text "one"
text "two"
close 1000 closed
