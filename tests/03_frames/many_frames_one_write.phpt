--TEST--
Frames: 100 frames in one write are delivered as 100 messages, in order
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$got = [];
$server->on('message', function ($c, $d, $b) use (&$got) { $got[] = $d; $c->send($d, $b); });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$all = '';
for ($i = 0; $i < 100; $i++) { $all .= WsClient::frame(OP_TEXT, "m$i"); }
$c->writeRaw($all);
$ok = true;
for ($i = 0; $i < 100; $i++) { [$op, $d] = $c->readMessage(); $ok = $ok && $d === "m$i"; }
echo $ok ? "client: in order\n" : "client: out of order\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
echo count($got), ' ', $got[0], ' ', $got[99], "\n";
?>
--EXPECT--
server: close 1000
client: in order
close 1000 closed
100 m0 m99
