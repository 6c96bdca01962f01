--TEST--
Frames: frames from the server are never masked and have no RSV bit
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('open', function ($c) { $c->send('hello from server'); $c->send(str_repeat('b', 70000), true); $c->ping('srv'); });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
for ($i = 0; $i < 3; $i++) {
	$f = $c->readFrame();
	echo WsClient::describe($f), ' masked=', var_export($c->lastMasked, true), ' rsv=', $c->lastRsv, "\n";
}
$c->sendFrame(OP_PONG, 'srv');
$c->sendFrame(OP_CLOSE, pack('n', 1000));
$f = $c->readFrame();
echo WsClient::describe($f), ' masked=', var_export($c->lastMasked, true), "\n";
echo $c->expectClosed(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
text "hello from server" masked=false rsv=0
binary 70000 bytes masked=false rsv=0
ping "srv" masked=false rsv=0
close 1000 masked=false
closed
