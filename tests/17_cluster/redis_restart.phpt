--TEST--
Cluster: Redis killed mid-test: local delivery goes on, lost publishes are counted and warned about once, both nodes reconnect and subscribe again when Redis is back
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
$child = salon_cluster_client($a, ['portB' => $b->port, 'redisDir' => $redis->dir], <<<'PHP'
$a1 = WsClient::connect($port);
$b1 = WsClient::connect($portB);
$b2 = WsClient::connect($portB);
wait_up(['a' => $a1, 'b' => $b1]);
bcast($a1, 'before');
echo 'b1: ', next_message($b1), "\n";
echo 'b2: ', next_message($b2), "\n";

$redis = SalonRedis::attach($redisDir);
$redis->kill();
echo "redis killed\n";
$deadline = microtime(true) + salon_timeout(10);
while ((relay($a1, ['op' => 'who'])['up'] || relay($b1, ['op' => 'who'])['up']) && microtime(true) < $deadline) usleep(20000);
echo 'a up: ', var_export(relay($a1, ['op' => 'who'])['up'], true), ', b up: ', var_export(relay($b1, ['op' => 'who'])['up'], true), "\n";

// Node B keeps delivering to its own connections; nothing reaches node A.
echo 'b1 broadcasts during the outage, local recipients: ', bcast($b1, 'during 1'), "\n";
echo 'b2: ', next_message($b2), "\n";
echo 'b1 again: ', bcast($b1, 'during 2'), "\n";
echo 'b2: ', next_message($b2), "\n";
echo 'a1: ', next_message($a1, 0.3), "\n";
$st = relay($b1, ['op' => 'stats']);
echo "node B: dropped {$st['cluster_dropped']}, published {$st['cluster_published']}\n";
$count = relay($b1, ['op' => 'count']);
echo 'clusterCount during the outage: ', preg_replace('/redis \S+: .*/', 'redis ...', $count['error'] ?? 'no error'), "\n";

$redis->start();
echo "redis restarted (empty)\n";
wait_up(['a' => $a1, 'b' => $b1], 15);
echo "both nodes up again\n";
bcast($a1, 'after, from a');
echo 'b1: ', next_message($b1), "\n";
echo 'b2: ', next_message($b2), "\n";
bcast($b1, 'after, from b');
echo 'a1: ', next_message($a1), "\n";
echo 'b2: ', next_message($b2), "\n";
$st = relay($b1, ['op' => 'stats']);
echo "node B: dropped {$st['cluster_dropped']}, reconnects {$st['cluster_reconnects']}\n";
$st = relay($a1, ['op' => 'stats']);
echo "node A: dropped {$st['cluster_dropped']}, reconnects {$st['cluster_reconnects']}\n";
echo 'clusterCount after: ', wait_count($a1, null, 3), "\n";
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
b1: text "before"
b2: text "before"
redis killed
a up: false, b up: false
b1 broadcasts during the outage, local recipients: 1
b2: text "during 1"
b1 again: 1
b2: text "during 2"
a1: nothing
node B: dropped 2, published 0
clusterCount during the outage: clusterCount(): the cluster bus is not connected: redis ...
redis restarted (empty)
both nodes up again
b1: text "after, from a"
b2: text "after, from a"
a1: text "after, from b"
b2: text "after, from b"
node B: dropped 2, reconnects 1
node A: dropped 0, reconnects 1
clusterCount after: 3
port %d
Salon: cluster bus unavailable (redis 127.0.0.1:%d: %s): broadcasts reach this node's connections only until it reconnects; lost publishes are counted in stats()['cluster_dropped']
Salon: cluster bus reconnected; 2 publishes were lost while the bus was down
node stopped
