--TEST--
Handshake: header lines are bounded by bytes (8 KiB) and a count of 100: 80 lines in 1.5 KiB upgrade, 100 lines are served, 101 lines get 431
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../08_static/static.inc';
$server = salon_server(['document_root' => static_root()]);
$server->on('open', function (Salon\Connection $c) {
	echo "server: open, ", count($c->request()->headers), " headers kept\n";
});
$child = salon_client($server, <<<'PHP'
// 75 short fields beside the 5 of a handshake: 80 lines, about 1.5 KiB.
$extra = [];
for ($i = 0; $i < 75; $i++) {
	$extra["X-F$i"] = "v$i";
}
echo "head bytes: ", strlen(ws_request($port, '/', $extra)) < 1536 ? "under 1.5 KiB" : "too long", "\n";
$c = WsClient::connect($port, '/', $extra);
echo $c->close(), "\n";
function head(int $lines): string {
	$req = "GET / HTTP/1.1\r\nHost: x\r\n";
	for ($i = 1; $i < $lines; $i++) {
		$req .= "X-$i: $i\r\n";
	}
	return $req . "\r\n";
}
foreach ([100, 101, 150] as $n) {
	$r = http_raw($port, head($n), null, 3.0);
	echo "$n lines: ", $r['status'], ' ', $r['closed'] ? 'closed' : 'open', ' ', $r['status'] === 200 ? 'served' : trim($r['body']), "\n";
}
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: open, 76 headers kept
head bytes: under 1.5 KiB
close 1000 closed
100 lines: 200 closed served
101 lines: 431 closed 431 Request Header Fields Too Large: more than 100 header lines
150 lines: 431 closed 431 Request Header Fields Too Large: more than 100 header lines
