--TEST--
Close: a close frame without payload is answered (empty or 1000) and onClose reports 1005
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->sendFrame(OP_CLOSE, '');
[$code, $reason] = $c->readClose();
echo in_array($code, [1005, 1000], true) ? 'answered' : "code $code", ' ', $c->expectClosed(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1005
answered closed
