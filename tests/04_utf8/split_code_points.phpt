--TEST--
UTF-8: fragments may split code points (text fragmented at every byte)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$t = "Hello-\xc2\xb5@\xc3\x9f\xc3\xb6\xe2\x82\xac\xf0\x9f\x98\x80-UTF-8!!";
$n = strlen($t);
for ($i = 0; $i < $n; $i++) {
	$c->sendFrame($i === 0 ? OP_TEXT : OP_CONT, $t[$i], $i === $n - 1);
}
[$op, $d] = $c->readMessage();
echo $op, ' ', $d === $t ? 'same' : 'different', "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
1 same
close 1000 closed
