--TEST--
permessage-deflate: compressed messages of 0 B, 1 B, 100 KiB of text and 1 MiB of random binary are echoed; compressible echoes come back compressed, the rest as they are
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['compression' => true]);
$child = salon_client($server, <<<'PHP'
	require __DIR__ . '/pmd.php';
	$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate; client_max_window_bits']);
	$z = WsDeflate::fromResponse($c);
	mt_srand(7692);
	$text = '';
	while (strlen($text) < 102400) {
		$text .= sprintf('{"user":"user%d","text":"héllo %d wörld"}', mt_rand(1, 9), mt_rand(1, 999));
	}
	$text = substr($text, 0, 102400);
	$msgs = [['', false], ['a', false], [$text, false], [random_bytes(1 << 20), true], ['a short one', false]];
	foreach ($msgs as [$data, $binary]) {
		$sent = $z->compress($data);
		$c->writeRaw(WsClient::frame($binary ? OP_BINARY : OP_TEXT, $sent, true, 4));
		[$op, $got, $rsv1, $wire] = ws_read_message_pmd($c, $z, 20);
		printf("%s %d bytes (%d compressed): %s, echo %s, %s\n", $binary ? 'binary' : 'text', strlen($data),
			strlen($sent), $got === $data && $op === ($binary ? OP_BINARY : OP_TEXT) ? 'same' : 'DIFFERENT',
			$rsv1 ? 'compressed' : 'plain', $wire < strlen($data) / 5 ? 'under 1/5 on the wire' : 'full size on the wire');
	}
	// Uncompressed messages are fine on a compressed connection too.
	$c->send('not compressed');
	[$op, $got, $rsv1] = ws_read_message_pmd($c, $z);
	echo "plain message: ", $got, "\n";
	echo $c->close(), "\n";
	PHP);
echo salon_run($server, $child, 30);
?>
--EXPECTF--
server: close 1000
text 0 bytes (1 compressed): same, echo plain, full size on the wire
text 1 bytes (3 compressed): same, echo plain, full size on the wire
text 102400 bytes (%d compressed): same, echo compressed, under 1/5 on the wire
binary 1048576 bytes (%d compressed): same, echo plain, full size on the wire
text 11 bytes (%d compressed): same, echo plain, full size on the wire
plain message: not compressed
close 1000 closed
