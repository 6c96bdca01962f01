--TEST--
Cluster: clusterCount() sums every node's connections from Redis; a closed connection, a node stopped (counts removed at once) and a node killed (counts expire) all show
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
echo 'before run(): clusterCount ', $a->clusterCount(), ', room ', $a->clusterCount('lobby'), "\n";
$b = salon_cluster_node($redis->url(), 1, 'node B');
$w = salon_cluster_node($redis->url(), 2, 'node W');
$pidB = proc_get_status($b->child->proc)['pid'];
$pidW = proc_get_status($w->child->proc)['pid'];
$child = salon_cluster_client($a, ['portB' => $b->port, 'portW' => $w->port, 'pidB' => $pidB, 'pidW' => $pidW], <<<'PHP'
$onA = [WsClient::connect($port), WsClient::connect($port)];
$onB = [WsClient::connect($portB), WsClient::connect($portB), WsClient::connect($portB)];
$onW = [];
$seen = [];
while (count($seen) < 2 && count($onW) < 64) {
	$c = WsClient::connect($portW);
	$seen[relay($c, ['op' => 'who'])['worker']] = true;
	$onW[] = $c;
}
wait_up(['a' => $onA[0], 'b' => $onB[0], 'w' => $onW[0]]);
$total = count($onA) + count($onB) + count($onW);
echo 'node A sees every connection: ', wait_count($onA[0], null, $total) === (string) $total ? 'yes' : wait_count($onA[0], null, $total), "\n";
echo 'node B sees every connection: ', wait_count($onB[0], null, $total) === (string) $total ? 'yes' : 'no', "\n";
echo 'a room nobody is in: ', relay($onA[0], ['op' => 'count', 'room' => 'lobby'])['n'], "\n";
join_room($onA[0], $onB[0], $onB[1], ...$onW);
$room = 1 + 2 + count($onW);
echo 'node A sees every member of the room: ', wait_count($onA[1], 'lobby', $room) === (string) $room ? 'yes' : 'no', "\n";
relay($onB[1], ['op' => 'leave', 'room' => 'lobby']);
$room--;
echo 'one member on B leaves: ', wait_count($onA[1], 'lobby', $room) === (string) $room ? 'seen' : 'not seen', "\n";

echo 'one connection on B closes: ', $onB[2]->close(), "\n";
array_pop($onB);
$total--;
echo 'node A sees it within a heartbeat: ', wait_count($onA[0], null, $total) === (string) $total ? 'yes' : 'no', "\n";

// Node W stops gracefully: its workers remove their counts on the way out.
ask('stopW');
foreach ($onW as $c) $c->readClose(10);
$deadline = microtime(true) + salon_timeout(10);
while (!salon_pid_gone($pidW) && microtime(true) < $deadline) usleep(20000);
$total -= count($onW);
$room -= count($onW);
$n = relay($onA[0], ['op' => 'count'])['n'];
$r = relay($onA[0], ['op' => 'count', 'room' => 'lobby'])['n'];
echo 'right after node W stopped: ', $n === $total && $r === $room ? 'its connections and members are gone' : "$n, $r (wanted $total, $room)", "\n";

// Node B is killed: no goodbye, its counts expire (3 heartbeats).
ask('killB');
$total -= count($onB);
$room--;
$t0 = microtime(true);
echo 'node B killed: ', wait_count($onA[0], null, $total, 10) === (string) $total ? 'its connections are gone' : 'still counted', "\n";
echo 'and its member: ', wait_count($onA[0], 'lobby', $room, 10) === (string) $room ? 'gone' : 'still counted', "\n";
echo 'within about 3 s: ', var_export(microtime(true) - $t0 < salon_timeout(4.5), true), "\n";
PHP);
salon_on_ask($a, $child, [
	'stopW' => fn () => proc_terminate($w->child->proc, 15),
	'killB' => fn () => proc_terminate($b->child->proc, 9),
]);
echo salon_run($a, $child, 60);
echo $b->child->finish(5);
echo $w->child->finish(10);
echo 'after run(): clusterCount ', $a->clusterCount(), "\n";
$redis->stop();
?>
--CLEAN--
<?php
require __DIR__ . '/../inc/cluster.inc';
SalonRedis::cleanup(__FILE__);
?>
--EXPECTF--
before run(): clusterCount 0, room 0
node A sees every connection: yes
node B sees every connection: yes
a room nobody is in: 0
node A sees every member of the room: yes
one member on B leaves: seen
one connection on B closes: close 1000 closed
node A sees it within a heartbeat: yes
ask stopW
right after node W stopped: its connections and members are gone
ask killB
node B killed: its connections are gone
and its member: gone
within about 3 s: true
port %d
node B: exit code -1
port %d
node stopped
after run(): clusterCount 0
