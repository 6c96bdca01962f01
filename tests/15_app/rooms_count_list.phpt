--TEST--
Rooms: roomCount() and rooms() follow joins, leaves and closes; a closing connection still lists its rooms in its close handler
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
function show(Salon\Server $s, string $when): void
{
	$counts = [];
	foreach ($s->rooms() as $r) {
		$counts[] = "$r=" . $s->roomCount($r);
	}
	echo "server: $when: [", implode(' ', $counts), "]\n";
}
$server->on('open', function (Salon\Connection $c) use ($server) {
	$c->join('lobby');
	if ($c->id % 2 === 0) {
		$c->join("even");
	}
	$c->join("own-$c->id");
});
$server->on('message', function (Salon\Connection $c, string $d) use ($server) {
	if ($d === 'show') {
		show($server, "#$c->id asks");
		echo "server: #$c->id is in ", json_encode($c->rooms()), "\n";
	} elseif ($d === 'leave lobby') {
		$c->leave('lobby');
		echo "server: #$c->id left lobby, now in ", json_encode($c->rooms()), "\n";
	} elseif ($d === 'rejoin') {
		$c->join('lobby');
		echo "server: #$c->id rejoined, now in ", json_encode($c->rooms()), "\n";
	}
	$c->send('ok');
});
$server->on('close', function (Salon\Connection $c, int $code) use ($server) {
	echo "server: close #$c->id: its rooms ", json_encode($c->rooms()), ", lobby counts ", $server->roomCount('lobby'), "\n";
	$GLOBALS['closed'] = $c;
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$c = WsClient::connect($port);
function ask(WsClient $x, string $m): void { $x->send($m); $x->readFrame(); }
ask($a, 'show');
ask($a, 'leave lobby');
ask($b, 'show');
ask($a, 'rejoin');
echo "b: ", $b->close(), "\n";
ask($a, 'show');
$c->drop();
usleep(200000);
ask($a, 'show');
echo "a: ", $a->close(), "\n";
PHP);
echo salon_run($server, $child);
show($server, 'after run');
echo "closed connection's rooms: ", json_encode($closed->rooms()), "\n";
var_dump($server->roomCount('lobby'), $server->roomCount('nowhere'), $closed->join('x'), $closed->leave('lobby'));
?>
--EXPECT--
server: #1 asks: [lobby=3 own-1=1 even=1 own-2=1 own-3=1]
server: #1 is in ["lobby","own-1"]
server: #1 left lobby, now in ["own-1"]
server: #2 asks: [lobby=2 own-1=1 even=1 own-2=1 own-3=1]
server: #2 is in ["lobby","even","own-2"]
server: #1 rejoined, now in ["own-1","lobby"]
server: close #2: its rooms ["lobby","even","own-2"], lobby counts 2
server: #1 asks: [lobby=2 own-1=1 own-3=1]
server: #1 is in ["own-1","lobby"]
server: close #3: its rooms ["lobby","own-3"], lobby counts 1
server: #1 asks: [lobby=1 own-1=1]
server: #1 is in ["own-1","lobby"]
server: close #1: its rooms ["own-1","lobby"], lobby counts 0
b: close 1000 closed
a: close 1000 closed
server: after run: []
closed connection's rooms: []
int(0)
int(0)
bool(false)
bool(false)
