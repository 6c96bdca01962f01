--TEST--
Hardening: the head limit is exactly 8 KiB: a head of 8,192 bytes (blank line included) upgrades, one of 8,193 bytes gets 431 and no onOpen
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_server();
$server->on('open', function ($c) { echo "server: open\n"; $c->close(); });
$child = salon_client($server, <<<'PHP'
foreach ([8192, 8193] as $size) {
	$base = ws_request($port, '/', ['X-Filler' => '']);
	$req = ws_request($port, '/', ['X-Filler' => str_repeat('f', $size - strlen($base))]);
	$r = http_raw($port, $req, null, 5.0, 0, true);
	echo strlen($req), " bytes: ", $r['status'], "\n";
}
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: open
8192 bytes: 101
8193 bytes: 431
