--TEST--
Close: a client that drops TCP without a close frame gets exactly one onClose with 1006
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('open', function ($c) { echo "server: open\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('hi');
echo WsClient::describe($c->readFrame()), "\n";
$c->drop();
usleep(300000);
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: open
server: close 1006
text "hi"
