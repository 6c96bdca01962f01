--TEST--
Handlers: an exception in onOpen (no error handler) closes that connection with 1011 and is reported on STDERR
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function (Salon\Connection $c) { throw new Exception('open failed'); });
$server->on('close', function ($c, $code) { echo "server: close $code\n"; });
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
echo $a->expectFail(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECTF--
%Aopen failed%A
server: close 1011
close 1011 closed
