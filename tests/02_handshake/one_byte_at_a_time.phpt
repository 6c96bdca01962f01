--TEST--
Handshake: a request that arrives one byte at a time is parsed across reads
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function ($c) { echo "server: open ", $c->request()->path, "\n"; });
$server->on('message', function ($c, $d, $b) { $c->send($d, $b); });
$child = salon_client($server, <<<'PHP'
// connect() writes request head in 1-byte chops with 200 us between them.
$c = WsClient::connect($port, '/slow', [], '', 1);
$c->send('after slow handshake');
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: open /slow
text "after slow handshake"
close 1000 closed
