--TEST--
Frames: every combination of RSV bits (1-7), on data and control frames, closes with 1002
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$codes = [];
$server->on('message', function ($c, $d, $b) { echo "server: message (must not happen)\n"; });
$server->on('close', function ($c, $code) use (&$codes) { $codes[$code] = ($codes[$code] ?? 0) + 1; });
$child = salon_client($server, <<<'PHP'
foreach ([OP_TEXT, OP_BINARY, OP_PING] as $op) {
	for ($rsv = 1; $rsv <= 7; $rsv++) {
		$c = WsClient::connect($port);
		$c->sendFrame($op, 'payload', true, $rsv);
		echo "op $op rsv $rsv: ", $c->expectFail(), "\n";
	}
}
PHP);
$out = salon_run($server, $child, 30);
echo implode("\n", array_unique(array_map(fn($l) => preg_replace('/^op \d rsv \d: /', '', $l), explode("\n", trim($out))))), "\n";
echo substr_count($out, 'close 1002 closed'), " of 21\n";
var_dump($codes);
?>
--EXPECT--
close 1002 closed
21 of 21
array(1) {
  [1002]=>
  int(21)
}
