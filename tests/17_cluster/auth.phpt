--TEST--
Cluster: a password in the URL is sent with AUTH; a node with a wrong password stays off the bus, says why, and keeps serving locally
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/cluster.inc';
salon_skip_unless_cluster();
SalonRedis::spawn(__FILE__, '--requirepass s3cr%40t');
?>
--FILE--
<?php
require __DIR__ . '/../inc/cluster.inc';
$redis = new SalonRedis(__FILE__);
$good = "redis://:s3cr%2540t@127.0.0.1:{$redis->port}/authtest";
$a = salon_server(['cluster' => $good]);
salon_cluster_relay($a);
$b = salon_cluster_node($good, 1, 'node B');
$c = salon_cluster_node("redis://:wrong@127.0.0.1:{$redis->port}/authtest", 1, 'node C');
$child = salon_cluster_client($a, ['portB' => $b->port, 'portC' => $c->port], <<<'PHP'
$a1 = WsClient::connect($port);
$b1 = WsClient::connect($portB);
$c1 = WsClient::connect($portC);
$c2 = WsClient::connect($portC);
wait_up(['a' => $a1, 'b' => $b1]);
bcast($a1, 'with the password');
echo 'b1: ', next_message($b1), "\n";
echo 'c1: ', next_message($c1, 0.3), "\n";
echo 'node C up: ', var_export(relay($c1, ['op' => 'who'])['up'], true), "\n";
echo 'node C clusterCount: ', relay($c1, ['op' => 'count'])['error'] ?? 'no error', "\n";
echo 'node C local broadcast: ', bcast($c1, 'local only'), "\n";
echo 'c2: ', next_message($c2), "\n";
echo 'b1: ', next_message($b1, 0.3), "\n";
PHP);
echo salon_run($a, $child, 30);
echo $b->stop();
echo $c->stop();
$redis->stop();
?>
--CLEAN--
<?php
require __DIR__ . '/../inc/cluster.inc';
SalonRedis::cleanup(__FILE__);
?>
--EXPECTF--
b1: text "with the password"
c1: nothing
node C up: false
node C clusterCount: clusterCount(): the cluster bus is not connected: redis 127.0.0.1:%d: AUTH: WRONGPASS %s
node C local broadcast: 1
c2: text "local only"
b1: nothing
port %d
node stopped
port %d
Salon: cluster bus unavailable (redis 127.0.0.1:%d: AUTH: WRONGPASS %s): broadcasts reach this node's connections only until it reconnects; lost publishes are counted in stats()['cluster_dropped']
node stopped
