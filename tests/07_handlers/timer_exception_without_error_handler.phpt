--TEST--
Handlers: an exception in a timer callback with no error handler is written to STDERR and the server keeps running
--EXTENSIONS--
salon
--FILE--
<?php
$server = new Salon\Server('127.0.0.1', 0);
$server->after(0.05, function () { throw new DomainException('timer failed'); });
$server->after(0.2, function () use ($server) { echo "later timer still runs\n"; $server->stop(); });
$server->run();
echo "run() returned\n";
?>
--EXPECTF--
%ADomainException%Stimer failed%A
later timer still runs
run() returned
