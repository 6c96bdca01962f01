--TEST--
Chat: bad JSON, a JSON list, no type, an unknown type, nesting too deep and binary get an error; the connection stays usable
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/chat.inc';
$server = chat_server();
$child = salon_client($server, CHAT_CLIENT . <<<'PHP'
$c = WsClient::connect($port, '/chat');
foreach (['{"type":', 'hello', '', '[1,2]', '"join"', '{}', '{"type":42}', '{"type":"dance"}',
	'{"type":"join","nick":{"a":{"b":1}}}', '{"type":"message","text":"before joining"}'] as $raw) {
	echo json_encode($raw), ': ';
	chat_req($c, $raw);
	$m = chat_msg($c);
	echo $m['type'], ' ', $m['code'], "\n";
}
$c->send("\x00\x01", true);
echo 'binary: ', json_encode(chat_msg($c)), "\n";
$c->send('{"type":"join","nick":"alice"}');
chat_show('alice', $c, 3);
echo 'alice: ', $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
"{\"type\":": error bad_json
"hello": error bad_json
"": error bad_json
"[1,2]": error bad_json
"\"join\"": error bad_json
"{}": error bad_json
"{\"type\":42}": error bad_json
"{\"type\":\"dance\"}": error unknown_type
"{\"type\":\"join\",\"nick\":{\"a\":{\"b\":1}}}": error bad_json
"{\"type\":\"message\",\"text\":\"before joining\"}": error not_joined
binary: {"type":"error","code":"binary","message":"messages are JSON text"}
alice <- {"type":"joined","nick":"alice","room":"lobby","users":["alice"],"history":[]}
alice <- {"type":"notice","room":"lobby","event":"join","nick":"alice","text":"alice joined"}
alice <- {"type":"users","room":"lobby","users":["alice"]}
alice: close 1000 closed
