--TEST--
Chat: text over 2000 characters, blank text and requests over 32 KiB get an error; 2000 four-byte characters pass; over 64 KiB closes with 1009
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/chat.inc';
$server = chat_server();
$child = salon_client($server, CHAT_CLIENT . <<<'PHP'
$c = chat_join($port, 'alice', 'lobby', true);
$cases = [
	'2001 ASCII characters' => str_repeat('a', 2001),
	'empty' => '',
	'only white space' => " \n\t ",
	'not a string' => 12,
];
foreach ($cases as $what => $text) {
	chat_req($c, json_encode(['type' => 'message', 'text' => $text]));
	$m = chat_msg($c);
	echo "$what: {$m['type']} {$m['code']} ({$m['message']})\n";
}
chat_req($c, '{"type":"message"}');
echo 'no text: ', chat_msg($c)['code'], "\n";
$emoji = str_repeat("\u{1F600}", 2000);
chat_say($c, $emoji);
$m = chat_msg($c);
echo '2000 emoji (8000 bytes): ', $m['type'], ' ', $m['text'] === $emoji ? 'intact' : 'changed', "\n";
chat_req($c, json_encode(['type' => 'message', 'text' => $emoji]));
$m = chat_msg($c);
echo 'the same escaped as \ud83d\ude00 (24000 bytes): ', $m['type'], ' ', $m['text'] === $emoji ? 'intact' : 'changed', "\n";
chat_say($c, str_repeat("\u{1F600}", 2001));
echo '2001 emoji: ', chat_msg($c)['code'], "\n";
chat_req($c, '{"type":"message","text":"' . str_repeat('b', 32768) . '"}');
echo 'a 32 KiB request: ', chat_msg($c)['code'], "\n";
chat_say($c, 'still here');
echo 'then: ', chat_msg($c)['text'], "\n";
$c->send(str_repeat('x', 65537));
echo 'a 64 KiB + 1 request: ', $c->expectFail(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
2001 ASCII characters: error text_invalid (text: 1 to 2000 characters)
empty: error text_invalid (text: 1 to 2000 characters)
only white space: error text_invalid (text: 1 to 2000 characters)
not a string: error text_invalid (text: 1 to 2000 characters)
no text: text_invalid
2000 emoji (8000 bytes): message intact
the same escaped as \ud83d\ude00 (24000 bytes): message intact
2001 emoji: text_invalid
a 32 KiB request: too_long
then: still here
a 64 KiB + 1 request: close 1009 closed
