--TEST--
Handshake: the kept request leaves out Connection, Upgrade, Sec-WebSocket-Key and Sec-WebSocket-Version (also in the handshake handler) and keeps every other field, in order, repeated ones joined
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['subprotocols' => ['chat']]);
$show = function (Salon\Request $r, string $when) {
	echo "$when: ", $r->method, ' ', $r->path, '?', $r->query, "\n";
	foreach ($r->headers as $k => $v) {
		echo "  $k: ", $k === 'host' ? preg_replace('/:\d+$/', ':PORT', $v) : $v, "\n";
	}
};
$server->on('handshake', function (Salon\Request $r) use ($show) {
	$show($r, 'handshake');
	return true;
});
$server->on('message', function (Salon\Connection $c, string $d) use ($show) {
	$show($c->request(), 'message');
	$c->send('ok');
});
$server->on('close', function (Salon\Connection $c) use ($show) {
	$show($c->request(), 'close');
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port, '/room?x=1', ['X-Trace' => 'a b', 'Sec-WebSocket-Protocol' => 'chat', 'Cookie' => 'u=1', 'x-trace' => 'c']);
$c->send('hi');
$c->readFrame();
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
handshake: GET /room?x=1
  host: 127.0.0.1:PORT
  x-trace: a b, c
  sec-websocket-protocol: chat
  cookie: u=1
message: GET /room?x=1
  host: 127.0.0.1:PORT
  x-trace: a b, c
  sec-websocket-protocol: chat
  cookie: u=1
close: GET /room?x=1
  host: 127.0.0.1:PORT
  x-trace: a b, c
  sec-websocket-protocol: chat
  cookie: u=1
close 1000 closed
