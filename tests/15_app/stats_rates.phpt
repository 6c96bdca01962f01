--TEST--
Stats: per_second rates follow the traffic of the last second and fall back to 0 when it stops
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$samples = [];
$server->on('message', function (Salon\Connection $c, string $d) use ($server, &$samples) {
	if ($d === 'sample') {
		$r = $server->stats()['per_second'];
		$samples[] = $r;
		$c->send(sprintf('in %s, out %s, bytes_in %s', $r['messages_in'] > 0 ? '> 0' : '0', $r['messages_out'] > 0 ? '> 0' : '0',
			$r['bytes_in'] > 0 ? '> 0' : '0'));
		return;
	}
	$c->send($d);
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$t = microtime(true);
$n = 0;
while (microtime(true) - $t < salon_timeout(1.5)) { $a->send('x'); $a->readFrame(); $n++; }
$a->send('sample');
echo "busy: ", $a->readFrame()[1], "\n";
usleep((int) (salon_timeout(2.5) * 1e6));
$a->send('sample');
echo "quiet: ", $a->readFrame()[1], "\n";
echo $a->close(), "\n";
PHP);
echo salon_run($server, $child, 30);
?>
--EXPECT--
busy: in > 0, out > 0, bytes_in > 0
quiet: in 0, out 0, bytes_in 0
close 1000 closed
