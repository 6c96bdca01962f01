--TEST--
Chat: the history cache is bounded in rooms and bytes (least recently used rooms evicted): 2000 rooms of 8,000-byte 4-byte-UTF-8 messages from one connection leave the memory flat, and the chat still answers
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/chat.inc';
$server = chat_server();
/* A cap of 1 MiB for the test (the default is 8 MiB); the old cache kept 1000 rooms (8 MB of text here). */
$server->setHistory(new ChatHistory(null, 50, 1000, 1 << 20));
$before = memory_get_usage();
$child = salon_client($server, CHAT_CLIENT . <<<'PHP'
$c = WsClient::connect($port, '/chat');
$text = str_repeat("\u{1F600}", 2000);
for ($i = 0; $i < 2000; $i++) {
	chat_req($c, json_encode(['type' => 'join', 'nick' => 'mallory', 'room' => "r$i"]));
	chat_say($c, $text);
	do { $m = chat_msg($c); } while ($m !== null && $m['type'] !== 'message');
	if ($m === null) { echo "lost at room $i\n"; break; }
}
echo "rooms filled: $i\n";
$b = chat_join($port, 'bob', 'lobby', true);
chat_say($b, 'still here');
echo 'bob <- ', chat_msg($b)['text'], "\n";
PHP);
echo salon_run($server, $child, 120);
$grown = memory_get_usage() - $before;
/* memory_get_usage() is 0 without Zend's allocator (valgrind runs). */
echo 'memory grown under 4 MiB: ', getenv('USE_ZEND_ALLOC') === '0' || $grown < (4 << 20) ? 'yes' : $grown, "\n";
$h = $server->history();
echo 'cached rooms <= 1000: ', $h->cachedRooms() <= 1000 ? 'yes' : $h->cachedRooms(), "\n";
echo 'cached bytes <= 1 MiB: ', $h->cachedBytes() <= (1 << 20) ? 'yes' : $h->cachedBytes(), "\n";
?>
--EXPECT--
rooms filled: 2000
bob <- still here
memory grown under 4 MiB: yes
cached rooms <= 1000: yes
cached bytes <= 1 MiB: yes
