--TEST--
Static: a file much larger than the send queue's chunk (3 MiB) arrives whole and byte-exact, to a fast reader and to a slow one at the same time, while a WebSocket client is served
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$root = static_root();
$data = random_bytes((3 << 20) + 12345);   // not a multiple of the chunk size
file_put_contents("$root/big.bin", $data);
register_shutdown_function(fn () => @unlink("$root/big.bin"));
$server = salon_server(['document_root' => $root]);
$server->on('message', fn (Salon\Connection $c, string $m) => $c->send($m));
$sha = sha1($data);
$child = salon_client($server, STATIC_GET . <<<PHP
\$want = '$sha';
\$fast = http_raw(\$port, "GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", null, 20.0, 0, true);
echo 'fast: ', show(\$fast), ' ', sha1(\$fast['body']) === \$want ? 'same bytes' : 'DIFFERENT', "\\n";
PHP);
$slow = salon_client($server, <<<PHP
\$want = '$sha';
\$s = salon_tcp_connect(\$port);
fwrite(\$s, "GET /big.bin HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n\\r\\n");
\$ws = WsClient::connect(\$port);
\$raw = '';
\$echoes = 0;
\$deadline = microtime(true) + salon_timeout(20);
while (!feof(\$s) && microtime(true) < \$deadline) {
	\$raw .= fread(\$s, 16384);          // 16 KiB at a time, with a pause: a slow reader
	if (strlen(\$raw) % (1 << 20) < 16384) {
		\$ws->send("ping \$echoes");   // the server serves others meanwhile
		\$echoes += (\$ws->readMessage()[1] ?? null) === "ping \$echoes" ? 1 : 0;
	}
	usleep(200);
}
\$r = http_parse(\$raw);
echo 'slow: ', \$r['status'], ' ', (int) \$r['headers']['content-length'] === strlen(\$r['body']) ? 'length-ok' : 'length ' . strlen(\$r['body']), ' ', sha1(\$r['body']) === \$want ? 'same bytes' : 'DIFFERENT', "\\n";
echo 'websocket echoes meanwhile: ', \$echoes > 0 ? 'yes' : 'none', "\\n";
PHP);
echo salon_run($server, [$child, $slow], 30);
?>
--EXPECTF--
fast: 200 application/octet-stream length-ok same bytes
slow: 200 length-ok same bytes
websocket echoes meanwhile: yes
