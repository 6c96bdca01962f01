--TEST--
Frames: a ping is answered with a pong carrying the same payload (0 and 125 bytes) and is not a message
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('message', function ($c, $d, $b) { echo "server: message (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
foreach (['', 'hello', str_repeat("\xfe", 125)] as $p) {
	$c->ping($p);
	$f = $c->readFrame();
	echo $f[0] === OP_PONG ? 'pong' : 'opcode ' . $f[0], ' ', $f[1] === $p ? 'same payload' : 'different payload', ' ', strlen($f[1]), "\n";
}
for ($i = 0; $i < 10; $i++) { $c->ping("p$i"); }
$order = '';
for ($i = 0; $i < 10; $i++) { $order .= $c->readFrame()[1] . ' '; }
echo trim($order), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
pong same payload 0
pong same payload 5
pong same payload 125
p0 p1 p2 p3 p4 p5 p6 p7 p8 p9
close 1000 closed
