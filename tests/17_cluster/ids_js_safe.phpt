--TEST--
Cluster: connection ids stay <= 2^53-1 (exact in JavaScript numbers and JSON), distinct across nodes and workers; node ids come from Redis INCR (1, 2, 3 on a fresh Redis), not at random
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/cluster.inc';
salon_skip_unless_cluster();
SalonRedis::spawn(__FILE__);
?>
--FILE--
<?php
require __DIR__ . '/../inc/cluster.inc';
$redis = new SalonRedis(__FILE__);
$a = salon_server(['cluster' => $redis->url()]);
salon_cluster_relay($a);
// Node B has two workers: each worker is a node of its own.
$b = salon_cluster_node($redis->url(), 2, 'node B');
$child = salon_cluster_client($a, ['portB' => $b->port], <<<'PHP'
$conns = [WsClient::connect($port), WsClient::connect($port), WsClient::connect($port)];
$workers = [];
while (count($workers) < 2 && count($conns) < 64) {
	$c = WsClient::connect($portB);
	$workers[relay($c, ['op' => 'who'])['worker']] = true;
	$conns[] = $c;
}
$conns[] = WsClient::connect($portB);
wait_up(['a' => $conns[0], 'b' => end($conns)]);
$ids = [];
$nodes = [];
$safe = true;
$exact = true;
foreach ($conns as $c) {
	$c->send('{"op":"who"}');
	$m = $c->readMessage(salon_timeout(5));
	$raw = $m[1];
	$who = json_decode($raw, true);
	$id = $who['id'];
	$ids[] = $id;
	$nodes[$who['node']] = true;
	$safe = $safe && is_int($id) && $id >= 1 && $id <= 9007199254740991;
	// What JSON.parse does: the number becomes a double. It must stay exact.
	$asDouble = json_decode($raw, false, 512, 0)->id;
	$viaFloat = (float) $id;
	$exact = $exact && (int) $viaFloat === $id && json_encode($viaFloat) === (string) $id
		&& preg_match('/"id":(\d+)/', $raw, $mm) && $mm[1] === (string) $id && json_encode(['id' => $asDouble]) === '{"id":' . $id . '}';
}
echo 'connections: ', count($ids) >= 5 ? 'enough' : count($ids), "\n";
echo 'every id in 1 .. 2^53-1: ', var_export($safe, true), "\n";
echo 'exact as a double and through JSON: ', var_export($exact, true), "\n";
echo 'distinct: ', var_export(count(array_unique($ids)) === count($ids), true), "\n";
$nodes = array_keys($nodes);
sort($nodes);
echo 'node ids: ', implode(', ', $nodes), "\n";
$hi = true;
foreach ($ids as $id) $hi = $hi && in_array($id >> 32, $nodes, true) && ($id & 0xffffffff) >= 1;
echo 'id = node << 32 | local number: ', var_export($hi, true), "\n";
PHP);
echo salon_run($a, $child, 60);
echo $b->stop();
$redis->stop();
?>
--CLEAN--
<?php
require __DIR__ . '/../inc/cluster.inc';
SalonRedis::cleanup(__FILE__);
?>
--EXPECTF--
connections: enough
every id in 1 .. 2^53-1: true
exact as a double and through JSON: true
distinct: true
node ids: 1, 2, 3
id = node << 32 | local number: true
port %d
node stopped
