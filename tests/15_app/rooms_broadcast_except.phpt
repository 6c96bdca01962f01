--TEST--
Rooms: broadcast() with a room reaches only its open members, except $except, and returns the recipients
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('message', function (Salon\Connection $c, string $d) use ($server) {
	[$cmd, $arg] = explode(' ', $d, 2) + [1 => ''];
	switch ($cmd) {
	case 'join':
		echo "server: #$c->id join $arg: ", var_export($c->join($arg), true), "\n";
		break;
	case 'leave':
		echo "server: #$c->id leave $arg: ", var_export($c->leave($arg), true), "\n";
		break;
	case 'red':
		echo "server: to red: ", $server->broadcast("red says $arg", room: 'red'), "\n";
		break;
	case 'red-except':
		echo "server: to red except sender: ", $server->broadcast("red (not #$c->id)", false, 'red', $c), "\n";
		break;
	case 'binary':
		echo "server: binary to blue: ", $server->broadcast("\x00\xff", true, 'blue'), "\n";
		break;
	case 'nobody':
		echo "server: to a room nobody is in: ", $server->broadcast('lost', room: 'empty'), "\n";
		break;
	}
	$c->send('done');
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$c = WsClient::connect($port);
$d = WsClient::connect($port);
function say(WsClient $x, string $m): void { $x->send($m); while (($f = $x->readFrame()) && $f[1] !== 'done') echo "unexpected: ", WsClient::describe($f), "\n"; }
say($a, 'join red');
say($b, 'join red');
say($c, 'join blue');
say($a, 'join red');          // already a member
say($d, 'leave red');         // not a member
say($c, 'red hello');         // c is not in red, may still send to it
foreach (['a' => $a, 'b' => $b] as $n => $x) echo "$n: ", WsClient::describe($x->readFrame()), "\n";
say($a, 'red-except');
echo "b: ", WsClient::describe($b->readFrame()), "\n";
say($d, 'binary');
echo "c: ", WsClient::describe($c->readFrame()), "\n";
say($a, 'nobody');
say($b, 'leave red');
say($c, 'red again');
echo "a: ", WsClient::describe($a->readFrame()), "\n";
// Nothing else arrived anywhere: the next frame of each is the answer to its close.
foreach (['a' => $a, 'b' => $b, 'c' => $c, 'd' => $d] as $n => $x) echo "$n: ", $x->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: #1 join red: true
server: #2 join red: true
server: #3 join blue: true
server: #1 join red: false
server: #4 leave red: false
server: to red: 2
server: to red except sender: 1
server: binary to blue: 1
server: to a room nobody is in: 0
server: #2 leave red: true
server: to red: 1
a: text "red says hello"
b: text "red says hello"
b: text "red (not #1)"
c: binary 00ff
a: text "red says again"
a: close 1000 closed
b: close 1000 closed
c: close 1000 closed
d: close 1000 closed
