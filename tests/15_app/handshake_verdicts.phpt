--TEST--
Handshake: onHandshake's verdict: true accepts, false gives 403, 451 gives 451; a throwing or odd handler gives 500 and goes to onError
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('handshake', function (Salon\Request $r) {
	echo "server: handshake $r->path\n";
	return match ($r->path) {
		'/ok' => true,
		'/nothing' => null,
		'/no' => false,
		'/legal' => 451,
		'/busy' => 503,
		'/throw' => throw new RuntimeException('no way'),
		'/odd' => 200,
		'/string' => 'yes',
	};
});
$server->on('open', function (Salon\Connection $c) { echo "server: open ", $c->request()->path, "\n"; });
$server->on('error', function (?Salon\Connection $c, Throwable $e) {
	echo "server: error (connection ", $c === null ? 'null' : $c->id, ") ", get_class($e), ": ", $e->getMessage(), "\n";
});
$child = salon_client($server, <<<'PHP'
foreach (['/ok', '/nothing', '/no', '/legal', '/busy', '/throw', '/odd', '/string'] as $path) {
	$r = http_raw($port, ws_request($port, $path), stop_when_complete: true);
	echo "$path: ", strtok($r['raw'], "\r\n"), "\n";
}
PHP);
echo salon_run($server, $child);
$st = $server->stats();
echo "handshakes_failed: {$st['handshakes_failed']}\n";
?>
--EXPECT--
server: handshake /ok
server: open /ok
server: handshake /nothing
server: open /nothing
server: handshake /no
server: handshake /legal
server: handshake /busy
server: handshake /throw
server: error (connection null) RuntimeException: no way
server: handshake /odd
server: error (connection null) ValueError: The handshake handler must return true, false or an HTTP status between 300 and 599, 200 returned
server: handshake /string
server: error (connection null) TypeError: The handshake handler must return bool, int or nothing, string returned
/ok: HTTP/1.1 101 Switching Protocols
/nothing: HTTP/1.1 101 Switching Protocols
/no: HTTP/1.1 403 Forbidden
/legal: HTTP/1.1 451 Unavailable For Legal Reasons
/busy: HTTP/1.1 503 Service Unavailable
/throw: HTTP/1.1 500 Internal Server Error
/odd: HTTP/1.1 500 Internal Server Error
/string: HTTP/1.1 500 Internal Server Error
handshakes_failed: 6
