--TEST--
Chat script: permessage-deflate is on by default (a Chromium-like offer gets it; a 1,500-character message comes back compressed on the wire and equal); --no-compression and SALON_CHAT_COMPRESSION=off turn it off
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/chat.inc'; if (salon_extension_path() === null) die('skip salon.so not found'); ?>
--FILE--
<?php
require __DIR__ . '/chat.inc';
$client = <<<'PHP'
require __DIR__ . '/pmd.php';
$c = WsClient::connect($port, '/chat', ['Sec-WebSocket-Extensions' => 'permessage-deflate; client_max_window_bits']);
echo '  Sec-WebSocket-Extensions: ', $c->response['headers']['sec-websocket-extensions'] ?? '(none)', "\n";
$z = WsDeflate::fromResponse($c);
$c->send(json_encode(['type' => 'join', 'nick' => 'alice', 'room' => 'lobby']));
for ($i = 0; $i < 3; $i++) {
	ws_read_message_pmd($c, $z);   // joined, the join notice, the user list
}
$sent = str_repeat('the same words again and again, ', 46) . 'héllo wörld 😀';
$z ? ws_send_compressed($c, $z, json_encode(['type' => 'message', 'text' => $sent])) : chat_say($c, $sent);
[$op, $data, $rsv1, $wire] = ws_read_message_pmd($c, $z);
$got = json_decode($data, true)['text'] ?? null;
printf("  a %d-character message: %s, %s, %s on the wire\n", preg_match_all('/./su', $sent), $got === $sent ? 'same text back' : 'DIFFERENT',
	$rsv1 ? 'compressed' : 'not compressed', $wire < strlen($data) / 4 ? 'under a quarter of its size' : "$wire of " . strlen($data) . ' bytes');
PHP;
foreach (['default' => [[], []], '--no-compression' => [['--no-compression'], []],
	'SALON_CHAT_COMPRESSION=off' => [[], ['SALON_CHAT_COMPRESSION' => 'off']]] as $name => [$args, $env]) {
	$server = chat_spawn(array_merge(['0', '--db='], $args), false, $env);
	echo "$name:\n";
	echo chat_client_run($server->port, $client);
	echo '  server: exit ', chat_stop($server), "\n";
}
?>
--EXPECTF--
default:
  Sec-WebSocket-Extensions: permessage-deflate%S
  a 1485-character message: same text back, compressed, under a quarter of its size on the wire
  server: exit 0
--no-compression:
  Sec-WebSocket-Extensions: (none)
  a 1485-character message: same text back, not compressed, %d of %d bytes on the wire
  server: exit 0
SALON_CHAT_COMPRESSION=off:
  Sec-WebSocket-Extensions: (none)
  a 1485-character message: same text back, not compressed, %d of %d bytes on the wire
  server: exit 0
