--TEST--
Limits: the default max_message_size is 1 MiB (1048576 bytes pass, 1048577 close with 1009)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send(str_repeat('a', 1048576), true);
echo strlen($c->readMessage()[1]), "\n";
$c->send(str_repeat('a', 1048577), true);
echo $c->expectFail(), "\n";
PHP);
echo salon_run($server, $child, 20);
?>
--EXPECT--
server: close 1009
1048576
close 1009 closed
