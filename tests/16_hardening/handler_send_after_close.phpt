--TEST--
Hardening: inside one handler, close() then send(), ping() and close() again: send() returns false, nothing throws, and the peer gets exactly one close frame and nothing after it
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_server();
$server->on('message', function (Salon\Connection $c, string $d) {
	$c->close(4000, 'bye');
	echo "server: isOpen after close(): ", var_export($c->isOpen(), true), "\n";
	echo "server: send() after close(): ", var_export($c->send('too late'), true), "\n";
	$c->ping('too late');
	$c->close(4001, 'again');
	echo "server: ping() and a second close(): no exception\n";
});
$server->on('close', function ($c, $code, $reason) { echo "server: close $code $reason\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('hi');
echo "client: ", WsClient::describe($c->readFrame()), "\n";
$c->sendFrame(OP_CLOSE, pack('n', 4000));
echo "client: then ", WsClient::describe($c->readFrame()), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: isOpen after close(): false
server: send() after close(): false
server: ping() and a second close(): no exception
server: close 4000 bye
client: close 4000 bye
client: then EOF
