--TEST--
Handlers: without an open handler, Connection objects are made on first use; count(), connections() and connection(id) still see every connection; a later callback gets the same object, $c->data kept, request() right
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$ids = [];
$server->on('message', function (Salon\Connection $c, string $d) use ($server, &$ids) {
	if ($d === 'list') {
		// Nothing has made the other connection's object yet.
		$all = $server->connections();
		echo "count ", count($server), ", connections ", count($all), ", ids ascending ",
			var_export(array_keys($all) === array_values(array_map(fn($o) => $o->id, $all)) && array_keys($all) === [min(array_keys($all)), max(array_keys($all))], true), "\n";
		foreach ($all as $id => $o) {
			$ids[] = $id;
			echo "  #", $id === $c->id ? 'me' : 'other', " path ", $o->request()->path, ", remote ok ",
				var_export(preg_match('/^127\.0\.0\.1:\d+$/', $o->remoteAddress) === 1, true), ", same as connection(id) ",
				var_export($server->connection($id) === $o, true), "\n";
		}
		$c->data = ['seen' => spl_object_id($c)];
	} else {
		echo "again: same object ", var_export($c->data['seen'] === spl_object_id($c), true), ", path ", $c->request()->path, "\n";
	}
	$c->send('ok');
});
$server->on('close', function (Salon\Connection $c, int $code) use ($server) {
	echo "close ", $c->request()->path, " $code, count during close ", count($server), ", in connections() ",
		var_export(isset($server->connections()[$c->id]), true), "\n";
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port, '/a');
$b = WsClient::connect($port, '/b');
$a->send('list');
$a->readFrame();
$a->send('again');
$a->readFrame();
echo $b->close(), "\n", $a->close(), "\n";
PHP);
echo salon_run($server, $child);
echo "after: count ", count($server), ", connections ", count($server->connections()), ", connection(first id) ",
	var_export($server->connection($ids[0]), true), "\n";
?>
--EXPECT--
count 2, connections 2, ids ascending true
  #me path /a, remote ok true, same as connection(id) true
  #other path /b, remote ok true, same as connection(id) true
again: same object true, path /a
close /b 1000, count during close 1, in connections() false
close /a 1000, count during close 0, in connections() false
close 1000 closed
close 1000 closed
after: count 0, connections 0, connection(first id) NULL
