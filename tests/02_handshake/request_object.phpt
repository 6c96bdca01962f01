--TEST--
Handshake: Connection::request() exposes method, path, raw query and lower-cased headers
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function (Salon\Connection $c) {
	$r = $c->request();
	echo get_class($r), "\n", $r->method, "\n", $r->path, "\n", $r->query, "\n";
	echo $r->headers['x-custom-header'] ?? '-', "\n";
	echo $r->header('X-CUSTOM-HEADER') ?? '-', "\n";
	var_dump($r->header('X-Absent'));
	echo isset($r->headers['X-Custom-Header']) ? "mixed-case key present\n" : "keys lower-cased\n";
	echo preg_match('/^127\.0\.0\.1:\d+$/', $c->remoteAddress) ? "remoteAddress ok\n" : "remoteAddress {$c->remoteAddress}\n";
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port, '/chat/room?a=1&b=%20x', ['X-Custom-Header' => 'Value 1']);
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
Salon\Request
GET
/chat/room
a=1&b=%20x
Value 1
Value 1
NULL
keys lower-cased
remoteAddress ok
close 1000 closed
