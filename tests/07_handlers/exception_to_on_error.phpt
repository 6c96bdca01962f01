--TEST--
Handlers: an exception in a handler goes to the error handler with the connection and the Throwable; nothing on STDERR; the server keeps running
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('message', function (Salon\Connection $c, string $d) {
	if ($d === 'throw') {
		throw new LogicException('boom ' . $c->id);
	}
	$c->send($d);
});
$server->on('error', function (?Salon\Connection $c, Throwable $e) {
	echo "server: error handler: ", get_class($e), ": ", $e->getMessage() === 'boom ' . $c?->id ? 'message has the id' : $e->getMessage(), ", connection given: ", var_export($c instanceof Salon\Connection, true), "\n";
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$a->send('throw');
$a->send('after');
echo WsClient::describe($a->readFrame()), "\n";
echo $a->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: error handler: LogicException: message has the id, connection given: true
server: close 1000
text "after"
close 1000 closed
