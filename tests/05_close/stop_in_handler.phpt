--TEST--
Close: stop() inside a handler makes run() return; open connections get 1001 and one onClose each
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('message', function (Salon\Connection $c, string $d) use ($server) {
	echo "server: message $d\n";
	if ($d === 'stop') {
		$server->stop();
		echo "server: stop() returned\n";
	}
});
$server->on('close', function ($c, $code) { echo "server: close $code\n"; });
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$b->send('hello');
usleep(200000);
$a->send('stop');
foreach (['a' => $a, 'b' => $b] as $n => $c) {
	[$code] = $c->readClose();
	echo "$n: close $code\n";
}
PHP);
// run() directly: stop() comes from the handler, not from the harness
$guard = $server->after(10 * salon_scale(), function () use ($server) { echo "guard: timeout\n"; $server->stop(); });
$server->run();
$server->cancel($guard);
echo "run() returned, count ", count($server), "\n";
echo $child->finish(5);
?>
--EXPECT--
server: message hello
server: message stop
server: stop() returned
server: close 1001
server: close 1001
run() returned, count 0
a: close 1001
b: close 1001
