--TEST--
Close: close() and send() on a closed connection do nothing (false, no exception); isOpen() is false
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$kept = null;
$server->on('close', function (Salon\Connection $c, $code) use (&$kept) {
	echo "server: close $code\n";
	echo "isOpen: ", var_export($c->isOpen(), true), "\n";
	echo "send: ", var_export($c->send('x'), true), "\n";
	$c->close();
	echo "close(): no exception\n";
	$kept = $c;
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
echo "later send: ", var_export($kept->send('x'), true), "\n";
$kept->close(1000);
$kept->ping('x');
echo "later bufferedAmount: ", $kept->bufferedAmount(), "\n";
echo "later request path: ", $kept->request()->path, "\n";
?>
--EXPECT--
server: close 1000
isOpen: false
send: false
close(): no exception
close 1000 closed
later send: false
later bufferedAmount: 0
later request path: /
