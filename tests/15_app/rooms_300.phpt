--TEST--
Rooms: 300 members (past the broadcast's on-stack copy of 64), joins and leaves from the middle, a member closing during a room broadcast
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['max_buffered' => 4096, 'on_buffer_full' => 'close']);
$server->on('open', function (Salon\Connection $c) { $c->join('big'); });
$server->on('message', function (Salon\Connection $c, string $d) use ($server) {
	if ($d === 'all') {
		$c->send('sent to ' . $server->broadcast('to big', room: 'big', except: $c));
	} elseif ($d === 'odd-leave') {
		foreach ($server->connections() as $id => $x) {
			if ($id % 2 === 1 && $x !== $c) {
				$x->leave('big');
			}
		}
		$c->send('count ' . $server->roomCount('big'));
	} elseif ($d === 'huge') {
		// #300 already has 3,000 bytes queued in this step: the room
		// broadcast puts it over max_buffered, so it is failed (1008) in the
		// middle of the fan-out, and its close handler runs right there.
		$server->connection(300)->send(str_repeat('p', 3000));
		$c->send('sent to ' . $server->broadcast(str_repeat('h', 3000), room: 'big', except: $c));
	}
});
$server->on('close', function (Salon\Connection $c, int $code) use ($server) {
	if ($code === 1008) {
		echo "server: #$c->id failed with 1008 during the broadcast; big counts ", $server->roomCount('big'), "\n";
		// Changes the room while it is being walked: the recipients are the
		// members when broadcast() started, so #2 still gets this one.
		$server->connection(2)?->leave('big');
	}
});
$child = salon_client($server, <<<'PHP'
$all = [];
for ($i = 0; $i < 300; $i++) {
	$all[] = WsClient::connect($port);
}
$first = $all[0];
$first->send('all');
echo "first: ", $first->readFrame()[1], "\n";
$got = 0;
foreach (array_slice($all, 1) as $c) {
	$got += $c->readFrame()[1] === 'to big';
}
echo "received: $got\n";
$first->send('odd-leave');
echo "first: ", $first->readFrame()[1], "\n";
$first->send('huge');
echo "first: ", $first->readFrame()[1], "\n";
foreach ($all as $c) {
	$c->drop();
}
PHP);
echo salon_run($server, $child, 60);
echo "after: ", $server->roomCount('big'), "\n";
?>
--EXPECT--
server: #300 failed with 1008 during the broadcast; big counts 150
first: sent to 299
received: 299
first: count 151
first: sent to 149
after: 0
