--TEST--
Handshake: a request head of almost 8 KiB is still accepted
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function ($c) { echo "server: open, header length ", strlen($c->request()->header('X-Filler')), "\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port, '/', ['X-Filler' => str_repeat('a', 7800)]);
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: open, header length 7800
close 1000 closed
