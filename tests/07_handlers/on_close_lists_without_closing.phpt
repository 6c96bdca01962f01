--TEST--
Handlers: inside onClose, count(), connections() and connection($id) leave out the closing connection, as roomCount(), broadcast() and stats() do
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server([], false);
$server->on('open', function (Salon\Connection $c) { $c->join('lobby'); });
$server->on('close', function (Salon\Connection $c, int $code) use ($server) {
	$list = $server->connections();
	echo "server: close $code\n";
	echo "  count(): ", count($server), "\n";
	echo "  connections(): ", count($list), ", has the closing one: ", var_export(isset($list[$c->id]), true),
		", ids ", implode(',', array_map(fn($o) => $o === $c ? 'closing' : 'other', $list)), "\n";
	echo "  connection(id): ", var_export($server->connection($c->id), true), "\n";
	echo "  roomCount(): ", $server->roomCount('lobby'), "\n";
	echo "  broadcast(): ", $server->broadcast('bye'), "\n";
	echo "  stats()[connections]: ", $server->stats()['connections'], "\n";
	echo "  still its own rooms: ", implode(',', $c->rooms()), "\n";
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$b->send('b is open');
echo "b: ", WsClient::describe($b->readFrame()), "\n";
echo "a: ", $a->close(), "\n";
echo "b: ", WsClient::describe($b->readFrame()), "\n";
echo "b: ", $b->close(), "\n";
PHP);
echo salon_run($server, $child);
echo "after: count() ", count($server), ", connections() ", count($server->connections()), "\n";
?>
--EXPECT--
server: close 1000
  count(): 1
  connections(): 1, has the closing one: false, ids other
  connection(id): NULL
  roomCount(): 1
  broadcast(): 1
  stats()[connections]: 1
  still its own rooms: lobby
server: close 1000
  count(): 0
  connections(): 0, has the closing one: false, ids 
  connection(id): NULL
  roomCount(): 0
  broadcast(): 0
  stats()[connections]: 0
  still its own rooms: lobby
b: text "b is open"
a: close 1000 closed
b: text "bye"
b: close 1000 closed
after: count() 0, connections() 0
