--TEST--
Close: frames after the client's close frame are ignored (no message, no pong)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('message', function ($c, $d) { echo "server: message $d (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->writeRaw(WsClient::frame(OP_CLOSE, pack('n', 1000)) . WsClient::frame(OP_TEXT, 'after close') . WsClient::frame(OP_PING, 'after close'));
$f = $c->readFrame();
echo WsClient::describe($f), "\n";
echo $c->expectClosed(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
close 1000
closed
