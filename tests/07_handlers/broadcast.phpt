--TEST--
Handlers: broadcast() sends to every open connection except $except and returns the number of recipients
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('message', function (Salon\Connection $c, string $d, bool $b) use ($server) {
	if ($d === 'all') {
		echo "server: broadcast to all: ", $server->broadcast('to everyone'), "\n";
	} else {
		echo "server: broadcast except sender: ", $server->broadcast($d, $b, except: $c), "\n";
	}
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$c = WsClient::connect($port);
usleep(100000);
$a->send("\x01\x02", true);
echo "b: ", WsClient::describe($b->readFrame()), "\n";
echo "c: ", WsClient::describe($c->readFrame()), "\n";
$b->send('all');
foreach (['a' => $a, 'b' => $b, 'c' => $c] as $n => $x) echo "$n: ", WsClient::describe($x->readFrame()), "\n";
// a got nothing else: its next frame is the answer to its close
echo "a: ", $a->close(), "\n";
echo $b->close(), "\n", $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: broadcast except sender: 2
server: broadcast to all: 3
b: binary 0102
c: binary 0102
a: text "to everyone"
b: text "to everyone"
c: text "to everyone"
a: close 1000 closed
close 1000 closed
close 1000 closed
