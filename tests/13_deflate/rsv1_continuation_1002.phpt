--TEST--
permessage-deflate: RSV1 on a continuation frame closes with 1002 (RFC 7692 §6.1: the first frame only); RSV2 and RSV3 stay reserved
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['compression' => true]);
$child = salon_client($server, <<<'PHP'
	require __DIR__ . '/pmd.php';
	$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate']);
	$z = WsDeflate::fromResponse($c);
	$p = $z->compress(str_repeat('fragmented ', 30));
	$c->writeRaw(WsClient::frame(OP_TEXT, substr($p, 0, 10), false, 4) . WsClient::frame(OP_CONT, substr($p, 10), true, 4));
	echo "RSV1 on the continuation: ", $c->expectFail(), "\n";
	foreach ([2, 1, 6] as $rsv) {
		$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate']);
		$c->writeRaw(WsClient::frame(OP_TEXT, 'plain', true, $rsv));
		echo "RSV bits $rsv on a text frame: ", $c->expectFail(), "\n";
	}
	PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1002
server: close 1002
server: close 1002
server: close 1002
RSV1 on the continuation: close 1002 closed
RSV bits 2 on a text frame: close 1002 closed
RSV bits 1 on a text frame: close 1002 closed
RSV bits 6 on a text frame: close 1002 closed
