--TEST--
Chat: joining sends the room's last 50 messages, oldest first, without notices; other rooms' messages stay out
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/chat.inc';
$server = chat_server();
$child = salon_client($server, CHAT_CLIENT . <<<'PHP'
$a = chat_join($port, 'alice', 'lobby', true);
$o = chat_join($port, 'olga', 'other', true);
chat_say($o, 'elsewhere');
for ($i = 1; $i <= 55; $i++) {
	chat_say($a, "m$i");
	chat_msg($a);
}
$b = WsClient::connect($port, '/chat');
chat_req($b, '{"type":"join","nick":"bob"}');
$j = chat_msg($b);
$texts = array_column($j['history'], 'text');
echo $j['type'], ': ', count($j['history']), ' messages, ', $texts[0], ' to ', end($texts), "\n";
echo 'all by alice in lobby: ', json_encode(array_unique(array_column($j['history'], 'nick'))), ' ', json_encode(array_unique(array_column($j['history'], 'room'))), "\n";
echo 'types: ', json_encode(array_unique(array_column($j['history'], 'type'))), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
joined: 50 messages, m6 to m55
all by alice in lobby: ["alice"] ["lobby"]
types: ["message"]
