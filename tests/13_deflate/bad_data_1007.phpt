--TEST--
permessage-deflate: compressed text that is not UTF-8 once inflated, data that is not DEFLATE, and a payload that stops inside a block close with 1007
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['compression' => true]);
$child = salon_client($server, <<<'PHP'
	require __DIR__ . '/pmd.php';
	$cases = [
		'invalid UTF-8 in the inflated text' => [OP_TEXT, fn ($z) => $z->compress(str_repeat('abc', 100) . "\xff" . str_repeat('abc', 100))],
		'text ending inside a code point' => [OP_TEXT, fn ($z) => $z->compress("caf\xc3")],
		'a surrogate (U+D800)' => [OP_TEXT, fn ($z) => $z->compress("ok \xed\xa0\x80 no")],
		'not DEFLATE' => [OP_BINARY, fn ($z) => "\xff\xff\xff\xff\xff"],
		'a payload that stops inside a block' => [OP_BINARY, fn ($z) => substr($z->compress(str_repeat('x', 100)), 0, -1)],
	];
	foreach ($cases as $what => [$op, $make]) {
		$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate']);
		$z = WsDeflate::fromResponse($c);
		$c->writeRaw(WsClient::frame($op, $make($z), true, 4));
		echo "$what: ", $c->expectFail(), "\n";
	}
	// Binary is not checked as UTF-8.
	$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate']);
	$z = WsDeflate::fromResponse($c);
	ws_send_compressed($c, $z, str_repeat("\xff", 100), true);
	[$op, $got] = ws_read_message_pmd($c, $z);
	echo "binary 0xff x 100: ", $got === str_repeat("\xff", 100) ? 'echoed' : 'DIFFERENT', "\n";
	echo $c->close(), "\n";
	PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1007
server: close 1007
server: close 1007
server: close 1007
server: close 1007
server: close 1000
invalid UTF-8 in the inflated text: close 1007 closed
text ending inside a code point: close 1007 closed
a surrogate (U+D800): close 1007 closed
not DEFLATE: close 1007 closed
a payload that stops inside a block: close 1007 closed
binary 0xff x 100: echoed
close 1000 closed
