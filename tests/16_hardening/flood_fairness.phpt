--TEST--
Hardening: fairness — a client flooding 1-byte messages does not hold the loop: another client's message, sent while the flood is buffered, is handled after at most a few hundred flood messages (the per-pass bound, WS_PASS_MESSAGES), not after the megabytes one readable event used to read
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$victim = null;
$flood = 0;
$server->on('open', function (Salon\Connection $c) use (&$victim) {
	if ($victim === null) {
		$victim = $c;
		return;
	}
	// The flooder: its request came with the flood behind it; while this
	// handler waits, the flood piles up in the socket and the victim's
	// message arrives.
	usleep((int) (300000 * salon_scale()));
});
$server->on('message', function (Salon\Connection $c, string $data) use (&$victim, &$flood, $server) {
	if ($c !== $victim) {
		$flood++;
		return;
	}
	$c->send("handled after $flood flood messages");
	echo $flood < 2000 ? "server: the victim's message waited for fewer than 2,000 flood messages\n"
		: "server: the victim's message waited for $flood flood messages\n";
	$server->after(0.2, fn () => $server->stop());
});
$child = salon_client($server, <<<'PHP'
$v = WsClient::connect($port);
$f = salon_tcp_connect($port);
// 300,000 one-byte messages, 2.1 MB, written right behind the request.
$flood = ws_request($port) . str_repeat(WsClient::frame(OP_BINARY, 'x'), 300000);
stream_set_blocking($f, false);
$off = 0;
$t = microtime(true);
while ($off < strlen($flood) && microtime(true) - $t < 0.1 * salon_timeout(1)) {
	$n = @fwrite($f, substr($flood, $off, 65536));
	$off += $n ?: 0;
	if (!$n) usleep(1000);
}
$v->send('me too');
echo "victim: ", preg_replace('/\d+/', 'N', WsClient::describe($v->readFrame(salon_timeout(10)))), "\n";
PHP);
echo salon_run($server, $child, 30);
?>
--EXPECT--
server: the victim's message waited for fewer than 2,000 flood messages
victim: text "handled after N flood messages"
