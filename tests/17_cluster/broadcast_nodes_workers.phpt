--TEST--
Cluster: a broadcast on node A reaches node B's clients and each worker's clients (workers => 2) exactly once, never the sender
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
$b = salon_cluster_node($redis->url(), 1, 'node B');
$w = salon_cluster_node($redis->url(), 2, 'node W');
$child = salon_cluster_client($a, ['portB' => $b->port, 'portW' => $w->port], <<<'PHP'
$sender = WsClient::connect($port);
$a2 = WsClient::connect($port);
$b1 = WsClient::connect($portB);
$b2 = WsClient::connect($portB);
// SO_REUSEPORT spreads connections by hash: connect until each worker has one.
$perWorker = [];
for ($i = 0; $i < 64 && count($perWorker) < 2; $i++) {
	$c = WsClient::connect($portW);
	$who = relay($c, ['op' => 'who']);
	if (isset($perWorker[$who['worker']])) {
		$c->close();
		continue;
	}
	$perWorker[$who['worker']] = $c;
}
ksort($perWorker);
echo 'workers seen: ', implode(',', array_keys($perWorker)), "\n";
$nodes = [];
foreach (['a' => $sender, 'b' => $b1, 'w0' => $perWorker[0], 'w1' => $perWorker[1]] as $n => $c) {
	$nodes[$n] = relay($c, ['op' => 'who'])['node'];
}
echo 'distinct node ids: ', count(array_unique($nodes)), "\n";
wait_up(['a' => $sender, 'b' => $b1, 'w0' => $perWorker[0], 'w1' => $perWorker[1]]);

echo 'local recipients on A: ', bcast($sender, 'hello cluster'), "\n";
$receivers = ['a2' => $a2, 'b1' => $b1, 'b2' => $b2, 'w0' => $perWorker[0], 'w1' => $perWorker[1]];
foreach ($receivers as $n => $c) {
	echo "$n: ", next_message($c), "\n";
}
// Exactly once: the next message everyone sees is the end marker.
bcast($sender, 'end', false, null, false);
foreach (['sender' => $sender] + $receivers as $n => $c) {
	echo "$n: ", next_message($c), "\n";
}
// And from a worker to everyone else.
echo 'local recipients on w1: ', bcast($perWorker[1], 'from worker 1'), "\n";
foreach (['sender' => $sender, 'a2' => $a2, 'b1' => $b1, 'b2' => $b2, 'w0' => $perWorker[0]] as $n => $c) {
	echo "$n: ", next_message($c), "\n";
}
echo 'w1 (the sender): ', next_message($perWorker[1], 0.5), "\n";
PHP);
echo salon_run($a, $child, 30);
echo $b->stop();
echo $w->stop();
$redis->stop();
?>
--CLEAN--
<?php
require __DIR__ . '/../inc/cluster.inc';
SalonRedis::cleanup(__FILE__);
?>
--EXPECTF--
workers seen: 0,1
distinct node ids: 4
local recipients on A: 1
a2: text "hello cluster"
b1: text "hello cluster"
b2: text "hello cluster"
w0: text "hello cluster"
w1: text "hello cluster"
sender: text "end"
a2: text "end"
b1: text "end"
b2: text "end"
w0: text "end"
w1: text "end"
local recipients on w1: 0
sender: text "from worker 1"
a2: text "from worker 1"
b1: text "from worker 1"
b2: text "from worker 1"
w0: text "from worker 1"
w1 (the sender): nothing
port %d
node stopped
port %d
node stopped
