--TEST--
permessage-deflate: a compressed message in 5 fragments (RSV1 on the first only) with a ping between them, and one written a byte at a time, are inflated whole
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['compression' => true]);
$server->on('message', function (Salon\Connection $c, string $data, bool $binary) {
	echo "server: ", strlen($data), " bytes, ", $binary ? 'binary' : 'text', ", md5 ", md5($data), "\n";
	$c->send($data, $binary);
});
$child = salon_client($server, <<<'PHP'
	require __DIR__ . '/pmd.php';
	$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate']);
	$z = WsDeflate::fromResponse($c);
	$text = str_repeat("Grüße aus dem Salon, ", 500);
	$p = $z->compress($text);
	$n = intdiv(strlen($p), 5);
	$frames = '';
	for ($i = 0; $i < 5; $i++) {
		$part = $i < 4 ? substr($p, $i * $n, $n) : substr($p, 4 * $n);
		$frames .= WsClient::frame($i === 0 ? OP_TEXT : OP_CONT, $part, $i === 4, $i === 0 ? 4 : 0);
		if ($i === 2) {
			$frames .= WsClient::frame(OP_PING, 'between');
		}
	}
	$c->writeRaw($frames);
	echo "client: ", WsClient::describe($c->readFrame()), "\n";
	[$op, $got, $rsv1] = ws_read_message_pmd($c, $z);
	echo "client: echo ", $got === $text ? 'same' : 'DIFFERENT', ", ", $rsv1 ? 'compressed' : 'plain', "\n";
	// The same text again (back-references into the first), in 3 frames
	// written one byte at a time, and a binary one in 256-octet frames.
	$p = $z->compress($text);
	$m = intdiv(strlen($p), 3);
	$c->writeRaw(WsClient::frame(OP_TEXT, substr($p, 0, $m), false, 4) . WsClient::frame(OP_CONT, substr($p, $m, $m), false)
		. WsClient::frame(OP_CONT, substr($p, 2 * $m), true), 1);
	[$op, $got, $rsv1] = ws_read_message_pmd($c, $z);
	echo "client: echo ", $got === $text ? 'same' : 'DIFFERENT', " (", strlen($p), " bytes compressed)\n";
	$bin = str_repeat(random_bytes(1000), 20);
	ws_send_compressed($c, $z, $bin, true, 256);
	[$op, $got, $rsv1] = ws_read_message_pmd($c, $z);
	echo "client: binary echo ", $got === $bin && $op === OP_BINARY ? 'same' : 'DIFFERENT', "\n";
	echo $c->close(), "\n";
	PHP);
echo salon_run($server, $child);
?>
--EXPECTF--
server: 11500 bytes, text, md5 164e6baa8d90c801b44c5497a1666d53
server: 11500 bytes, text, md5 164e6baa8d90c801b44c5497a1666d53
server: 20000 bytes, binary, md5 %s
server: close 1000
client: pong "between"
client: echo same, compressed
client: echo same (%d bytes compressed)
client: binary echo same
close 1000 closed
