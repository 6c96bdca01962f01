--TEST--
Examples: examples/ticker pushes a followed symbol's price every 100 ms, stops after unsubscribe, and closes with 1001 on SIGTERM
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
if (salon_extension_path() === null) die('skip modules/salon.so not found');
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . salon_extension_path(), salon_root() . '/examples/ticker/server.php', '0'],
	[1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
$line = fgets($pipes[1]);
if (!preg_match('/listening on ws:\/\/127\.0\.0\.1:(\d+)/', (string) $line, $m)) {
	die("no listening line: " . json_encode($line));
}
$port = (int) $m[1];
$c = WsClient::connect($port);
echo "hello: ", $c->readFrame()[1], "\n";
$c->send(json_encode(['subscribe' => 'ACME']));
$c->send(json_encode(['subscribe' => 'NOPE']));
$times = [];
for ($i = 0; $i < 6; $i++) {
	$msg = json_decode($c->readFrame()[1], true);
	$times[] = $msg['t'];
	$symbols[$msg['symbol']] = true;
	$ok = is_float($msg['price']) || is_int($msg['price']);
}
$gaps = array_map(fn($a, $b) => $b - $a, array_slice($times, 0, -1), array_slice($times, 1));
echo "6 updates, all ACME: ", var_export(array_keys($symbols) === ['ACME'] && $ok, true), "\n";
echo "about 100 ms apart: ", var_export(min($gaps) > 0.05 && max($gaps) < 0.3 * salon_scale(), true), "\n";
$c->send(json_encode(['unsubscribe' => 'ACME']));
// What was already queued may still come; then nothing.
$quiet = false;
for ($i = 0; $i < 5 && !$quiet; $i++) {
	try {
		$c->readFrame(0.35);
	} catch (WsTimeout $e) {
		$quiet = true;
	}
}
echo "quiet after unsubscribe: ", var_export($quiet, true), "\n";
proc_terminate($p, 15);
echo "on SIGTERM: ", $c->expectFail(), "\n";
echo "server said: ", trim(stream_get_contents($pipes[1])), "\n";
echo "exit code: ", proc_close($p), "\n";
?>
--EXPECT--
hello: {"symbols":["ACME","GLOBEX","INITECH","UMBRELLA"]}
6 updates, all ACME: true
about 100 ms apart: true
quiet after unsubscribe: true
on SIGTERM: close 1001 closed
server said: stopped
exit code: 0
