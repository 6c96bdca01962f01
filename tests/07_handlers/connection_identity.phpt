--TEST--
Handlers: connections(), connection(id) and count() track open connections; the same object is reused
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$objs = [];
$server->on('open', function (Salon\Connection $c) use ($server, &$objs) {
	$objs[$c->id] = $c;
	echo "open: count ", count($server), ", in connections() ", var_export(($server->connections()[$c->id] ?? null) === $c, true),
		", connection(id) same ", var_export($server->connection($c->id) === $c, true), "\n";
});
$server->on('message', function (Salon\Connection $c, string $d) use ($server, &$objs) {
	echo "message: same object ", var_export($objs[$c->id] === $c, true), ", ids ", implode(',', array_map(fn($k) => $k === $c->id ? 'me' : 'other', array_keys($server->connections()))), "\n";
	$c->send('ok');
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
usleep(100000);
$b = WsClient::connect($port);
usleep(100000);
$a->send('x');
$a->readFrame();
echo $a->close(), "\n", $b->close(), "\n";
PHP);
echo salon_run($server, $child);
echo "after: count ", count($server), ", connections ", count($server->connections()), ", connection(999999) ", var_export($server->connection(999999), true), "\n";
?>
--EXPECT--
open: count 1, in connections() true, connection(id) same true
open: count 2, in connections() true, connection(id) same true
message: same object true, ids me,other
close 1000 closed
close 1000 closed
after: count 0, connections 0, connection(999999) NULL
