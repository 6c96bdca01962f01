--TEST--
Close: a client close (1000, reason) is echoed, TCP is closed by the server, onClose gets code and reason
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('close', function ($c, $code, $reason) { echo "server: close $code $reason\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
echo $c->close(1000, 'bye now'), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000 bye now
close 1000 closed
