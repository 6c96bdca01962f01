--TEST--
UTF-8: a text message that is not valid UTF-8 closes with 1007 and never reaches onMessage
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('message', function ($c, $d, $b) { echo "server: message (must not happen)\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited");
echo $c->expectFail(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1007
close 1007 closed
