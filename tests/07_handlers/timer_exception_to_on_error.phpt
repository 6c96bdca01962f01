--TEST--
Handlers: an exception in a timer callback goes to the error handler with a null connection; the server keeps running
--EXTENSIONS--
salon
--FILE--
<?php
$server = new Salon\Server('127.0.0.1', 0);
$server->on('error', function (?Salon\Connection $c, Throwable $e) {
	echo "error handler: connection ", var_export($c, true), ", ", get_class($e), ": ", $e->getMessage(), "\n";
});
$server->after(0.05, function () { throw new DomainException('timer failed'); });
$server->after(0.2, function () use ($server) { echo "later timer still runs\n"; $server->stop(); });
$server->run();
echo "run() returned\n";
?>
--EXPECT--
error handler: connection NULL, DomainException: timer failed
later timer still runs
run() returned
