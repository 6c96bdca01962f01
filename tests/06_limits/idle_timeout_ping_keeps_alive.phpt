--TEST--
Limits: with idle_timeout the server pings a quiet connection; a peer that answers stays open
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
// Scaled under valgrind, where the traced client itself is slow to answer.
$server = salon_echo_server(['idle_timeout' => 1 * salon_scale()]);
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$pings = 0;
$end = microtime(true) + salon_timeout(3.0);
while (microtime(true) < $end) {
	try { $f = $c->readFrame(0.2); } catch (WsTimeout $e) { continue; }
	if ($f === null) { echo "closed by server\n"; break; }
	if ($f[0] === OP_PING) { $pings++; $c->sendFrame(OP_PONG, $f[1]); }
}
echo $pings >= 2 ? "pinged and answered\n" : "pings: $pings\n";
$c->send('still open');
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child, 20);
?>
--EXPECT--
server: close 1000
pinged and answered
text "still open"
close 1000 closed
