--TEST--
Hardening: with idle_timeout = 2 the server pings a quiet connection after about 1 s (half of it) and again after each answer; a peer that only answers pings stays open past idle_timeout
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/hardening.inc'; salon_skip_slow(); ?>
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server(['idle_timeout' => 2]);
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$t0 = microtime(true);
$at = [];
while (microtime(true) - $t0 < 4.5 * salon_timeout(1)) {
	try { $f = $c->readFrame(0.1); } catch (WsTimeout $e) { continue; }
	if ($f === null) { echo "client: closed by the server\n"; break; }
	if ($f[0] === OP_PING) { $at[] = microtime(true) - $t0; $c->sendFrame(OP_PONG, $f[1]); }
}
$first = $at[0] ?? -1;
echo "client: first ping ", $first >= 0.9 && $first < 1.0 + 0.5 * salon_timeout(1) ? 'at about 1 s' : "at $first s", "\n";
$gaps = array_map(fn ($a, $b) => $b - $a, array_slice($at, 0, -1), array_slice($at, 1));
echo "client: ", count($at) >= 3 ? '3 or more pings' : count($at) . ' pings', ", each about 1 s after the last answer: ",
	var_export($gaps && min($gaps) >= 0.9 && max($gaps) < 1.0 + 0.5 * salon_timeout(1), true), "\n";
$c->send('still open after 4.5 s');
echo "client: ", WsClient::describe($c->readFrame()), "\n";
echo "client: ", $c->close(), "\n";
PHP);
echo salon_run($server, $child, 20);
?>
--EXPECT--
server: close 1000
client: first ping at about 1 s
client: 3 or more pings, each about 1 s after the last answer: true
client: text "still open after 4.5 s"
client: close 1000 closed
