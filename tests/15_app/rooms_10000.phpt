--TEST--
Rooms: one room of 10,000 members and 10,000 rooms of one member each, in one server process
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
if (getenv('USE_ZEND_ALLOC') === '0' && !getenv('SALON_ASAN')) {
	die('skip too slow under valgrind (children are traced too); rooms_300.phpt covers the same paths');
}
if (!is_executable(SALON_PYTHON)) die('skip /usr/bin/python3 not found');
$hard = trim((string) shell_exec('ulimit -Hn'));
if ($hard !== 'unlimited' && (int) $hard < 12000) die("skip hard fd limit $hard < 12000");
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$slow = [];
$server->on('open', function (Salon\Connection $c) {
	$c->join('big');
	$c->join("solo-$c->id");
});
$server->on('message', function (Salon\Connection $c, string $d) use ($server, &$slow) {
	$t = hrtime(true);
	switch ($d) {
	case 'stats':
		$c->send(sprintf('big %d, rooms %d', $server->roomCount('big'), count($server->rooms())));
		break;
	case 'big':
		$c->send('sent to ' . $server->broadcast('to big', room: 'big', except: $c));
		break;
	case 'solo':
		// 10,000 broadcasts, one per room: each costs O(its members).
		$n = 0;
		foreach ($server->rooms() as $room) {
			if ($room !== 'big') {
				$n += $server->broadcast("to $room", room: $room, except: $c);
			}
		}
		$c->send("sent to $n");
		break;
	}
	$ms = (hrtime(true) - $t) / 1e6;
	if ($ms > 1000 * salon_scale()) {
		$slow[] = "$d took $ms ms";
	}
});
$child = salon_spawn($server, [SALON_PYTHON, __DIR__ . '/../interop/room_clients.py', '10000'], 'clients', 16384);
echo salon_run($server, $child, 300);
echo "after: big ", $server->roomCount('big'), ", rooms ", count($server->rooms()), "\n";
echo $slow ? implode("\n", $slow) . "\n" : "every request took less than a second\n";
?>
--EXPECT--
opened 10000
stats: big 10000, rooms 10001
big: sent to 9999
received 'to big': 9999
solo: sent to 9999
received own solo message: 9999, distinct 9999
closed 4999
stats: big 5001, rooms 5002
closed 5001
after: big 0, rooms 0
every request took less than a second
