--TEST--
Frames: a new text frame inside a fragmented message closes with 1002
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('message', function ($c, $d, $b) { echo "server: message (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->sendFrame(OP_TEXT, 'frag1', false);
$c->sendFrame(OP_TEXT, 'frag2', true);
echo $c->expectFail(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1002
close 1002 closed
