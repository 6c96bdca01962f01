--TEST--
Frames: a frame split into two writes at every offset is decoded the same (7-, 16- and 64-bit lengths)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$count = 0;
$server->on('message', function ($c, $d, $b) use (&$count) { $count++; $c->send($d, $b); });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$bad = 0;
$n = 0;
foreach ([20, 200, 70000] as $size) {
	$payload = random_bytes($size);
	$frame = WsClient::frame(OP_BINARY, $payload);
	$len = strlen($frame);
	// every offset for small frames; header offsets and a few payload ones for the big one
	$offsets = $size < 1000 ? range(1, $len - 1) : array_merge(range(1, 15), [100, 30000, $len - 1]);
	foreach ($offsets as $k) {
		$c->writeRaw(substr($frame, 0, $k));
		usleep(2000);
		$c->writeRaw(substr($frame, $k));
		[$op, $got] = $c->readMessage();
		$n++;
		if ($op !== OP_BINARY || $got !== $payload) { $bad++; echo "size $size split at $k: wrong echo\n"; }
	}
}
// two frames in one write, then a split that crosses the boundary between two frames
$two = WsClient::frame(OP_TEXT, 'first') . WsClient::frame(OP_TEXT, 'second');
$c->writeRaw($two);
echo WsClient::describe($c->readFrame()), ', ', WsClient::describe($c->readFrame()), "\n";
$c->writeRaw(substr($two, 0, 13));
usleep(2000);
$c->writeRaw(substr($two, 13));
echo WsClient::describe($c->readFrame()), ', ', WsClient::describe($c->readFrame()), "\n";
echo "client: $n splits, $bad wrong\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child, 30);
echo "server: $count messages\n";
?>
--EXPECT--
server: close 1000
text "first", text "second"
text "first", text "second"
client: 250 splits, 0 wrong
close 1000 closed
server: 254 messages
