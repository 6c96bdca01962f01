--TEST--
Cluster: the bus is binary-safe: binary with every byte value, empty text and binary, multibyte text and a 1 MiB message arrive on the other node unchanged, with their type
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
// The relay request carries the payload in base64: room for 1 MiB of it.
$a = salon_server(['cluster' => $redis->url(), 'max_message_size' => 4 << 20]);
salon_cluster_relay($a);
$b = salon_cluster_node($redis->url(), 1, 'node B');
$child = salon_cluster_client($a, ['portB' => $b->port], <<<'PHP'
$a1 = WsClient::connect($port);
$b1 = WsClient::connect($portB);
wait_up(['a' => $a1, 'b' => $b1]);
$all = '';
for ($i = 0; $i < 256; $i++) $all .= chr($i);
// 1 MiB that is not a short repeat of a power of two (built without a
// quadratic loop: the client runs under valgrind too with run-tests -m).
$big = substr(str_repeat($all . 'salon', intdiv(1 << 20, 261) + 1), 0, 1 << 20);
$cases = [
	'every byte value' => [$all, true],
	'empty text' => ['', false],
	'empty binary' => ['', true],
	'multibyte text' => ["caf\u{e9} \u{1F600} \u{4E2D}", false],
	'1 MiB binary' => [$big, true],
	'1 MiB text' => [str_repeat('a', 1 << 20), false],
];
foreach ($cases as $name => [$data, $binary]) {
	bcast($a1, $data, $binary);
	$m = $b1->readMessage(10);
	$ok = $m !== null && $m[0] === ($binary ? OP_BINARY : OP_TEXT) && $m[1] === $data;
	echo "$name: ", $ok ? 'same' : 'DIFFERENT: ' . describe_message($m), "\n";
}
echo 'b1 then: ', next_message($b1, 0.3), "\n";
$st = relay($b1, ['op' => 'stats']);
echo "node B received {$st['cluster_received']}, invalid {$st['cluster_invalid']}\n";
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
every byte value: same
empty text: same
empty binary: same
multibyte text: same
1 MiB binary: same
1 MiB text: same
b1 then: nothing
node B received 6, invalid 0
port %d
node stopped
