--TEST--
Limits: idle_timeout closes a peer that answers nothing (onClose 1006) within the configured time
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
// Scaled under valgrind, where the traced client itself is slow to answer.
$server = salon_server(['idle_timeout' => 1 * salon_scale()]);
$t0 = 0;
$server->on('open', function ($c) use (&$t0) { $t0 = microtime(true); });
$server->on('close', function ($c, $code) use (&$t0) {
	$dt = microtime(true) - $t0;
	echo "server: close $code after ", $dt >= 0.9 * salon_scale() && $dt < 3 * salon_scale() ? 'about 1 s' : "$dt s", "\n";
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
// Stay connected but never read nor answer pings.
usleep((int) (salon_timeout(4) * 1e6));
PHP);
echo salon_run($server, $child, 20);
?>
--EXPECT--
server: close 1006 after about 1 s
