--TEST--
Workers: two processes share the port (SO_REUSEPORT); a killed worker is restarted; SIGTERM to the master closes every connection with 1001 and run() returns once all workers stopped
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
$master = proc_get_status($w->child->proc)['pid'];
$code = 'require ' . var_export(realpath(__DIR__ . '/../inc/cluster.inc'), true) . ";\n\$master = $master;\n" . <<<'PHP'
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
echo "workers 0 and 1 have different pids: ", var_export($who0['pid'] !== $who1['pid'], true), "\n";
echo "ids carry worker + 1 in the high 32 bits: ", var_export($who0['id'] >> 32 === 1 && $who1['id'] >> 32 === 2, true), "\n";
echo 'no bus: up ', var_export($who0['up'], true), "\n";

exec('kill -KILL ' . $who1['pid']);
echo 'worker 1 killed; its connection: ', next_message($w1, 5), "\n";
// A connection that lands in the dead worker's accept queue in the moment it
// dies is reset by the kernel (SO_REUSEPORT: each worker has its own queue);
// a client retries.
$deadline = microtime(true) + salon_timeout(10);
$again = null;
while (microtime(true) < $deadline) {
	try {
		$c = WsClient::connect($port);
		$who = relay($c, ['op' => 'who']);
	} catch (RuntimeException $e) {
		usleep(10000);
		continue;
	}
	if ($who['worker'] === 1) { $again = $c; break; }
	$c->drop();
	usleep(20000); /* worker 1 is restarted 1 s after it died young */
}
echo 'worker 1 serves again: ', var_export($again !== null, true), ', new pid: ', var_export($again !== null && $who['pid'] !== $who1['pid'], true), "\n";
echo 'worker 0 was not disturbed: ', var_export(relay($w0, ['op' => 'who'])['pid'] === $who0['pid'], true), "\n";

$more = [];
for ($i = 0; $i < 4; $i++) $more[] = WsClient::connect($port);
exec("kill -TERM $master");
echo 'SIGTERM: worker 0 connection gets ', json_encode($w0->readClose(10)), "\n";
echo 'SIGTERM: worker 1 connection gets ', json_encode($again->readClose(10)), "\n";
$codes = [];
foreach ($more as $c) { $codes[] = $c->readClose(10)[0]; }
echo 'four more connections: ', implode(',', array_unique($codes)), "\n";
PHP;
$client = new SalonChild([PHP_BINARY, '-n', __DIR__ . '/../inc/client_main.php', (string) $w->port], $code, 'client');
echo $client->finish(40);
echo $w->child->finish(10);
?>
--EXPECTF--
workers 0 and 1 have different pids: true
ids carry worker + 1 in the high 32 bits: true
no bus: up false
worker 1 killed; its connection: EOF
worker 1 serves again: true, new pid: true
worker 0 was not disturbed: true
SIGTERM: worker 0 connection gets [1001,"server shutting down"]
SIGTERM: worker 1 connection gets [1001,"server shutting down"]
four more connections: 1001
port %d
Salon: worker 1 (pid %d) was killed by signal 9; restarting it
node stopped
