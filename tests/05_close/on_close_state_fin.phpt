--TEST--
Close: in onClose after a FIN without a close frame (1006), isOpen() is false and send() returns false
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/on_close_state.inc';
$server = salon_echo_server([], false);
salon_on_close_state($server);
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('hi');
echo WsClient::describe($c->readFrame()), "\n";
$c->drop();
usleep(200000);
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1006 isOpen=false send=false bufferedAmount grew=false isOpen after close()=false
text "hi"
