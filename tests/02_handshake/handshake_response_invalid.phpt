--TEST--
Handshake: Response::header() refuses names that are not tokens, values with CR/LF/NUL and headers the server writes (ValueError); status() only 300-599; a body with an acceptance rejects with 500
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('handshake', function (Salon\Request $r, Salon\Response $res) {
	if ($r->path === '/body') {
		$res->body('hello');
		return true;
	}
	foreach ([['Bad Name', 'v'], ['', 'v'], ['X-Ok', "a\r\nSet-Cookie: evil=1"], ['X-Ok', "a\nb"], ['X-Ok', "a\0b"],
			  ['X-Ok', ' padded'], ['Content-Length', '5'], ['connection', 'keep-alive'], ['Sec-WebSocket-Accept', 'x'],
			  ['Upgrade', 'h2c']] as [$n, $v]) {
		try {
			$res->header($n, $v);
			echo "server: ", json_encode([$n, $v]), " accepted\n";
		} catch (ValueError $e) {
			echo "server: ", $e::class, ": ", $e->getMessage(), "\n";
		}
	}
	foreach ([200, 101, 600, 299, 300, 599] as $st) {
		try {
			$res->status($st);
			echo "server: status $st accepted\n";
		} catch (ValueError $e) {
			echo "server: ", $e::class, ": ", $e->getMessage(), "\n";
		}
	}
	return 400;
});
$server->on('error', function (?Salon\Connection $c, Throwable $e) {
	echo "server: onError ", var_export($c, true), " ", $e::class, ": ", $e->getMessage(), "\n";
});
$child = salon_client($server, <<<'PHP'
$r = http_raw($port, ws_request($port, '/'));
echo "/: {$r['status']}, no injected header: ", var_export(!isset($r['headers']['set-cookie']), true), "\n";
$r = http_raw($port, ws_request($port, '/body'));
echo "/body: {$r['status']}\n";
try {
	new ReflectionClass('Salon\Response') && (new ReflectionClass('Salon\Response'))->newInstance();
} catch (Throwable $e) {
	echo "client: no extension here\n";
}
PHP);
echo salon_run($server, $child);
try {
	new Salon\Response();
} catch (Error $e) {
	echo $e::class, ": ", $e->getMessage(), "\n";
}
?>
--EXPECT--
server: ValueError: Salon\Response::header(): Argument #1 ($name) must be a token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~)
server: ValueError: Salon\Response::header(): Argument #1 ($name) must be a token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~)
server: ValueError: Salon\Response::header(): Argument #2 ($value) must not contain CR, LF, NUL or other control characters, nor start or end with whitespace
server: ValueError: Salon\Response::header(): Argument #2 ($value) must not contain CR, LF, NUL or other control characters, nor start or end with whitespace
server: ValueError: Salon\Response::header(): Argument #2 ($value) must not contain CR, LF, NUL or other control characters, nor start or end with whitespace
server: ValueError: Salon\Response::header(): Argument #2 ($value) must not contain CR, LF, NUL or other control characters, nor start or end with whitespace
server: ValueError: Salon\Response::header(): Argument #1 ($name) must not be "Content-Length": the server writes that header itself
server: ValueError: Salon\Response::header(): Argument #1 ($name) must not be "connection": the server writes that header itself
server: ValueError: Salon\Response::header(): Argument #1 ($name) must not be "Sec-WebSocket-Accept": the server writes that header itself
server: ValueError: Salon\Response::header(): Argument #1 ($name) must not be "Upgrade": the server writes that header itself
server: ValueError: Salon\Response::status(): Argument #1 ($status) must be between 300 and 599 (a rejection; returning true accepts with 101)
server: ValueError: Salon\Response::status(): Argument #1 ($status) must be between 300 and 599 (a rejection; returning true accepts with 101)
server: ValueError: Salon\Response::status(): Argument #1 ($status) must be between 300 and 599 (a rejection; returning true accepts with 101)
server: ValueError: Salon\Response::status(): Argument #1 ($status) must be between 300 and 599 (a rejection; returning true accepts with 101)
server: status 300 accepted
server: status 599 accepted
server: onError NULL ValueError: The handshake handler accepted (returned true) but set a body with Response::body(): a body can only go with a rejection
/: 400, no injected header: true
/body: 500
client: no extension here
Error: Cannot directly construct Salon\Response
