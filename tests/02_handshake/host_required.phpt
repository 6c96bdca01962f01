--TEST--
Handshake: an HTTP/1.1 request without Host, or any request with two Host lines, gets 400 with the reason (RFC 9112 §3.2); HTTP/1.0 without Host is served
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../08_static/static.inc';
$server = salon_server(['document_root' => static_root()]);
$server->on('open', function ($c) { echo "server: open (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
function ask(int $port, string $req): void {
	$r = http_raw($port, $req, null, 3.0);
	echo $r['status'], ' ', $r['closed'] ? 'closed' : 'open', ' ', trim($r['status'] === 200 ? 'served' : $r['body']), "\n";
}
ask($port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
ask($port, "GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n");
ask($port, "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n");
ask($port, "GET / HTTP/1.1\r\nHost: a b\r\n\r\n");
ask($port, "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n");
ask($port, "GET / HTTP/1.0\r\n\r\n");
ask($port, "GET / HTTP/1.1\r\nHost: 127.0.0.1:$port\r\n\r\n");
ask($port, "GET / HTTP/1.1\r\nHost: [::1]:$port\r\n\r\n");
// An upgrade request with two Host lines is refused too.
$key = base64_encode(random_bytes(16));
ask($port, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: $key\r\nSec-WebSocket-Version: 13\r\n\r\n");
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
400 closed 400 Bad Request: HTTP/1.1 request without a Host header
400 closed 400 Bad Request: more than one Host header
400 closed 400 Bad Request: more than one Host header
400 closed 400 Bad Request: invalid Host header
400 closed 400 Bad Request: more than one Host header
200 closed served
200 closed served
200 closed served
400 closed 400 Bad Request: more than one Host header
