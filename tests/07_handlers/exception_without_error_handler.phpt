--TEST--
Handlers: an exception in onMessage with no error handler goes to STDERR with the connection id; that connection is closed with 1011, others keep working
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('message', function (Salon\Connection $c, string $d) {
	if ($d === 'throw') {
		echo "server: throwing on connection {$c->id}\n";
		throw new RuntimeException('handler failed on purpose');
	}
	$c->send($d);
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$a->send('throw');
echo "a: ", $a->expectFail(), "\n";
$b->send('b still works');
echo "b: ", WsClient::describe($b->readFrame()), "\n";
echo "b: ", $b->close(), "\n";
PHP);
echo salon_run($server, $child);
echo "run() returned normally\n";
?>
--EXPECTF--
server: throwing on connection %d
%sRuntimeException%shandler failed on purpose%sconnection%S1%S
server: close 1011%A
server: close 1000
a: close 1011 closed
b: text "b still works"
b: close 1000 closed
run() returned normally
