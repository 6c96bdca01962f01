--TEST--
Limits: a flood of empty fragments is cut off by the default fragment guard (bounded, not endless)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->sendFrame(OP_BINARY, '', false);
$empty = str_repeat(WsClient::frame(OP_CONT, '', false), 10000);
$sent = 0;
// up to 10 million empty fragments; the server must close long before
for ($i = 0; $i < 1000; $i++) {
	if (!$c->writeRaw($empty)) break;
	$sent += 10000;
	$r = [$c->sock]; $w = $e = null;
	if (stream_select($r, $w, $e, 0) > 0) break;
}
echo $sent < 10000000 ? "stopped early\n" : "server accepted 10 million empty fragments\n";
$r = $c->expectFail();
echo in_array($r, ['close 1009 closed', 'close 1008 closed'], true) ? 'closed with 1008/1009' : $r, "\n";
PHP);
echo salon_run($server, $child, 60);
?>
--EXPECTF--
server: close 100%d
stopped early
closed with 1008/1009
