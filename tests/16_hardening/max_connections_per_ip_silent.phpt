--TEST--
Hardening: max_connections_per_ip counts from accept(): silent TCP connections (no request) take the address's slots, the ones over the limit get 503 at once, an upgrade beside them is refused, and once they go a client upgrades again
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server(['max_connections_per_ip' => 3], false);
$child = salon_client($server, <<<'PHP'
$silent = [];
for ($i = 0; $i < 10; $i++) $silent[] = salon_tcp_connect($port);
// Without sending anything: which of them does the server answer at once?
usleep((int) (300000 * salon_timeout(1) / 5));
$answered = 0;
foreach ($silent as $s) {
	$r = [$s]; $w = $e = null;
	if (stream_select($r, $w, $e, 0, 200000) === 1 && str_starts_with((string) fgets($s), 'HTTP/1.1 503')) $answered++;
}
echo "client: $answered of 10 silent connections answered 503 without a request\n";
try {
	WsClient::connect($port);
	echo "client: upgrade beside the 3 silent ones: open\n";
} catch (Throwable $e) {
	echo "client: upgrade beside the 3 silent ones: refused (", strtok($e->getMessage(), "\n"), ")\n";
}
foreach ($silent as $s) fclose($s);
usleep(200000);
$c = WsClient::connect($port);
$c->send('back');
echo "client: once they went: ", WsClient::describe($c->readFrame()), "\n";
echo "client: ", $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECTF--
client: 7 of 10 silent connections answered 503 without a request
client: upgrade beside the 3 silent ones: refused (%s503%s)
client: once they went: text "back"
client: close 1000 closed
