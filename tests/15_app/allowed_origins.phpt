--TEST--
Handshake: with allowed_origins, an upgrade from another Origin, or with none, gets 403; the match ignores ASCII case
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['allowed_origins' => ['https://chat.example.com', 'http://localhost:8080']]);
$server->on('handshake', function (Salon\Request $r) { echo "server: handshake handler for ", $r->header('origin'), "\n"; return true; });
$server->on('open', function (Salon\Connection $c) { echo "server: open from ", $c->request()->header('origin'), "\n"; });
$child = salon_client($server, <<<'PHP'
foreach (['https://chat.example.com', 'HTTPS://Chat.Example.COM', 'http://localhost:8080', 'https://evil.example',
	'https://chat.example.com.evil.example', 'http://chat.example.com', 'null', null] as $origin) {
	$r = http_raw($port, ws_request($port, '/', $origin === null ? [] : ['Origin' => $origin]), stop_when_complete: true);
	echo $origin ?? '(no Origin)', ": ", $r['status'], "\n";
}
$two = str_replace("\r\n\r\n", "\r\nOrigin: https://chat.example.com\r\nOrigin: https://evil.example\r\n\r\n", ws_request($port));
echo "two Origin headers: ", http_raw($port, $two)['status'], "\n";
PHP);
echo salon_run($server, $child);
try {
	new Salon\Server('127.0.0.1', 0, ['allowed_origins' => ['ok', '']]);
} catch (ValueError $e) {
	echo $e->getMessage(), "\n";
}
try {
	new Salon\Server('127.0.0.1', 0, ['allowed_origins' => 'https://chat.example.com']);
} catch (TypeError $e) {
	echo $e->getMessage(), "\n";
}
?>
--EXPECT--
server: handshake handler for https://chat.example.com
server: open from https://chat.example.com
server: handshake handler for HTTPS://Chat.Example.COM
server: open from HTTPS://Chat.Example.COM
server: handshake handler for http://localhost:8080
server: open from http://localhost:8080
https://chat.example.com: 101
HTTPS://Chat.Example.COM: 101
http://localhost:8080: 101
https://evil.example: 403
https://chat.example.com.evil.example: 403
http://chat.example.com: 403
null: 403
(no Origin): 403
two Origin headers: 403
Salon\Server::__construct(): Argument #3 ($options) option "allowed_origins" item 1 must be a non-empty string without null bytes
Salon\Server::__construct(): Argument #3 ($options) option "allowed_origins" must be of type array, string given
