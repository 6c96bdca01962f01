--TEST--
Handshake: a rejection carries the status, headers and body the handler gives its Response (401 + WWW-Authenticate + JSON, 3xx + Location), on the wire
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('handshake', function (Salon\Request $r, Salon\Response $res) {
	switch ($r->path) {
	case '/auth':
		$res->status(401)
			->header('WWW-Authenticate', 'Bearer realm="chat"')
			->header('Content-Type', 'application/json')
			->body('{"error":"token expired"}');
		return;                       // nothing returned: the status set rejects
	case '/moved':
		$res->header('Location', '/chat');
		return 308;                   // an int status rejects with it
	case '/false':
		$res->status(429)->header('Retry-After', '5');
		return false;                 // false: the status set, else 403
	case '/plain':
		return false;                 // as before: 403 with a text body
	}
	return true;
});
$child = salon_client($server, <<<'PHP'
foreach (['/auth', '/moved', '/false', '/plain'] as $path) {
	$r = http_raw($port, ws_request($port, $path));
	$h = $r['headers'];
	echo "$path: {$r['status']} closed=", var_export($r['closed'], true), "\n";
	foreach (['www-authenticate', 'location', 'retry-after', 'content-type', 'content-length', 'connection', 'upgrade'] as $k) {
		if (isset($h[$k])) {
			echo "  $k: $h[$k]\n";
		}
	}
	echo "  body: ", json_encode($r['body']), " (", strlen($r['body']) === (int) $h['content-length'] ? 'length ok' : 'length WRONG', ")\n";
}
$c = WsClient::connect($port, '/ok');
echo "/ok: ", $c->response['status'], "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
/auth: 401 closed=true
  www-authenticate: Bearer realm="chat"
  content-type: application/json
  content-length: 25
  connection: close
  body: "{\"error\":\"token expired\"}" (length ok)
/moved: 308 closed=true
  location: /chat
  content-type: text/plain; charset=utf-8
  content-length: 23
  connection: close
  body: "308 Permanent Redirect\n" (length ok)
/false: 429 closed=true
  retry-after: 5
  content-type: text/plain; charset=utf-8
  content-length: 22
  connection: close
  body: "429 Too Many Requests\n" (length ok)
/plain: 403 closed=true
  content-type: text/plain; charset=utf-8
  content-length: 14
  connection: close
  body: "403 Forbidden\n" (length ok)
/ok: 101
close 1000 closed
