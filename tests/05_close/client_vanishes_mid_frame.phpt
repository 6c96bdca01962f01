--TEST--
Close: a client that drops TCP in the middle of a frame gets one onClose with 1006; the server keeps serving others
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$frame = WsClient::frame(OP_TEXT, str_repeat('x', 1000));
$c->writeRaw(substr($frame, 0, 500));
usleep(100000);
$c->drop();
usleep(200000);
$d = WsClient::connect($port);
$d->send('other client');
echo WsClient::describe($d->readFrame()), "\n";
echo $d->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1006
server: close 1000
text "other client"
close 1000 closed
