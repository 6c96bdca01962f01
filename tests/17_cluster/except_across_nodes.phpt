--TEST--
Cluster: connection ids are unique across nodes (node id in the high 32 bits); except leaves out only the sender, on every node; the sender's node delivers once
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
$child = salon_cluster_client($a, ['portB' => $b->port], <<<'PHP'
$a1 = WsClient::connect($port);
$a2 = WsClient::connect($port);
$b1 = WsClient::connect($portB);
$b2 = WsClient::connect($portB);
wait_up(['a' => $a1, 'b' => $b1]);
$whoA = relay($a1, ['op' => 'who']);
$whoB = relay($b1, ['op' => 'who']);
echo 'first connection of each node has local number 1: ', var_export(($whoA['id'] & 0xffffffff) === 1 && ($whoB['id'] & 0xffffffff) === 1, true), "\n";
echo 'high 32 bits are the node id: ', var_export($whoA['id'] >> 32 === $whoA['node'] && $whoB['id'] >> 32 === $whoB['node'], true), "\n";
echo 'ids differ: ', var_export($whoA['id'] !== $whoB['id'], true), ', positive: ', var_export($whoA['id'] > 0 && $whoB['id'] > 0, true), "\n";

// a1 (id X|1) broadcasts except itself: b1 (id Y|1) must not be taken for it.
echo 'a1 except itself, local recipients: ', bcast($a1, 'one', false, null, true), "\n";
foreach (['a2' => $a2, 'b1' => $b1, 'b2' => $b2] as $n => $c) echo "$n: ", next_message($c), "\n";
echo 'a1: ', next_message($a1, 0.5), "\n";

// The same from node B.
echo 'b1 except itself, local recipients: ', bcast($b1, 'two', false, null, true), "\n";
foreach (['a1' => $a1, 'a2' => $a2, 'b2' => $b2] as $n => $c) echo "$n: ", next_message($c), "\n";
echo 'b1: ', next_message($b1, 0.5), "\n";

// Without except the sender gets its own message once: its node does not
// deliver it again when it comes back from Redis. (The marker comes from
// the same node: the bus keeps one node's order, not an order between a
// node's local delivery and another node's publishes.)
echo 'a1 to all, local recipients: ', bcast($a1, 'three', false, null, false), "\n";
bcast($a2, 'marker', false, null, false);
foreach (['a1' => $a1, 'a2' => $a2, 'b1' => $b1, 'b2' => $b2] as $n => $c) echo "$n: ", next_message($c), ', ', next_message($c), "\n";
PHP);
echo salon_run($a, $child, 30);
echo $b->stop();
$redis->stop();
?>
--CLEAN--
<?php
require __DIR__ . '/../inc/cluster.inc';
SalonRedis::cleanup(__FILE__);
?>
--EXPECTF--
first connection of each node has local number 1: true
high 32 bits are the node id: true
ids differ: true, positive: true
a1 except itself, local recipients: 1
a2: text "one"
b1: text "one"
b2: text "one"
a1: nothing
b1 except itself, local recipients: 1
a1: text "two"
a2: text "two"
b2: text "two"
b1: nothing
a1 to all, local recipients: 2
a1: text "three", text "marker"
a2: text "three", text "marker"
b1: text "three", text "marker"
b2: text "three", text "marker"
port %d
node stopped
