--TEST--
Hardening: stop() called from onClose (and again from the onClose calls it causes) makes run() return; every other open connection gets 1001 and exactly one onClose
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server([], false);
$closes = [];
$server->on('close', function (Salon\Connection $c, int $code) use ($server, &$closes) {
	$closes[$c->id] = ($closes[$c->id] ?? 0) + 1;
	echo "server: close $code\n";
	$server->stop();
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$c = WsClient::connect($port);
usleep(100000);
echo "a: ", $a->close(), "\n";
foreach (['b' => $b, 'c' => $c] as $n => $x) { [$code] = $x->readClose(); echo "$n: close $code\n"; }
PHP);
$guard = $server->after(10 * salon_scale(), function () use ($server) { echo "guard: timeout\n"; $server->stop(); });
$server->run();
$server->cancel($guard);
echo "run() returned, count ", count($server), ", onClose per connection ", json_encode(array_values(array_unique($closes))), "\n";
echo $child->finish(5);
?>
--EXPECT--
server: close 1000
server: close 1001
server: close 1001
run() returned, count 0, onClose per connection [1]
a: close 1000 closed
b: close 1001
c: close 1001
