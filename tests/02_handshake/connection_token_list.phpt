--TEST--
Handshake: Connection is a comma list and tokens and Upgrade value are case-insensitive
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('message', function ($c, $d, $b) { $c->send($d, $b); });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port, '/', ['Connection' => 'keep-alive, UPGRADE', 'Upgrade' => 'WebSocket']);
$c->send('hi');
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
text "hi"
close 1000 closed
