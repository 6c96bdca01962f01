--TEST--
Workers: stop() in one worker stops them all; workerId() is 0 and 1 in the workers, 0 in the master; the master's run() then returns
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
$script = tempnam(sys_get_temp_dir(), 'salon-workers');
file_put_contents($script, '<?php
require ' . var_export(realpath(__DIR__ . '/../inc/cluster.inc'), true) . ';
$s = new Salon\Server("127.0.0.1", 0, ["workers" => 2]);
salon_cluster_relay($s);
echo "master before run(): workerId ", $s->workerId(), "\n";
echo "port ", $s->port(), "\n";
register_shutdown_function(function () { echo "shutdown function in pid ", getmypid() === ' . '$GLOBALS["masterPid"]' . ' ? "master" : "a worker", "\n"; });
$GLOBALS["masterPid"] = getmypid();
$s->run();
echo "master after run(): workerId ", $s->workerId(), "\n";
');
$node = new SalonChild([PHP_BINARY, '-n', '-d', 'extension=' . salon_extension_path(), $script], null, 'node');
$deadline = microtime(true) + salon_timeout(10);
while (!str_contains($node->output, "\nport ") && $node->poll() && microtime(true) < $deadline) usleep(10000);
$port = (int) substr($node->output, strpos($node->output, "\nport ") + 6);
$code = 'require ' . var_export(realpath(__DIR__ . '/../inc/cluster.inc'), true) . ";\n" . <<<'PHP'
$byWorker = [];
for ($i = 0; $i < 64 && count($byWorker) < 2; $i++) {
	$c = WsClient::connect($port);
	$byWorker[relay($c, ['op' => 'who'])['worker']] ??= $c;
}
ksort($byWorker);
echo 'workerId() seen: ', implode(',', array_keys($byWorker)), "\n";
$byWorker[0]->send('{"op":"stop"}');
echo 'worker 0 connection: ', json_encode($byWorker[0]->readClose(10)), "\n";
echo 'worker 1 connection: ', json_encode($byWorker[1]->readClose(10)), "\n";
PHP;
$client = new SalonChild([PHP_BINARY, '-n', __DIR__ . '/../inc/client_main.php', (string) $port], $code, 'client');
echo $client->finish(20);
$out = $node->finish(10);
unlink($script);
// The workers' shutdown lines come in either order.
$lines = explode("\n", trim($out));
$first = array_splice($lines, 0, 2);
sort($lines);
echo implode("\n", $first), "\n", implode("\n", $lines), "\n";
?>
--EXPECTF--
workerId() seen: 0,1
worker 0 connection: [1001,"server shutting down"]
worker 1 connection: [1001,"server shutting down"]
master before run(): workerId 0
port %d
master after run(): workerId 0
shutdown function in pid a worker
shutdown function in pid a worker
shutdown function in pid master
