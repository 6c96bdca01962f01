--TEST--
Handshake: an acceptance adds the Response's headers to the 101 (two Set-Cookie lines), and Request::$data becomes Connection::$data
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['subprotocols' => ['chat']]);
$server->on('handshake', function (Salon\Request $r, Salon\Response $res): bool {
	$user = ['id' => 7, 'name' => 'alice'];   // what the application looked up
	$r->data = $user;
	$res->header('Set-Cookie', 'session=abc; HttpOnly; Path=/')
		->header('Set-Cookie', 'theme=dark')
		->header('X-Served-By', 'salon');
	return true;
});
$server->on('open', function (Salon\Connection $c) {
	echo "server: open, data ", json_encode($c->data), ", request data ", json_encode($c->request()->data), "\n";
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port, '/', ['Sec-WebSocket-Protocol' => 'chat']);
$raw = $c->response['raw'];
echo "status ", $c->response['status'], "\n";
preg_match_all('/^Set-Cookie: (.*)$/mi', $raw, $m);
echo "Set-Cookie lines: ", json_encode(array_map('trim', $m[1])), "\n";
echo "X-Served-By: ", $c->response['headers']['x-served-by'] ?? '-', "\n";
echo "Sec-WebSocket-Protocol: ", $c->response['headers']['sec-websocket-protocol'] ?? '-', "\n";
echo "ends with one blank line: ", var_export(str_ends_with($raw, "\r\n\r\n") && !str_contains($raw, "\r\n\r\n\r\n"), true), "\n";
$c->send('x');
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: open, data {"id":7,"name":"alice"}, request data {"id":7,"name":"alice"}
status 101
Set-Cookie lines: ["session=abc; HttpOnly; Path=\/","theme=dark"]
X-Served-By: salon
Sec-WebSocket-Protocol: chat
ends with one blank line: true
close 1000 closed
