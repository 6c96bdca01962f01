--TEST--
Close: a close with a 123-byte reason (the largest allowed) is accepted
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('close', function ($c, $code, $reason) { echo "server: close $code ", strlen($reason), " bytes\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
echo $c->close(1000, str_repeat('r', 123)), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000 123 bytes
close 1000 closed
