--TEST--
Workers: exit(0) in a handler of one worker is a crash: its clients get 1001, the master restarts that worker alone (the other one keeps serving) and keeps running; stop() in a worker still stops them all
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
if (salon_extension_path() === null) die('skip modules/salon.so not found for the node process');
?>
--FILE--
<?php
require __DIR__ . '/../inc/cluster.inc';
$w = salon_cluster_node('-', 2, 'node W');
$code = 'require ' . var_export(realpath(__DIR__ . '/../inc/cluster.inc'), true) . ";\n" . <<<'PHP'
function on_worker(int $port, int $worker, array &$spare): WsClient {
	for ($i = 0; $i < 64; $i++) {
		$c = WsClient::connect($port);
		if (relay($c, ['op' => 'who'])['worker'] === $worker) return $c;
		$spare[] = $c;
	}
	throw new RuntimeException("no connection reached worker $worker");
}
$spare = [];
$w0 = on_worker($port, 0, $spare);
$w1 = on_worker($port, 1, $spare);
$who0 = relay($w0, ['op' => 'who']);
$who1 = relay($w1, ['op' => 'who']);
foreach ($spare as $c) $c->drop();

$w1->send('{"op":"exit","status":0}');
echo 'exit(0) in worker 1; its connection gets ', json_encode($w1->readClose(10)), "\n";
// A connection that lands in the dead worker's accept queue in the moment it
// dies is reset by the kernel (SO_REUSEPORT: each worker has its own queue);
// a client retries.
$deadline = microtime(true) + salon_timeout(10);
$again = null;
while (microtime(true) < $deadline) {
	try {
		$c = WsClient::connect($port);
		$who = relay($c, ['op' => 'who']);
	} catch (RuntimeException | ErrorException $e) {
		usleep(10000);
		continue;
	}
	if ($who['worker'] === 1) { $again = $c; break; }
	$c->drop();
	usleep(20000); /* worker 1 is restarted 1 s after it died young */
}
echo 'worker 1 serves again: ', var_export($again !== null, true), ', new pid: ', var_export($again !== null && $who['pid'] !== $who1['pid'], true), "\n";
echo 'worker 0 was not disturbed: ', var_export(relay($w0, ['op' => 'who'])['pid'] === $who0['pid'], true), "\n";

$w0->send('{"op":"stop"}');
echo 'stop() in worker 0: its connection gets ', json_encode($w0->readClose(10)), "\n";
echo 'the restarted worker 1 connection gets ', json_encode($again?->readClose(10)), "\n";
PHP;
$client = new SalonChild([PHP_BINARY, '-n', __DIR__ . '/../inc/client_main.php', (string) $w->port], $code, 'client');
echo $client->finish(40);
echo $w->child->finish(10);
?>
--EXPECTF--
exit(0) in worker 1; its connection gets [1001,"server shutting down"]
worker 1 serves again: true, new pid: true
worker 0 was not disturbed: true
stop() in worker 0: its connection gets [1001,"server shutting down"]
the restarted worker 1 connection gets [1001,"server shutting down"]
port %d
Salon: worker 1 (pid %d) exited with status 0; restarting it
node stopped
