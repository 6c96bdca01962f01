--TEST--
Close: codes outside 1000-1003, 1007-1011, 3000-4999 (0, 999, 1004-1006, 1012-1016, 2999, 5000, 65535) get 1002
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server([], false);
$seen = [];
$server->on('close', function ($c, $code) use (&$seen) { $seen[$code] = ($seen[$code] ?? 0) + 1; });
$child = salon_client($server, <<<'PHP'
foreach ([0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 1100, 2000, 2999, 5000, 65535] as $code) {
	$c = WsClient::connect($port);
	$c->sendFrame(OP_CLOSE, pack('n', $code));
	echo "$code: ", $c->expectFail(), "\n";
}
PHP);
echo salon_run($server, $child, 20);
var_dump($seen);
?>
--EXPECT--
0: close 1002 closed
999: close 1002 closed
1004: close 1002 closed
1005: close 1002 closed
1006: close 1002 closed
1012: close 1002 closed
1013: close 1002 closed
1014: close 1002 closed
1015: close 1002 closed
1016: close 1002 closed
1100: close 1002 closed
2000: close 1002 closed
2999: close 1002 closed
5000: close 1002 closed
65535: close 1002 closed
array(1) {
  [1002]=>
  int(15)
}
