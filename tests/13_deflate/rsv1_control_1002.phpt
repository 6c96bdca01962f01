--TEST--
permessage-deflate: RSV1 on a ping or a close frame closes with 1002 (RFC 7692 §6: data messages only)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['compression' => true]);
$child = salon_client($server, <<<'PHP'
	foreach ([OP_PING, OP_PONG, OP_CLOSE] as $op) {
		$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate']);
		$c->writeRaw(WsClient::frame($op, $op === OP_CLOSE ? pack('n', 1000) : 'x', true, 4));
		echo "opcode $op with RSV1: ", $c->expectFail(), "\n";
	}
	PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1002
server: close 1002
server: close 1002
opcode 9 with RSV1: close 1002 closed
opcode 10 with RSV1: close 1002 closed
opcode 8 with RSV1: close 1002 closed
