--TEST--
Handshake: request() of connections nobody stored is right in later callbacks, interleaved (the core parses each call into one scratch); a frame split over many reads still arrives whole
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('message', function (Salon\Connection $c, string $d) use ($server) {
	// Ask for the other connection's request first, then this one's.
	foreach ($server->connections() as $o) {
		if ($o !== $c) {
			$other = $o->request();
		}
	}
	$r = $c->request();
	echo "message ", strlen($d), " bytes on ", $r->path, "?", $r->query, " x-who ", $r->header('x-who'),
		"; other ", isset($other) ? $other->path . ' ' . $other->header('x-who') : '-', "\n";
	$c->send((string) strlen($d));
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port, '/alpha?n=1', ['X-Who' => 'a']);
$b = WsClient::connect($port, '/beta?n=2', ['X-Who' => 'b']);
$a->send('one');
echo "a got ", $a->readFrame()[1], "\n";
$b->send('two!');
echo "b got ", $b->readFrame()[1], "\n";
// A fragmented message whose frames arrive in 7-byte writes, with a ping between them.
$a->sendFrame(0x1, str_repeat('x', 300), false, chop: 7, delay_us: 2000);
$a->ping('p');
$a->sendFrame(0x0, str_repeat('y', 200), true, chop: 7, delay_us: 2000);
$f = $a->readFrame();
echo "a got ", $f[0] === 0xA ? 'pong ' . $f[1] : $f[1], "\n";
echo "a got ", $a->readFrame()[1], "\n";
echo $a->close(), "\n", $b->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
message 3 bytes on /alpha?n=1 x-who a; other /beta b
message 4 bytes on /beta?n=2 x-who b; other /alpha a
message 500 bytes on /alpha?n=1 x-who a; other /beta b
a got 3
b got 4
a got pong p
a got 500
close 1000 closed
close 1000 closed
