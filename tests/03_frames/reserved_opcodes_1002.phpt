--TEST--
Frames: reserved opcodes 3-7 and 0xB-0xF close with 1002
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('message', function ($c, $d, $b) { echo "server: message (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
foreach ([3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] as $op) {
	$c = WsClient::connect($port);
	$c->sendFrame($op, 'reserved');
	printf("opcode %X: %s\n", $op, $c->expectFail());
}
PHP);
echo salon_run($server, $child, 20);
?>
--EXPECT--
opcode 3: close 1002 closed
opcode 4: close 1002 closed
opcode 5: close 1002 closed
opcode 6: close 1002 closed
opcode 7: close 1002 closed
opcode B: close 1002 closed
opcode C: close 1002 closed
opcode D: close 1002 closed
opcode E: close 1002 closed
opcode F: close 1002 closed
