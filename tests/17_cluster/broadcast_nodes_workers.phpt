--TEST--
Cluster: a broadcast to a room on node A reaches the room's members on node B and on each worker (workers => 2) exactly once, never the sender, never a non-member
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
$aOut = WsClient::connect($port);
$b1 = WsClient::connect($portB);
$b2 = WsClient::connect($portB);
$bOut = WsClient::connect($portB);
// SO_REUSEPORT spreads connections by hash: connect until each worker has
// one member and one non-member.
$member = $outside = [];
for ($i = 0; $i < 128 && (count($member) < 2 || count($outside) < 2); $i++) {
	$c = WsClient::connect($portW);
	$wid = relay($c, ['op' => 'who'])['worker'];
	if (!isset($member[$wid])) $member[$wid] = $c;
	elseif (!isset($outside[$wid])) $outside[$wid] = $c;
	else $c->close();
}
ksort($member);
ksort($outside);
echo 'workers seen: ', implode(',', array_keys($member)), ' / ', implode(',', array_keys($outside)), "\n";
$nodes = [];
foreach (['a' => $sender, 'b' => $b1, 'w0' => $member[0], 'w1' => $member[1]] as $n => $c) {
	$nodes[$n] = relay($c, ['op' => 'who'])['node'];
}
echo 'distinct node ids: ', count(array_unique($nodes)), "\n";
wait_up(['a' => $sender, 'b' => $b1, 'w0' => $member[0], 'w1' => $member[1]]);
join_room($sender, $a2, $b1, $b2, $member[0], $member[1]);

echo 'local recipients on A: ', bcast($sender, 'hello room', false, 'lobby', true), "\n";
$members = ['a2' => $a2, 'b1' => $b1, 'b2' => $b2, 'w0' => $member[0], 'w1' => $member[1]];
foreach ($members as $n => $c) {
	echo "$n: ", next_message($c), "\n";
}
// Exactly once: the next message every member sees is the end marker.
bcast($sender, 'end', false, 'lobby', false);
foreach (['sender' => $sender] + $members as $n => $c) {
	echo "$n: ", next_message($c), "\n";
}
// Non-members saw neither.
foreach (['a' => $aOut, 'b' => $bOut, 'w0' => $outside[0], 'w1' => $outside[1]] as $n => $c) {
	echo "non-member on $n: ", next_message($c, 0.3), "\n";
}
// And from a worker to the room.
echo 'local recipients on w1: ', bcast($member[1], 'from worker 1', false, 'lobby', true), "\n";
foreach (['sender' => $sender, 'a2' => $a2, 'b1' => $b1, 'b2' => $b2, 'w0' => $member[0]] as $n => $c) {
	echo "$n: ", next_message($c), "\n";
}
echo 'w1 (the sender): ', next_message($member[1], 0.5), "\n";
echo 'non-member on w0: ', next_message($outside[0], 0.3), "\n";
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
workers seen: 0,1 / 0,1
distinct node ids: 4
local recipients on A: 1
a2: text "hello room"
b1: text "hello room"
b2: text "hello room"
w0: text "hello room"
w1: text "hello room"
sender: text "end"
a2: text "end"
b1: text "end"
b2: text "end"
w0: text "end"
w1: text "end"
non-member on a: nothing
non-member on b: nothing
non-member on w0: nothing
non-member on w1: nothing
local recipients on w1: 0
sender: text "from worker 1"
a2: text "from worker 1"
b1: text "from worker 1"
b2: text "from worker 1"
w0: text "from worker 1"
w1 (the sender): nothing
non-member on w0: nothing
port %d
node stopped
port %d
node stopped
