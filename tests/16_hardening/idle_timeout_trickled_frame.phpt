--TEST--
Hardening: a frame trickled one byte at a time, faster than idle_timeout, does not keep the connection alive: the idle clock restarts only on complete messages and control frames, so it is closed (onClose 1006) about idle_timeout after the last complete one; complete messages at the same pace keep a connection open
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server(['idle_timeout' => 1.0 * salon_scale()]);
$child = salon_client($server, <<<'PHP'
// A 125-byte text frame, one byte every 0.1 s: 13 s of trickle, ten times
// idle_timeout, for bytes that never make a frame.
$c = WsClient::connect($port);
$c->send('one whole message');
echo WsClient::describe($c->readFrame()), "\n";
$bytes = WsClient::frame(OP_TEXT, str_repeat('x', 125));
$closed = false;
for ($i = 0; $i < strlen($bytes) && !$closed; $i++) {
	if (!@$c->writeRaw($bytes[$i])) {
		$closed = true;
		break;
	}
	$until = microtime(true) + salon_timeout(0.1);
	while (($left = $until - microtime(true)) > 0) {
		try {
			$f = $c->readFrame($left / salon_timeout(1.0));
		} catch (WsTimeout $e) {
			break;
		}
		if ($f === null) {
			$closed = true;
			break;
		}
		// Pings are left unanswered: no control frame fits inside a frame.
	}
}
echo $closed ? "trickler: closed by the server before the frame was whole\n" : "trickler: still open after the whole frame\n";

// Complete messages at a third of idle_timeout: the clock restarts each time.
$d = WsClient::connect($port);
$ok = true;
for ($i = 0; $i < 6; $i++) {
	usleep((int) (salon_timeout(0.3) * 1e6));
	$d->send("tick $i");
	$f = $d->readFrame();
	$ok = $ok && $f !== null && $f[1] === "tick $i";
}
echo "steady sender: ", $ok ? "served throughout" : "dropped", "\n";
echo "steady sender: ", $d->close(), "\n";
PHP);
echo salon_run($server, $child, 30);
?>
--EXPECT--
server: close 1006
server: close 1000
text "one whole message"
trickler: closed by the server before the frame was whole
steady sender: served throughout
steady sender: close 1000 closed
