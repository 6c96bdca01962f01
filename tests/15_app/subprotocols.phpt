--TEST--
Handshake: subprotocols are chosen in the server's order of preference and answered in Sec-WebSocket-Protocol; no match, no header
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['subprotocols' => ['chat.v2', 'chat.v1', 'json']]);
$server->on('open', function (Salon\Connection $c) use (&$conns) {
	echo "server: #$c->id subprotocol ", var_export($c->subprotocol(), true), "\n";
	$conns[] = $c;
});
$child = salon_client($server, <<<'PHP'
$offers = [
	'chat.v1, chat.v2' => ['Sec-WebSocket-Protocol' => 'chat.v1, chat.v2'],
	'chat.v1' => ['Sec-WebSocket-Protocol' => 'chat.v1'],
	'xml, json' => ['Sec-WebSocket-Protocol' => 'xml,json'],
	'CHAT.V2 (case differs)' => ['Sec-WebSocket-Protocol' => 'CHAT.V2'],
	'mqtt' => ['Sec-WebSocket-Protocol' => 'mqtt'],
	'nothing' => [],
];
foreach ($offers as $name => $headers) {
	$c = WsClient::connect($port, '/', $headers);
	echo "offer $name: ", json_encode($c->response['headers']['sec-websocket-protocol'] ?? null), "\n";
	$c->close();
}
// Two header lines count as one list.
$req = str_replace("\r\n\r\n", "\r\nSec-WebSocket-Protocol: mqtt\r\nSec-WebSocket-Protocol: json\r\n\r\n", ws_request($port));
$r = http_raw($port, $req, stop_when_complete: true);
echo "two lines: ", $r['status'], " ", json_encode($r['headers']['sec-websocket-protocol'] ?? null), "\n";
PHP);
echo salon_run($server, $child);
echo "after close: ", var_export($conns[0]->subprotocol(), true), "\n";
$plain = salon_server();
$plain->on('open', function (Salon\Connection $c) { echo "no option: ", var_export($c->subprotocol(), true), "\n"; });
echo salon_run($plain, salon_client($plain, <<<'PHP'
$c = WsClient::connect($port, '/', ['Sec-WebSocket-Protocol' => 'chat.v1']);
echo "no option, offer chat.v1: ", json_encode($c->response['headers']['sec-websocket-protocol'] ?? null), "\n";
$c->close();
PHP));
try {
	new Salon\Server('127.0.0.1', 0, ['subprotocols' => ['chat v1']]);
} catch (ValueError $e) {
	echo $e->getMessage(), "\n";
}
try {
	new Salon\Server('127.0.0.1', 0, ['subprotocols' => ['a' => 'chat']]);
} catch (ValueError $e) {
	echo $e->getMessage(), "\n";
}
?>
--EXPECT--
server: #1 subprotocol 'chat.v2'
server: #2 subprotocol 'chat.v1'
server: #3 subprotocol 'json'
server: #4 subprotocol NULL
server: #5 subprotocol NULL
server: #6 subprotocol NULL
server: #7 subprotocol 'json'
offer chat.v1, chat.v2: "chat.v2"
offer chat.v1: "chat.v1"
offer xml, json: "json"
offer CHAT.V2 (case differs): null
offer mqtt: null
offer nothing: null
two lines: 101 "json"
after close: 'chat.v2'
no option: NULL
no option, offer chat.v1: null
Salon\Server::__construct(): Argument #3 ($options) option "subprotocols" item 0 must be a token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~)
Salon\Server::__construct(): Argument #3 ($options) option "subprotocols" must be a list of strings
