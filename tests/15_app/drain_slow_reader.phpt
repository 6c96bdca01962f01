--TEST--
Backpressure: 'drain' fires once, when a slow reader has caught up and bufferedAmount is back to send_low_water; not for a queue that stayed under send_high_water
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['send_high_water' => 256 * 1024, 'send_low_water' => 32 * 1024, 'max_buffered' => 64 * 1024 * 1024]);
$drains = 0;
$reading = false;
$server->on('message', function (Salon\Connection $c, string $d) use (&$drains, &$reading) {
	switch ($d) {
	case 'go':
		// 24 MiB: more than the kernel's socket buffers hold, so most of
		// it waits in Salon's queue until the client reads.
		$chunk = str_repeat('x', 64 * 1024);
		for ($i = 0; $i < 384; $i++) {
			$c->send($chunk, true);
		}
		echo "server: queued, over send_high_water: ", var_export($c->bufferedAmount() > 256 * 1024, true), "\n";
		break;
	case 'reading':
		$reading = true;
		break;
	case 'small':
		for ($i = 0; $i < 10; $i++) {
			$c->send(str_repeat('s', 1024));
		}
		break;
	case 'count':
		$c->send("drains: $drains");
		break;
	}
});
$server->on('drain', function (Salon\Connection $c) use (&$drains, &$reading) {
	$drains++;
	echo "server: drain #$drains, reader had started: ", var_export($reading, true),
		", bufferedAmount <= send_low_water: ", var_export($c->bufferedAmount() <= 32 * 1024, true), "\n";
	$c->send('drained');
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('go');
usleep((int) (salon_timeout(0.5) * 1e6));   // a slow reader
$c->send('reading');
$bytes = 0;
for ($i = 0; $i < 384; $i++) {
	$f = $c->readFrame(30);
	$bytes += strlen($f[1]);
	if ($i % 64 === 0) {
		usleep(20000);
	}
}
echo "client: got $bytes bytes, then ", WsClient::describe($c->readFrame()), "\n";
$c->send('small');
for ($i = 0; $i < 10; $i++) {
	$c->readFrame();
}
$c->send('count');
echo "client: ", WsClient::describe($c->readFrame()), "\n";
echo "client: ", $c->close(), "\n";
PHP);
echo salon_run($server, $child, 60);
?>
--EXPECT--
server: queued, over send_high_water: true
server: drain #1, reader had started: true, bufferedAmount <= send_low_water: true
client: got 25165824 bytes, then text "drained"
client: text "drains: 1"
client: close 1000 closed
