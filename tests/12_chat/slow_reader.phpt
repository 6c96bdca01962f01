--TEST--
Chat: a member that never reads in a flooded room misses messages (on_buffer_full 'drop') instead of being closed with 1008; it can read and send afterwards, and the others got everything
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/chat.inc';
$server = chat_server();
$child = salon_client($server, CHAT_CLIENT . <<<'PHP'
$a = chat_join($port, 'alice', 'lobby', true);
$b = chat_join($port, 'bob', 'lobby', true);
$c = chat_join($port, 'carol', 'lobby', true);
do { $m = chat_msg($a); } while ($m['type'] !== 'notice' || $m['nick'] !== 'carol');
chat_msg($a);
do { $m = chat_msg($b); } while ($m['type'] !== 'notice' || $m['nick'] !== 'carol');
chat_msg($b);
$text = str_repeat('x', 1990) . ' ';
$n = 4000;   /* 8 MB to each member: more than max_buffered (1 MiB) and the socket buffers */
$got = ['alice' => 0, 'carol' => 0];
for ($i = 0; $i < $n; $i++) {
	chat_say($a, $text . $i);
	foreach (['alice' => $a, 'carol' => $c] as $who => $x) {
		while (true) {
			$m = chat_msg($x);
			if ($m === null || ($m['type'] ?? '') !== 'message') { echo "$who: ", json_encode($m), "\n"; break 3; }
			$got[$who]++;
			break;
		}
	}
}
echo 'alice got ', $got['alice'], ', carol got ', $got['carol'], " of $n\n";
chat_say($b, 'still here');
$seen = 0;
while (($m = chat_msg($b)) !== null && ($m['type'] ?? '') === 'message' && $m['text'] !== 'still here') {
	$seen++;
}
echo 'bob: ', $m === null ? 'EOF' : json_encode($m), ', missed some: ', $seen < $n ? 'yes' : 'no', "\n";
PHP);
echo salon_run($server, $child, 60);
?>
--EXPECT--
alice got 4000, carol got 4000 of 4000
bob: {"type":"message","room":"lobby","nick":"bob","text":"still here"}, missed some: yes
