--TEST--
UTF-8: binary messages are not checked for UTF-8
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send("\xff\xfe\xed\xa0\x80\xc0\xaf", true);
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
binary fffeeda080c0af
close 1000 closed
