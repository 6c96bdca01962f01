--TEST--
Hardening: when the error handler itself throws, that exception goes to STDERR (once, no loop), the connection is closed with 1011 and the server keeps serving the others
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server();
$errors = 0;
$server->on('message', function (Salon\Connection $c, string $d) {
	if ($d === 'throw') throw new LogicException('first');
	$c->send($d);
});
$server->on('error', function (?Salon\Connection $c, Throwable $e) use (&$errors) {
	$errors++;
	throw new RuntimeException('error handler failed too, after ' . $e->getMessage());
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$a->send('throw');
echo "a: ", $a->expectFail(), "\n";
$b->send('b still served');
echo "b: ", WsClient::describe($b->readFrame()), "\n";
echo "b: ", $b->close(), "\n";
PHP);
echo salon_run($server, $child);
echo "error handler calls: $errors\n";
?>
--EXPECTF--
%sRuntimeException%serror handler failed too, after first%s
server: close 1011
server: close 1000
a: close 1011 closed
b: text "b still served"
b: close 1000 closed
error handler calls: 1
