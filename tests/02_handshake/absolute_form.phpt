--TEST--
Handshake: an absolute-form target (http://host/path, https:, ws:, wss:, any case) is accepted (RFC 9112 §3.2.2): routing, static files and Request::$path see its path
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../08_static/static.inc';
$server = salon_server(['document_root' => static_root()]);
$server->on('handshake', function (Salon\Request $r) {
	echo "handshake: {$r->path} [{$r->query}]\n";
	return true;
});
$server->on('open', function (Salon\Connection $c) {
	$r = $c->request();
	echo "open: {$r->path} [{$r->query}]\n";
});
$child = salon_client($server, STATIC_GET . <<<'PHP'
foreach (["http://127.0.0.1:$port/sub/", "HTTP://127.0.0.1/index.html?x=1", "https://example.com",
	  "http://example.com?q=1", "Http://example.com/assets/app.js", "http://example.com/sub"] as $t) {
	$r = get($port, $t);
	echo "$t: ", show($r), ' ', $r['status'] === 301 ? $r['headers']['location'] : trim($r['body']), "\n";
}
foreach (["http:///index.html", "ftp://example.com/index.html", "http://example.com/../../secret.txt", "http:/index.html"] as $t) {
	echo "$t: ", get($port, $t)['status'], "\n";
}
foreach (["ws://127.0.0.1:$port/chat?room=1", "WSS://example.com", "http://example.com/a/b?c=d"] as $t) {
	$c = WsClient::connect($port, $t);
	echo $c->close(), "\n";
}
PHP);
echo salon_run($server, $child);
?>
--EXPECTF--
handshake: /chat [room=1]
open: /chat [room=1]
handshake: / []
open: / []
handshake: /a/b [c=d]
open: /a/b [c=d]
http://127.0.0.1:%d/sub/: 200 text/html; charset=utf-8 length-ok <p>sub index</p>
HTTP://127.0.0.1/index.html?x=1: 200 text/html; charset=utf-8 length-ok <!doctype html><title>Salon</title>
https://example.com: 200 text/html; charset=utf-8 length-ok <!doctype html><title>Salon</title>
http://example.com?q=1: 200 text/html; charset=utf-8 length-ok <!doctype html><title>Salon</title>
Http://example.com/assets/app.js: 200 text/javascript; charset=utf-8 length-ok console.log('hi');
http://example.com/sub: 301 text/plain; charset=utf-8 length-ok /sub/
http:///index.html: 400
ftp://example.com/index.html: 400
http://example.com/../../secret.txt: 400
http:/index.html: 400
close 1000 closed
close 1000 closed
close 1000 closed
