--TEST--
Chat: nicknames and rooms are validated (trimmed, 1 to 24/32 characters, single spaces, no control characters); nicknames are unique per room ignoring case; a refused join changes nothing
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/chat.inc';
$server = chat_server();
$child = salon_client($server, CHAT_CLIENT . <<<'PHP'
$a = chat_join($port, 'alice', 'lobby', true);
$b = WsClient::connect($port, '/chat');
foreach ([['Alice', 'lobby'], [' alice ', 'Lobby'], ['', 'lobby'], ['   ', 'lobby'], ["a\tb", 'lobby'], ["a\nb", 'lobby'], ['a  b', 'lobby'],
	["\u{202E}evil", 'lobby'], [str_repeat('x', 25), 'lobby'], [42, 'lobby'], [null, 'lobby'],
	['bob', ''], ['bob', "a\rb"], ['bob', str_repeat('r', 33)], ['bob', 7]] as [$nick, $room]) {
	chat_req($b, json_encode(['type' => 'join', 'nick' => $nick, 'room' => $room]));
	$m = chat_msg($b);
	echo json_encode($nick, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), ' in ', json_encode($room, JSON_UNESCAPED_SLASHES), ': ', $m['type'], ' ', $m['code'], ' (', $m['message'], ")\n";
}
chat_say($b, 'still not joined');
chat_show('bob', $b);
chat_req($b, '{"type":"join","nick":"ALICE","room":"garden"}');
chat_show('ALICE', $b, 3);
chat_req($b, '{"type":"join","nick":"Élodie <3 🙂","room":"Garden"}');
chat_show("Élodie", $b, 3);
echo 'alice sees nothing of the garden: ';
try { $a->readFrame(0.3); echo "unexpected\n"; } catch (WsTimeout $e) { echo "ok\n"; }
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
"Alice" in "lobby": error nick_taken (the nickname "Alice" is taken in #lobby)
" alice " in "Lobby": error nick_taken (the nickname "alice" is taken in #lobby)
"" in "lobby": error nick_invalid (nickname: 1 to 24 characters; no control characters, no line breaks)
"   " in "lobby": error nick_invalid (nickname: 1 to 24 characters; no control characters, no line breaks)
"a\tb" in "lobby": error nick_invalid (nickname: 1 to 24 characters; no control characters, no line breaks)
"a\nb" in "lobby": error nick_invalid (nickname: 1 to 24 characters; no control characters, no line breaks)
"a  b" in "lobby": error nick_invalid (nickname: 1 to 24 characters; no control characters, no line breaks)
"‮evil" in "lobby": error nick_invalid (nickname: 1 to 24 characters; no control characters, no line breaks)
"xxxxxxxxxxxxxxxxxxxxxxxxx" in "lobby": error nick_invalid (nickname: 1 to 24 characters; no control characters, no line breaks)
42 in "lobby": error nick_invalid (nickname: 1 to 24 characters; no control characters, no line breaks)
null in "lobby": error nick_invalid (nickname: 1 to 24 characters; no control characters, no line breaks)
"bob" in "": error room_invalid (room: 1 to 32 characters; no control characters, no line breaks)
"bob" in "a\rb": error room_invalid (room: 1 to 32 characters; no control characters, no line breaks)
"bob" in "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr": error room_invalid (room: 1 to 32 characters; no control characters, no line breaks)
"bob" in 7: error room_invalid (room: 1 to 32 characters; no control characters, no line breaks)
bob <- {"type":"error","code":"not_joined","message":"join a room first"}
ALICE <- {"type":"joined","nick":"ALICE","room":"garden","users":["ALICE"],"history":[]}
ALICE <- {"type":"notice","room":"garden","event":"join","nick":"ALICE","text":"ALICE joined"}
ALICE <- {"type":"users","room":"garden","users":["ALICE"]}
Élodie <- {"type":"joined","nick":"Élodie <3 🙂","room":"garden","users":["Élodie <3 🙂"],"history":[]}
Élodie <- {"type":"notice","room":"garden","event":"nick","nick":"Élodie <3 🙂","old":"ALICE","text":"ALICE is now Élodie <3 🙂"}
Élodie <- {"type":"users","room":"garden","users":["Élodie <3 🙂"]}
alice sees nothing of the garden: ok
