--TEST--
Chat: nicknames are validated and unique per room (ignoring case); the same nickname in another room is fine; a refused join changes nothing
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/chat.inc';
$server = chat_server();
$child = salon_client($server, CHAT_CLIENT . <<<'PHP'
$a = chat_join($port, 'alice', 'lobby', true);
$b = WsClient::connect($port, '/chat');
foreach ([['Alice', 'lobby'], ['alice', 'Lobby'], ['', 'lobby'], ['al ice', 'lobby'], ['<b>', 'lobby'],
	[str_repeat('x', 25), 'lobby'], [42, 'lobby'], [null, 'lobby'], ['bob', ''], ['bob', 'a/b'], ['bob', str_repeat('r', 33)], ['bob', 7]] as [$nick, $room]) {
	chat_req($b, json_encode(['type' => 'join', 'nick' => $nick, 'room' => $room]));
	$m = chat_msg($b);
	echo json_encode($nick, JSON_UNESCAPED_SLASHES), ' in ', json_encode($room, JSON_UNESCAPED_SLASHES), ': ', $m['type'], ' ', $m['code'], ' (', $m['message'], ")\n";
}
chat_say($b, 'still not joined');
chat_show('bob', $b);
chat_req($b, '{"type":"join","nick":"ALICE","room":"garden"}');
chat_show('ALICE', $b, 3);
chat_req($b, '{"type":"join","nick":"Élodie_2.0-x","room":"Garden"}');
chat_show("Élodie", $b, 3);
echo 'alice sees nothing of the garden: ';
try { $a->readFrame(0.3); echo "unexpected\n"; } catch (WsTimeout $e) { echo "ok\n"; }
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
"Alice" in "lobby": error nick_taken (the nickname "Alice" is taken in #lobby)
"alice" in "Lobby": error nick_taken (the nickname "alice" is taken in #lobby)
"" in "lobby": error nick_invalid (nickname: 1 to 24 letters, digits, "_", "-" or ".")
"al ice" in "lobby": error nick_invalid (nickname: 1 to 24 letters, digits, "_", "-" or ".")
"<b>" in "lobby": error nick_invalid (nickname: 1 to 24 letters, digits, "_", "-" or ".")
"xxxxxxxxxxxxxxxxxxxxxxxxx" in "lobby": error nick_invalid (nickname: 1 to 24 letters, digits, "_", "-" or ".")
42 in "lobby": error nick_invalid (nickname: 1 to 24 letters, digits, "_", "-" or ".")
null in "lobby": error nick_invalid (nickname: 1 to 24 letters, digits, "_", "-" or ".")
"bob" in "": error room_invalid (room: 1 to 32 letters, digits, "_" or "-")
"bob" in "a/b": error room_invalid (room: 1 to 32 letters, digits, "_" or "-")
"bob" in "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr": error room_invalid (room: 1 to 32 letters, digits, "_" or "-")
"bob" in 7: error room_invalid (room: 1 to 32 letters, digits, "_" or "-")
bob <- {"type":"error","code":"not_joined","message":"join a room first"}
ALICE <- {"type":"joined","nick":"ALICE","room":"garden","users":["ALICE"],"history":[]}
ALICE <- {"type":"notice","room":"garden","event":"join","nick":"ALICE","text":"ALICE joined"}
ALICE <- {"type":"users","room":"garden","users":["ALICE"]}
Élodie <- {"type":"joined","nick":"Élodie_2.0-x","room":"garden","users":["Élodie_2.0-x"],"history":[]}
Élodie <- {"type":"notice","room":"garden","event":"nick","nick":"Élodie_2.0-x","old":"ALICE","text":"ALICE is now Élodie_2.0-x"}
Élodie <- {"type":"users","room":"garden","users":["Élodie_2.0-x"]}
alice sees nothing of the garden: ok
