--TEST--
Cluster: nodes started while Redis is down serve their own connections, retry with backoff, and join the bus when Redis comes up
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
$redis->kill();
$a = salon_server(['cluster' => $redis->url()]);
salon_cluster_relay($a);
$b = salon_cluster_node($redis->url(), 1, 'node B');
$child = salon_cluster_client($a, ['portB' => $b->port, 'redisDir' => $redis->dir], <<<'PHP'
$a1 = WsClient::connect($port);
$b1 = WsClient::connect($portB);
$b2 = WsClient::connect($portB);
usleep(300000);
echo 'b up: ', var_export(relay($b1, ['op' => 'who'])['up'], true), "\n";
echo 'local broadcast on B: ', bcast($b1, 'alone'), "\n";
echo 'b2: ', next_message($b2), "\n";
echo 'a1: ', next_message($a1, 0.3), "\n";
SalonRedis::attach($redisDir)->start();
wait_up(['a' => $a1, 'b' => $b1], 15);
echo "both up\n";
bcast($b1, 'together');
echo 'b2: ', next_message($b2), "\n";
echo 'a1: ', next_message($a1), "\n";
$st = relay($b1, ['op' => 'stats']);
echo "node B: dropped {$st['cluster_dropped']}, published {$st['cluster_published']}, reconnects {$st['cluster_reconnects']}\n";
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
b up: false
local broadcast on B: 1
b2: text "alone"
a1: nothing
both up
b2: text "together"
a1: text "together"
node B: dropped 1, published 1, reconnects 0
port %d
Salon: cluster bus unavailable (redis 127.0.0.1:%d: Connection refused): broadcasts reach this node's connections only until it reconnects; lost publishes are counted in stats()['cluster_dropped']
Salon: cluster bus reconnected; 1 publishes were lost while the bus was down
node stopped
