--TEST--
Close: Connection::close(4000, reason) sends the close frame; the peer's answer ends it: TCP closed at once, onClose fires once
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('message', function (Salon\Connection $c, $d) {
	$c->close(4000, 'server says bye');
	echo "server: isOpen after close() ", var_export($c->isOpen(), true), "\n";
	echo "server: send after close() ", var_export($c->send('late'), true), "\n";
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('close me');
$f = $c->readFrame();
echo WsClient::describe($f), "\n";
$t = microtime(true);
echo $c->finishClose(4000), "\n";
// The handshake is complete once the server has our close: TCP must go at once, not at close_timeout (5 s).
$dt = microtime(true) - $t;
echo $dt < salon_timeout(1.0) ? "TCP closed at once\n" : sprintf("TCP closed after %.1f s\n", $dt);
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: isOpen after close() false
server: send after close() false
server: close 4000
close 4000 server says bye
closed
TCP closed at once
