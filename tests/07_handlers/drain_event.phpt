--TEST--
Handlers: 'drain' fires after a send queue that grew large has been written out
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$drains = 0;
$server->on('message', function (Salon\Connection $c, string $d) {
	for ($i = 0; $i < 32; $i++) { $c->send(str_repeat('d', 256 * 1024), true); }
	echo "server: queued, bufferedAmount > 0: ", var_export($c->bufferedAmount() > 0, true), "\n";
});
$server->on('drain', function (Salon\Connection $c) use (&$drains) { $drains++; if ($drains === 1) echo "server: drain, bufferedAmount ", $c->bufferedAmount() < 16 * 1024 * 1024 ? 'low' : 'high', "\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('go');
usleep(500000);   // let the queue fill before reading
$total = 0;
for ($i = 0; $i < 32; $i++) { $total += strlen($c->readFrame(10)[1]); }
echo "client: got $total bytes\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child, 30);
echo "drain fired: ", var_export($drains >= 1, true), "\n";
?>
--EXPECT--
server: queued, bufferedAmount > 0: true
server: drain, bufferedAmount low
client: got 8388608 bytes
close 1000 closed
drain fired: true
