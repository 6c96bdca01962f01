--TEST--
Close: in onClose, isOpen() is false and send() returns false on every other path (peer's close, our close answered or timed out, protocol error, shutdown)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/on_close_state.inc';
$server = salon_server(['close_timeout' => 0.3 * salon_scale()]);
salon_on_close_state($server);
$server->on('message', function (Salon\Connection $c, string $data) use ($server) {
	if ($data === 'close me') {
		$c->close(4000, 'bye');
	} elseif ($data === 'stop') {
		$server->stop();
	}
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
echo "peer's close: ", $c->close(1000), "\n";
$c = WsClient::connect($port);
$c->send('close me');
[$code] = $c->readClose();
echo "our close, answered: ", $c->finishClose($code), "\n";
$c = WsClient::connect($port);
$c->send('close me');
[$code] = $c->readClose();
echo "our close, unanswered: $code ", $c->expectClosed(), "\n";
$c = WsClient::connect($port);
$c->sendFrame(OP_TEXT, 'x', mask: false);
echo "protocol error: ", $c->expectFail(), "\n";
$c = WsClient::connect($port);
$c->send('stop');
[$code] = $c->readClose();
echo "shutdown: $code ", $c->finishClose($code), "\n";
PHP);
// Not salon_run(): the last step stops the server from a handler, and the
// client still has to read its close frame when run() returns.
$server->after(10 * salon_scale(), fn() => $server->stop());
$server->run();
echo $child->finish(5);
?>
--EXPECT--
server: close 1000 isOpen=false send=false bufferedAmount grew=false isOpen after close()=false
server: close 4000 isOpen=false send=false bufferedAmount grew=false isOpen after close()=false
server: close 4000 isOpen=false send=false bufferedAmount grew=false isOpen after close()=false
server: close 1002 isOpen=false send=false bufferedAmount grew=false isOpen after close()=false
server: close 1001 isOpen=false send=false bufferedAmount grew=false isOpen after close()=false
peer's close: close 1000 closed
our close, answered: closed
our close, unanswered: 4000 closed
protocol error: close 1002 closed
shutdown: 1001 closed
