--TEST--
Hardening: past max_connections, 200 upgrade requests in a row each get 503 and are closed, leaving no descriptor behind; the open connections keep being served throughout
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server(['max_connections' => 5], false);
$opens = 0;
$server->on('open', function () use (&$opens) { $opens++; });
$fd0 = salon_fd_count();
$fds = [];
$server->on('message', function (Salon\Connection $c, string $d) use (&$fds) {
	if ($d === 'count fds') $fds[] = salon_fd_count();
	$c->send($d);
});
$child = salon_client($server, <<<'PHP'
$open = [];
for ($i = 0; $i < 5; $i++) $open[] = WsClient::connect($port);
$open[0]->send('count fds');
$open[0]->readFrame();
$statuses = [];
for ($i = 0; $i < 200; $i++) {
	$r = http_raw($port, ws_request($port));
	$statuses[$r['status'] . ($r['closed'] ? ' closed' : ' open')] = ($statuses[$r['status'] . ($r['closed'] ? ' closed' : ' open')] ?? 0) + 1;
	if ($i % 50 === 49) {   // the open ones are served in between
		foreach ($open as $k => $c) { $c->send("still $k"); if ($c->readFrame()[1] !== "still $k") echo "client: connection $k not served\n"; }
	}
}
foreach ($statuses as $s => $n) echo "refused: $n x $s\n";
usleep(200000);
$open[0]->send('count fds');
$open[0]->readFrame();
foreach ($open as $k => $c) { $c->send("last $k"); echo WsClient::describe($c->readFrame()), "\n"; }
foreach ($open as $c) $c->close();
PHP);
echo salon_run($server, $child, 60);
echo "server: opens $opens, refused ", $server->stats()['handshakes_failed'], "\n";
salon_check('server: refused connections left no descriptor', count($fds) === 2 && $fds[0] === $fds[1], json_encode($fds));
salon_report('max_connections', ['fd_before' => $fd0, 'fd_with_5_open' => $fds[0] ?? null, 'fd_after_200_refusals' => $fds[1] ?? null]);
?>
--EXPECT--
refused: 200 x 503 closed
text "last 0"
text "last 1"
text "last 2"
text "last 3"
text "last 4"
server: opens 5, refused 200
server: refused connections left no descriptor: ok
