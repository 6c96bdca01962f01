--TEST--
permessage-deflate: with context takeover (the default) a repeated message costs fewer bytes both ways; with server_no_context_takeover each of the server's messages stands alone, and a peer that resets its window each time still reads it
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['compression' => true]);
$child = salon_client($server, <<<'PHP'
	require __DIR__ . '/pmd.php';
	$text = '';
	for ($i = 0; $i < 20; $i++) {
		$text .= sprintf('{"type":"message","user":"user%d","text":"hello number %d"}', $i % 3, $i);
	}
	foreach (['permessage-deflate', 'permessage-deflate; server_no_context_takeover',
	          'permessage-deflate; client_no_context_takeover',
	          'permessage-deflate; server_no_context_takeover; client_no_context_takeover'] as $offer) {
		$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => $offer]);
		$z = WsDeflate::fromResponse($c);
		echo $c->response['headers']['sec-websocket-extensions'], "\n";
		$in = $out = [];
		for ($i = 0; $i < 3; $i++) {
			$p = $z->compress($text);
			$out[] = strlen($p);
			$c->writeRaw(WsClient::frame(OP_TEXT, $p, true, 4));
			[$op, $got, $rsv1, $wire] = ws_read_message_pmd($c, $z);
			$in[] = $got === $text && $rsv1 ? $wire : 'BAD';
		}
		// With context takeover the repeats refer back into the first;
		// how much smaller they get depends on the level (the server's
		// default, 1, skips some of the hashing that level 6 does).
		$shape = fn (array $x) => !is_int($x[0]) ? implode('/', $x)
			: ($x[1] < $x[0] * 0.6 && $x[2] < $x[0] * 0.6 ? 'first, then smaller'
			: ($x[0] === $x[1] && $x[1] === $x[2] ? 'same each time' : implode('/', $x)));
		printf("  %d bytes; client sent %s; server sent %s\n", strlen($text), $shape($out), $shape($in));
		$c->close();
	}
	PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
server: close 1000
server: close 1000
server: close 1000
permessage-deflate
  1150 bytes; client sent first, then smaller; server sent first, then smaller
permessage-deflate; server_no_context_takeover
  1150 bytes; client sent first, then smaller; server sent same each time
permessage-deflate; client_no_context_takeover
  1150 bytes; client sent same each time; server sent first, then smaller
permessage-deflate; server_no_context_takeover; client_no_context_takeover
  1150 bytes; client sent same each time; server sent same each time
