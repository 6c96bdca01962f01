--TEST--
Close: the codes 1000-1003, 1007-1011 and 3000-4999 are echoed
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server([], false);
$seen = [];
$server->on('close', function ($c, $code) use (&$seen) { $seen[] = $code; });
$child = salon_client($server, <<<'PHP'
foreach ([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999] as $code) {
	$c = WsClient::connect($port);
	echo "$code: ", $c->close($code), "\n";
}
PHP);
echo salon_run($server, $child, 20);
echo implode(' ', $seen), "\n";
?>
--EXPECT--
1000: close 1000 closed
1001: close 1001 closed
1002: close 1002 closed
1003: close 1003 closed
1007: close 1007 closed
1008: close 1008 closed
1009: close 1009 closed
1010: close 1010 closed
1011: close 1011 closed
3000: close 3000 closed
3999: close 3999 closed
4000: close 4000 closed
4999: close 4999 closed
1000 1001 1002 1003 1007 1008 1009 1010 1011 3000 3999 4000 4999
