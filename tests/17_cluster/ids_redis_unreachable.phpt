--TEST--
Cluster: a node started while Redis is unreachable still serves, with a random node id from 2^20 .. 2^21-1 (a range Redis never hands out), and its ids stay <= 2^53-1
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/cluster.inc';
salon_skip_unless_cluster();
?>
--FILE--
<?php
require __DIR__ . '/../inc/cluster.inc';
// Port 1 on loopback: nothing listens, the connection is refused.
$a = salon_server(['cluster' => 'redis://127.0.0.1:1/salontest']);
salon_cluster_relay($a);
$child = salon_cluster_client($a, [], <<<'PHP'
$c1 = WsClient::connect($port);
$c2 = WsClient::connect($port);
$w1 = relay($c1, ['op' => 'who']);
$w2 = relay($c2, ['op' => 'who']);
echo 'bus up: ', var_export($w1['up'], true), "\n";
echo 'node id in 2^20 .. 2^21-1: ', var_export($w1['node'] >= 1 << 20 && $w1['node'] < 1 << 21, true), "\n";
echo 'ids: node << 32 | 1, 2: ', var_export($w1['id'] === ($w1['node'] << 32 | 1) && $w2['id'] === ($w1['node'] << 32 | 2), true), "\n";
echo 'ids <= 2^53-1: ', var_export($w1['id'] <= 9007199254740991 && $w2['id'] <= 9007199254740991, true), "\n";
PHP);
echo salon_run($a, $child, 20);
?>
--EXPECT--
bus up: false
node id in 2^20 .. 2^21-1: true
ids: node << 32 | 1, 2: true
ids <= 2^53-1: true
