--TEST--
Cluster: a node on Redis' unix socket (unix:///path?prefix=) and a node on TCP share the bus
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/cluster.inc';
salon_skip_unless_cluster();
SalonRedis::spawn(__FILE__, '--unixsocket ' . escapeshellarg(SalonRedis::dirFor(__FILE__) . '/redis.sock') . ' --unixsocketperm 700');
?>
--FILE--
<?php
require __DIR__ . '/../inc/cluster.inc';
$sock = SalonRedis::dirFor(__FILE__) . '/redis.sock';
$redis = new SalonRedis(__FILE__);
$a = salon_server(['cluster' => "unix://$sock?prefix=sock"]);
salon_cluster_relay($a);
$b = salon_cluster_node($redis->url('sock'), 1, 'node B');
$child = salon_cluster_client($a, ['portB' => $b->port], <<<'PHP'
$a1 = WsClient::connect($port);
$b1 = WsClient::connect($portB);
wait_up(['a' => $a1, 'b' => $b1]);
bcast($a1, 'over the unix socket');
echo 'b1: ', next_message($b1), "\n";
bcast($b1, 'over TCP');
echo 'a1: ', next_message($a1), "\n";
echo 'count: ', wait_count($a1, null, 2), "\n";
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
b1: text "over the unix socket"
a1: text "over TCP"
count: 2
port %d
node stopped
