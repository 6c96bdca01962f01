--TEST--
Lifecycle: stop() closes with 1001 and gives a client that does not answer at most shutdown_timeout; onClose fires for it
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['shutdown_timeout' => 0.5, 'close_timeout' => 30]);
$server->on('open', function (Salon\Connection $c) use ($server) {
	echo "server: open\n";
	$server->after(0.1, function () use ($server) {
		// a handler that takes a while before it stops the server: the
		// shutdown_timeout counts from stop(), not from when the loop
		// last read the clock
		for ($t = microtime(true); microtime(true) - $t < 0.3;);
		$GLOBALS['stopped_at'] = microtime(true);
		$server->stop();
	});
});
$server->on('close', function (Salon\Connection $c, int $code) { echo "server: close $code\n"; });
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
echo "a: ", WsClient::describe($a->readFrame()), "\n";
sleep((int) salon_timeout(2));   // never answers the close frame
PHP);
$server->run();
$dt = microtime(true) - $stopped_at;
echo $dt >= 0.5 && $dt < 0.5 + 1.0 * salon_scale() ? "run() returned after shutdown_timeout\n" : "run() returned after $dt s\n";
echo $child->finish(10);
?>
--EXPECT--
server: open
server: close 1001
run() returned after shutdown_timeout
a: close 1001 server shutting down
