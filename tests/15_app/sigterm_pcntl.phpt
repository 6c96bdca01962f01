--TEST--
Lifecycle: a pcntl_signal() handler for SIGTERM keeps the signal (Salon leaves it alone) and is still installed after run()
--EXTENSIONS--
salon
pcntl
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
pcntl_async_signals(true);
$handler = function (int $sig) use ($server) {
	echo "pcntl: got signal $sig, stopping\n";
	$server->stop();
};
pcntl_signal(SIGTERM, $handler);
$server->on('close', function (Salon\Connection $c, int $code) { echo "server: close $code\n"; });
$pid = getmypid();
$child = salon_client($server, <<<PHP
\$a = WsClient::connect(\$port);
\$a->ping('x');
\$a->readFrame();
exec('kill -TERM $pid');
echo "a: ", \$a->expectFail(), "\\n";
PHP);
$guard = $server->after(20 * salon_scale(), function () use ($server) { echo "guard: no signal\n"; $server->stop(); });
$server->run();
$server->cancel($guard);
echo "run() returned\n";
echo $child->finish(10);
var_dump(pcntl_signal_get_handler(SIGTERM) === $handler);

exec('kill -TERM ' . getmypid());
pcntl_signal_dispatch();
echo "still alive\n";
?>
--EXPECT--
pcntl: got signal 15, stopping
server: close 1001
run() returned
a: close 1001 closed
bool(true)
pcntl: got signal 15, stopping
still alive
