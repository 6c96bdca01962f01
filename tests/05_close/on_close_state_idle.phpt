--TEST--
Close: in onClose after idle_timeout (1006), isOpen() is false and send() returns false
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/on_close_state.inc';
$server = salon_server(['idle_timeout' => 0.4 * salon_scale()]);
salon_on_close_state($server);
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
// Connected, but never reads nor answers the heartbeat ping.
usleep((int) (salon_timeout(1.5) * 1e6));
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1006 isOpen=false send=false bufferedAmount grew=false isOpen after close()=false
