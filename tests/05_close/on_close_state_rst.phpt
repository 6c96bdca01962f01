--TEST--
Close: in onClose after a TCP reset (1006), isOpen() is false and send() returns false
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
// The echo stays unread in the socket: closing it then sends an RST
// instead of a FIN (RFC 1122 §4.2.2.13).
$c->send('unread');
usleep(200000);
$c->drop();
echo "reset sent\n";
usleep(200000);
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1006 isOpen=false send=false bufferedAmount grew=false isOpen after close()=false
reset sent
