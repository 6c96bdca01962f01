--TEST--
Limits: a message of max_message_size bytes passes, one byte more closes with 1009
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['max_message_size' => 1000]);
$server->on('message', function ($c, $d, $b) { echo "server: message ", strlen($d), "\n"; $c->send($d, $b); });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send(str_repeat('a', 1000));
echo strlen($c->readMessage()[1]), "\n";
$c->send(str_repeat('a', 1001));
echo $c->expectFail(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: message 1000
server: close 1009
1000
close 1009 closed
