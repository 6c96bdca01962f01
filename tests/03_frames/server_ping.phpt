--TEST--
Frames: Connection::ping() sends a ping with the payload; a payload over 125 bytes is refused
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('open', function (Salon\Connection $c) {
	$c->ping('heartbeat');
	$c->ping();
	try {
		$c->ping(str_repeat('x', 126));
		echo "server: 126-byte ping accepted\n";
	} catch (ValueError $e) {
		echo "server: ValueError\n";
	}
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
echo WsClient::describe($c->readFrame()), "\n";
$f = $c->readFrame();
echo $f[0] === OP_PING && $f[1] === '' ? 'empty ping' : WsClient::describe($f), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: ValueError
server: close 1000
ping "heartbeat"
empty ping
close 1000 closed
