--TEST--
Hardening: an exception thrown by onClose (no error handler) is written to STDERR with the connection id; there is no second onClose and the server keeps serving the others
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server([], false);
$closes = 0;
$server->on('close', function (Salon\Connection $c, int $code) use (&$closes) {
	$closes++;
	echo "server: close $code\n";
	if ($closes === 1) throw new RuntimeException('close handler failed on purpose');
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
echo "a: ", $a->close(), "\n";
usleep(100000);
$b->send('b still served');
echo "b: ", WsClient::describe($b->readFrame()), "\n";
echo "b: ", $b->close(), "\n";
PHP);
echo salon_run($server, $child);
echo "onClose calls: $closes\n";
?>
--EXPECTF--
server: close 1000
%sRuntimeException%sclose handler failed on purpose%sconnection%S1%S
server: close 1000
a: close 1000 closed
b: text "b still served"
b: close 1000 closed
onClose calls: 2
