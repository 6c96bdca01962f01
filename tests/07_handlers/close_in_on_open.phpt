--TEST--
Handlers: close() inside onOpen sends the close frame; onClose fires once
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function (Salon\Connection $c) { $c->close(4001, 'go away'); });
$server->on('message', function ($c, $d) { echo "server: message (must not happen)\n"; });
$server->on('close', function ($c, $code, $reason) { echo "server: close $code $reason\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
echo WsClient::describe($c->readFrame()), "\n";
$c->send('ignored after close');
echo $c->finishClose(4001), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 4001 go away
close 4001 go away
closed
