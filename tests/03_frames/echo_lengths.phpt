--TEST--
Frames: text and binary messages with 7-, 16- and 64-bit lengths round-trip unchanged
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('message', function ($c, $d, $b) { echo "server: ", $b ? 'binary' : 'text', " ", strlen($d), "\n"; $c->send($d, $b); });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
foreach ([0, 1, 125, 126, 127, 65535, 65536, 100000] as $n) {
	foreach ([false, true] as $bin) {
		$d = $bin ? ($n ? random_bytes($n) : '') : str_repeat('*', $n);
		$c->send($d, $bin);
		[$op, $got] = $c->readMessage();
		if ($op !== ($bin ? OP_BINARY : OP_TEXT) || $got !== $d) echo "MISMATCH $n $bin op=$op len=", strlen($got), "\n";
	}
}
echo "client: all echoed\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: text 0
server: binary 0
server: text 1
server: binary 1
server: text 125
server: binary 125
server: text 126
server: binary 126
server: text 127
server: binary 127
server: text 65535
server: binary 65535
server: text 65536
server: binary 65536
server: text 100000
server: binary 100000
server: close 1000
client: all echoed
close 1000 closed
