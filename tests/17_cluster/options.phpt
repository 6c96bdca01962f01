--TEST--
Cluster and workers options: validation, stats() keys, workerId() and clusterCount() outside run()
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/cluster.inc';
salon_skip_unless_cluster();
?>
--FILE--
<?php
function attempt(array $options): void
{
	try {
		$s = new Salon\Server('127.0.0.1', 0, $options);
		echo "ok\n";
	} catch (Throwable $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
}
foreach ([['workers' => 0], ['workers' => 1025], ['workers' => '2'], ['workers' => 1], ['workers' => 4],
	['cluster' => 42], ['cluster' => ''], ['cluster' => "redis://h\0x"], ['cluster' => 'http://127.0.0.1'],
	['cluster' => 'redis://127.0.0.1:70000'], ['cluster' => 'redis://127.0.0.1/bad prefix'],
	['cluster' => 'unix://relative.sock'], ['cluster' => null], ['cluster' => 'redis://127.0.0.1'],
	['cluster' => 'redis://:secret@[::1]:6380/chat'], ['cluster' => '/run/redis/redis.sock?prefix=app']] as $o) {
	echo json_encode($o), ': ';
	attempt($o);
}

$s = new Salon\Server('127.0.0.1', 0, ['cluster' => 'redis://127.0.0.1:1/x']);
echo 'workerId: ', $s->workerId(), "\n";
echo 'clusterCount before run(): ', $s->clusterCount(), ', room: ', $s->clusterCount('r'), "\n";
$st = $s->stats();
foreach ($st as $k => $v) if (str_starts_with($k, 'cluster_')) echo "$k: ", var_export($v, true), "\n";
try { $s->clusterCount(''); } catch (ValueError $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
echo 'broadcast before run(): ', $s->broadcast('x'), "\n";

$plain = new Salon\Server('127.0.0.1', 0);
echo 'without the option: no cluster keys: ', var_export(!array_key_exists('cluster_connected', $plain->stats()), true), "\n";
echo 'clusterCount is count(): ', $plain->clusterCount(), "\n";
?>
--EXPECT--
{"workers":0}: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "workers" must be between 1 and 1024
{"workers":1025}: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "workers" must be between 1 and 1024
{"workers":"2"}: TypeError: Salon\Server::__construct(): Argument #3 ($options) option "workers" must be of type int, string given
{"workers":1}: ok
{"workers":4}: ok
{"cluster":42}: TypeError: Salon\Server::__construct(): Argument #3 ($options) option "cluster" must be of type ?string, int given
{"cluster":""}: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "cluster": cluster URL "": empty
{"cluster":"redis:\/\/h\u0000x"}: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "cluster": contains a null byte
{"cluster":"http:\/\/127.0.0.1"}: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "cluster": cluster URL "http://127.0.0.1": expected redis://host:port/prefix, unix:///path or /path
{"cluster":"redis:\/\/127.0.0.1:70000"}: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "cluster": cluster URL "redis://127.0.0.1:70000": the port must be between 1 and 65535
{"cluster":"redis:\/\/127.0.0.1\/bad prefix"}: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "cluster": cluster URL "redis://127.0.0.1/bad prefix": a prefix is 1-64 characters of A-Z a-z 0-9 _ . : -
{"cluster":"unix:\/\/relative.sock"}: ValueError: Salon\Server::__construct(): Argument #3 ($options) option "cluster": cluster URL "unix://relative.sock": a unix socket path must be absolute
{"cluster":null}: ok
{"cluster":"redis:\/\/127.0.0.1"}: ok
{"cluster":"redis:\/\/:secret@[::1]:6380\/chat"}: ok
{"cluster":"\/run\/redis\/redis.sock?prefix=app"}: ok
workerId: 0
clusterCount before run(): 0, room: 0
cluster_connected: false
cluster_node: 0
cluster_published: 0
cluster_received: 0
cluster_dropped: 0
cluster_invalid: 0
cluster_reconnects: 0
ValueError: Salon\Server::clusterCount(): Argument #1 ($room) must not be empty
broadcast before run(): 0
without the option: no cluster keys: true
clusterCount is count(): 0
