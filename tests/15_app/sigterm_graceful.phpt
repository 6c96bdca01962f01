--TEST--
Lifecycle: SIGTERM during run() stops gracefully: no new connections, close 1001 to every client, one onClose each, run() returns
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['shutdown_timeout' => 5]);
$server->on('message', function (Salon\Connection $c, string $d) { $c->send("echo $d"); });
$closes = [];
$server->on('close', function (Salon\Connection $c, int $code, string $reason) use (&$closes) {
	$closes[] = "server: close #$c->id $code $reason\n";
});
$pid = getmypid();
$child = salon_client($server, <<<PHP
\$a = WsClient::connect(\$port);
\$b = WsClient::connect(\$port);
\$a->send('a');
\$b->send('b');
echo "a: ", WsClient::describe(\$a->readFrame()), "\\n";
echo "b: ", WsClient::describe(\$b->readFrame()), "\\n";
exec('kill -TERM $pid');
echo "a: ", \$a->expectFail(), "\\n";
echo "b: ", \$b->expectFail(), "\\n";
\$r = http_raw(\$port, ws_request(\$port), null, 1.0);
echo "a new connection: ", \$r['status'] === 101 ? 'accepted' : 'not served', "\\n";
PHP);
$guard = $server->after(20 * salon_scale(), function () use ($server) { echo "guard: no signal\n"; $server->stop(); });
$t = microtime(true);
$server->run();
$server->cancel($guard);
sort($closes);
echo implode('', $closes);
echo "run() returned, connections left: ", count($server), "\n";
echo $child->finish(10);
?>
--EXPECT--
server: close #1 1001 server shutting down
server: close #2 1001 server shutting down
run() returned, connections left: 0
a: text "echo a"
b: text "echo b"
a: close 1001 closed
b: close 1001 closed
a new connection: not served
