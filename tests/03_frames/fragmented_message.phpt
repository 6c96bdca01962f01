--TEST--
Frames: a message in 3 fragments reaches onMessage once, joined, and keeps its type
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('message', function ($c, $d, $b) { echo "server: ", $b ? 'binary' : 'text', " \"$d\"\n"; $c->send($d, $b); });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->sendFrame(OP_TEXT, 'Hello, ', false);
$c->sendFrame(OP_CONT, 'fragmented ', false);
$c->sendFrame(OP_CONT, 'world', true);
echo WsClient::describe($c->readFrame()), "\n";
$c->sendFrame(OP_BINARY, 'bin-', false);
$c->sendFrame(OP_CONT, '', false);
$c->sendFrame(OP_CONT, 'ary', true);
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: text "Hello, fragmented world"
server: binary "bin-ary"
server: close 1000
text "Hello, fragmented world"
binary "bin-ary"
close 1000 closed
