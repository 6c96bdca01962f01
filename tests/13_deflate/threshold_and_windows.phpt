--TEST--
permessage-deflate: messages under "threshold" go out plain; client_max_window_bits limits the client's window; server_max_window_bits=8 and level 0 still give valid messages
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$configs = [
	'threshold 200' => ['threshold' => 200],
	'client_max_window_bits 9, level 1, memory_level 1' => ['client_max_window_bits' => 9, 'level' => 1, 'memory_level' => 1],
	'server_max_window_bits 8' => ['server_max_window_bits' => 8],
	'level 0' => ['level' => 0],
];
foreach ($configs as $name => $opts) {
	$server = salon_echo_server(['compression' => $opts], false);
	$child = salon_client($server, sprintf(<<<'PHP'
		require __DIR__ . '/pmd.php';
		echo %s, ":\n";
		$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate; client_max_window_bits']);
		$z = WsDeflate::fromResponse($c);
		echo "  ", $c->response['headers']['sec-websocket-extensions'], "\n";
		foreach ([199, 200, 5000] as $n) {
			$data = substr(str_repeat('salon ', 1000), 0, $n);
			ws_send_compressed($c, $z, $data);
			[$op, $got, $rsv1, $wire] = ws_read_message_pmd($c, $z);
			printf("  %%d bytes: %%s, %%s\n", $n, $got === $data ? 'echoed' : 'DIFFERENT', $rsv1 ? 'compressed' : 'plain');
		}
		$c->close();
		PHP, var_export($name, true)));
	echo salon_run($server, $child);
}
?>
--EXPECT--
threshold 200:
  permessage-deflate
  199 bytes: echoed, plain
  200 bytes: echoed, compressed
  5000 bytes: echoed, compressed
client_max_window_bits 9, level 1, memory_level 1:
  permessage-deflate; client_max_window_bits=9
  199 bytes: echoed, compressed
  200 bytes: echoed, compressed
  5000 bytes: echoed, compressed
server_max_window_bits 8:
  permessage-deflate; server_max_window_bits=8
  199 bytes: echoed, compressed
  200 bytes: echoed, compressed
  5000 bytes: echoed, compressed
level 0:
  permessage-deflate
  199 bytes: echoed, plain
  200 bytes: echoed, plain
  5000 bytes: echoed, plain
