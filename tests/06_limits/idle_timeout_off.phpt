--TEST--
Limits: idle_timeout = 0 turns the heartbeat off (no ping, no close)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['idle_timeout' => 0]);
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
try { $f = $c->readFrame(2.5); echo "got ", WsClient::describe($f), "\n"; } catch (WsTimeout $e) { echo "quiet\n"; }
$c->send('alive');
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
quiet
text "alive"
close 1000 closed
